"""Rung benchmarks: the project's code against a floor of bare libraries, interleaved.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run.py [--quick]

Creates the 10-year weekly demo (`rung demo --years 10 --weekly`, ~520 final
check-ins over the whole built-in ladder) in a temporary data folder, then for
every item runs the project's code and its floor (see `floors.py`, and
`report_floor.py` for the PDF report) one after the other, N times (15; 5
with --quick), alternating which goes first. Before timing, each item's
project result and floor result are compared, and the run stops if they
differ: a floor that computes something else proves nothing.

The start-up items (first paint, the Dashboard drawn and its peak memory) run
each side as a fresh process (see `startup.py`); the write items (finalising a
check-in, autosave) write with `writes.py`. Both work on copies of the demo's
data folder.

Prints per item the median of each side (time, or peak memory), the median of
the per-round ratios project/floor, their spread (IQR and min–max), the target
and whether the median ratio meets it; then autosave's per-keystroke times
(p50, p95, max) against one frame. This is a benchmark, not a test: nothing
fails on time. `--only TEXT` runs the items whose name contains TEXT;
`--profile NAME` profiles the project side of the in-process items whose name
contains NAME with cProfile instead.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import ctypes
import datetime as dt
import functools
import gc
import io
import itertools
import json
import math
import os
import platform
import pstats
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's app/ and ui/

import floors  # beside this file: run.py runs as a script, so its folder is on sys.path
import report_floor
import shiboken6
import startup
import team_floor
import writes
from pypdf import PdfReader
from PySide6 import __version__ as pyside_version
from PySide6.QtCharts import QAreaSeries
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.bundle.export import export_bundle
from app.bundle.importer import import_bundle
from app.charts import BarChart, RadarChart, SmallMultiples, TimeChart
from app.report.model import ReportContent, ReportOptions
from app.report.service import ReportService
from app.services import open_services
from app.services.demo import create_demo
from app.store.models import Profile
from ui import charts as ui_charts

DATA_TARGET = 3.0
DRAW_TARGET = 1.5
REPORT_TARGET = 1.5
STARTUP_TARGET = 1.5  # first paint, and the Dashboard drawn
MEMORY_TARGET = 1.5
FINALISE_TARGET = 3.0
TEAM_TARGET = 1.5  # the Team section's rows
TEAM_SIZE, TEAM_YEARS = 50, 5  # shared profiles, each with weekly check-ins
FRAME_MS = 16.0  # autosave: one frame at the 95th percentile
KEYS_PER_ROUND = 40
CHECKOUT = Path(__file__).resolve().parent.parent
VIEW_SIZE = (900, 600)  # both sides are drawn at this size


@dataclass
class Sample:
    """A call that timed itself: a child process measured by its own clock, or the part of
    a call that follows untimed setup. Calls that return a plain result are timed whole."""

    ms: float
    result: Any = None
    peak_mib: float | None = None  # a child process's peak resident memory


@dataclass
class Item:
    name: str
    target: float
    project: Callable[[], Any]
    floor: Callable[[], Any]
    same: Callable[[Any, Any], str | None]  # None when both results agree, else why not
    cleanup: Callable[[Any], None] = lambda _result: None
    memory: str | None = None  # the name of a second row: both sides' peak memory


@dataclass
class Row:
    name: str
    target: float
    project: list[float]
    floor: list[float]
    unit: str = "ms"

    @property
    def ratios(self) -> list[float]:
        return [p / f for p, f in zip(self.project, self.floor, strict=True)]


class Mismatch(Exception):
    pass


def none_refs_lost_per_void_call() -> int:
    """How many references to None one call of a void Qt method drops (0 when sound).

    PySide6 6.12.0 on Python 3.11 drops one on every call of a method returning
    void (`QLineSeries.append`, `QWidget.resize`, ...). From Python 3.12 on None
    is immortal and this is harmless; on 3.11 the process dies with "Fatal Python
    error: none_dealloc" once the count reaches 0 (about 17 draws of the growth
    chart after start-up, see the README).
    """
    if sys.version_info >= (3, 12):
        return 0
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    return round((before - sys.getrefcount(None)) / 100)


def keep_none_alive() -> None:
    """Give None a billion spare references so that the leak above cannot kill this run
    (it changes no timing: nothing is freed or allocated; never done on 3.12+)."""
    ctypes.c_ssize_t.from_address(id(None)).value += 10**9


QUIET = ("This plugin does not support propagateSizeHints", "This plugin does not support raise")


def _qt_messages(kind: QtMsgType, _context: Any, message: str) -> None:
    """Qt's messages on stderr, less the offscreen plugin's notes on every show()."""
    if not message.startswith(QUIET):
        print(f"Qt {kind.name}: {message}", file=sys.stderr)


# -- comparing results -------------------------------------------------------------------


def _time_series(chart: TimeChart) -> floors.Series:
    """A time chart's series, then its reference lines as two points across its dates."""
    series = [(s.name, [(p.x, p.y) for p in s.points]) for s in chart.series]
    x_range = chart.x_range()
    if x_range is not None:
        series += [(r.name, [(x, r.y) for x in x_range]) for r in chart.references if not r.band]
    return series


