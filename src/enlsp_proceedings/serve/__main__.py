"""``python -m enlsp_proceedings.serve`` (``nox -s serve``): the preview, its builds warm."""

import sys

from enlsp_proceedings.serve import main

if __name__ == "__main__":
    sys.exit(main())
