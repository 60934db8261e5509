#!/usr/bin/env python3
"""Set up the project's virtual environment and run the app or the tests.

    python3 dev.py run     # launch the app on a demo data folder inside the checkout
    python3 dev.py test    # run the whole test suite (Qt offscreen, no display needed)
    python3 dev.py package # build the standalone app into dist/ and smoke-test it

Only the standard library is used here, so it works on a fresh machine with
Python 3.11+. The environment lives in `.venv/` and is refreshed whenever
`pyproject.toml` changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DEMO_DATA = ROOT / ".demo-data"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".rung-installed"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may meet an older Python
        sys.exit("Rung needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    print("Installing Rung and its dependencies into .venv ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.touch()


def rung(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "app", *args], env=env, text=True, stdout=subprocess.PIPE
    )


def run_app() -> int:
    env = {**os.environ, "RUNG_DATA_DIR": str(DEMO_DATA)}
    if not (DEMO_DATA / "rung.sqlite3").exists():
        print("Seeding the demo data folder .demo-data/ ...", flush=True)
        result = rung("demo", "--years", "2", env=env)
        if result.returncode:
            return result.returncode
    return subprocess.call([str(PYTHON), "-m", "app"], env=env)


def run_tests(extra: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.call([str(PYTHON), "-m", "pytest", *extra], env=env, cwd=ROOT)


def main() -> int:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command not in {"run", "test", "package"}:
        print(__doc__)
        return 2
    if command == "package":  # packaging/build.py keeps its own environment under build/
        return subprocess.call([sys.executable, str(ROOT / "packaging" / "build.py")])
    ensure_environment()
    return run_app() if command == "run" else run_tests(extra)


if __name__ == "__main__":
    sys.exit(main())