def _same_series(mine: floors.Series, floor: floors.Series) -> str | None:
    if [n for n, _ in mine] != [n for n, _ in floor]:
        return f"series {[n for n, _ in mine]} != {[n for n, _ in floor]}"
    for (name, a), (_, b) in zip(mine, floor, strict=True):
        if len(a) != len(b):
            return f"{name}: {len(a)} points != {len(b)}"
        for (x1, y1), (x2, y2) in zip(a, b, strict=True):
            # exact for every value the project computes exactly; the projection line (a
            # float least-squares fit in the floor, Fractions in the project) within 1e-9
            close = y1 == y2 if name != "Projection" else abs(y1 - y2) < 1e-9
            if x1 != x2 or not close:
                return f"{name}: ({x1}, {y1!r}) != ({x2}, {y2!r})"
    return None


def _same_time_chart(project: TimeChart, floor: floors.Series) -> str | None:
    return _same_series(_time_series(project), floor)


def _same_multiples(project: SmallMultiples, floor: floors.Series) -> str | None:
    """Each panel's one series (its points), by the panel's title."""
    mine = [(p.title, [(q.x, q.y) for q in p.series[0].points]) for p in project.panels]
    return _same_series(mine, floor)


def _same_readiness(project: list[Any], floor: list[Any]) -> str | None:
    mine = [(p.checkin_id, p.date, p.readiness) for p in project]
    if len(mine) != len(floor):
        return f"{len(mine)} points != {len(floor)}"
    bad = [(a, b) for a, b in zip(mine, floor, strict=True) if a != b]
    return f"{len(bad)} points differ, first {bad[0]}" if bad else None


def _same_radar(project: RadarChart, floor: list[tuple[str, list[float]]]) -> str | None:
    mine = [(s.name, s.values) for s in project.series]
    return None if mine == floor else f"{mine} != {floor}"


def _same_bars(project: BarChart, floor: tuple[list[str], Any]) -> str | None:
    mine = (project.categories, [(s.name, s.values) for s in project.stacks])
    return None if mine == floor else f"{mine} != {floor}"


def _same_kpi(
    project: TimeChart, floor: tuple[floors.Series, list[floors.Reference], float, float]
) -> str | None:
    series, references, low, high = floor
    if (project.y_min, project.y_max) != (low, high):
        return f"y range {(project.y_min, project.y_max)} != {(low, high)}"
    mine = [(r.name, r.y, r.y_high) for r in project.references]
    if mine != references:
        return f"targets {mine} != {references}"
    return _same_series([(s.name, [(p.x, p.y) for p in s.points]) for s in project.series], series)


def _drawn(view: Any) -> list[tuple[str, list[Any]]]:
    """What a chart view (or a grid of them) holds: each line's points, each band's edges,
    each bar set's values, in the order drawn."""
    if isinstance(view, ui_charts.SmallMultiplesView):
        return [held for panel in view.panels for held in _drawn(panel)]
    if isinstance(view, floors.Grid):
        return [held for panel in view.views for held in _drawn(panel)]
    held: list[tuple[str, list[Any]]] = []
    for series in view.chart().series():
        if isinstance(series, QAreaSeries):
            edges = [*series.lowerSeries().points(), *series.upperSeries().points()]
            held.append((series.name(), [(p.x(), p.y()) for p in edges]))
        elif hasattr(series, "points"):
            held.append((series.name(), [(p.x(), p.y()) for p in series.points()]))
        else:
            held += [(b.label(), [b.at(i) for i in range(b.count())]) for b in series.barSets()]
    return held


def _same_drawing(project: Any, floor: Any) -> str | None:
    if project.size() != floor.size():
        return f"view size {project.size()} != {floor.size()}"
    a, b = _drawn(project), _drawn(floor)
    if a != b:
        return "the chart views hold different points"
    return None


# -- reports ----------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")
TICK_TEXT = 7.5  # pt: charts draw their tick and bar labels smaller than any text of the report


def _pdf_words(data: bytes) -> tuple[int, Counter[str]]:
    """A PDF's page count and the multiset of its words, less the charts' numeric labels
    (words without a letter drawn under TICK_TEXT): each side picks its own ticks."""
    reader = PdfReader(io.BytesIO(data))
    words: Counter[str] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        for word in text.split():
            if size * scale >= TICK_TEXT or _LETTER.search(word):
                # a character no face has: U+FFFD in the project, an empty glyph (NUL) in the floor
                words[word.replace("\0", "\ufffd")] += 1

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return len(reader.pages), words


def _decorations(content: ReportContent, pages: int) -> Counter[str]:
    """The words of the project's running header (all pages but the cover) and footer."""
    cover = content.cover
    words: Counter[str] = Counter()
    for number in range(1, pages + 1):
        words.update(f"{cover.title} Page {number} of {pages}".split())
        if number > 1:
            words.update(f"{cover.name} Exported {cover.exported.isoformat()}".split())
    return words


