"""Start-up in fresh processes: the first paint, the Dashboard drawn, and peak memory.

`run.py` starts each mode below as a child process of its own:

    startup.py paint-floor WIDTH HEIGHT [MENUS]
                                          a bare QMainWindow of that size, shown; with
                                          MENUS (JSON), the same menu bar as the app's
    startup.py paint-app DATA_DIR         `rung --data-dir DATA_DIR`: the desktop app
    startup.py dashboard-floor DATA_DIR [--report]
                                          the Dashboard's stack floor, drawn, then exit
    startup.py smoke-test DATA_DIR [--report]
                                          `rung --data-dir DATA_DIR --smoke-test`
    startup.py visible-floor POINTS WIDTH HEIGHT [--report]
                                          the bare visible floor: a QMainWindow with one
                                          line chart of the points in the JSON file POINTS

The paint modes print `painted SECONDS CLASS WIDTH HEIGHT MENUS` when the first paint event
of a main window arrives, SECONDS being `time.monotonic()` (CLOCK_MONOTONIC, the same clock in
every process), and end the process there and then; the parent measures from just before
it started the process. The app side creates its QApplication first, to watch its events,
then calls the `rung` entry point, which finds and uses it.

The Dashboard modes time the process from start to exit, and print `peak-kib N` at exit:
the process's peak resident memory. `--report` prints `shown JSON`, what the window shows,
so that `run.py` can compare the two sides before timing. The Dashboard's floor
is the stack the app stands on doing the same visible work in the simplest direct code:
PySide6 with a bare QMainWindow, SQLAlchemy's ORM and pydantic imported (and the framework
model validated from its stored snapshot), the data of every chart tab and of the labels
read with plain `sqlite3` (the floors in `floors.py`), and the readiness chart, the tab
that is shown, drawn. The bare visible floor is only what the user sees first, on the same
libraries: PySide6 with a `QMainWindow` holding one line chart of the readiness series (the
points `run.py` computed with `floors.py` and wrote to a file), SQLAlchemy's ORM and pydantic
imported (nothing validated, nothing read from the database), then `grab()` and exit.

Only a few small standard modules are imported at the top: each mode imports what it needs,
so that the paint floor imports nothing but PySide6's widgets.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent
PAINTED = "painted"
SHOWN = "shown"
PEAK = "peak-kib"


def _menus(window: Any) -> list[Any]:
    """A window's menu bar: each menu's title and the texts of its entries."""
    return [
        [menu.title(), [action.text() for action in menu.actions()]]
        for menu in (a.menu() for a in window.menuBar().actions())
    ]


def _exit_on_first_paint(app: Any) -> Any:
    """Watch every event of `app`; at the first paint of a main window, print and exit."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMainWindow

    class Probe(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
                now = time.monotonic()
                name = type(watched).__name__
                menus = json.dumps(_menus(watched), separators=(",", ":"))
                sys.stdout.write(
                    f"{PAINTED} {now!r} {name} {watched.width()} {watched.height()} {menus}\n"
                )
                sys.stdout.flush()
                os._exit(0)
            return False

    probe = Probe()
    app.installEventFilter(probe)
    return probe


def paint_floor(width: int, height: int, menus: list[Any]) -> int:
    """A QMainWindow of that size, with `menus` in its menu bar (none: the bare window)."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    _probe = _exit_on_first_paint(app)
    window = QMainWindow()
    window.setWindowTitle("Rung")
    for title, entries in menus:
        menu = window.menuBar().addMenu(title)
        for text in entries:
            if text:
                menu.addAction(text)
            else:
                menu.addSeparator()
    window.resize(width, height)
    window.show()
    return app.exec()


def paint_app(data_dir: str) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    _probe = _exit_on_first_paint(app)
    from app.cli import main

    return main(["--data-dir", data_dir])


def _chart_points(view: Any) -> list[Any]:
    """What a chart view holds: each line's name and points (x in ms since the epoch), by
    name (the app draws its reference lines first, under the series)."""
    return sorted(
        [series.name(), [[p.x(), p.y()] for p in series.points()]]
        for series in view.chart().series()
    )


def smoke_test(data_dir: str, *, report: bool) -> int:
    """`rung --smoke-test`; with `report`, print what the Dashboard shows as the app quits."""
    if report:
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])

        def shown() -> None:
            from ui.main_window import MainWindow

            [window] = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
            dashboard = window.dashboard
            _print_json(
                {
                    "size": [window.width(), window.height()],
                    "labels": {name: getattr(dashboard, name).text() for name in LABELS},
                    "chart": _chart_points(dashboard.chart_tabs["readiness"].view),
                }
            )

        app.aboutToQuit.connect(shown)
    from app.cli import main

    return main(["--data-dir", data_dir, "--smoke-test"])


def _print_json(shown: dict[str, Any]) -> None:
    sys.stdout.write(f"{SHOWN} {json.dumps(shown)}\n")


def _print_peak() -> None:
    """This program's peak resident memory: `VmHWM` counts from its exec on, where
    `ru_maxrss` would also count the parent's memory the child had before its exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            sys.stdout.write(f"{PEAK} {line.split()[1]}\n")  # in kB
            sys.stdout.flush()


LABELS = ("title", "levels", "last", "next_due", "draft", "readiness", "gaps", "projection")


def _gathered(con: Any, fw: Any, profile_id: str, today: Any) -> dict[str, Any]:
    """What the Dashboard shows and holds, with plain queries: the labels and every tab's
    chart data (readiness, radar, growth, milestones, the first KPI)."""
    import datetime as dt

    import floors

    name, role_start, interval = con.execute(
        "SELECT name, role_start, checkin_interval_days FROM profiles WHERE id = ?",
        (profile_id,),
    ).fetchone()
    role_start = dt.date.fromisoformat(role_start)
    level, target = floors.stage(con, profile_id, today)
    last, finals, draft = con.execute(
        "SELECT max(CASE WHEN status = 'final' THEN date END),"
        " count(CASE WHEN status = 'final' THEN 1 END),"
        " max(CASE WHEN status = 'draft' THEN date END)"
        " FROM checkins WHERE profile_id = ?",
        (profile_id,),
    ).fetchone()
    ratings = {k: r for k, *r in con.execute(floors.CURRENT_RATINGS, (profile_id, today))}
    milestones = {k: r for k, *r in con.execute(floors.CURRENT_MILESTONES, (profile_id, today))}
    summary = floors.readiness_summary(fw, target, ratings, milestones, role_start, today)
    points = [(d, v) for _id, d, v in floors.readiness_points(con, fw, profile_id) if v is not None]
    status, line = floors.projection(points, floors.ready_threshold(fw))
    names = {lv.id: lv.name for lv in fw.levels}
    due = (dt.date.fromisoformat(last) if last else role_start) + dt.timedelta(days=interval)
    days = (due - today).days
    score = floors.score_text(summary["total"])
    verdict = f"{score} / 100 — {summary['verdict']}"
    if summary["held_back"]:
        gates = len(summary["gates"])
        verdict += f" (the score reaches {summary['band']}; held back by {gates} gate"
        verdict += "s)" if gates != 1 else ")"
    gaps = "; ".join(f"{skill.name} (−{lost:.1f})" for skill, _d, _v, _e, lost in summary["gaps"])
    labels = {
        "title": name,
        "levels": f"{names[level]} → {names[target]}",
        "last": f"{last} ({finals} check-in{'s' if finals != 1 else ''} in all)",
        "next_due": f"{due.isoformat()} ({floors.when_text(days)})",
        "draft": f"A draft for {draft} is waiting" if draft else "No draft waiting",
        "readiness": f"Readiness: {verdict}",
        "gaps": f"Largest gaps: {gaps}" if gaps else "No gaps to the target level.",
        "projection": floors.projection_words(status, line, today),
    }
    return {
        "labels": labels,
        "readiness": floors.readiness_series(fw, points),
        "radar": floors.radar_chart(con, fw, profile_id, today),
        "growth": floors.growth_chart(con, fw, profile_id),
        "milestones": floors.milestone_chart(con, fw, profile_id, today),
        "kpi": floors.kpi_chart(con, fw, profile_id, fw.kpis[0].id) if fw.kpis else None,
    }


def dashboard_floor(data_dir: str, width: int, height: int, *, report: bool) -> int:
    import datetime as dt

    import floors  # PySide6's QtCharts, the framework's pydantic model
    import pydantic  # noqa: F401 - the stack the app carries
    import sqlalchemy.orm  # noqa: F401
    from PySide6.QtWidgets import (
        QApplication,
        QLabel,
        QMainWindow,
        QTabWidget,
        QVBoxLayout,
        QWidget,
    )

    from app.framework.model import Framework

    app = QApplication(sys.argv[:1])
    con = floors.connect(Path(data_dir) / "rung.sqlite3")
    [(profile_id, framework, version)] = con.execute(
        "SELECT p.id, s.framework_id, s.framework_version FROM profiles p"
        " JOIN profile_stages s ON s.profile_id = p.id"
        " ORDER BY s.effective_from DESC LIMIT 1"
    ).fetchall()
    (snapshot,) = con.execute(
        "SELECT snapshot FROM frameworks WHERE framework_id = ? AND version = ?",
        (framework, version),
    ).fetchone()
    fw = Framework.model_validate_json(snapshot)
    today = dt.date.today()
    data = _gathered(con, fw, profile_id, today)

    window = QMainWindow()
    window.setWindowTitle("Rung")
    page = QWidget(window)
    layout = QVBoxLayout(page)
    for text in data["labels"].values():
        layout.addWidget(QLabel(text, page))
    tabs = QTabWidget(page)
    series = data["readiness"]
    view = floors.draw_time_chart("Readiness over time", (0.0, 100.0), series, (width, height))
    tabs.addTab(view, "Readiness")
    for title in ("Radar", "Growth", "Milestones", "KPIs"):
        tabs.addTab(QWidget(tabs), title)
    layout.addWidget(tabs, 1)
    window.setCentralWidget(page)
    window.resize(width, height)
    window.show()
    app.processEvents()
    if window.grab().isNull():
        return 1
    if report:
        _print_json(
            {
                "size": [window.width(), window.height()],
                "labels": data["labels"],
                "chart": _chart_points(view),
            }
        )
    con.close()
    return 0


def visible_floor(points_file: str, width: int, height: int, *, report: bool) -> int:
    """A QMainWindow with one line chart of the readiness series, on the app's stack.

    Imported in the app's order: PySide6's widgets first (the app paints its shell before
    anything else), then SQLAlchemy's ORM and pydantic, then Qt Charts.
    """
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    import sqlalchemy.orm  # noqa: F401 - the stack the app carries
    from pydantic import BaseModel  # noqa: F401 - pydantic's models, not just its package
    from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
    from PySide6.QtCore import QDateTime, Qt
    from PySide6.QtGui import QPainter

    points = json.loads(Path(points_file).read_text())
    chart = QChart()
    chart.setTitle("Readiness over time")
    x_axis = QDateTimeAxis()
    x_axis.setFormat("yyyy-MM")
    x_axis.setTickCount(8)
    x_axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(points[0][0])),
        QDateTime.fromMSecsSinceEpoch(int(points[-1][0])),
    )
    y_axis = QValueAxis()
    y_axis.setRange(0.0, 100.0)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    line = QLineSeries()
    line.setName("Readiness")
    for x, y in points:
        line.append(x, y)
    chart.addSeries(line)
    line.attachAxis(x_axis)
    line.attachAxis(y_axis)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    window = QMainWindow()
    window.setWindowTitle("Rung")
    window.setCentralWidget(view)
    window.resize(width, height)
    window.show()
    app.processEvents()
    if window.grab().isNull():
        return 1
    if report:
        _print_json({"size": [window.width(), window.height()], "chart": _chart_points(view)})
    return 0


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(CHECKOUT))  # the checkout's app/ and ui/, as run.py uses them
    mode, *args = argv
    if mode == "paint-floor":
        return paint_floor(int(args[0]), int(args[1]), json.loads(args[2]) if args[2:] else [])
    if mode == "paint-app":
        return paint_app(args[0])
    atexit.register(_print_peak)
    if mode == "smoke-test":
        return smoke_test(args[0], report="--report" in args)
    if mode == "dashboard-floor":
        return dashboard_floor(args[0], int(args[1]), int(args[2]), report="--report" in args)
    if mode == "visible-floor":
        return visible_floor(args[0], int(args[1]), int(args[2]), report="--report" in args)
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
