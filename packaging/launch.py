"""The frozen app's entry point, the same as the `rung` command.

Not `app/__main__.py`: PyInstaller puts a script's folder on the import path,
and `app/`'s modules would then also be importable under their bare names.
"""

import sys

from app.cli import main

sys.exit(main())
