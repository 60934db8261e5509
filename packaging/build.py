#!/usr/bin/env python3
"""Build Rung as a standalone one-folder app with PyInstaller, then smoke-test the result.

    python3 packaging/build.py           # or: python3 dev.py package

Needs Python 3.11+ and PyPI; this script itself uses the standard library
only. It makes `build/packaging-venv` with Rung and its `packaging` extra
(again whenever pyproject.toml changes), remakes the icons if the SVG
changed, runs `packaging/rung.spec`, and packs what a user downloads:

- Linux: `dist/rung/` with `share/` (menu entry, icons, AppStream metadata)
  and `install.sh`, packed as `dist/rung-VERSION-linux-ARCH.tar.gz`;
- Windows: `dist/rung/` with `rung.exe` (console) and `rungw.exe`, as a `.zip`;
- macOS: `dist/Rung.app`, as a `.dmg`.

Then it runs the built binary headless (offscreen Qt, a throwaway data folder,
from outside the checkout): `--version`, `frameworks list`, `demo`, `report`,
`bundle export` and `--smoke-test`; on Linux also `install.sh` into a
throwaway prefix. Only the Linux build has been run; the Windows and macOS
branches are untested.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
VENV = BUILD / "packaging-venv"
WINDOWS, MACOS = sys.platform == "win32", sys.platform == "darwin"
LINUX = sys.platform.startswith("linux")
BIN = VENV / ("Scripts" if WINDOWS else "bin")
PYTHON = BIN / ("python.exe" if WINDOWS else "python")
STAMP = VENV / ".rung-packaging"
APP = DIST / ("Rung.app" if MACOS else "rung")
EXECUTABLE = (
    APP / "Contents" / "MacOS" / "rung" if MACOS else APP / ("rung.exe" if WINDOWS else "rung")
)


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def step(title: str) -> None:
    say(f"\n== {title}")


def run(*args: str | Path, **kwargs: Any) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def ensure_environment() -> None:
    """The build venv, with Rung installed as pyproject.toml describes it now."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == digest:
        return
    step(f"Installing Rung and PyInstaller into {VENV.relative_to(ROOT)}")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    pip = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "--upgrade", "pip")
    run(*pip, "--editable", f"{ROOT}[packaging]")
    STAMP.write_text(digest, encoding="utf-8")


def freeze() -> None:
    # Beside this script, and imported after main() checked the Python version.
    import freeze_rules
    import make_icons

    if not make_icons.is_current():
        step("Remaking the icons from resources/icons/rung.svg (commit them)")
        run(PYTHON, PACKAGING / "make_icons.py")
    step("Running PyInstaller")
    work = BUILD / "pyinstaller"
    options = ["--noconfirm", "--log-level", "WARN", "--distpath", DIST, "--workpath", work]
    run(PYTHON, "-m", "PyInstaller", *options, PACKAGING / "rung.spec")
    unwanted = sorted(
        str(path.relative_to(DIST))
        for path in APP.rglob("*")
        if freeze_rules.UNWANTED.search(path.name)
    )
    if unwanted:
        sys.exit("The frozen app still holds Qt modules it does not use:\n" + "\n".join(unwanted))
    dropped = (work / "rung" / "dropped.txt").read_text(encoding="utf-8").split()
    say(f"Left out {len(dropped)} files that Rung does not use (listed in {work / 'rung'}).")


def add_desktop_files() -> None:
    """Linux: the menu entry, icons and AppStream metadata in `share/`, and `install.sh`."""
    share = APP / "share"
    linux = PACKAGING / "linux"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(linux / "rung.desktop", share / "applications")
    (share / "metainfo").mkdir()
    for metainfo in linux.glob("*.metainfo.xml"):
        shutil.copy2(metainfo, share / "metainfo")
    icons = share / "icons" / "hicolor"
    shutil.copytree(PACKAGING / "icons" / "hicolor", icons)
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / "icons" / "rung.svg", icons / "scalable" / "apps")
    shutil.copy2(linux / "install.sh", APP / "install.sh")
    (APP / "install.sh").chmod(0o755)


