"""Publishing: the pipeline from ``conf/`` and ``papers/`` to a published site.

`pipeline` runs the stages in order (load -> PDF facts -> outputs -> Sphinx into a staging
copy of the site -> swap it in atomically), so a failed or killed build leaves the last good
site; `site` owns the two site copies on disk (markers, mirroring, the atomic exchange,
locks); `sphinx_run` runs Sphinx and reports its progress and warnings; `errors` holds
`BuildError` and the one-sentence messages for disk problems; `sources`
writes the Sphinx sources (one stub per generated page); `preview` serves the built site
locally and rebuilds on change (``nox -s serve``).
"""