def _less_headers(words: Counter[str], headers: list[Counter[str]]) -> Counter[str]:
    """`words` less every whole table header row it holds."""
    left = Counter(words)
    for header in headers:
        while all(left[word] >= count for word, count in header.items()):
            left -= header
    return left


def _same_report(
    content: ReportContent, project: bytes, floor: report_floor.FloorReport
) -> str | None:
    """Same charts (every point), page count within 10 %, and the same words.

    The project's header and footer are taken out of its words first; then the words
    either side prints more may only be table header rows, which each side repeats on
    the pages where its own layout splits a table.
    """
    charts = content.charts
    assert charts is not None
    for name, problem in (
        ("radar", _same_radar(charts.radar, floor.charts["radar"])),
        ("growth", _same_multiples(charts.growth, floor.charts["growth"])),
        ("readiness", _same_time_chart(charts.readiness, floor.charts["readiness"])),
        ("milestones", _same_bars(charts.milestones, floor.charts["milestones"])),
    ):
        if problem:
            return f"{name} chart: {problem}"
    pages, words = _pdf_words(project)
    floor_pages, floor_words = _pdf_words(floor.pdf)
    if abs(pages - floor_pages) > pages / 10:
        return f"{pages} pages != {floor_pages}"
    decorations = _decorations(content, pages)
    if decorations - words:
        return f"the header or footer is missing words: {dict(decorations - words)}"
    words -= decorations
    rows = [Counter(header.split()) for header in floor.headers]
    more = _less_headers(words - floor_words, rows)
    fewer = _less_headers(floor_words - words, rows)
    if more or fewer:
        return f"words only the project prints: {dict(more)}; only the floor: {dict(fewer)}"
    return None


# -- drawing -----------------------------------------------------------------------------


def _show(view: Any) -> Any:
    """What opening a chart costs: show it, let Qt lay out and paint, and render it."""
    view.resize(*VIEW_SIZE)
    view.show()
    QApplication.processEvents()
    view.grab()
    return view


def _close(view: Any) -> None:
    view.close()
    shiboken6.delete(view)  # the chart, its series and axes go with it
    QApplication.processEvents()


def _time_points(chart: TimeChart) -> floors.Series:
    """The points a time chart draws: step series get their corner points."""
    drawn: floors.Series = []
    for series in chart.series:
        points: list[tuple[dt.date, float]] = []
        for p in series.points:
            if series.step and points and points[-1][1] != p.y:
                points.append((p.x, points[-1][1]))
            points.append((p.x, p.y))
        drawn.append((series.name, points))
    return drawn


def _references(chart: TimeChart) -> list[floors.Reference]:
    return [(r.name, r.y, r.y_high) for r in chart.references]


def _draw_items(name: str, data: Any) -> Item:
    project: Callable[[], Any]
    floor: Callable[[], Any]
    if isinstance(data, SmallMultiples):
        x_range = data.panels[0].x_range()
        assert x_range is not None
        panels = [  # a panel without a point draws a message, not its reference lines
            (p.title, [] if p.empty else _time_points(p), [] if p.empty else _references(p))
            for p in data.panels
        ]
        grid = (data.title, x_range, (data.y_min, data.y_max), panels)

        def project() -> Any:
            return _show(ui_charts.small_multiples(data))

        def floor() -> Any:
            return _show(floors.draw_small_multiples(*grid, VIEW_SIZE))

    elif isinstance(data, TimeChart):
        plain = (data.title, (data.y_min, data.y_max), _time_points(data))

        def project() -> Any:
            return _show(ui_charts.time_chart(data))

        def floor() -> Any:
            return _show(floors.draw_time_chart(*plain, VIEW_SIZE, _references(data)))

    elif isinstance(data, RadarChart):
        radar = (data.title, data.axes, data.max_value, [(s.name, s.values) for s in data.series])

        def project() -> Any:
            return _show(ui_charts.radar_chart(data))

        def floor() -> Any:
            return _show(floors.draw_radar_chart(*radar, VIEW_SIZE))

    else:
        top = max(1.0, max(map(sum, zip(*(s.values for s in data.stacks), strict=True))))
        bars = (data.title, data.categories, [(s.name, s.values) for s in data.stacks], top)

        def project() -> Any:
            return _show(ui_charts.bar_chart(data))

        def floor() -> Any:
            return _show(floors.draw_bar_chart(*bars, VIEW_SIZE))

    return Item(f"draw {name}", DRAW_TARGET, project, floor, _same_drawing, _close)


# -- the run -----------------------------------------------------------------------------


def _once(call: Callable[[], Any], cleanup: Callable[[Any], None]) -> Sample:
    gc.collect()
    start = time.perf_counter()
    result = call()
    elapsed = (time.perf_counter() - start) * 1000
    sample = result if isinstance(result, Sample) else Sample(elapsed, result)
    cleanup(sample.result)
    return sample