def archive(version: str) -> Path:
    """The file a user downloads."""
    system = "macos" if MACOS else platform.system().lower()
    name = f"rung-{version}-{system}-{platform.machine().lower()}"
    if MACOS:
        target = DIST / f"{name}.dmg"
        target.unlink(missing_ok=True)
        run("hdiutil", "create", "-volname", "Rung", "-srcfolder", APP, "-format", "UDZO", target)
        return target
    if WINDOWS:
        return Path(shutil.make_archive(str(DIST / name), "zip", DIST, APP.name))
    target = DIST / f"{name}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(APP, arcname=f"rung-{version}")
    return target


def megabytes(path: Path) -> str:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if not p.is_dir()]
    return f"{sum(p.lstat().st_size for p in files) / 1e6:.0f} MB"


def smoke_test(version: str) -> None:
    """Run the built binary as a user would, with nothing of the checkout to lean on."""
    step(f"Smoke test of {EXECUTABLE.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="rung-smoke-") as folder:
        tmp = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env |= {"RUNG_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen"}

        def rung(*args: str, program: Path = EXECUTABLE) -> str:
            """Run the binary; a failure stops the build with what it printed."""
            started = time.perf_counter()
            result = subprocess.run(
                [str(program), *args], capture_output=True, text=True, env=env, cwd=tmp, timeout=300
            )
            shown = " ".join(args).replace(str(tmp), "TMP")
            if result.returncode != 0:
                output = result.stdout + result.stderr
                sys.exit(f"FAILED: rung {shown} (exit {result.returncode})\n{output}")
            say(f"  ran rung {shown}  ({time.perf_counter() - started:.1f} s)")
            return result.stdout

        def expect(holds: bool, what: str) -> None:
            if not holds:
                sys.exit(f"FAILED: {what}")

        printed = rung("--version")
        expect(printed == f"rung {version}\n", f"--version printed {printed!r}, not {version}")
        printed = rung("frameworks", "list")
        expect(printed.startswith("ml-engineer@"), "the built-in framework is not listed")
        profile = rung("demo").strip()
        pdf, bundle = tmp / "report.pdf", tmp / "profile.rung"
        rung("report", "--profile", profile, "--out", str(pdf))
        expect(pdf.read_bytes().startswith(b"%PDF-"), "the report is not a PDF")
        rung("bundle", "export", "--profile", profile, "--out", str(bundle))
        expect(json.loads(bundle.read_bytes())["format"] == "rung-bundle", "not a bundle")
        rung("--smoke-test")
        if LINUX:
            install(tmp / "prefix", env)
            printed = rung("--version", program=tmp / "prefix" / "bin" / "rung")
            expect(printed == f"rung {version}\n", "the installed rung does not start")


def install(prefix: Path, env: dict[str, str]) -> None:
    """Linux: `install.sh` into `prefix`, then the desktop's validators on what it put there."""
    run(APP / "install.sh", env={**env, "PREFIX": str(prefix)}, stdout=subprocess.DEVNULL)
    say(f"  ok  install.sh  (PREFIX={prefix.name})")
    share = prefix / "share"
    for tool, *args in (
        ("desktop-file-validate", share / "applications" / "rung.desktop"),
        ("appstreamcli", "validate", "--no-net", *(share / "metainfo").glob("*.xml")),
    ):
        if shutil.which(str(tool)) is None:
            say(f"  --  {tool} not installed, not run (Debian: appstream, desktop-file-utils)")
            continue
        run(tool, *args, stdout=subprocess.DEVNULL)
        say(f"  ok  {tool} {Path(args[-1]).name}")


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may meet an older Python
        sys.exit("Building Rung needs Python 3.11 or newer.")
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    started = time.perf_counter()
    ensure_environment()
    freeze()
    if LINUX:
        add_desktop_files()
    built = time.perf_counter() - started
    step("Packing")
    packed = archive(version)
    say(f"{APP.relative_to(ROOT)}: {megabytes(APP)}, {packed.name}: {megabytes(packed)}")
    smoke_test(version)
    total = time.perf_counter() - started
    say(f"\nBuilt in {built:.0f} s; {total:.0f} s with packing and the smoke test.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
