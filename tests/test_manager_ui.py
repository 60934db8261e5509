"""The manager's side in the window: import a mentee's bundle, annotate it, export the packet.

A shared profile is read-only everywhere but in the Assessment section, which
shows only while such a profile is current. Bundles come from a mentee's own
data folder, exported there, as they would from another computer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.bundle.export import export_bundle
from app.services import Services, open_services
from app.services.identity import Identity
from app.services.manager import CalibrationRow
from app.store.models import Profile
from tests.helpers import (
    CANARIES,
    MANAGER_NAME,
    MANAGER_ROLE,
    SHARED_EVIDENCE,
    activate,
    click,
    private_profile,
    sign_as_manager,
    type_text,
    wait_idle,
)
from tests.layout_check import check_layout
from tests.shortcut_check import collisions
from tests.test_manager import share
from ui import dialogs
from ui.calibration import CalibrationModel
from ui.identity import SignDialog
from ui.main_window import bundle_file_name
from ui.manager import ManagerPanel

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
COMMENT = "<b>Strong</b> & steady"
RATIONALE = "One more launch"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """Zoë's profile exported without private notes from her own data folder."""
    (tmp_path / "mentee-files").mkdir()
    mentee = open_services(tmp_path / "mentee")
    try:
        profile_id = private_profile(mentee, tmp_path / "mentee-files")
        path = tmp_path / "zoe.rung"
        export_bundle(mentee.store, profile_id, path, include_private=False)
    finally:
        mentee.close()
    return path


