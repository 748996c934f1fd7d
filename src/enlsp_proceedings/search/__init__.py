"""Site search: a Pagefind index built from the data (with each PDF's text up to its references).

`index` makes the records and bundles them and runs the indexer beside the Sphinx build;
`pagefind_child` is the child process that drives Pagefind's Python API.
"""