def _result(value: Any) -> Any:
    return value.result if isinstance(value, Sample) else value


def measure(item: Item, runs: int) -> list[Row]:
    project, floor = _result(item.project()), _result(item.floor())  # warm-up, honesty check
    problem = item.same(project, floor)
    item.cleanup(project)
    item.cleanup(floor)
    if problem is not None:
        raise Mismatch(f"{item.name}: the project and the floor disagree: {problem}")
    samples: dict[str, list[Sample]] = {"p": [], "f": []}
    for index in range(runs):
        sides = [("p", item.project), ("f", item.floor)]
        for side, call in sides if index % 2 == 0 else reversed(sides):
            samples[side].append(_once(call, item.cleanup))
    rows = [Row(item.name, item.target, [s.ms for s in samples["p"]], [s.ms for s in samples["f"]])]
    if item.memory is not None:
        peaks = {side: [s.peak_mib or math.nan for s in got] for side, got in samples.items()}
        rows.append(Row(item.memory, MEMORY_TARGET, peaks["p"], peaks["f"], "MiB"))
    return rows


# The manager's assessment of the demo profile in the packet item: the calibrations of
# four skills (one critical skill below its expectation, a gate the owner's ratings do not
# have), comments on two dimensions and a recommendation.
CALIBRATIONS = (
    ("python-ml-engineering", 2),
    ("collaboration-feedback", 3),
    ("model-monitoring", 2),
    ("ml-fundamentals", 3),
)
COMMENTS = (
    (
        "production-mindset",
        "Calm in incidents and owns the follow-up.\nMonitoring at scale is new.",
    ),
    ("communication-collaboration", "Takes review feedback well; peers ask for Sam's reviews."),
)
RATIONALE = "Ready on the numbers; one more launch as the owner of the ranking service settles it."


def manager_folder(services: Any, profile_id: str, folder: Path) -> Any:
    """The services of the demo's manager's data folder: the profile exported as its owner
    shares it (without private text), imported there as shared with them, and assessed."""
    bundle = folder / "shared-profile.json"
    export_bundle(services.store, profile_id, bundle, include_private=False)
    manager = open_services(folder / "manager")
    import_bundle(manager.store, manager.frameworks, bundle)
    manager.identity.set(name="Jordan Lee", role="Engineering manager")
    for skill_id, value in CALIBRATIONS:
        manager.manager.set_calibration(profile_id, skill_id, value)
    for dimension_id, text in COMMENTS:
        manager.manager.set_comment(profile_id, dimension_id, text)
    manager.manager.set_recommendation(profile_id, "approaching", RATIONALE)
    return manager


def _report_item(
    name: str, services: Any, con: sqlite3.Connection, profile_id: str, options: ReportOptions
) -> Item:
    profile = services.profiles.get(profile_id)
    fw = services.frameworks.get(profile.framework, profile.framework_version)
    content = ReportService(services).content(profile_id, options)
    private, audience = options.include_private, options.audience
    return Item(
        name,
        REPORT_TARGET,
        lambda: ReportService(services).pdf(profile_id, options),
        lambda: report_floor.report(con, fw, profile_id, private, audience),
        lambda p, f: _same_report(content, p, f),
    )


def build_items(
    services: Any,
    con: sqlite3.Connection,
    profile_id: str,
    manager: tuple[Any, sqlite3.Connection],
) -> list[Item]:
    profile = services.profiles.get(profile_id)
    fw = services.frameworks.get(profile.framework, profile.framework_version)
    today = dt.date.today()
    dimension = fw.dimensions[0].id
    kpi = fw.kpis[0].id
    charts = services.charts
    data = [
        Item(
            "readiness over time",
            DATA_TARGET,
            lambda: services.readiness.over_time(profile_id),
            lambda: floors.readiness_points(con, fw, profile_id),
            _same_readiness,
        ),
        Item(
            "readiness_chart",
            DATA_TARGET,
            lambda: charts.readiness_chart(profile_id),
            lambda: floors.readiness_chart(con, fw, profile_id),
            _same_time_chart,
        ),
        Item(
            "radar_chart",
            DATA_TARGET,
            lambda: charts.radar_chart(profile_id, today),
            lambda: floors.radar_chart(con, fw, profile_id, today),
            _same_radar,
        ),
        Item(
            "growth_chart (all dimensions)",
            DATA_TARGET,
            lambda: charts.growth_chart(profile_id),
            lambda: floors.growth_chart(con, fw, profile_id),
            _same_multiples,
        ),
        Item(
            f"growth_chart ({dimension})",
            DATA_TARGET,
            lambda: charts.growth_chart(profile_id, dimension),
            lambda: floors.skill_growth_chart(con, fw, profile_id, dimension),
            _same_multiples,
        ),
        Item(
            "milestone_chart",
            DATA_TARGET,
            lambda: charts.milestone_chart(profile_id, today),
            lambda: floors.milestone_chart(con, fw, profile_id, today),
            _same_bars,
        ),
        Item(
            f"kpi_chart ({kpi})",
            DATA_TARGET,
            lambda: charts.kpi_chart(profile_id, kpi),
            lambda: floors.kpi_chart(con, fw, profile_id, kpi),
            _same_kpi,
        ),
    ]
    drawings = [
        ("readiness", charts.readiness_chart(profile_id)),
        ("radar", charts.radar_chart(profile_id, today)),
        ("growth (all dimensions)", charts.growth_chart(profile_id)),
        (f"growth ({dimension})", charts.growth_chart(profile_id, dimension)),
        ("milestones", charts.milestone_chart(profile_id, today)),
        (f"kpi ({kpi})", charts.kpi_chart(profile_id, kpi)),
    ]
    reports = [
        _report_item("report (shared)", services, con, profile_id, ReportOptions()),
        _report_item(
            "report (include_private)",
            services,
            con,
            profile_id,
            ReportOptions(include_private=True),
        ),
        _report_item("report (packet)", *manager, profile_id, ReportOptions(audience="packet")),
    ]
    return data + [_draw_items(name, chart) for name, chart in drawings] + reports