class Dialogs:
    """Stands in for `ui.dialogs`: records what each function was asked, answers from a queue."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._answers: Dialogs = defaultdict(list)
        for name in ("open_file", "save_file", "choose", "ask", "inform", "error"):
            monkeypatch.setattr(dialogs, name, self._answering(name))

    def _answering(self, name: str) -> Callable[..., Any]:
        def answer(_parent: Any, *args: Any) -> Any:
            self.asked[name].append(args)
            return self._answers[name].pop(0) if self._answers[name] else None

        return answer

    def queue(self, name: str, *answers: Any) -> None:
        self._answers[name].extend(answers)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def _proxy_index(panel: ManagerPanel, skill_id: str, column: int) -> QModelIndex:
    source = panel.model.index(panel.model.row_of(skill_id), column)
    return panel.proxy.mapFromSource(source)


def rate(qtbot: QtBot, panel: ManagerPanel, skill_id: str, key: Qt.Key) -> None:
    """Click a skill's name, then type a rating: the row's Manager cell takes it."""
    view = panel.view
    rect = view.visualRect(_proxy_index(panel, skill_id, CalibrationModel.SKILL))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex().column() == CalibrationModel.MANAGER
    qtbot.keyClick(view, key)


def shown_order(panel: ManagerPanel) -> list[tuple[str, str, str, str]]:
    """Skill, self, manager, difference of each row, as the view shows them."""
    columns = (
        CalibrationModel.SKILL,
        CalibrationModel.SELF,
        CalibrationModel.MANAGER,
        CalibrationModel.DIFFERENCE,
    )
    return [
        tuple(panel.proxy.index(row, column).data() for column in columns)  # type: ignore[misc]
        for row in range(panel.proxy.rowCount())
    ]


def test_a_manager_imports_annotates_and_exports_the_packet(
    qtbot: QtBot,
    main_window: Any,
    services: Services,
    runner: Any,
    bundle: Path,
    answers: Dialogs,
    tmp_path: Path,
) -> None:
    sign_as_manager(services)  # who signs the assessment (rung whoami, or Settings)
    window = main_window
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.central.currentWidget() is window.first_run  # nothing here yet

    # File → Import bundle…, from a file exported in another data folder.
    answers.queue("open_file", bundle)
    window.import_bundle_action.trigger()
    qtbot.waitUntil(lambda: bool(answers.asked["inform"]), timeout=10_000)
    runner.drain()
    [(title, text)] = answers.asked["inform"]
    assert title == "Import bundle"
    assert text.startswith("Zoë: 2 check-ins, 1 evidence entry, 1 goal, 1 learning item")
    [profile] = services.profiles.all()
    assert profile.shared
    assert window.profile_id == profile.id
    assert window.current_section() == "assessment"

    # The Assessment section, by its shortcut: every skill, none calibrated yet.
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_9, CTRL)
    assert window.current_section() == "assessment"
    panel: ManagerPanel = window.manager
    assert panel.heading.text() == "Your assessment of Zoë"
    assert panel.shared.text().startswith("Shared by Zoë on ")
    assert shown_order(panel) == [
        ("A Critical", "2", "—", ""),
        ("A Optional", "2", "—", ""),
        ("B Important", "2", "—", ""),
    ]

    # Two calibrations, typed on their rows: the largest disagreement comes first.
    rate(qtbot, panel, "a-optional", Qt.Key.Key_3)
    rate(qtbot, panel, "b-important", Qt.Key.Key_0)
    assert shown_order(panel) == [
        ("B Important", "2", "0", "−2"),
        ("A Optional", "2", "3", "+1"),
        ("A Critical", "2", "—", ""),
    ]

    # A comment on dimension A, typed: saved after a pause, exactly as typed.
    comment = panel.comments["a"]
    click(comment)
    type_text(comment, COMMENT)
    # The recommendation: the verdict by its mnemonic and the arrow keys, then the rationale.
    assert not panel.rationale.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_D, ALT)
    assert QApplication.focusWidget() is panel.band
    qtbot.keyClick(panel.band, Qt.Key.Key_Down)
    qtbot.keyClick(panel.band, Qt.Key.Key_Down)
    assert panel.band.currentText() == "Approaching"
    assert panel.rationale.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_R, ALT)
    assert QApplication.focusWidget() is panel.rationale
    type_text(panel.rationale, RATIONALE)

    def saved() -> bool:
        assessment = services.manager.assessment(profile.id)
        return assessment.rationale == RATIONALE and assessment.comments == {"a": COMMENT}

    qtbot.waitUntil(saved, timeout=5_000)
    runner.drain()
    assessment = services.manager.assessment(profile.id)
    assert assessment.calibrations == {"a-optional": 3, "b-important": 0}
    assert assessment.band == "approaching"

    # The packet, from the Reports section: both assessments, the manager's attributed.
    out = tmp_path / "out"
    out.mkdir()
    answers.queue("save_file", out / "packet")
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    reports = window.reports
    qtbot.keyClick(window, Qt.Key.Key_A, ALT)
    assert QApplication.focusWidget() is reports.audience
    qtbot.keyClick(reports.audience, Qt.Key.Key_Down)
    qtbot.keyClick(reports.audience, Qt.Key.Key_Down)
    assert reports.audience.currentData() == "packet"
    click(reports.export_button)
    qtbot.waitUntil(lambda: not reports.exporting, timeout=20_000)
    runner.drain()
    assert answers.asked["error"] == []
    reader = pypdf.PdfReader(out / "packet.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    # Page one: the signed recommendation and both readiness figures.
    assert "Recommended: Approaching by Jordan Lee, Engineering manager" in text
    assert "Self-assessed 85 / 100 Approaching" in text
    assert "Calibrated by the manager 45 / 100 Not yet" in text
    assert "Manager's assessment By Jordan Lee, Engineering manager" in text
    assert "The ratings elsewhere are Zoë's own" in text
    assert f"Recommended verdict: Approaching {RATIONALE}" in text
    assert "B Important B 2 0 −2" in text  # the manager's calibration beside Zoë's rating
    assert "A Optional A 2 3 +1" in text
    assert f"A {COMMENT}" in text
    assert "A Critical CRITICAL Critical — 2 ▼ 3" in text  # Zoë's own ratings
    assert SHARED_EVIDENCE in text
    assert CANARIES["wins"] not in text  # the bundle carried no private text

    # Export bundle… on Zoë's copy offers the assessment instead; it goes back to her.
    answers.queue("ask", True)
    answers.queue("save_file", out / "for-zoe")
    window.export_bundle_action.trigger()
    runner.drain()
    assert answers.asked["error"] == []
    sent = json.loads((out / "for-zoe.rung").read_text(encoding="utf-8"))
    assert sent["kind"] == "assessment"
    assert sent["payload"]["recommendation"] == {"band": "approaching", "rationale": RATIONALE}


def test_a_shared_profile_is_read_only_everywhere_but_the_assessment(
    qtbot: QtBot,
    main_window: Any,
    services: Services,
    runner: Any,
    answers: Dialogs,
    tmp_path: Path,
) -> None:
    window = main_window
    own = services.profiles.create(
        name="Me", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    shared = private_profile(services, tmp_path, name="<b>Zoë</b> & co")
    share(services, shared)
    window.reload_profiles(shared)
    runner.drain()
    line = "Shared by <b>Zoë</b> & co: read-only."  # no export date: marked shared by hand

    # Check-in: the start screen says whose profile it is, and starts nothing.
    window.show_section("checkin")
    assert window.checkin.start_message.text() == line
    assert window.checkin.start_message.textFormat() == Qt.TextFormat.PlainText
    assert not window.checkin.start_button.isEnabled()
    assert not window.checkin.start_date.isEnabled()
    # Dashboard: the same line, no check-in to start.
    window.show_section("dashboard")
    assert window.dashboard.shared.isVisible()
    assert window.dashboard.shared.text() == line
    assert not window.dashboard.action.isVisible()
    # Evidence: readable, searchable, never changed; not even with the capture shortcut.
    window.show_section("evidence")
    runner.drain()  # each section loads its data when it is first shown
    evidence = window.evidence
    assert evidence.read_only_line.isVisible()
    assert evidence.read_only_line.text() == line
    assert evidence.model.rowCount() == 2
    evidence.view.selectRow(0)
    for button in (
        evidence.add_button,
        evidence.edit_button,
        evidence.delete_button,
        evidence.import_button,
    ):
        assert not button.isEnabled(), button.text()
    QTest.mouseDClick(
        evidence.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=evidence.view.visualRect(evidence.proxy.index(0, 1)).center(),
    )
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert evidence.dialog is None
    # History: check-ins can be read and compared, never amended or deleted.
    window.show_section("history")
    runner.drain()
    history = window.history
    assert history.read_only_line.text() == line
    # The list, loaded as the section is first shown, selects the newest check-in.
    assert history.selected_info() is not None
    assert not history.amend_button.isEnabled()
    assert not history.delete_button.isEnabled()
    history.view.setFocus()
    qtbot.keyClick(history.view, Qt.Key.Key_Delete)  # would ask to confirm: no dialog at all
    # Growth plan: readable and exportable to a calendar, never changed.
    window.show_section("plan")
    runner.drain()
    plan = window.plan
    assert plan.read_only_line.text() == line
    plan.goal_view.selectRow(0)
    for widget in (
        plan.add_button,
        plan.edit_button,
        plan.complete_button,
        plan.drop_button,
        plan.add_learning_button,
        plan.new_learning,
        plan.accept_button,
    ):
        assert not widget.isEnabled()
    assert plan.export_button.isEnabled()
    done = plan.learning_model.index(0, plan.learning_model.DONE)
    assert not plan.learning_model.flags(done) & Qt.ItemFlag.ItemIsUserCheckable
    # File: no editing of the profile, and no bundle of someone else's profile: Export
    # bundle… says why, and what to send instead, without asking for a file.
    assert not window.edit_profile_action.isEnabled()
    assert not window.capture_action.isEnabled()
    answers.queue("ask", False)
    window.export_bundle_action.trigger()
    [(title, text, *_buttons)] = answers.asked["ask"]
    assert title == "Export bundle"
    assert text.startswith("<b>Zoë</b> & co shared this profile with you, and only its owner")
    assert "(File → Export assessment…)" in text
    assert answers.asked["choose"] == answers.asked["save_file"] == []
    assert window.export_assessment_action.isEnabled()
    assert window.import_bundle_action.isEnabled()
    # The Assessment section is there, at the bottom, with the same line.
    window.show_section("assessment")
    runner.drain()
    assert window.manager.isVisible()
    assert window.manager.shared.text() == line
    assert window.manager.heading.text() == "Your assessment of <b>Zoë</b> & co"

    # Your own profile: everything editable again, and no Assessment section.
    window.switcher.setCurrentIndex(window.switcher.findData(own.id))
    window.switcher.activated.emit(window.switcher.currentIndex())
    runner.drain()
    assert window.current_section() == "dashboard"
    row = [window.sidebar.item(r).data(Qt.ItemDataRole.UserRole) for r in range(9)].index(
        "assessment"
    )
    assert window.sidebar.item(row).isHidden()
    assert not window.section_actions["assessment"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_9, CTRL)
    assert window.current_section() == "dashboard"
    assert not window.dashboard.shared.isVisible()
    assert window.dashboard.action.isVisible()
    assert window.checkin.start_button.isEnabled()
    assert not evidence.read_only_line.isVisible()
    assert evidence.add_button.isEnabled()
    assert plan.add_button.isEnabled()
    assert not history.read_only_line.isVisible()
    for action in (window.edit_profile_action, window.capture_action, window.export_bundle_action):
        assert action.isEnabled()


def test_export_bundle_asks_about_private_notes_and_import_errors_say_why(
    qtbot: QtBot,
    main_window: Any,
    services: Services,
    runner: Any,
    answers: Dialogs,
    tmp_path: Path,
) -> None:
    window = main_window
    profile_id = private_profile(services, tmp_path)
    window.reload_profiles(profile_id)
    runner.drain()
    out = tmp_path / "out"
    out.mkdir()

    # Cancel, then private notes left out (the default), then included.
    answers.queue("choose", None)
    window.export_bundle_action.trigger()
    assert answers.asked["save_file"] == []
    answers.queue("choose", 0, 1)
    answers.queue("save_file", out / "left-out", out / "included.rung")
    window.export_bundle_action.trigger()
    runner.drain()
    window.export_bundle_action.trigger()
    runner.drain()
    [(_title, text, choices), *_] = answers.asked["choose"][1:]
    assert "left out unless you include them" in text
    assert choices == ("&Leave them out", "&Include them")
    suggested = [args[2] for args in answers.asked["save_file"]]
    assert suggested == [bundle_file_name("Zoë", date.today())] * 2
    left_out = (out / "left-out.rung").read_text(encoding="utf-8")
    included = (out / "included.rung").read_text(encoding="utf-8")
    assert SHARED_EVIDENCE in left_out
    assert CANARIES["wins"] not in left_out
    assert CANARIES["wins"] in included
    assert answers.asked["error"] == []

    # Importing your own profile's bundle, or a damaged file: one sentence, nothing changed.
    damaged = tmp_path / "damaged.rung"
    damaged.write_bytes(included.replace("Zoë", "Zoe").encode())
    for path in (out / "included.rung", damaged):
        answers.queue("open_file", path)
        window.import_bundle_action.trigger()
        runner.drain()
    [(title, own), (_title, broken)] = answers.asked["error"]
    assert title == "Import bundle"
    assert "your own profile" in own
    assert "damaged.rung" in broken
    assert window.import_bundle_action.isEnabled()
    assert [p.id for p in services.profiles.all()] == [profile_id]


def test_the_calibration_model_is_a_sound_model(qtmodeltester: Any) -> None:
    model = CalibrationModel()
    model.scale = {0: "None", 1: "Some", 2: "Solid", 3: "Strong"}
    model.set_rows(
        [
            CalibrationRow("a", "<b>A</b>", "Dim", 2, False, 3, 2),
            CalibrationRow("b", "B", "Dim", None, False, None, 1),
            CalibrationRow("c", "C", "Dim", None, True, 1, 0),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, CalibrationModel.SKILL).data() == "<b>A</b>"
    assert [model.index(r, CalibrationModel.SELF).data() for r in range(3)] == ["2", "—", "n/a"]
    assert model.index(2, CalibrationModel.DIFFERENCE).data() == ""  # not applicable
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(1, CalibrationModel.MANAGER)) & editable
    assert not model.flags(model.index(1, CalibrationModel.SELF)) & editable
    edits: list[tuple[str, object]] = []
    model.calibrated.connect(lambda skill, value: edits.append((skill, value)))
    assert not model.setData(model.index(1, CalibrationModel.MANAGER), 7)  # not on the scale
    assert model.setData(model.index(1, CalibrationModel.MANAGER), 0)
    assert model.index(1, CalibrationModel.DIFFERENCE).data() == "0"
    assert model.setData(model.index(0, CalibrationModel.MANAGER), None)
    assert model.index(0, CalibrationModel.MANAGER).data() == "—"
    assert edits == [("b", 0), ("a", None)]


def test_the_rating_editor_offers_the_scale_and_clears_with_a_dash(
    qtbot: QtBot, services: Services, runner: Any, tmp_path: Path
) -> None:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    sign_as_manager(services)
    services.manager.set_calibration(profile_id, "a-critical", 4)
    panel = ManagerPanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.show_profile(profile_id)
    runner.drain()
    index = _proxy_index(panel, "a-critical", CalibrationModel.MANAGER)
    panel.view.setCurrentIndex(index)
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "— not rated",
        *(f"{v} · L{v}" for v in range(5)),
    ]
    assert editor.currentData() == 4
    editor.setCurrentIndex(0)
    editor.activated.emit(0)  # as a click in its list does
    runner.drain()
    assert services.manager.assessment(profile_id).calibrations == {}
    # Delete clears too.
    panel.view.setCurrentIndex(_proxy_index(panel, "b-important", CalibrationModel.MANAGER))
    qtbot.keyClick(panel.view, Qt.Key.Key_2)
    runner.drain()
    assert services.manager.assessment(profile_id).calibrations == {"b-important": 2}
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    runner.drain()
    assert services.manager.assessment(profile_id).calibrations == {}


# -- dated and signed ----------------------------------------------------------------

TODAY = date(2026, 6, 15)
EARLIER = date(2026, 5, 20)


def _assessment_panel(qtbot: QtBot, services: Services, runner: Any, profile_id: str) -> Any:
    """The Assessment section on its own, on `TODAY`, once the profile has loaded."""
    panel = ManagerPanel(services, runner, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(1000, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_profile(profile_id)
    wait_idle(qtbot, runner)
    activate(qtbot, panel)
    return panel


def _choices(panel: ManagerPanel) -> list[str]:
    return [panel.history.itemText(i) for i in range(panel.history.count())]


def _sign_dialog(qtbot: QtBot, panel: ManagerPanel) -> SignDialog:
    qtbot.waitUntil(lambda: panel.sign_dialog is not None and panel.sign_dialog.isVisible())
    dialog = panel.sign_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def _closed(dialog: SignDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _comment(qtbot: QtBot, panel: ManagerPanel, dimension_id: str, text: str) -> None:
    """Click the dimension's comment box and type `text` at its end."""
    edit = panel.comments[dimension_id]
    click(edit)
    qtbot.keyClick(edit, Qt.Key.Key_End, CTRL)
    type_text(edit, text)


