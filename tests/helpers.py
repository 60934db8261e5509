"""Plain helpers several test modules share; the fixtures live in `conftest.py`.

Running `rung` and checking what it did, stamping a database as newer, a small
framework to import, and real key and mouse events. Nothing here needs pytest,
so a script such as `crash_driver.py` can import it too.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from app.dates import MAX_DATE, MIN_DATE
from app.paths import builtin_framework_files
from app.services import Services
from app.store.lock import LOCK_NAME

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.tasks import TaskRunner

BUILTIN = "ml-engineer"
JUNIOR = "junior-ml-engineer"
MID = "ml-engineer"


# -- the command line ----------------------------------------------------------


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


def builtin_text() -> str:
    (path,) = [p for p in builtin_framework_files() if p.stem == BUILTIN]
    return path.read_text(encoding="utf-8")


def with_version(text: str, version: str) -> str:
    old = 'version: "1.0"'
    assert text.count(old) == 1
    return text.replace(old, f'version: "{version}"')


def assert_ok(result: Result) -> None:
    assert (result.code, result.err) == (0, ""), result.err


def assert_failed(result: Result, code: int, fragment: str) -> None:
    """Exit `code`, nothing on stdout, one plain 'rung: ' line on stderr naming the problem."""
    assert result.code == code, result
    assert result.out == ""
    assert result.err.startswith("rung: ")
    assert result.err.endswith("\n")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert fragment in result.err


def tree(folder: Path) -> list[str]:
    """Every file and folder under `folder`, so leftover empty folders count as changes.

    The data folder's lock file is left out: it is empty, holds no data, and
    stays once any command has opened the folder.
    """
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != LOCK_NAME)


def create_args(name: str, *extra: str) -> list[str]:
    """`profiles create` for `name` on the built-in ladder, junior aiming for mid."""
    return [
        "profiles",
        "create",
        "--name",
        name,
        "--framework",
        BUILTIN,
        "--level",
        JUNIOR,
        "--target",
        MID,
        *extra,
    ]


def create_profile(rung: Run, data: Path, name: str, *extra: str) -> str:
    result = rung("--data-dir", data, *create_args(name, *extra))
    assert_ok(result)
    return result.out.strip()


# -- databases ---------------------------------------------------------------------

NEWER_REVISION = "9999"  # a migration this Rung does not know

Rows = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def every_row(database: Path) -> Rows:
    """Every row of every table, keyed by primary key, as plain values."""
    rows: Rows = {}
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.row_factory = sqlite3.Row
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in names:
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
            rows[table] = {
                tuple(row[k] for k in key) or (index,): dict(row)
                for index, row in enumerate(conn.execute(f'SELECT * FROM "{table}"'))
            }
    return rows


def mark_as_newer(database: Path) -> None:
    """Stamp a database file as migrated by a newer Rung."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (NEWER_REVISION,))
        conn.commit()


# -- who signs ----------------------------------------------------------------------

MANAGER_NAME, MANAGER_ROLE = "Jordan Lee", "Engineering manager"


def sign_as_manager(services: Services) -> None:
    """The data folder's owner is the manager who assesses the profiles shared with them."""
    services.identity.set(name=MANAGER_NAME, role=MANAGER_ROLE, email="jordan@example.com")


# -- a small framework ------------------------------------------------------------


def two_dims_skill(
    skill_id: str, dimension: str, criticality: str, junior: int, senior: int
) -> dict[str, Any]:
    return {
        "id": skill_id,
        "name": skill_id.replace("-", " ").title(),
        "dimension": dimension,
        "category": "must-have",
        "criticality": criticality,
        "expected": {"junior": junior, "senior": senior},
        "source": "test",
    }


WORKED_SKILLS = [
    two_dims_skill("a-critical", "a", "critical", 2, 3),
    two_dims_skill("a-optional", "a", "optional", 1, 2),
    two_dims_skill("b-important", "b", "important", 1, 2),
]