# -- start-up, in child processes ------------------------------------------------------------


def child_env(pycache: Path) -> dict[str, str]:
    """The children's environment: offscreen, and with compiled bytecode cached (in a folder
    of this run's), as an installed app has its `.pyc` files, even where the environment
    says not to write them (`PYTHONDONTWRITEBYTECODE`); the warm-up calls fill the cache."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(env: dict[str, str], *args: str) -> tuple[float, list[str]]:
    """Run `python ARGS` in the checkout: the ms from just before its start to its exit, and
    its stdout's lines. A failing child stops the run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        child = subprocess.run(
            [sys.executable, *args], cwd=CHECKOUT, stdout=out, stderr=err, env=env, check=False
        )
        elapsed = (time.monotonic() - start) * 1000
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} exited with {child.returncode}: {problem}")
    return elapsed, text.splitlines()


def _word(lines: list[str], word: str) -> str:
    """The rest of the line that starts with `word`."""
    return next(line for line in lines if line.startswith(f"{word} ")).split(" ", 1)[1]


STARTUP = str(Path(startup.__file__))


def _painted(env: dict[str, str], *args: str) -> Sample:
    """A paint probe: the time from just before its start to its first paint, and what it
    painted: the window's class, size and menus."""
    start = time.monotonic()
    _elapsed, lines = _child(env, STARTUP, *args)
    clock, name, width, height, menus = _word(lines, startup.PAINTED).split(" ", 4)
    return Sample((float(clock) - start) * 1000, (name, int(width), int(height), menus))


def _same_paint(menus: bool) -> Callable[[Any, Any], str | None]:
    """The app painted its MainWindow and the floor a QMainWindow, of the same size (and
    with the same menus when the floor has them; the bare floor has none)."""

    def same(project: tuple[Any, ...], floor: tuple[Any, ...]) -> str | None:
        if project[0] != "MainWindow" or floor[0] != "QMainWindow":
            return f"painted {project[0]} and {floor[0]}"
        if project[1:3] != floor[1:3]:
            return f"sizes {project[1:3]} != {floor[1:3]}"
        expected = project[3] if menus else "[]"
        return None if floor[3] == expected else f"menus {project[3]} != {floor[3]}"

    return same


def _dashboard_child(env: dict[str, str], *args: str) -> Sample:
    """A Dashboard child: its time from start to exit, its peak memory, and what it showed
    (when it was asked to say)."""
    elapsed, lines = _child(env, STARTUP, *args)
    shown = json.loads(_word(lines, startup.SHOWN)) if "--report" in args else None
    return Sample(elapsed, shown, int(_word(lines, startup.PEAK)) / 1024)


def _same_dashboard(project: dict[str, Any], floor: dict[str, Any]) -> str | None:
    for key in ("size", "labels", "chart"):
        if project[key] != floor[key]:
            return f"{key}: {project[key]} != {floor[key]}"
    return None


def _same_visible(project: dict[str, Any], floor: dict[str, Any]) -> str | None:
    """The same window size, and the app's readiness line holds the floor's points."""
    if project["size"] != floor["size"]:
        return f"size: {project['size']} != {floor['size']}"
    mine = [entry for entry in project["chart"] if entry[0] == "Readiness"]
    if mine != floor["chart"]:
        return f"the readiness line: {mine} != {floor['chart']}"
    return None