def _saved(qtbot: QtBot, panel: ManagerPanel, runner: Any) -> None:
    """What waits for a pause in typing goes to the worker, and the worker is done."""
    panel.flush()
    wait_idle(qtbot, runner)


def test_the_assessment_is_dated_and_signed_by_the_folder_owner(
    qtbot: QtBot, services: Services, runner: Any, tmp_path: Path
) -> None:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    sign_as_manager(services)
    services.manager.set_calibration(profile_id, "a-critical", 3, on=EARLIER)
    services.identity.set(role="Director of engineering")  # promoted since
    panel = _assessment_panel(qtbot, services, runner, profile_id)
    assert _choices(panel) == [
        f"Today, {TODAY}, signed by {MANAGER_NAME}, Director of engineering",
        f"{EARLIER} by {MANAGER_NAME}, {MANAGER_ROLE}: read-only",
    ]
    assert not panel.status_line.isVisible()

    # A rating typed today goes into today's assessment, which starts from the earlier one.
    rate(qtbot, panel, "b-important", Qt.Key.Key_3)
    _comment(qtbot, panel, "a", COMMENT)
    _saved(qtbot, panel, runner)
    assert panel.sign_dialog is None  # who signs is known: nothing is asked
    earlier, today = services.manager.assessments(profile_id)
    assert (today.date, today.assessor) == (
        TODAY,
        Identity(MANAGER_NAME, "Director of engineering", "jordan@example.com"),
    )
    assert today.calibrations == {"a-critical": 3, "b-important": 3}
    assert today.comments == {"a": COMMENT}
    assert (earlier.date, earlier.calibrations, earlier.comments) == (
        EARLIER,
        {"a-critical": 3},
        {},
    )
    assert earlier.assessor is not None
    assert earlier.assessor.role == MANAGER_ROLE  # kept as it was signed

    # The earlier one, chosen with the keyboard, is shown as it was and cannot be changed.
    qtbot.keyClick(panel, Qt.Key.Key_A, ALT)
    assert QApplication.focusWidget() is panel.history
    qtbot.keyClick(panel.history, Qt.Key.Key_Down)
    wait_idle(qtbot, runner)
    assert panel.data is not None
    assert panel.data.day == EARLIER
    assert panel.history.currentText() == f"{EARLIER} by {MANAGER_NAME}, {MANAGER_ROLE}: read-only"
    assert panel.status_line.isVisible()
    assert panel.status_line.text().startswith("An earlier assessment, kept as it was signed.")
    assert not panel.identity_button.isVisible()
    shown = {row[0]: row[2] for row in shown_order(panel)}
    assert (shown["A Critical"], shown["B Important"]) == ("3", "—")
    assert panel.comments["a"].toPlainText() == ""
    rate(qtbot, panel, "b-important", Qt.Key.Key_1)
    _comment(qtbot, panel, "a", "Too late")
    _saved(qtbot, panel, runner)
    assert panel.comments["a"].toPlainText() == ""
    assert not panel.band.isEnabled()
    assert services.manager.assessments(profile_id) == [earlier, today]

    # Back to today's: it can be changed again.
    qtbot.keyClick(panel.history, Qt.Key.Key_Up)
    wait_idle(qtbot, runner)
    assert panel.data is not None
    assert panel.data.day == TODAY
    assert panel.comments["a"].toPlainText() == COMMENT
    assert not panel.status_line.isVisible()


