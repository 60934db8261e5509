"""A hub that asks for a password: typed once (`rung hub connect --password`), kept in the
system's keyring — here a real keyring backend whose file is in the test's folder, since CI
has no desktop keyring service — and never in Rung's files; every sync takes it from there.
A wrong or missing password, or no keyring at all, is one sentence and keeps nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from psycopg import sql

from app.hub.connection import KEYRING_SERVICE
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
    kept: PlaintextKeyring,
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
    assert folder_digest(zoe) == before
    assert kept.get_password(KEYRING_SERVICE, uri) is None

    assert_ok(connect(rung, monkeypatch, zoe, uri, "--password", typed=PASSWORD))
    account = json.loads((zoe / "hub.json").read_text(encoding="utf-8"))["url"]
    assert kept.get_password(KEYRING_SERVICE, account) == PASSWORD
    for path in zoe.rglob("*"):  # never in Rung's own files
        assert not path.is_file() or PASSWORD.encode() not in path.read_bytes(), path
    assert rung("hub", "publish", "--data-dir", zoe).out.startswith("Published 1 profile")
    status = json.loads(rung("hub", "status", "--json", "--data-dir", zoe).out)
    assert status["password_in_keyring"] is True
    # Connecting again without --password keeps the password in use.
    assert_ok(connect(rung, monkeypatch, zoe, uri, "--publish-after-finalise"))
    assert_ok(rung("hub", "pull", "--data-dir", zoe))

    # The password changes on the server: one sentence, then the new one is kept.
    hub.sql(sql.SQL("ALTER ROLE {} PASSWORD 'new one'").format(sql.Identifier(hub.login("zoe"))))
    assert_failed(rung("hub", "publish", "--data-dir", zoe), 1, "refused the password")
    assert_ok(connect(rung, monkeypatch, zoe, uri, "--password", typed="new one"))
    assert kept.get_password(KEYRING_SERVICE, account) == "new one"

    # Forgetting it: libpq's own places serve instead.
    monkeypatch.setenv("PGPASSWORD", "new one")
    assert_ok(connect(rung, monkeypatch, zoe, uri, "--forget-password"))
    assert kept.get_password(KEYRING_SERVICE, account) is None
    assert (
        json.loads((zoe / "hub.json").read_text(encoding="utf-8"))["password_in_keyring"] is False
    )
    assert_ok(rung("hub", "pull", "--data-dir", zoe))


def test_without_a_keyring_a_password_is_one_sentence_and_nothing_is_kept(
    zoe_uri: str, rung: Run, tmp_path: Path, kept: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = zoe_uri
    zoe = tmp_path / "zoe"
    keyring.set_keyring(fail.Keyring())  # `kept` puts the one before back
    refused = connect(rung, monkeypatch, zoe, uri, "--password", typed=PASSWORD)
    assert_failed(refused, 1, "no keyring Rung can keep the password in")
    assert "~/.pgpass" in refused.err
    assert not (zoe / "hub.json").exists()
    empty = connect(rung, monkeypatch, zoe, uri, "--password", typed="")
    assert_failed(empty, 1, "No password was given")
    assert_failed(
        rung("hub", "connect", uri, "--password", "--forget-password", "--data-dir", zoe),
        2,
        "not allowed with argument",
    )
