"""Review-system import: accepted papers into ``conf/papers.yaml``, PDFs into ``papers/``.

`core` reads Microsoft CMT and OpenReview exports (and the organizers' data files) and
merges them into ``papers.yaml`` in place, keeping comments and hand-made fields; `collect`
copies downloaded camera-ready PDFs into ``papers/`` under each paper's id.
"""