def test_with_no_owner_yet_the_first_change_asks_once_who_signs(
    qtbot: QtBot, services: Services, runner: Any, tmp_path: Path
) -> None:
    profile_id = private_profile(services, tmp_path)
    with services.store.session() as session:  # the owner named their manager in the profile
        session.execute(
            update(Profile).where(Profile.id == profile_id).values(manager=MANAGER_NAME)
        )
    share(services, profile_id)
    panel = _assessment_panel(qtbot, services, runner, profile_id)
    assert _choices(panel) == [f"Today, {TODAY}, not signed yet"]
    assert panel.status_line.isVisible()
    assert "your first change asks for them" in panel.status_line.text()
    assert not panel.identity_button.isVisible()

    # The first change asks; nothing is stored until it is answered.
    rate(qtbot, panel, "a-critical", Qt.Key.Key_4)
    dialog = _sign_dialog(qtbot, panel)
    assert dialog.windowTitle() == "Sign your assessment"
    assert dialog.explanation.text().startswith("Your assessment of Zoë is dated and signed")
    assert dialog.fields.name.text() == MANAGER_NAME  # suggested by the owner's profile
    assert QApplication.focusWidget() is dialog.fields.role
    assert collisions(dialog) == []
    assert check_layout(dialog) == []
    runner.drain()
    assert services.manager.assessments(profile_id) == []
    assert services.identity.get() is None
    type_text(dialog.fields.role, MANAGER_ROLE)
    qtbot.keyClick(dialog.fields.role, Qt.Key.Key_Return)  # Enter: Sign, the default button
    wait_idle(qtbot, runner)
    assert _closed(dialog)
    assert services.identity.get() == Identity(MANAGER_NAME, MANAGER_ROLE)
    [assessment] = services.manager.assessments(profile_id)
    assert (assessment.date, assessment.assessor) == (TODAY, Identity(MANAGER_NAME, MANAGER_ROLE))
    assert assessment.calibrations == {"a-critical": 4}
    assert _choices(panel) == [f"Today, {TODAY}, signed by {MANAGER_NAME}, {MANAGER_ROLE}"]
    assert not panel.status_line.isVisible()

    # Asked once: later changes are saved as typed.
    activate(qtbot, panel)
    _comment(qtbot, panel, "b", COMMENT)
    qtbot.keyClick(panel, Qt.Key.Key_D, ALT)
    qtbot.keyClick(panel.band, Qt.Key.Key_Down)
    _saved(qtbot, panel, runner)
    assert panel.sign_dialog is None
    [assessment] = services.manager.assessments(profile_id)
    assert assessment.comments == {"b": COMMENT}
    assert assessment.band is not None


