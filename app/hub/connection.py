"""Where the hub is and how to reach it: the connection settings of a data folder, the
engine, and the one sentence for each way a hub can fail.

The settings (`hub.json` in the data folder) hold the URL without a password:
Rung never stores one. libpq's own mechanisms supply it — a password file
(`~/.pgpass` or `PGPASSFILE`), `PGPASSWORD`, or a server that needs none.
psycopg and SQLAlchemy's PostgreSQL dialect are imported only when a hub is
used, so a user who never connects one pays nothing for it.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from app.errors import HubError, HubUnreachableError, InvalidInputError
from app.files import write_own_file

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL

SETTINGS_NAME = "hub.json"
HUB_REVISION = "0001"
"""The hub schema this Rung reads and writes (a test holds it to the migrations' head)."""
CONNECT_TIMEOUT_S = 5
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class HubSettings:
    """A data folder's hub: where it is, whether a finalised check-in is published at
    once, and when this folder last published and pulled (UTC stamps)."""

    url: str
    publish_after_finalise: bool = False
    last_publish: str | None = None
    last_pull: str | None = None


def parse_url(text: str) -> URL:
    """A `postgresql://` URL as SQLAlchemy's, for psycopg; a password in it is refused."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise InvalidInputError(
            f"'{text}' is not a PostgreSQL URL; write it as postgresql://LOGIN@HOST/DATABASE."
        ) from None
    if url.drivername not in _SCHEMES:
        raise InvalidInputError(
            f"'{text}' is not a PostgreSQL URL; write it as postgresql://LOGIN@HOST/DATABASE."
        )
    if url.password:
        raise InvalidInputError(
            "Rung never stores a password: leave it out of the URL and put it in libpq's "
            "password file (~/.pgpass) or in PGPASSWORD."
        )
    return url.set(drivername="postgresql+psycopg", password=None)


def shown(url: URL) -> str:
    """The URL as a person reads it (no driver name, never a password)."""
    text = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return unquote(text)  # "?host=/run/postgresql" as typed, not "%2Frun%2Fpostgresql"


def create_hub_engine(url: URL) -> Engine:
    """An engine that opens a connection per use: a desktop app syncs now and then.

    One per hub for the process, so SQLAlchemy asks the server for its settings (the
    dialect's first connect, several round trips) once rather than at every sync;
    `dispose()` after a use leaves it usable.
    """
    return _engine(url)


@functools.lru_cache(maxsize=8)
def _engine(url: URL) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        url,
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "rung"},
    )


UNCHANGED = "your local data is unchanged, and the next sync catches up"
NOTHING_CHANGED = "nothing was changed"
"""How a lost connection's sentence ends where nothing was being synced (connecting,
the status, the admin's commands)."""


@contextlib.contextmanager
def reaching(url: URL, *, afterwards: str = UNCHANGED) -> Iterator[None]:
    """Turn the hub's failures into one sentence each. A lost connection ends with
    `afterwards`: what it means here. By default nothing local has changed (each sync
    writes locally only after the hub's transaction ended); a step after local writes
    says what it left."""
    import psycopg.errors as pg
    from sqlalchemy.exc import DBAPIError

    where = shown(url)
    try:
        yield
    except DBAPIError as exc:
        orig = exc.orig
        if isinstance(orig, pg.InsufficientPrivilege):
            raise HubError(
                f"The hub at {where} refused this for your login: {_first_line(orig)}."
            ) from None
        if isinstance(orig, pg.UndefinedColumn | pg.UndefinedFunction):
            raise HubError(
                f"The hub at {where} does not have the tables this Rung expects "
                f"({_first_line(orig)}): its admin brings it up to date with 'rung hub init'."
            ) from None
        if isinstance(orig, pg.UndefinedTable | pg.InvalidSchemaName):
            raise HubError(
                f"{where} holds no Rung hub yet: its admin creates one with 'rung hub init'."
            ) from None
        if isinstance(orig, pg.OperationalError | pg.InterfaceError) or exc.connection_invalidated:
            raise HubUnreachableError(
                f"The hub at {where} cannot be reached ({_first_line(orig)}); {afterwards}."
            ) from None
        raise


def require_revision(connection: Connection, url: URL) -> None:
    """Refuse, in one sentence, a hub whose schema is not the one this Rung knows."""
    revision = connection.exec_driver_sql(
        "SELECT version_num FROM rung_hub.alembic_version"
    ).scalar()
    if revision == HUB_REVISION:
        return
    remedy = (
        "update Rung to use it"
        if revision is not None and revision > HUB_REVISION
        else "its admin brings it up to date with 'rung hub init'"
    )
    raise HubError(
        f"The hub at {shown(url)} is at revision {revision} and this Rung works with "
        f"revision {HUB_REVISION}: {remedy}; nothing was changed."
    )


def _first_line(error: BaseException | None) -> str:
    text = str(error or "no answer").strip().splitlines()
    return (text[0] if text else "no answer").rstrip(".")


# -- the data folder's settings -------------------------------------------------------


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_NAME


def load_settings(data_dir: Path) -> HubSettings | None:
    """The folder's hub, or None when it never connected one."""
    path = settings_path(data_dir)
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return HubSettings(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError):
        raise InvalidInputError(
            f"{path} is not a hub connection Rung wrote; connect again with 'rung hub connect URL'."
        ) from None


def save_settings(data_dir: Path, settings: HubSettings) -> None:
    text = json.dumps(asdict(settings), indent=1, ensure_ascii=False)
    write_own_file(settings_path(data_dir), text.encode("utf-8"))


def update_settings(data_dir: Path, **changes: Any) -> HubSettings:
    settings = connected(data_dir)
    settings = replace(settings, **changes)
    save_settings(data_dir, settings)
    return settings


def connected(data_dir: Path) -> HubSettings:
    """The folder's hub; one sentence when there is none."""
    settings = load_settings(data_dir)
    if settings is None:
        raise InvalidInputError(
            "This data folder is not connected to a team hub: connect it with "
            "'rung hub connect URL'."
        )
    return settings
