"""What the frozen app keeps of Qt: the modules Rung uses and the plugins they need.

PyInstaller's Qt hooks collect every plugin of a used module's plugin types,
and those plugins pull in more Qt: the virtual-keyboard input plugin alone
brings QtQml and QtQuick, the eglfs platforms bring EGL device support.
`prune` drops every file these rules do not keep, with the libraries that only
dropped files link to (a GTK theme plugin's cairo and pango), and refuses to
drop a library that a kept file links to. The rules read the destination
paths of all three systems' PySide6 layouts (`libQt6Gui.so.6`, `Qt6Gui.dll`,
`QtGui.framework/...`), so the spec needs no per-system lists.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

# PyInstaller's table-of-contents entry: (destination, source, type code).
Entry = tuple[str, str, str]

# The Qt libraries kept: what `ui/` imports (a test compares), what those link
# to, and the platform glue of the X11 and Wayland platform plugins.
QT_LIBRARIES = frozenset(
    {
        "Core",
        "Gui",
        "Widgets",
        "Svg",
        "Charts",
        "OpenGL",  # Qt Charts links to OpenGL and OpenGLWidgets
        "OpenGLWidgets",
        "Pdf",
        "PdfWidgets",
        "Network",  # QLocalServer: one instance per data folder
        "DBus",  # QtGui links to it: accessibility, the desktop portal
        "XcbQpa",
        "WaylandClient",
        "WlShellIntegration",
    }
)

# Plugin type -> the plugins kept (file stems without `lib`); None keeps the whole type.
# The GTK 3 theme is left out on purpose: it loads the system's GTK but would
# bring the build machine's cairo, pango and atk, a mix that breaks when their
# versions differ; the desktop-portal theme gives native file dialogs instead.
PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"}),
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "imageformats": frozenset({"qsvg"}),
    "iconengines": frozenset({"qsvgicon"}),
    "styles": None,
    "xcbglintegrations": None,
    "wayland-shell-integration": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
}

# What must not be in the frozen folder whatever the rules say: checked on the result,
# so that a PySide6 whose files the rules no longer recognise cannot slip them in.
UNWANTED = re.compile(r"Qt6?(?:3D|Qml|Quick|WebEngine|Multimedia|VirtualKeyboard)")

# Python modules never needed: Pillow's AVIF codec (4.7 MB of libavif) and Tk glue.
PYTHON_EXCLUDES = ("PIL.AvifImagePlugin", "PIL._avif", "PIL.ImageTk", "PIL._imagingtk")

_QT_LIBRARY = re.compile(
    r"(?:^|/)(?:lib)?Qt6(?P<flat>[A-Za-z0-9]+?)\.(?:so|dll)|"  # Linux, Windows
    r"(?:^|/)Qt(?P<framework>[A-Za-z0-9]+)\.framework(?:/|$)"  # macOS
)


def qt_library(dest: str) -> str | None:
    """The Qt module a bundled file belongs to (`Quick` for `libQt6Quick.so.6`), if any."""
    match = _QT_LIBRARY.search(dest.replace("\\", "/"))
    return (match["flat"] or match["framework"]) if match else None


def qt_plugin(dest: str) -> tuple[str, str] | None:
    """A Qt plugin's type and stem (`("platforms", "qxcb")`), if the file is one."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if "PySide6" not in parts or "plugins" not in parts[:-2]:
        return None
    kind = parts[parts.index("plugins") + 1]
    stem = parts[-1].split(".")[0]
    return kind, stem.removeprefix("lib")


def keep(dest: str) -> bool:
    """Whether the file at `dest` in the frozen folder is one Rung needs."""
    path = dest.replace("\\", "/")
    if re.search(r"(?:^|/)PySide6/(?:Qt/)?translations/", path):
        return False  # Rung is in English and installs no QTranslator
    library = qt_library(path)
    if library is not None:
        return library in QT_LIBRARIES
    plugin = qt_plugin(path)
    if plugin is not None:
        kind, stem = plugin
        if kind not in PLUGINS:
            return False
        allowed = PLUGINS[kind]
        return allowed is None or stem in allowed
    return True


class PruneError(Exception):
    """A kept file links to a library that the rules drop."""


def _name(path: str) -> str:
    """A library's name as linkers compare it (case-blind for Windows)."""
    return PurePath(path.replace("\\", "/")).name.lower()


def prune(
    binaries: list[Entry], datas: list[Entry], imports: Callable[[str], Iterable[str]]
) -> tuple[list[Entry], list[Entry], list[str]]:
    """The binaries and data files kept, and the destinations dropped.

    `imports` gives the libraries a binary links to (by name or path). Besides
    what `keep` rejects, a library goes when only dropped files link to it.
    """
    files = {_name(dest): (dest, src, kind) for dest, src, kind in binaries if kind != "SYMLINK"}

    def linked(entries: Iterable[Entry]) -> set[str]:
        """The bundled libraries that `entries` link to, directly or through others."""
        seen: set[str] = set()
        todo = [src for _dest, src, kind in entries if kind != "SYMLINK"]
        while todo:
            for name in map(_name, imports(todo.pop())):
                if name in files and name not in seen:
                    seen.add(name)
                    todo.append(files[name][1])
        return seen

    rejected = [entry for entry in binaries if not keep(entry[0])]
    kept = [entry for entry in binaries if keep(entry[0])]
    candidates = {
        name
        for name in linked(rejected)
        if files[name][2] == "BINARY" and keep(files[name][0]) and qt_plugin(files[name][0]) is None
    }
    needed = linked(entry for entry in kept if _name(entry[0]) not in candidates)
    clash = needed & {_name(dest) for dest, _src, _kind in rejected}
    if clash:
        users = sorted(dest for dest, src, kind in kept if clash & linked([(dest, src, kind)]))
        libraries = sorted(files[name][0] for name in clash)
        raise PruneError(f"{', '.join(users)} link to {', '.join(libraries)}: keep them.")
    orphans = candidates - needed
    gone = orphans | {_name(dest) for dest, _src, _kind in rejected}
    binaries_kept = [
        (dest, src, kind)
        for dest, src, kind in kept
        if _name(dest) not in orphans and not (kind == "SYMLINK" and _name(src) in gone)
    ]
    datas_kept = [entry for entry in datas if keep(entry[0])]
    all_dests = {dest for dest, _src, _kind in binaries + datas}
    kept_dests = {dest for dest, _src, _kind in binaries_kept + datas_kept}
    return binaries_kept, datas_kept, sorted(all_dests - kept_dests)


def migration_imports(folder: Path) -> list[str]:
    """Modules the Alembic scripts import: they are loaded from source, unseen by PyInstaller."""
    names: set[str] = set()
    for script in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(names)
