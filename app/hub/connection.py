"""Where the hub is and how to reach it: the connection settings of a data folder, the
engine, and the one sentence for each way a hub can fail.

The settings (`hub.json` in the data folder) hold the URL without a password:
Rung never writes one to a file. libpq's own mechanisms supply it — a password
file (`~/.pgpass` or `PGPASSFILE`), `PGPASSWORD`, or a server that needs none —
or, when the person typed it in (`rung hub connect --password`, the Connect
dialog), the system's keyring (`keyring`), asked at each connection.
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
    password_in_keyring: bool = False  # kept under `KEYRING_SERVICE`, see `keyring_account`


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
    if url.password or {key.lower() for key in url.query} & {"password", "sslpassword"}:
        raise InvalidInputError(
            "Rung never stores a password in its files: leave it out of the URL and give it "
            "with --password (kept in the system's keyring), in libpq's password file "
            "(~/.pgpass) or in PGPASSWORD."
        )
    return url.set(drivername="postgresql+psycopg", password=None)


def shown(url: URL) -> str:
    """The URL as a person reads it (no driver name, never a password)."""
    text = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return unquote(text)  # "?host=/run/postgresql" as typed, not "%2Frun%2Fpostgresql"


def create_hub_engine(
    url: URL, *, keyring: str | None = None, password: str | None = None
) -> Engine:
    """An engine that opens a connection per use: a desktop app syncs now and then.

    One per hub for the process, so SQLAlchemy asks the server for its settings (the
    dialect's first connect, several round trips) once rather than at every sync;
    `dispose()` after a use leaves it usable. `keyring`: the account (`keyring_account`)
    whose password each connection takes from the system's keyring (read anew, so a
    changed one counts). `password`: one typed a moment ago, to try before it is kept
    (an engine of its own, not cached).
    """
    if password is not None:
        return _new_engine(url, {"password": password})
    return _engine(url, keyring)


@functools.lru_cache(maxsize=8)
def _engine(url: URL, keyring: str | None) -> Engine:
    engine = _new_engine(url, {})
    if keyring is not None:
        from sqlalchemy import event

        account = keyring

        @event.listens_for(engine, "do_connect")
        def _password(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
            password = kept_password(account)
            if password is not None:
                params["password"] = password

    return engine


def _new_engine(url: URL, extra: dict[str, Any]) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        url,
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "rung", **extra},
    )


# -- the password in the system's keyring ---------------------------------------------

KEYRING_SERVICE = "Rung team hub"
NO_KEYRING = (
    "This computer has no system keyring Rung can keep the password in: put it in "
    "PostgreSQL's password file (~/.pgpass) instead and give Rung none; nothing was changed."
)


def keyring_account(data_dir: Path, url_text: str) -> str:
    """Whose password a keyring entry is: this data folder's connection to this hub (the
    URL as shown), so two folders on one login keep, replace and forget their own."""
    return f"{url_text} (data folder {data_dir.resolve()})"


def kept_password(account: str) -> str | None:
    """The password kept for `account` (see `keyring_account`), or None when there is none
    or no keyring to ask: libpq then looks in its own places."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, account)
    except (KeyringError, ImportError):  # ImportError: PYTHON_KEYRING_BACKEND names none
        return None


def keep_password(account: str, password: str) -> None:
    """Keep the hub's password in the system's keyring; one sentence when there is none."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
    except (KeyringError, ImportError):
        raise InvalidInputError(NO_KEYRING) from None


def forget_password(account: str) -> None:
    """Remove the hub's password from the keyring, if it is there (and there is one)."""
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError, ImportError):  # PasswordDeleteError: not there
        keyring.delete_password(KEYRING_SERVICE, account)


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
        refused = _refused_password(orig, url.username or "")
        if refused:
            raise HubError(
                f"The hub at {where} {refused}: give the right one with "
                "'rung hub connect URL --password' (or in the Connect dialog), or put it in "
                "~/.pgpass; nothing was changed."
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


def _refused_password(error: BaseException | None, login: str) -> str | None:
    """What the server said of the password, when that is why it refused the connection
    (libpq's and PostgreSQL's own words: a connection failure carries no SQLSTATE)."""
    text = str(error)
    if "no password supplied" in text:
        return f"asks for the password of the login {login}, and none was given"
    if "password authentication failed" in text:
        return f"refused the password of the login {login}"
    return None


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