def two_dims_data(
    skills: list[dict[str, Any]] | None = None,
    milestones: list[dict[str, Any]] | None = None,
    *,
    framework_id: str = "two-dims",
) -> dict[str, Any]:
    """The brief's worked-example ladder: A 60 / B 40, critical 3 / important 2 / optional 1."""
    return {
        "id": framework_id,
        "version": "1.0",
        "name": "Two dimensions",
        "levels": [{"id": "junior", "name": "Junior"}, {"id": "senior", "name": "Senior"}],
        "rating_scale": [
            {"value": value, "label": f"L{value}", "anchor": f"Anchor {value}"}
            for value in range(5)
        ],
        "dimensions": [
            {"id": "a", "name": "A", "weight": 60, "source": "test"},
            {"id": "b", "name": "B", "weight": 40, "source": "test"},
        ],
        "criticalities": [
            {"id": "critical", "name": "Critical", "weight": 3, "critical": True},
            {"id": "important", "name": "Important", "weight": 2},
            {"id": "optional", "name": "Optional", "weight": 1},
        ],
        "verdict_bands": [
            {"id": "not-yet", "name": "Not yet", "from": 0},
            {"id": "approaching", "name": "Approaching", "from": 70},
            {"id": "ready", "name": "Ready", "from": 85, "ready": True},
        ],
        "skills": WORKED_SKILLS if skills is None else skills,
        "milestones": (
            [{"id": "m90", "horizon": "90d", "title": "Own a component", "source": "test"}]
            if milestones is None
            else milestones
        ),
    }


def import_framework(services: Services, tmp_path: Path, data: dict[str, Any] | None = None) -> str:
    """Write a framework as YAML, import it like a user would, return its ref."""
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data or two_dims_data(), sort_keys=False), encoding="utf-8")
    info, created = services.frameworks.import_file(path)
    assert created
    return info.ref


# -- widgets -------------------------------------------------------------------------

CALENDAR = (MIN_DATE, MAX_DATE)  # the dates a date field may hold (`app.dates`)


def date_ranges(widget: QWidget) -> dict[str, tuple[date, date]]:
    """Each date field under `widget`, by its accessible name: its earliest and latest date."""
    ranges: dict[str, tuple[date, date]] = {}
    for edit in widget.findChildren(QDateEdit):
        low, high = edit.minimumDate(), edit.maximumDate()
        ranges[edit.accessibleName()] = (
            date(low.year(), low.month(), low.day()),
            date(high.year(), high.month(), high.day()),
        )
    return ranges


# -- the worker ----------------------------------------------------------------


def wait_idle(qtbot: QtBot, runner: TaskRunner, timeout: int = 10_000) -> None:
    """Wait for `runner.idle` if a job is pending (a job a callback submits included)."""
    if runner.busy:
        with qtbot.waitSignal(runner.idle, timeout=timeout):
            pass


# -- real mouse and key events -------------------------------------------------


def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Make `widget`'s window the active one, as a click on it would, and wait until it is:
    shortcuts (Alt+letter, Enter in a dialog) reach the active window only."""
    window = widget.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        # Not `waitActive`: a dialog counts as active while its parent window is.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def press_mnemonic(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> QWidget:
    """Alt+`key` pressed in `widget`'s window; the widget that has the focus after it.

    A button clicks itself a moment after its key (it shows itself pressed first), and a
    window that loses the focus meanwhile ends the press without ending that moment: so
    this waits for the button's own click, not for the press to end."""
    activate(qtbot, widget)
    sequence = QKeySequence(Qt.KeyboardModifier.AltModifier | key)
    buttons = [
        button
        for button in widget.window().findChildren(QAbstractButton)
        if button.isVisible()
        and button.isEnabled()
        and QKeySequence.mnemonic(button.text()).matches(sequence)
        == QKeySequence.SequenceMatch.ExactMatch
    ]
    if len(buttons) == 1:
        with qtbot.waitSignal(buttons[0].clicked):
            qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)
    else:  # a label's buddy takes the focus at once
        qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)
    focused = QApplication.focusWidget()
    assert focused is not None
    return focused