def startup_items(data_dir: Path, env: dict[str, str]) -> list[Item]:
    """First paint, and the Dashboard drawn with its peak memory: each side a fresh process."""
    folder = str(data_dir)

    @functools.cache
    def size() -> list[str]:
        """The app's window size (from the folder's settings), for the floors' windows."""
        shown = _dashboard_child(env, "smoke-test", folder, "--report").result
        return [str(n) for n in shown["size"]]

    def side(mode: str, *args: Any) -> Callable[[], Sample]:
        """An item's side: its first call (the warm-up) reports what it shows, the timed
        ones do not. `args` may hold callables, called when the side first runs."""
        calls = itertools.count()

        def call() -> Sample:
            given = [str(a()) if callable(a) else str(a) for a in args]
            report = ["--report"] if next(calls) == 0 else []
            return _dashboard_child(env, mode, *given, *report)

        return call

    @functools.cache
    def points() -> Path:
        """The readiness series the Dashboard draws, computed by the floors with `sqlite3`
        (and checked against the app's before timing), for the bare visible floor."""
        written = data_dir.parent / "readiness-points.json"
        written.write_text(json.dumps(floors.drawn_readiness(data_dir)))
        return written

    @functools.cache
    def menus() -> str:
        """The menus the app's shell paints, for the second floor to build the same."""
        return str(_painted(env, "paint-app", folder).result[3])

    return [
        Item(
            "first paint (the window's shell)",
            STARTUP_TARGET,
            lambda: _painted(env, "paint-app", folder),
            lambda: _painted(env, "paint-floor", *size()),
            _same_paint(menus=False),
        ),
        Item(
            "first paint, floor with the same menus",
            STARTUP_TARGET,
            lambda: _painted(env, "paint-app", folder),
            lambda: _painted(env, "paint-floor", *size(), menus()),
            _same_paint(menus=True),
        ),
        Item(
            "dashboard drawn (rung --smoke-test)",
            STARTUP_TARGET,
            side("smoke-test", folder),
            side("dashboard-floor", folder, lambda: size()[0], lambda: size()[1]),
            _same_dashboard,
            memory="peak memory, dashboard drawn",
        ),
        Item(
            "dashboard drawn, bare visible floor",
            STARTUP_TARGET,
            side("smoke-test", folder),
            side("visible-floor", points, lambda: size()[0], lambda: size()[1]),
            _same_visible,
            memory="peak memory, bare visible floor",
        ),
    ]


# -- writes ---------------------------------------------------------------------------------


def finalise_item(services: Any, con: sqlite3.Connection, profile_id: str) -> Item:
    """Finalising a draft of the whole ladder, against the same check-in written whole.

    The project's draft is saved field by field before the timed part, as the wizard's
    autosave saves it while the user types; what is timed is `finalize`."""
    profile = services.profiles.get(profile_id)
    fw = services.frameworks.get(profile.framework, profile.framework_version)
    checkin = writes.full_checkin(fw, dt.date.today())

    def project() -> Sample:
        draft = writes.save_draft(services, profile_id, checkin)
        gc.collect()
        start = time.perf_counter()
        services.checkins.finalize(draft)
        return Sample((time.perf_counter() - start) * 1000, draft)

    def same(mine: str, theirs: str) -> str | None:
        a, b = writes.stored(con, mine), writes.stored(con, theirs)
        return None if a == b else f"{a} != {b}"

    return Item(
        "finalise (the whole ladder)",
        FINALISE_TARGET,
        project,
        lambda: writes.write_final(con, profile_id, checkin),
        same,
        lambda checkin_id: writes.delete(con, checkin_id),
    )


# -- the team ------------------------------------------------------------------------------


def team_folder(folder: Path, size: int = TEAM_SIZE, years: int = TEAM_YEARS) -> Path:
    """A manager's data folder: `size` demo profiles of `years` of weekly check-ins, each
    marked as shared by its owner as the importer leaves a bundle's copy (origin, export
    time, checksum), and assessed: every other one calibrated on six skills with a
    recommendation, every fourth with a comment too.

    The profiles are made in place rather than exported and imported: each import
    first backs the whole database up, which would make the set-up quadratic.
    """
    from sqlalchemy import update

    services = open_services(folder)
    try:
        today = dt.date.today()
        ids = [
            create_demo(
                services.store, services.frameworks, services.profiles,
                years=years, weekly=True, seed=seed,
            )
            for seed in range(size)
        ]  # fmt: skip
        with services.store.session() as session:
            for number, profile_id in enumerate(ids):
                session.execute(
                    update(Profile)
                    .where(Profile.id == profile_id)
                    .values(
                        name=f"Engineer {number + 1:02d}",
                        origin="shared",
                        shared_exported_at=dt.datetime.combine(
                            today - dt.timedelta(days=number % 40), dt.time(9)
                        ),
                        shared_checksum=f"{number:064x}",
                    )
                )
        services.identity.set(name="Jordan Lee", role="Engineering manager")
        manager = services.manager
        for number, profile_id in enumerate(ids[::2]):
            for row, change in zip(
                manager.calibration(profile_id, today)[:6], (-2, 1, 0, -1, 1, 2), strict=True
            ):
                value = min(4, max(0, (row.self_rating or 0) + change))
                manager.set_calibration(profile_id, row.skill_id, value)
            manager.set_recommendation(profile_id, "approaching", "One more launch.")
            if number % 2 == 0:
                manager.set_comment(profile_id, "python-engineering", "Solid.")
    finally:
        services.close()
    return folder


