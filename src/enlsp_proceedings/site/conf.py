# Default Sphinx configuration of a proceedings site (used when --docs has no conf.py).
from enlsp_proceedings.sphinx_conf import settings

globals().update(settings())