def click(widget: QWidget) -> None:
    """A left click on `widget`, scrolled into view first if it sits in a scroll area."""
    scroll = widget.parentWidget()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    if scroll is not None:
        scroll.ensureWidgetVisible(widget)
    # A radio button reacts on its indicator and text, not on the empty space beside them.
    pos = QPoint(8, widget.height() // 2) if isinstance(widget, QRadioButton) else None
    QTest.mouseClick(
        widget,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        pos or widget.rect().center(),
    )


def type_char(widget: QWidget, char: str) -> None:
    """One key press and release, as a user would type it.

    QTest only synthesises ASCII keys, so other characters arrive as key events
    that carry their text, as a keyboard layout or input method delivers them.
    """
    target = widget.focusProxy() or widget
    if char.isascii():
        QTest.keyClick(target, char)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
        )


def type_text(widget: QWidget, text: str) -> None:
    """`text` into `widget`, one key event per character (see `type_char`)."""
    for char in text:
        type_char(widget, char)


# -- a profile with every kind of private text -----------------------------------

REPORT_START = date(2026, 1, 5)
REPORT_MILESTONES = [
    {"id": "m30", "horizon": "30d", "title": "Ship a first fix", "source": "test"},
    {"id": "m6", "horizon": "6m", "title": "Lead a project", "source": "test"},
]
REPORT_KPIS = [
    {
        "id": "prs",
        "name": "Merged PRs",
        "measures": "PRs merged per week",
        "why": "Throughput",
        "cadence": "weekly",
        "unit": "PRs/week",
        "targets": [{"kind": "threshold", "comparator": ">=", "value": 2}],
        "target_text": "At least 2 a week",
        "source": "test",
    }
]
REPORT_CRITERIA = [
    {"id": "own", "text": "Owns a component", "skills": ["a-critical"], "source": "test"}
]
# One marker per kind of private text; none may leave the machine unless included.
CANARIES = {
    "rating note": "CANARYratingnote",
    "milestone note": "CANARYmilestonenote",
    "KPI note": "CANARYkpinote",
    "wins": "CANARYwins",
    "blockers": "CANARYblockers",
    "focus": "CANARYfocus",
    "private evidence title": "CANARYevidencetitle",
    "private evidence description": "CANARYevidencedescription",
    "private evidence link": "https://example.org/CANARYevidencelink",
    "goal notes": "CANARYgoalnotes",
    "learning notes": "CANARYlearningnotes",
    "amended rating note": "CANARYamendedrating",
}
SHARED_EVIDENCE = "Shared evidence SHAREDmarker"


def report_framework() -> dict[str, Any]:
    data = two_dims_data(milestones=REPORT_MILESTONES)
    data["kpis"] = REPORT_KPIS
    data["promotion_criteria"] = REPORT_CRITERIA
    return data


def private_profile(services: Services, tmp_path: Path, name: str = "Zoë") -> str:
    """A profile on the worked-example ladder with a canary in every kind of private text.

    Two final check-ins (1 Mar and 1 May 2026), one shared and one private
    evidence entry, a goal and a learning item; the first check-in's rating
    note was amended after finalising (a private amendment).
    """
    from app.services.evidence import Tag

    ref = import_framework(services, tmp_path, report_framework())
    profile = services.profiles.create(
        name=name, framework=ref, level="junior", target="senior", started=REPORT_START
    )
    checkins = services.checkins
    first = checkins.start_draft(profile.id, on=date(2026, 3, 1))
    for skill, value in (("a-critical", 2), ("a-optional", 2), ("b-important", 1)):
        checkins.set_rating(first.id, skill, value)
    checkins.set_rating(first.id, "a-critical", 2, note=CANARIES["rating note"])
    checkins.set_milestone(first.id, "m30", "done", note=CANARIES["milestone note"])
    checkins.set_kpi(first.id, "prs", 3, note=CANARIES["KPI note"])
    for field in ("wins", "blockers", "focus"):
        checkins.set_reflection(first.id, field, CANARIES[field])
    checkins.finalize(first.id)
    checkins.set_rating(first.id, "a-critical", 2, note=CANARIES["amended rating note"])
    second = checkins.start_draft(profile.id, on=date(2026, 5, 1))
    checkins.set_rating(second.id, "b-important", 2)
    checkins.finalize(second.id)
    services.evidence.add(
        profile.id,
        day=date(2026, 2, 1),
        title=SHARED_EVIDENCE,
        description="Shared description",
        tags=[Tag("skill", "a-critical")],
    )
    services.evidence.add(
        profile.id,
        day=date(2026, 2, 2),
        title=CANARIES["private evidence title"],
        description=CANARIES["private evidence description"],
        link=CANARIES["private evidence link"],
        private=True,
        tags=[Tag("skill", "a-critical")],
    )
    services.plan.add_goal(
        profile.id,
        title="Lead the next launch",
        skills=["a-critical"],
        due=date(2026, 6, 1),
        notes=CANARIES["goal notes"],
    )
    services.plan.add_learning(
        profile.id, title="Read the SRE book", quarter="2026-Q2", notes=CANARIES["learning notes"]
    )
    return profile.id