def team_counts(folder: Path) -> str:
    """What the team's data folder holds, for the record."""
    con = floors.connect(folder / "rung.sqlite3")
    try:
        counts = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("profiles", "checkins", "ratings", "milestone_statuses", "calibrations")
        }
    finally:
        con.close()
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def team_item(folder: Path) -> tuple[Item, Callable[[], None]]:
    """The Team section's rows: the service against the plain `sqlite3` floor, and what
    closes the item's connections."""
    services = open_services(folder)
    con = floors.connect(services.store.path)
    profile = services.profiles.all()[0]
    fw = services.frameworks.get(profile.framework, profile.framework_version)
    today = dt.date.today()

    def same(project: list[Any], floor: list[Any]) -> str | None:
        mine = team_floor.project_tuples(project)
        if len(mine) != len(floor):
            return f"{len(mine)} rows != {len(floor)}"
        bad = [(a, b) for a, b in zip(mine, floor, strict=True) if a != b]
        return f"{len(bad)} rows differ, first {bad[0]}" if bad else None

    def close() -> None:
        con.close()
        services.close()

    item = Item(
        f"team rows ({TEAM_SIZE} shared profiles × {TEAM_YEARS} years weekly)",
        TEAM_TARGET,
        lambda: services.team.rows(today),
        lambda: team_floor.team_rows(con, fw, today),
        same,
    )
    return item, close


@dataclass
class Spread:
    """Per-call times against an absolute target (the 95th percentile)."""

    name: str
    target_ms: float
    project: list[float]
    floor: list[float]


def _percentile(values: list[float], n: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[n - 1]


def autosave(services: Any, con: sqlite3.Connection, profile_id: str, keys: int) -> Spread:
    """`keys` keystrokes, each saved the way the wizard's autosave saves it, into a draft
    of the whole ladder; the floor stores each with one UPDATE. Calls alternate sides."""
    profile = services.profiles.get(profile_id)
    fw = services.frameworks.get(profile.framework, profile.framework_version)
    checkin = writes.full_checkin(fw, dt.date.today())
    draft = writes.save_draft(services, profile_id, checkin)
    strokes = writes.keystrokes(checkin, keys)
    sides = {
        "p": lambda key: writes.type_project(services, checkin, draft, key),
        "f": lambda key: writes.type_floor(con, draft, key),
    }
    for side, warm in (("p", strokes[:3]), ("f", strokes[3:6])):  # each stores what is typed
        for key in warm:
            sides[side](key)
            kind, item, text = key
            if writes.typed_text(con, draft, kind, item) != text:
                raise Mismatch(f"autosave: the {side} side did not store {kind} {item}")
    spread = Spread("autosave (one keystroke)", FRAME_MS, [], [])
    try:
        for index, key in enumerate(strokes):
            for side in "pf" if index % 2 == 0 else "fp":
                start = time.perf_counter()
                sides[side](key)
                elapsed = (time.perf_counter() - start) * 1000
                (spread.project if side == "p" else spread.floor).append(elapsed)
    finally:
        writes.delete(con, draft)
    return spread


def spread_table(spreads: list[Spread]) -> str:
    header = ("item", "calls", "p50", "p95", "max", "floor p50", "floor p95", "target", "met?")
    lines = [
        (
            s.name,
            str(len(s.project)),
            f"{statistics.median(s.project):.2f} ms",
            f"{_percentile(s.project, 95):.2f} ms",
            f"{max(s.project):.2f} ms",
            f"{statistics.median(s.floor):.2f} ms",
            f"{_percentile(s.floor, 95):.2f} ms",
            f"p95 < {s.target_ms:g} ms",
            "yes" if _percentile(s.project, 95) < s.target_ms else "NO",
        )
        for s in spreads
    ]
    return _markdown(header, lines)


def copy_folder(database: Path, folder: Path) -> Path:
    """A data folder holding a copy of `database` (through the backup API)."""
    folder.mkdir(mode=0o700)
    with (
        contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(folder / database.name)) as copy,
    ):
        source.backup(copy)
    return folder


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def _markdown(header: tuple[str, ...], lines: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]

    def fmt(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def table(rows: list[Row]) -> str:
    header = ("item", "project", "floor", "ratio", "IQR", "min–max", "target", "met?")
    lines = []
    for row in rows:
        ratios = row.ratios
        q1, q3 = _quartiles(ratios)
        median = statistics.median(ratios)
        lines.append(
            (
                row.name,
                f"{statistics.median(row.project):.2f} {row.unit}",
                f"{statistics.median(row.floor):.2f} {row.unit}",
                f"{median:.2f}×",
                f"{q1:.2f}–{q3:.2f}",
                f"{min(ratios):.2f}–{max(ratios):.2f}",
                f"≤ {row.target:g}×",
                "yes" if median <= row.target else "NO",
            )
        )
    return _markdown(header, lines)


def profile(items: list[Item], name: str, calls: int) -> None:
    for item in items:
        if name.lower() not in item.name.lower():
            continue
        item.cleanup(item.project())  # warm
        profiler = cProfile.Profile()
        for _ in range(calls):
            profiler.enable()
            result = item.project()
            profiler.disable()
            item.cleanup(result)
        print(f"\n== cProfile: project side of {item.name!r}, {calls} calls ==")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)


