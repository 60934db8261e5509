"""The log of bugs: a rotating file in the data folder, with tracebacks and without private text.

Only what is not a `RungError` is logged (see `app.errors.is_bug`), with the
traceback and a short context naming ids, never a note or a name. The file is
`logs/rung.log` in the data folder, owner-only, kept to 3 files of 1 MB.

`logging` is imported when a bug is first logged: its handlers bring in sockets,
pickling and queues, which the desktop app's first paint would otherwise wait for.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import LOGGED_AT
from app.files import create_private_file, make_private_dir

LOGGER = "rung"
LOG_FOLDER = "logs"
LOG_NAME = "rung.log"
MAX_BYTES, BACKUPS = 1_000_000, 2


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_FOLDER / LOG_NAME


def start_logging(data_dir: Path) -> Path:
    """Send the `rung` logger to the data folder's log file (once per file); returns its path."""
    import logging
    from logging.handlers import RotatingFileHandler

    path = log_path(data_dir)
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    make_private_dir(path.parent)
    if not path.exists():
        create_private_file(path)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return path


def log_bug(exc: BaseException, context: str, data_dir: Path | None) -> Path | None:
    """Write `exc` with its traceback to the data folder's log; the log's path, or None.

    `context` says what was being done, with ids only. Nothing is written when
    the data folder does not exist (a failed command creates nothing), and an
    exception already written is not written again: it carries its log's path,
    which `app.errors.describe` names.
    """
    logged: Path | None = getattr(exc, LOGGED_AT, None)
    if logged is not None:
        return logged  # written once, wherever it is shown
    if data_dir is None or not data_dir.is_dir():
        return None
    try:
        path = start_logging(data_dir)
        import logging

        from app import __version__

        logging.getLogger(LOGGER).error(
            "%s (Rung %s)", context, __version__, exc_info=(type(exc), exc, exc.__traceback__)
        )
    except OSError:  # a log that cannot be written must not hide the error itself
        return None
    setattr(exc, LOGGED_AT, path)
    return path
