"""Kept for ``docs/conf.py`` files written for enlsp-proceedings 0.1, which import
``settings`` from here; new ones import it from `enlsp_proceedings.sphinxext.settings`."""

from enlsp_proceedings.sphinxext.settings import settings

__all__ = ["settings"]