def run(
    wanted: str,
    profile_name: str | None,
    runs: int,
    services: Any,
    con: sqlite3.Connection,
    profile_id: str,
) -> None:
    """Measure (or profile) the items whose name contains `wanted`, and print the tables.

    The start-up and write items work on copies of the demo's data folder, so that
    nothing they write reaches the others; the packet is made in the manager's own data
    folder, which imported the demo's profile."""
    folder = services.store.path.parent.parent
    manager = manager_folder(services, profile_id, folder)
    manager_con = floors.connect(manager.store.path)
    try:
        _run(wanted, profile_name, runs, services, con, profile_id, (manager, manager_con))
    finally:
        manager_con.close()
        manager.close()


def _run(
    wanted: str,
    profile_name: str | None,
    runs: int,
    services: Any,
    con: sqlite3.Connection,
    profile_id: str,
    manager: tuple[Any, sqlite3.Connection],
) -> None:
    folder = services.store.path.parent.parent
    if profile_name:
        items = build_items(services, con, profile_id, manager)
        if profile_name.lower() in "team rows":
            item, close = team_item(team_folder(folder / "team"))
            items.append(item)
        profile(items, profile_name, runs)
        if profile_name.lower() in "team rows":
            close()
        return
    startup_dir = copy_folder(services.store.path, folder / "startup")
    writer_dir = copy_folder(services.store.path, folder / "writes")
    writer_services = open_services(writer_dir)
    writer = writes.writer(writer_dir / services.store.path.name)
    try:
        items = [
            *build_items(services, con, profile_id, manager),
            *startup_items(startup_dir, child_env(folder / "pycache")),
            finalise_item(writer_services, writer, profile_id),
        ]
        rows = []
        for item in items:
            if wanted in item.name.lower():
                rows += measure(item, runs)
                print(f"  measured {item.name}", file=sys.stderr)
        spreads = []
        if wanted in "autosave (one keystroke)":
            spreads.append(autosave(writer_services, writer, profile_id, KEYS_PER_ROUND * runs))
        if wanted in "team rows":
            started = time.perf_counter()
            item, close = team_item(team_folder(folder / "team"))
            print(
                f"  team data folder made in {time.perf_counter() - started:.1f} s: "
                + team_counts(folder / "team"),
                file=sys.stderr,
            )
            try:
                rows += measure(item, runs)
            finally:
                close()
            print(f"  measured {item.name}", file=sys.stderr)
    finally:
        writer.close()
        writer_services.close()
    print()
    print(table(rows))
    if spreads:
        print()
        print(spread_table(spreads))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds instead of 15")
    parser.add_argument("--runs", type=int, help="rounds per item (default 15, --quick 5)")
    parser.add_argument("--only", default="", help="only the items whose name contains this")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="cProfile the project side of the items whose name contains NAME",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 15)

    qInstallMessageHandler(_qt_messages)
    app = QApplication.instance() or QApplication(["rung-benchmarks"])
    leak = none_refs_lost_per_void_call()
    if leak:
        keep_none_alive()
    with tempfile.TemporaryDirectory(prefix="rung-bench-") as folder:
        data_dir = Path(folder) / "data"
        services = open_services(data_dir)
        try:
            started = time.perf_counter()
            profile_id = create_demo(
                services.store, services.frameworks, services.profiles, years=10, weekly=True
            )
            demo_s = time.perf_counter() - started
            con = floors.connect(services.store.path)
            try:
                counts = {
                    table_name: con.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0]
                    for table_name in ("checkins", "ratings", "milestone_statuses", "kpi_values")
                }
                print(
                    f"Rung benchmarks, {dt.datetime.now():%Y-%m-%d %H:%M}: "
                    f"{platform.python_implementation()} {platform.python_version()}, "
                    f"PySide6 {pyside_version}, SQLite {sqlite3.sqlite_version}, "
                    f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
                    f"Qt platform {app.platformName()}, load average "
                    + " ".join(f"{x:.2f}" for x in os.getloadavg())
                )
                print(
                    f"Demo (10 years, weekly) created in {demo_s:.2f} s: "
                    + ", ".join(f"{n} {t}" for t, n in counts.items())
                    + f"; {runs} interleaved rounds per item, views {VIEW_SIZE[0]}×{VIEW_SIZE[1]}"
                )
                if leak:
                    print(
                        f"WARNING: PySide6 {pyside_version} on Python {platform.python_version()} "
                        f"drops {leak} reference(s) to None per void Qt call; None was given "
                        "spare references so this run survives (the app itself does not: "
                        "see benchmarks/README.md)"
                    )
                run(args.only.lower(), args.profile, runs, services, con, profile_id)
            finally:
                con.close()
        finally:
            services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
