"""A plain (non-editable) install of the wheel finds its shipped data outside the checkout.

The wheel is installed into a fresh venv that borrows this environment's
third-party packages through a `.pth` file, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    rung: Path
    env: dict[str, str]
    cwd: Path

    def run(self, program: Path, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
        """Run a program of the new venv from a folder outside the checkout."""
        env = {**self.env, "RUNG_DATA_DIR": str(data)}
        return _checked([program, *args], env=env, cwd=self.cwd)


def _checked(
    args: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed; on failure show what it printed."""
    result = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=cwd,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel, make a venv, borrow our site-packages, install the wheel there."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    _checked(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            wheels,
            REPO,
        ]
    )
    (wheel,) = wheels.glob("rung-*.whl")

    venv = root / "venv"
    base = getattr(sys, "_base_executable", None) or sys.executable
    _checked([base, "-m", "venv", "--system-site-packages", venv])
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site = _checked(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site) / "zz_borrowed_test_env.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    cwd = root / "elsewhere"
    cwd.mkdir()
    env["RUNG_DATA_DIR"] = str(root / "unused-data")
    _checked(
        [
            python,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            wheel,
        ],
        env=env,
        cwd=cwd,
    )
    rung = bin_dir / ("rung.exe" if os.name == "nt" else "rung")
    return Installed(wheel, python, rung, env, cwd)


def test_wheel_carries_the_builtin_frameworks(installed: Installed) -> None:
    """The built-in ladder (and any shipped resources) are packed inside `app/`."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert "app/_data/frameworks/ml-engineer.yaml" in names
    assert "app/store/migrations/versions/0001_initial_schema.py" in names
    resources = [p for p in (REPO / "resources").rglob("*") if p.is_file()]
    for path in resources:
        assert f"app/_resources/{path.relative_to(REPO / 'resources').as_posix()}" in names


def test_app_is_imported_from_the_install(installed: Installed, tmp_path: Path) -> None:
    """The new venv imports `app` from its own site-packages, not from the checkout."""
    script = "import app, app.paths as p; print(app.__file__); print(p.data_files_dir())"
    result = installed.run(installed.python, "-c", script, data=tmp_path / "data")
    module, data = (Path(line).resolve() for line in result.stdout.splitlines())
    venv = installed.python.parent.parent.resolve()
    assert module.is_relative_to(venv), module
    assert not module.is_relative_to(REPO)
    assert data.is_relative_to(venv), data
    assert data.name == "_data"


def test_installed_rung_lists_the_builtin_framework(installed: Installed, tmp_path: Path) -> None:
    """`rung --version` and `rung frameworks list` work from an unrelated folder."""
    data = tmp_path / "data"
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = installed.run(installed.rung, "--version", data=data)
    assert version.stdout == f"rung {project['version']}\n"
    listed = installed.run(installed.rung, "frameworks", "list", data=data)
    assert listed.stdout.startswith("ml-engineer@1.0 ")
    assert listed.stderr == ""
    assert not data.exists()


def test_installed_rung_creates_a_database(installed: Installed, tmp_path: Path) -> None:
    """Writing needs the migrations shipped in the wheel; a demo round-trips through them."""
    data = tmp_path / "data"
    profile = installed.run(installed.rung, "demo", "--years", "1", data=data).stdout.strip()
    listed = installed.run(installed.rung, "profiles", "list", "--json", data=data)
    assert [p["id"] for p in json.loads(listed.stdout)] == [profile]
    assert (data / "rung.sqlite3").is_file()
