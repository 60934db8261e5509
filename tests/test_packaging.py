"""The packaging files agree with the app and with each other, checked without building.

The build itself (`python3 packaging/build.py`) takes about a minute and
needs PyInstaller, so it is a separate command rather than a test.
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import importlib.util
import re
import struct
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"


def _load(name: str) -> ModuleType:
    """A script of `packaging/`, which is no package (it would shadow PyPI's `packaging`)."""
    spec = importlib.util.spec_from_file_location(
        f"rung_packaging_{name}", PACKAGING / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _load("freeze_rules")
icons = _load("make_icons")


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return project


def _metainfo() -> tuple[Path, ET.Element]:
    (path,) = LINUX.glob("*.metainfo.xml")
    return path, ET.parse(path).getroot()


def _desktop_file_name() -> str:
    """The argument of `setDesktopFileName()` in `ui/app.py`."""
    tree = ast.parse((REPO / "ui" / "app.py").read_text(encoding="utf-8"))
    (name,) = (
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setDesktopFileName"
        and isinstance(node.args[0], ast.Constant)
    )
    assert isinstance(name, str)
    return name


def test_desktop_file_is_named_as_the_app_says() -> None:
    """On Wayland the window gets its icon only when the two names agree."""
    assert [p.name for p in LINUX.glob("*.desktop")] == [f"{_desktop_file_name()}.desktop"]


def test_desktop_file_launches_rung_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(LINUX / "rung.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Rung"
    assert entry["Exec"] == "rung"  # install.sh makes it absolute
    assert entry["Icon"] == "rung"
    assert "Exec=rung" in (LINUX / "install.sh").read_text(encoding="utf-8")


def test_metainfo_matches_the_project() -> None:
    path, root = _metainfo()
    component_id = root.findtext("id")
    assert path.name == f"{component_id}.metainfo.xml"
    assert root.get("type") == "desktop-application"
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == f"{_desktop_file_name()}.desktop"
    assert root.findtext("provides/binary") == "rung"
    assert "rung" in _project()["scripts"]
    assert root.findtext("project_license") == _project()["license"]
    releases = root.findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == _project()["version"], "newest release first"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_the_same_app_id_everywhere() -> None:
    """The macOS bundle id and the installer name the metainfo's id."""
    _path, root = _metainfo()
    component_id = root.findtext("id")
    assert f'bundle_identifier="{component_id}"' in (PACKAGING / "rung.spec").read_text("utf-8")
    assert f"{component_id}.metainfo.xml" in (LINUX / "install.sh").read_text(encoding="utf-8")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icons_exist_at_every_size() -> None:
    for size in icons.HICOLOR_SIZES:
        path = PACKAGING / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "rung.png"
        assert _png_size(path) == (size, size)
    assert {16, 32, 48, 128, 256, 512} <= set(icons.HICOLOR_SIZES)
    ico = (PACKAGING / "icons" / "rung.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"
    assert struct.unpack("<H", ico[4:6])[0] == len(icons.ICO_SIZES)
    assert (PACKAGING / "icons" / "rung.icns").read_bytes()[:4] == b"icns"


def test_icons_were_made_from_the_current_svg() -> None:
    """After changing the SVG, run `packaging/make_icons.py` (or the build) and commit."""
    stamp = (PACKAGING / "icons" / "rung.svg.sha256").read_text(encoding="utf-8").split()[0]
    svg = (REPO / "resources" / "icons" / "rung.svg").read_bytes()
    assert stamp == hashlib.sha256(svg).hexdigest()


def test_packaging_extra_holds_the_build_tools() -> None:
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    names = {re.split(r"[<>=~! \[]", requirement)[0].lower() for requirement in extras["packaging"]}
    assert {"pyinstaller", "pillow"} <= names


def _qt_modules(folders: Iterable[Path]) -> set[str]:
    """Every `PySide6.QtX` the code imports, as `X`."""
    found: set[str] = set()
    for path in (path for folder in folders for path in folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                names = [f"PySide6.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update(m[1] for name in names if (m := re.match(r"PySide6\.Qt(\w+)", name)))
    return found


def test_every_qt_module_the_app_imports_is_kept() -> None:
    used = _qt_modules([REPO / "ui", REPO / "app"])
    assert {"Core", "Gui", "Widgets", "Charts", "Pdf", "PdfWidgets", "Network", "Svg"} <= used
    assert used <= rules.QT_LIBRARIES


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("libQt6Qml.so.6", False),
        ("PySide6/Qt6WebEngineCore.dll", False),
        ("PySide6/Qt6PdfWidgets.dll", True),
        ("PySide6/Qt/lib/QtMultimedia.framework/Versions/A/QtMultimedia", False),
        ("PySide6/Qt/lib/QtGui.framework/Versions/A/Resources/Info.plist", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/translations/qtbase_de.qm", False),
        ("PySide6/QtCharts.abi3.so", True),
        ("app/_resources/fonts/NanumGothic.ttf", True),
        ("libsqlite3.so.0", True),
    ],
)
def test_keep_reads_every_systems_layout(dest: str, kept: bool) -> None:
    assert rules.keep(dest) is kept
    assert rules.keep(dest.replace("/", "\\")) is kept


def test_unwanted_names_are_the_dropped_qt_modules() -> None:
    for name in ("libQt6Quick.so.6", "Qt6Qml.dll", "QtWebEngineCore.framework", "Qt63DCore.dll"):
        assert rules.UNWANTED.search(name), name
    for name in ("libQt6Widgets.so.6", "QtCharts.abi3.so", "libqxcb.so", "libquickjs.so"):
        assert not rules.UNWANTED.search(name), name


def _entry(dest: str, kind: str = "BINARY") -> tuple[str, str, str]:
    return dest, f"/src/{Path(dest).name}", kind


def test_prune_drops_what_only_dropped_files_need() -> None:
    links = {
        "libqgtk3.so": ["libcairo.so.2", "libglib-2.0.so.0", "libQt6Gui.so.6"],
        "libcairo.so.2": ["libpixman-1.so.0"],
        "libQt6Gui.so.6": ["libglib-2.0.so.0"],
        "QtGui.abi3.so": ["libQt6Gui.so.6"],
    }
    binaries = [
        _entry("PySide6/Qt/plugins/platformthemes/libqgtk3.so"),
        _entry("libcairo.so.2"),
        _entry("libpixman-1.so.0"),
        _entry("libglib-2.0.so.0"),
        _entry("PySide6/Qt/lib/libQt6Gui.so.6"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        _entry("PySide6/QtGui.abi3.so", "EXTENSION"),
    ]
    datas = [_entry("PySide6/Qt/translations/qt_de.qm", "DATA"), _entry("app/_data/x", "DATA")]

    kept, kept_datas, dropped = rules.prune(
        binaries, datas, lambda src: links.get(Path(src).name, [])
    )

    assert [dest for dest, _src, _kind in kept] == [
        "libglib-2.0.so.0",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libQt6Gui.so.6",
        "PySide6/QtGui.abi3.so",
    ]
    assert kept_datas == [datas[1]]
    assert dropped == sorted(
        [
            "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
            "libcairo.so.2",
            "libpixman-1.so.0",
            "PySide6/Qt/translations/qt_de.qm",
        ]
    )


def test_prune_refuses_to_drop_what_a_kept_file_links_to() -> None:
    binaries = [_entry("PySide6/Qt/lib/libQt6Quick.so.6"), _entry("PySide6/QtCharts.abi3.so")]
    links = {"QtCharts.abi3.so": ["libQt6Quick.so.6"]}
    with pytest.raises(
        rules.PruneError, match=r"QtCharts\.abi3\.so link to PySide6/Qt/lib/libQt6Quick\.so\.6"
    ):
        rules.prune(binaries, [], lambda src: links.get(Path(src).name, []))


def test_prune_drops_a_symlink_to_a_dropped_library() -> None:
    binaries = [
        _entry("PySide6/Qt/lib/libQt6Qml.so.6"),
        ("libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Qml.so.6", "SYMLINK"),
    ]
    kept, _datas, dropped = rules.prune(binaries, [], lambda _src: [])
    assert kept == []
    assert dropped == ["PySide6/Qt/lib/libQt6Qml.so.6", "libQt6Qml.so.6"]


def test_migration_imports_are_found_for_pyinstaller() -> None:
    """Alembic loads the migrations from source, so the spec must name what they import."""
    names = rules.migration_imports(REPO / "app" / "store" / "migrations")
    assert {"alembic.op", "alembic.context", "sqlalchemy", "app.store.models"} <= set(names)