def test_declining_to_sign_saves_nothing_until_the_manager_says_who_they_are(
    qtbot: QtBot, services: Services, runner: Any, tmp_path: Path
) -> None:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    panel = _assessment_panel(qtbot, services, runner, profile_id)

    _comment(qtbot, panel, "a", "Good")
    dialog = _sign_dialog(qtbot, panel)
    assert dialog.fields.name.text() == ""  # the profile names no manager
    assert QApplication.focusWidget() is dialog.fields.name
    qtbot.keyClick(dialog.fields.name, Qt.Key.Key_Escape)
    wait_idle(qtbot, runner)
    assert _closed(dialog)
    assert services.identity.get() is None
    assert services.manager.assessments(profile_id) == []
    # What was typed went with the answer; the section says why it waits, and asks no more.
    assert panel.comments["a"].toPlainText() == ""
    assert panel.status_line.isVisible()
    assert "nothing here is saved until it does" in panel.status_line.text()
    assert panel.identity_button.isVisible()
    activate(qtbot, panel)
    _comment(qtbot, panel, "a", "Good")
    rate(qtbot, panel, "a-critical", Qt.Key.Key_4)
    runner.drain()
    assert panel.comments["a"].toPlainText() == ""
    assert panel.sign_dialog is None
    assert services.manager.assessments(profile_id) == []

    # Asked for: an empty name is refused in one sentence; a name signs.
    click(panel.identity_button)
    dialog = _sign_dialog(qtbot, panel)
    qtbot.keyClick(dialog.fields.name, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert dialog.isVisible()
    assert dialog.message.text() == "The name is empty."
    assert services.identity.get() is None
    type_text(dialog.fields.name, "Noor <i>Haddad</i>")
    qtbot.keyClick(dialog, Qt.Key.Key_S, ALT)  # a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: _closed(dialog))
    assert services.identity.get() == Identity("Noor <i>Haddad</i>")
    assert _choices(panel) == [f"Today, {TODAY}, signed by Noor <i>Haddad</i>"]
    assert not panel.status_line.isVisible()
    activate(qtbot, panel)
    _comment(qtbot, panel, "a", "Good")
    _saved(qtbot, panel, runner)
    [assessment] = services.manager.assessments(profile_id)
    assert assessment.comments == {"a": "Good"}
    assert assessment.assessor == Identity("Noor <i>Haddad</i>")


def test_the_mentee_imports_her_managers_assessment_with_file_import_bundle(
    main_window: Any, services: Services, runner: Any, answers: Dialogs, tmp_path: Path
) -> None:
    """File → Import bundle… takes an assessment bundle too, onto the profile it assesses."""
    from app.bundle.assessment import export_assessment
    from app.bundle.importer import import_bundle

    window = main_window
    (tmp_path / "files").mkdir()
    profile_id = private_profile(services, tmp_path / "files")
    window.reload_profiles(profile_id)
    runner.drain()
    mine = tmp_path / "zoe.rung"
    export_bundle(services.store, profile_id, mine, include_private=False)
    jordan = open_services(tmp_path / "jordan")
    try:
        import_bundle(jordan.store, jordan.frameworks, mine)
        sign_as_manager(jordan)
        jordan.manager.set_calibration(profile_id, "b-important", 0, on=date(2026, 6, 1))
        assessment = tmp_path / "assessment.rung"
        export_assessment(jordan.store, profile_id, assessment)
    finally:
        jordan.close()

    answers.queue("open_file", assessment)
    window.import_bundle_action.trigger()
    runner.drain()

    assert answers.asked["error"] == []
    [(title, text)] = answers.asked["inform"]
    assert title == "Import bundle"
    assert text == (
        "Zoë: the assessment of 2026-06-01 by Jordan Lee — Engineering manager "
        "<jordan@example.com>: 1 calibration."
    )
    assert window.current_section() == "dashboard"  # her own profile, still editable
    assert window.edit_profile_action.isEnabled()
    assert [a.date for a in services.manager.received(profile_id)] == [date(2026, 6, 1)]
