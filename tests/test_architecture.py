"""The layers hold: `app/` imports without loading PySide6, and the import contracts hold."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import app


def test_every_app_module_imports_without_pyside6() -> None:
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(app.__path__, "app.")
        if ".migrations" not in info.name and info.name != "app.__main__"
    )
    assert "app.cli" in modules
    assert "app.store.db" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'ui'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_import_contracts_hold() -> None:
    """`lint-imports` checks the contracts in pyproject.toml, function-level imports included:
    app never imports ui or Qt (the launcher aside), ui never imports app.store, reports and
    bundles sit above the services and the services above the store, and no cycles."""
    root = Path(__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
