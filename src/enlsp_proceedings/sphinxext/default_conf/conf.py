# Default Sphinx configuration of a proceedings site (used when --docs has no conf.py).
from enlsp_proceedings.sphinxext.settings import settings

globals().update(settings())
