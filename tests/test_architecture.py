"""The core stays Qt-free: every module of `app/` imports without loading PySide6."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

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
