"""Where Rung keeps things: the user's data folder and the files shipped with it."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Rung"
DATA_DIR_ENV = "RUNG_DATA_DIR"
DATABASE_NAME = "rung.sqlite3"

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """A folder that a wheel carries inside `app/` and a checkout keeps at the top."""
    installed = _PACKAGE / f"_{name}"
    return installed if installed.is_dir() else _PACKAGE.parent / name


def data_files_dir() -> Path:
    """The shipped `data/` folder (built-in frameworks)."""
    return _shipped("data")


def resources_dir() -> Path:
    """The shipped `resources/` folder (icons, fonts, stylesheets)."""
    return _shipped("resources")


def builtin_framework_files() -> list[Path]:
    folder = data_files_dir() / "frameworks"
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"})


def default_data_dir() -> Path:
    """The platform's user data folder, unless `RUNG_DATA_DIR` says otherwise."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)
