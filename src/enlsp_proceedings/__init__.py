"""enlsp-proceedings: a workshop's accepted papers, as a proceedings website.

Subpackages by stage, data flowing one way (each says what it owns in its docstring; the
module map is in docs/architecture.md):

``model`` (conf/ -> typed models) -> ``pdf`` (PDF facts, cached by content hash; the
camera-ready checks) -> ``outputs`` (the volume, citations, calendars, downloads, site paths)
-> ``sphinxext`` (the pages, as docutils nodes) and ``search`` (the Pagefind index) ->
``publish`` (the pipeline: Sphinx into a staging copy, swapped in atomically) -> ``cli``.
``importers`` brings a review system's export into conf/; ``util`` holds what every stage
shares (safe file writes, text folding and slugs, the code digest).
"""

__version__ = "0.1.0"
