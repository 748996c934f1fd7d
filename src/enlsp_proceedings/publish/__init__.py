"""Publishing: the pipeline from ``conf/`` and ``papers/`` to a published site.

`pipeline` runs load -> PDF facts -> outputs -> Sphinx into a staging copy of the site and
swaps it in atomically, so a failed or killed build leaves the last good site; `sources`
writes the Sphinx sources (one stub per generated page); `preview` serves the built site
locally and rebuilds on change (``nox -s serve``).
"""
