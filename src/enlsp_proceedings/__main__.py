"""``python -m enlsp_proceedings``: the same commands as ``enlsp-proceedings``."""

from .cli import run

run()
