"""The data model and its loading: what a workshop is, read from ``conf/``.

`schema` holds the typed pydantic models (workshop, papers, keynotes, schedule, people);
`load` reads the YAML files (YAML 1.1, line numbers kept, alias bombs refused) into them
and reports every problem of a run at once, each with its file and line; `people` indexes
everyone the volume names (authors, speakers, committee) under one stable slug each; `policy`
says which page limit and policy each paper is judged by; `codes` lists the problem codes an
organizer may waive.
Nothing here reads a PDF or writes a file.
"""