# -- a manager's team ------------------------------------------------------------

TEAM_DAY = date(2026, 6, 15)  # the day the team is looked at
TEAM = ("Zoë", "Ana Lima", "Bea", "Chidi", "李雷", "Noor")


def share_team(services: Services, tmp_path: Path) -> dict[str, str]:
    """Six people's profiles, made in a data folder of their own as each would make theirs,
    exported there as bundles and imported into `services` (the manager's folder); their
    ids by name.

    Zoë: the worked-example ladder with two check-ins (`private_profile`); Ana Lima, Bea,
    Chidi and 李雷: a year of monthly demo check-ins each, every one different; Noor: no
    check-in yet (not assessable).
    """
    from app.bundle.export import export_bundle
    from app.bundle.importer import import_bundle
    from app.services import open_services
    from app.services.demo import create_demo

    files = tmp_path / "team-files"
    files.mkdir()
    mentees = open_services(tmp_path / "mentees")
    try:
        mentees.identity.set(name="Zoë")
        ids = {"Zoë": private_profile(mentees, files)}
        for seed, name in enumerate(TEAM[1:5], start=1):
            profile_id = create_demo(
                mentees.store,
                mentees.frameworks,
                mentees.profiles,
                years=1,
                seed=seed,
                today=TEAM_DAY,
            )
            profile = mentees.profiles.get(profile_id)
            mentees.profiles.update_details(
                profile_id,
                name=name,
                interval_days=profile.checkin_interval_days,
                manager=profile.manager,
                role_start=profile.role_start,
            )
            ids[name] = profile_id
        noor = mentees.profiles.create(
            name="Noor", framework=BUILTIN, level=JUNIOR, target=MID, started=date(2026, 5, 1)
        )
        ids["Noor"] = noor.id
        for profile_id in ids.values():
            export_bundle(
                mentees.store, profile_id, files / f"{profile_id}.rung", include_private=False
            )
    finally:
        mentees.close()
    for profile_id in ids.values():
        import_bundle(services.store, services.frameworks, files / f"{profile_id}.rung")
    return ids


def assess_team(services: Services, ids: dict[str, str]) -> None:
    """The manager's assessments, on TEAM_DAY: Zoë calibrated (B Important 0 against her
    2) with a recommendation; Ana Lima's first skill two above her own rating; Chidi only
    commented on; the others not assessed."""
    sign_as_manager(services)
    manager = services.manager
    manager.set_calibration(ids["Zoë"], "b-important", 0, on=TEAM_DAY)
    manager.set_recommendation(ids["Zoë"], "approaching", "One more launch.", on=TEAM_DAY)
    row = next(
        r
        for r in manager.calibration(ids["Ana Lima"], TEAM_DAY)
        if not r.not_applicable and (r.self_rating or 0) <= 2
    )
    manager.set_calibration(
        ids["Ana Lima"], row.skill_id, min(4, (row.self_rating or 0) + 2), on=TEAM_DAY
    )
    profile = services.profiles.get(ids["Chidi"])
    dimension = services.frameworks.get(profile.framework, profile.framework_version).dimensions[0]
    manager.set_comment(ids["Chidi"], dimension.id, "Steady.", on=TEAM_DAY)
