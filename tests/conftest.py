"""Shared fixtures: every test gets its own data folder; nothing boots the whole app."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from app.services import Services, open_services

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("ci")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data folder, also exported as RUNG_DATA_DIR."""
    folder = tmp_path / "data"
    monkeypatch.setenv("RUNG_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    """The service layer on a real SQLite file in a fresh data folder."""
    opened = open_services(data_dir)
    yield opened
    opened.close()


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes, to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
