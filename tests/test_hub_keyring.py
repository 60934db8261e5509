"""A hub that asks for a password: typed once (`rung hub connect --password`), kept in the
system's keyring — here a keyring backend whose file is in the test's folder, since CI has
no desktop keyring service — and never in Rung's files; every sync takes it from there.
A wrong or missing password, or no keyring at all, is one sentence and keeps nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from psycopg import sql

from app.hub.connection import KEYRING_SERVICE, keyring_account
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok
from tests.pg import Hub

PASSWORD = "s3cret ü <b>&"


@pytest.fixture
def zoe_uri(hub: Hub) -> str:
    """Zoë, an engineer whose login needs `PASSWORD`."""
    hub.add("zoe", ["engineer"])
    return hub.require_password("zoe", PASSWORD)


def connect(rung: Run, monkeypatch: pytest.MonkeyPatch, folder: Path, uri: str, *extra: str,
            typed: str | None = None) -> Any:  # fmt: skip
    if typed is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    return rung("hub", "connect", uri, "--data-dir", folder, *extra)


def test_a_password_given_once_is_kept_in_the_keyring_and_every_sync_uses_it(
    hub: Hub,
    zoe_uri: str,
    rung: Run,
    tmp_path: Path,
    kept: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uri = zoe_uri
    zoe = tmp_path / "zoe"
    assert_ok(rung("demo", "--data-dir", zoe))
    before = folder_digest(zoe)
    asked = connect(rung, monkeypatch, zoe, uri)
    assert_failed(asked, 1, "asks for the password of the login")
    assert "--password" in asked.err
    wrong = connect(rung, monkeypatch, zoe, uri, "--password", typed="not it")
    assert_failed(wrong, 1, f"refused the password of the login {hub.login('zoe')}")
    assert wrong.err.rstrip().endswith("nothing was changed.")
    in_query = connect(rung, monkeypatch, zoe, f"{uri}&password={PASSWORD}")
    assert_failed(in_query, 1, "never stores a password in its files")
    not_text = connect(rung, monkeypatch, zoe, uri, "--password", typed="W\udcf6rd")
    assert_failed(not_text, 1, "not UTF-8 text")  # bytes the terminal passed on as they were
    assert folder_digest(zoe) == before
    assert not kept.get_password(KEYRING_SERVICE, keyring_account(zoe, uri))

    assert_ok(connect(rung, monkeypatch, zoe, uri, "--password", typed=PASSWORD))
    account = keyring_account(zoe, json.loads((zoe / "hub.json").read_text("utf-8"))["url"])
    assert kept.get_password(KEYRING_SERVICE, account) == PASSWORD
    for path in zoe.rglob("*"):  # never in Rung's own files
        assert not path.is_file() or PASSWORD.encode() not in path.read_bytes(), path
    assert rung("hub", "publish", "--data-dir", zoe).out.startswith("Published 1 profile")
    status = json.loads(rung("hub", "status", "--json", "--data-dir", zoe).out)
    assert status["password_in_keyring"] is True
    # Connecting again without --password keeps the password in use.
    assert_ok(connect(rung, monkeypatch, zoe, uri, "--publish-after-finalise"))
    assert_ok(rung("hub", "pull", "--data-dir", zoe))

    # A second folder on the same login keeps its own: forgetting one leaves the other.
    other = tmp_path / "laptop"
    assert_ok(connect(rung, monkeypatch, other, uri, "--password", typed=PASSWORD))
    forgot = rung("hub", "forget-password", "--data-dir", other)
    assert forgot.out.startswith("The hub password kept in this computer's keyring")
    assert_ok(rung("hub", "pull", "--data-dir", zoe))
    assert_failed(rung("hub", "pull", "--data-dir", other), 1, "none was given")

    # The password changes on the server: one sentence, then the new one is kept.
    hub.sql(sql.SQL("ALTER ROLE {} PASSWORD 'new one'").format(sql.Identifier(hub.login("zoe"))))
    assert_failed(rung("hub", "publish", "--data-dir", zoe), 1, "refused the password")
    assert_ok(connect(rung, monkeypatch, zoe, uri, "--password", typed="new one"))
    assert kept.get_password(KEYRING_SERVICE, account) == "new one"

    # Forgetting it asks nothing of the hub (here: stopped answering); libpq serves after.
    away = tmp_path / "away"
    away.mkdir()
    hub_json = json.loads((zoe / "hub.json").read_text("utf-8"))
    moved = {**hub_json, "url": f"postgresql://x@/db?host={away}"}
    (zoe / "hub.json").write_text(json.dumps(moved), encoding="utf-8")
    kept.set_password(KEYRING_SERVICE, keyring_account(zoe, moved["url"]), "x")
    assert_ok(rung("hub", "forget-password", "--data-dir", zoe))
    assert not kept.get_password(KEYRING_SERVICE, keyring_account(zoe, moved["url"]))
    assert json.loads((zoe / "hub.json").read_text("utf-8"))["password_in_keyring"] is False
    again = rung("hub", "forget-password", "--data-dir", zoe)
    assert again.out.startswith("No hub password was kept")
    (zoe / "hub.json").write_text(json.dumps(hub_json), encoding="utf-8")
    monkeypatch.setenv("PGPASSWORD", "new one")
    assert_ok(connect(rung, monkeypatch, zoe, uri))
    assert_ok(rung("hub", "pull", "--data-dir", zoe))


def test_without_a_keyring_a_password_is_one_sentence_and_nothing_is_kept(
    zoe_uri: str, rung: Run, tmp_path: Path, kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = zoe_uri
    zoe = tmp_path / "zoe"
    keyring.set_keyring(fail.Keyring())  # `kept` puts the one before back
    refused = connect(rung, monkeypatch, zoe, uri, "--password", typed=PASSWORD)
    assert_failed(refused, 1, "no system keyring Rung can keep the password in")
    assert "~/.pgpass" in refused.err
    assert not (zoe / "hub.json").exists()
    empty = connect(rung, monkeypatch, zoe, uri, "--password", typed="")
    assert_failed(empty, 1, "No password was given")
