"""enlsp-proceedings: a workshop's accepted papers, as a proceedings website.

Stages, each its own module, data flowing one way:
load (conf/ -> models) -> extract (PDF facts, cached) -> render (sources, downloads)
-> sphinxext (pages as docutils nodes) -> build (Sphinx, atomic publish) -> cli.
"""

__version__ = "0.1.0"
