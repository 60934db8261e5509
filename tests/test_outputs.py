"""An output path can never be the database, a backup, anything in the data folder, or a device.

Every `--out` and every Save dialog goes through one check (`app.files.check_output`,
also inside `atomic_write`): the live database and its -wal/-shm, the backups,
another name of one of them (a symlink or a hard link), and any existing file
that is not a regular file (a folder, a FIFO, a device) are refused with one
sentence naming the path as given, and nothing in the data folder changes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.errors import RungError
from app.files import atomic_write
from app.paths import DATABASE_NAME
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok

Target = Callable[[Path, Path], Path]  # (data folder, scratch folder) -> the --out path


def database(data: Path, _scratch: Path) -> Path:
    return data / DATABASE_NAME


def its_wal(data: Path, _scratch: Path) -> Path:
    return data / f"{DATABASE_NAME}-wal"


def a_backup(data: Path, _scratch: Path) -> Path:
    return next((data / "backups").glob("rung-*.sqlite3"))


def a_new_file_in_backups(data: Path, _scratch: Path) -> Path:
    return data / "backups" / "report.pdf"


def a_symlink_to_the_database(data: Path, scratch: Path) -> Path:
    link = scratch / "innocent.pdf"
    link.symlink_to(data / DATABASE_NAME)
    return link


def a_symlink_to_a_backup(data: Path, scratch: Path) -> Path:
    link = scratch / "innocent.rung"
    link.symlink_to(a_backup(data, scratch))
    return link


def a_hard_link_to_a_backup(data: Path, scratch: Path) -> Path:
    link = scratch / "copy.pdf"
    os.link(a_backup(data, scratch), link)
    return link


def a_fifo(_data: Path, scratch: Path) -> Path:
    fifo = scratch / "pipe.pdf"
    os.mkfifo(fifo)
    return fifo


def a_device(_data: Path, _scratch: Path) -> Path:
    return Path("/dev/null")


def a_symlink_to_a_device(_data: Path, scratch: Path) -> Path:
    link = scratch / "full.pdf"
    link.symlink_to("/dev/full")
    return link


TARGETS: list[Target] = [
    database,
    its_wal,
    a_backup,
    a_new_file_in_backups,
    a_symlink_to_the_database,
    a_symlink_to_a_backup,
    a_hard_link_to_a_backup,
    a_fifo,
    a_device,
    a_symlink_to_a_device,
]

COMMANDS = {
    "report": ["report", "--profile", "Sam Rivera (demo)", "--out"],
    "bundle export": ["bundle", "export", "--profile", "Sam Rivera (demo)", "--out"],
    "assess export": ["assess", "export", "--profile", "Sam Rivera (demo)", "--out"],
    "frameworks export": ["frameworks", "export", "ml-engineer"],
}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.cli import main

    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["--data-dir", str(folder), "demo", "--years", "1"]) == 0
    assert main(["--data-dir", str(folder), "backup", "create"]) == 0
    return folder


@pytest.fixture
def data(demo_folder: Path, tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(demo_folder, folder, symlinks=True)
    return folder


@pytest.mark.parametrize("target", TARGETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_is_never_the_data_or_a_device(
    rung: Run, data: Path, tmp_path: Path, command: str, target: Target
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = target(data, scratch)
    before = folder_digest(data)
    device = out.resolve().stat().st_rdev if out.resolve().exists() else None

    result = rung("--data-dir", data, *COMMANDS[command], out)

    assert_failed(result, 1, str(out))
    assert "Nothing was written" in result.err
    assert folder_digest(data) == before
    if device is not None:
        assert out.resolve().stat().st_rdev == device  # a device node is still a device


def test_a_regular_file_elsewhere_is_written(rung: Run, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert_ok(rung("--data-dir", data, "report", "--profile", "Sam Rivera (demo)", "--out", out))
    assert out.read_bytes().startswith(b"%PDF")


def test_a_symlink_to_a_regular_file_writes_the_file_and_keeps_the_link(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.rung"
    real.write_text("old")
    link = tmp_path / "link.rung"
    link.symlink_to(real)
    assert_ok(
        rung(
            "--data-dir", data, "bundle", "export", "--profile", "Sam Rivera (demo)", "--out", link
        )
    )
    assert link.is_symlink()
    assert real.read_bytes().startswith(b"{")


def test_a_write_error_names_the_path_given_not_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, dir: str, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", os.path.join(dir, ".report.pdf.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "report.pdf"
    with pytest.raises(RungError) as raised:
        atomic_write(out, b"%PDF", data_dir=tmp_path / "data")
    assert str(raised.value) == f"{out} cannot be written (permission denied); nothing was written."
