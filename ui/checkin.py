"""The check-in wizard: skills by dimension, milestones, KPIs, reflection, review.

Every change is saved to the draft as the user types: choices at once, text
after a short pause (and whenever the panel is flushed, e.g. on close), so a
crash loses at most the field being edited. Saves run on the worker thread
in order. The same wizard amends a finalised check-in, where the service
logs every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.framework.model import HORIZONS, Dimension, Framework, Kpi, Skill
from app.milestones import due_date
from app.services import Services
from app.services.checkins import (
    Change,
    CheckInDetail,
    CheckInInfo,
    CurrentMilestone,
    CurrentRating,
)
from app.services.evidence import EvidenceInfo
from app.services.profiles import ProfileInfo
from ui.profile_form import date_edit, to_date, to_qdate
from ui.tasks import TaskRunner

START_TEXT = (
    "Rate yourself against your ladder: one page per dimension, then milestones, KPIs and a "
    "short reflection. Everything is saved as you type."
)
SAVE_DELAY_MS = 400
# Button ids of a skill's choices besides the scale's values (Qt reserves -1).
KEEP = 1000
NOT_APPLICABLE = 1001
HORIZON_NAMES = {"30d": "30 days", "60d": "60 days", "90d": "90 days", "6m": "6 months",
                 "12m": "12 months"}  # fmt: skip
MILESTONE_CHOICES = (
    ("", "Keep as it is"),
    ("not-started", "Not started"),
    ("in-progress", "In progress"),
    ("done", "Done"),
    ("not-applicable", "Not applicable"),
)
REFLECTIONS = (
    ("wins", "&Wins", "What went well since the last check-in?"),
    ("blockers", "&Blockers", "What got in the way?"),
    ("focus", "&Focus for next period", "What will you work on next?"),
)


@dataclass(frozen=True)
class WizardState:
    """What the wizard needs, loaded in one job off the GUI thread."""

    profile: ProfileInfo
    framework: Framework
    detail: CheckInDetail
    ratings: dict[str, CurrentRating]
    milestones: dict[str, CurrentMilestone]
    kpis: dict[str, tuple[float, date]]
    evidence: dict[str, list[EvidenceInfo]]  # per skill, since the last check-in
    linked: dict[str, set[str]]  # per skill, evidence linked to this check-in's rating

    @property
    def amending(self) -> bool:
        return self.detail.info.status == "final"


def load_wizard(services: Services, checkin_id: str) -> WizardState:
    detail = services.checkins.detail(checkin_id)
    profile = services.profiles.get(detail.info.profile_id)
    stage = profile.stage_on(detail.info.date)
    day = detail.info.date
    if detail.info.status == "final":  # amending: the state before this check-in
        day -= timedelta(days=1)
    return WizardState(
        profile=profile,
        framework=services.frameworks.get(stage.framework, stage.framework_version),
        detail=detail,
        ratings=services.checkins.current_ratings(profile.id, day),
        milestones=services.checkins.current_milestones(profile.id, day),
        kpis=services.checkins.last_kpi_values(profile.id, day),
        evidence=services.evidence.by_skill(profile.id, _last_checkin(services, detail.info)),
        linked=services.evidence.links(checkin_id),
    )


def _last_checkin(services: Services, info: CheckInInfo) -> date | None:
    """The date of the last final check-in before this one, if any."""
    days = [
        c.date
        for c in services.checkins.finals(info.profile_id)
        if c.id != info.id and c.date <= info.date
    ]
    return max(days, default=None)


def _text_label(text: str, parent: QWidget, *, muted: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setForegroundRole(label.foregroundRole().PlaceholderText)
    return label


def _note_edit(parent: QWidget, name: str, placeholder: str, text: str | None) -> QPlainTextEdit:
    edit = QPlainTextEdit(text or "", parent)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
    return edit


class Autosave(QObject):
    """Saves as the user types: choices at once, text after a pause in typing.

    Each save is a job for the worker, keyed by the field it stores; a newer job
    for the same field replaces one still waiting, and a field the user left is
    saved before the next, so saves reach the database in the order made. A failed
    save goes to `on_error`, or without one to the runner's central `failed`.
    """

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._on_error = on_error
        self._pending: dict[tuple[str, ...], Callable[[], None]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def queue(self, key: tuple[str, ...], job: Callable[[], None], *, now: bool) -> None:
        """Save at once, or after a pause in typing; a field the user left is saved first."""
        if key not in self._pending and self._pending:
            self.flush()
        self._pending[key] = job
        if now:
            self.flush()
        else:
            self._timer.start()

    def flush(self) -> None:
        """Hand every pending save to the worker, in order."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for job in pending.values():
            self._runner.submit(job, _saved, owner=self, on_error=self._on_error)


def _saved(_result: None) -> None:
    """A save has nothing to show once it is stored."""


class SkillRater(QGroupBox):
    """Rates one skill against the words of the scale.

    Signals:
        changed(bool): the rating changed; True when it should be saved at once.
    """

    changed = Signal(bool)
    link_toggled = Signal(str, bool)

    def __init__(self, skill: Skill, state: WizardState, parent: QWidget) -> None:
        super().__init__(skill.name, parent)
        self.skill = skill
        framework, profile = state.framework, state.profile
        stage = profile.stage_on(state.detail.info.date)
        layout = QVBoxLayout(self)
        about = skill.description or skill.use or skill.why_it_matters
        if about:
            layout.addWidget(_text_label(about, self))
        if skill.strong_performance:
            layout.addWidget(
                _text_label(f"Strong performance: {skill.strong_performance}", self, muted=True)
            )
        current = state.ratings.get(skill.id)
        if current is None:
            now = "never rated (counts as 0)"
        elif current.not_applicable:
            now = f"not applicable since {current.since.isoformat()}"
        else:
            now = f"{current.value} since {current.since.isoformat()}"
        level, target = framework.level(stage.level), framework.level(stage.target)
        expected = (
            f"Expected: {skill.expected.get(stage.level, 0)} as {level.name}, "
            f"{skill.expected.get(stage.target, 0)} as {target.name} (target). "
            f"Your current rating: {now}."
        )
        self.expectation = _text_label(expected, self)
        layout.addWidget(self.expectation)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.choices = QButtonGroup(self)
        keep = QRadioButton("Keep current", self)
        keep.setAccessibleName(f"{skill.name}: keep the current rating")
        self.choices.addButton(keep, KEEP)
        grid.addWidget(keep, 0, 0)
        grid.addWidget(_text_label("Skip: the current rating carries forward.", self), 0, 1)
        for row, point in enumerate(framework.rating_scale, start=1):
            button = QRadioButton(f"{point.value} · {point.label}", self)
            button.setAccessibleName(f"{skill.name}: {point.value}, {point.label}")
            self.choices.addButton(button, point.value)
            grid.addWidget(button, row, 0)
            grid.addWidget(_text_label(point.anchor, self, muted=True), row, 1)
        na = QRadioButton("Not applicable", self)
        na.setAccessibleName(f"{skill.name}: not applicable")
        critical = framework.is_critical(skill)
        na.setEnabled(not critical)
        explanation = (
            "Critical skills cannot be marked not applicable."
            if critical
            else "Leave this skill out of readiness."
        )
        self.choices.addButton(na, NOT_APPLICABLE)
        row = len(framework.rating_scale) + 1
        grid.addWidget(na, row, 0)
        grid.addWidget(_text_label(explanation, self, muted=True), row, 1)
        layout.addLayout(grid)

        extra = QHBoxLayout()
        self.confidence = QComboBox(self)
        self.confidence.setAccessibleName(f"{skill.name}: confidence")
        self.confidence.addItem("Confidence: not given", None)
        for value, word in ((1, "very low"), (2, "low"), (3, "medium"), (4, "high"),
                            (5, "very high")):  # fmt: skip
            self.confidence.addItem(f"Confidence: {value} ({word})", value)
        extra.addWidget(self.confidence)
        extra.addStretch(1)
        layout.addLayout(extra)
        entry = state.detail.ratings.get(skill.id)
        self.note = _note_edit(
            self, f"{skill.name}: note", "Private note (left out of shared reports unless you "
            "include private notes)", entry.note if entry else None,
        )  # fmt: skip
        layout.addWidget(self.note)

        self.linked = set(state.linked.get(skill.id, set()))
        self.evidence: dict[str, QCheckBox] = {}
        found = state.evidence.get(skill.id, [])
        if found:
            layout.addWidget(
                _text_label("Evidence since the last check-in (check to link it):", self)
            )
        for item in found:
            # "&&": a title's "&" is text, not a keyboard mnemonic
            box = QCheckBox(f"{item.date.isoformat()} · {item.title.replace('&', '&&')}", self)
            box.setAccessibleName(f"{skill.name}: link evidence {item.title}")
            box.setChecked(item.id in self.linked)
            box.toggled.connect(lambda on, e=item.id: self._on_evidence_toggled(e, on))
            self.evidence[item.id] = box
            layout.addWidget(box)

        if entry is None:
            keep.setChecked(True)
        elif entry.not_applicable:
            na.setChecked(True)
        elif entry.value is not None:
            self.choices.button(entry.value).setChecked(True)
        else:
            keep.setChecked(True)
        if entry is not None:
            self.confidence.setCurrentIndex(max(0, self.confidence.findData(entry.confidence)))
        self.choices.idToggled.connect(self._on_choice_toggled)
        self.confidence.currentIndexChanged.connect(lambda _i: self.changed.emit(True))
        self.note.textChanged.connect(lambda: self.changed.emit(False))

    def _on_evidence_toggled(self, evidence_id: str, on: bool) -> None:
        if on:
            self.linked.add(evidence_id)
        else:
            self.linked.discard(evidence_id)
        self.link_toggled.emit(evidence_id, on)

    def _on_choice_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.changed.emit(True)

    def save_job(self, services: Services, checkin_id: str) -> Callable[[], None]:
        """A job that stores this widget's state (a plain function of captured values)."""
        choice = self.choices.checkedId()
        confidence = self.confidence.currentData()
        note = self.note.toPlainText()
        skill_id = self.skill.id
        if choice == KEEP and not note and confidence is None and not self.linked:
            return lambda: services.checkins.clear(checkin_id, "rating", skill_id)
        return lambda: services.checkins.set_rating(
            checkin_id,
            skill_id,
            None if choice in (KEEP, NOT_APPLICABLE) else choice,
            not_applicable=choice == NOT_APPLICABLE,
            confidence=confidence,
            note=note or None,
        )


def _scroll(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


class CheckInPanel(QWidget):
    """The Check-in section: a start screen, or the wizard on the profile's draft.

    Signals:
        finalized(): a draft became a final check-in.
        draft_changed(): a draft was started (the Dashboard shows it).
    """

    finalized = Signal()
    draft_changed = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id: str | None = None
        self._state: WizardState | None = None
        self._read_only = False  # a profile shared with you: nothing to check in here
        self._saves = Autosave(runner, self)

        self._modes = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._modes)
        self._start = self._build_start()
        self._modes.addWidget(self._start)
        self._wizard = QWidget(self)
        self._modes.addWidget(self._wizard)
        self._build_wizard_frame()

    # -- the start screen ------------------------------------------------------

    def _build_start(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.start_message = _text_label(START_TEXT, page)
        layout.addWidget(self.start_message)
        form = QFormLayout()
        self.start_date = date_edit(date.today(), "Check-in date", page)
        label = QLabel("Check-in &date:", page)
        label.setBuddy(self.start_date)
        form.addRow(label, self.start_date)
        layout.addLayout(form)
        self.start_button = QPushButton("&Start the check-in", page)
        self.start_button.clicked.connect(self._on_start_clicked)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def set_read_only(self, line: str | None) -> None:
        """For a profile shared with you, the start screen says whose it is (`line`), and
        no check-in can be started or amended; None for your own profile."""
        self._read_only = line is not None
        self.start_message.setText(line or START_TEXT)
        self.start_date.setEnabled(not self._read_only)
        self.start_button.setEnabled(not self._read_only)

    def show_profile(self, profile_id: str) -> None:
        """Open the profile's draft if one is waiting, else the start screen."""
        self.flush()
        self._profile_id = profile_id
        self._state = None
        self._modes.setCurrentWidget(self._start)
        self.start_date.setDate(to_qdate(date.today()))
        self.start_button.setEnabled(False)  # until we know whether a draft is waiting
        checkins = self._services.checkins
        # One key for what the panel is to show: the draft looked up, then the wizard loaded.
        self._runner.submit(
            lambda: checkins.draft(profile_id),
            self._on_draft_found,
            owner=self,
            key="wizard",
            on_error=self._on_load_failed,
        )

    def _on_load_failed(self, error: BaseException) -> None:
        self._show_start(describe(error))

    def _on_draft_found(self, draft: CheckInInfo | None) -> None:
        if draft is None:
            self.start_button.setEnabled(not self._read_only)
            return
        self.open_checkin(draft.id)

    def _on_start_clicked(self) -> None:
        profile_id, day = self._profile_id, to_date(self.start_date.date())
        if profile_id is None:
            return
        self.start_button.setEnabled(False)
        checkins = self._services.checkins
        self._runner.submit(
            lambda: checkins.start_draft(profile_id, day),
            self._on_started,
            owner=self,
            on_error=self._on_start_failed,
        )

    def _on_started(self, info: CheckInInfo) -> None:
        self.start_button.setEnabled(True)
        self.draft_changed.emit()
        if info.profile_id == self._profile_id:  # else it opens when its profile is shown
            self.open_checkin(info.id)

    def _on_start_failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        self._show_start(describe(error))

    def _show_start(self, message: str) -> None:
        self.start_message.setText(message)
        self._modes.setCurrentWidget(self._start)

    # -- the wizard ------------------------------------------------------------

    def _build_wizard_frame(self) -> None:
        layout = QVBoxLayout(self._wizard)
        self.heading = _text_label("", self._wizard)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.heading.setFont(font)
        self.step_label = _text_label("", self._wizard)
        self.step_label.setAccessibleName("Step")
        layout.addWidget(self.heading)
        layout.addWidget(self.step_label)
        self.steps = QStackedWidget(self._wizard)
        layout.addWidget(self.steps, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("&Back", self._wizard)
        self.next_button = QPushButton("&Next", self._wizard)
        self.finish_button = QPushButton("&Finalise check-in", self._wizard)
        self.back_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() + 1))
        self.finish_button.clicked.connect(self._on_finish_clicked)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.finish_button)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self._wizard)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._on_advance)

    def open_checkin(self, checkin_id: str) -> None:
        """Show the wizard on a draft, or on a final check-in to amend it."""
        if self._read_only:  # the start screen says why not
            return
        self.flush()
        services = self._services
        self._runner.submit(
            lambda: load_wizard(services, checkin_id),
            self._on_loaded,
            owner=self,
            key="wizard",
            on_error=self._on_load_failed,
        )

    def _on_loaded(self, state: WizardState) -> None:
        self.start_button.setEnabled(True)
        self._state = state
        self._profile_id = state.profile.id
        while self.steps.count():
            widget = self.steps.widget(0)
            assert widget is not None
            self.steps.removeWidget(widget)
            widget.deleteLater()
        self._page_builders: list[tuple[str, Callable[[], QWidget]]] = [
            (d.name, partial(self._dimension_page, d)) for d in state.framework.dimensions
        ]
        self._page_builders += [
            ("Milestones", self._milestones_page),
            ("KPIs", self._kpis_page),
            ("Reflection", self._reflection_page),
            ("Review", self._review_page),
        ]
        for _title, _builder in self._page_builders:
            self.steps.addWidget(QWidget())  # built when first shown: fast to open
        self._built: set[int] = set()
        info = state.detail.info
        if state.amending:
            self.heading.setText(
                f"Amending the check-in of {info.date.isoformat()}: every change is logged."
            )
            self.finish_button.setText("&Done")
        else:
            self.heading.setText(
                f"Check-in of {info.date.isoformat()} — a draft, saved as you type."
            )
            self.finish_button.setText("&Finalise check-in")
        self._modes.setCurrentWidget(self._wizard)
        self.go_to(0)

    def go_to(self, index: int) -> None:
        if self._state is None or not 0 <= index < self.steps.count():
            return
        self.flush()
        if index not in self._built:
            placeholder = self.steps.widget(index)
            assert placeholder is not None
            page = self._page_builders[index][1]()
            self.steps.insertWidget(index, page)
            self.steps.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built.add(index)
        self.steps.setCurrentIndex(index)
        title = self._page_builders[index][0]
        self.step_label.setText(f"Step {index + 1} of {self.steps.count()}: {title}")
        last = index == self.steps.count() - 1
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(not last)
        self.finish_button.setVisible(last)
        if last:
            self._load_review()
        (self.finish_button if last else self.next_button).setDefault(True)

    def current_step(self) -> int:
        return self.steps.currentIndex()

    def _on_advance(self) -> None:
        if self.steps.currentIndex() == self.steps.count() - 1:
            self._on_finish_clicked()
        else:
            self.go_to(self.steps.currentIndex() + 1)

    # -- saving ----------------------------------------------------------------

    def flush(self) -> None:
        """Hand every pending save to the worker, in order."""
        self._saves.flush()

    def _link_job(self, skill_id: str, evidence_id: str, on: bool) -> Callable[[], None]:
        evidence, checkin_id = self._services.evidence, self._checkin_id()
        if on:
            return lambda: evidence.link(checkin_id, skill_id, evidence_id)
        return lambda: evidence.unlink(checkin_id, skill_id, evidence_id)

    def _checkin_id(self) -> str:
        assert self._state is not None
        return self._state.detail.info.id

    # -- pages -----------------------------------------------------------------

    def _dimension_page(self, dimension: Dimension) -> QWidget:
        assert self._state is not None
        content = QWidget()
        layout = QVBoxLayout(content)
        if dimension.description:
            layout.addWidget(_text_label(dimension.description, content, muted=True))
        for skill in (s for s in self._state.framework.skills if s.dimension == dimension.id):
            rater = SkillRater(skill, self._state, content)
            rater.changed.connect(
                lambda now, r=rater: self._saves.queue(
                    ("rating", r.skill.id), r.save_job(self._services, self._checkin_id()), now=now
                )
            )
            rater.link_toggled.connect(
                lambda evidence_id, on, r=rater: self._saves.queue(
                    ("link", r.skill.id, evidence_id),
                    self._link_job(r.skill.id, evidence_id, on),
                    now=True,
                )
            )
            layout.addWidget(rater)
        layout.addStretch(1)
        return _scroll(content)

    def _milestones_page(self) -> QWidget:
        state = self._state
        assert state is not None
        content = QWidget()
        layout = QVBoxLayout(content)
        day = state.detail.info.date
        for horizon in HORIZONS:
            milestones = [m for m in state.framework.milestones if m.horizon == horizon]
            if not milestones:
                continue
            due = due_date(state.profile.role_start, horizon)
            box = QGroupBox(f"{HORIZON_NAMES[horizon]} — due {due.isoformat()}", content)
            grid = QGridLayout(box)
            grid.setColumnStretch(0, 1)
            for row, milestone in enumerate(milestones):
                current = state.milestones.get(milestone.id)
                status = current.status if current else "not-started"
                overdue = due < day and status not in {"done", "not-applicable"}
                text = milestone.title + ("  ⚠ overdue" if overdue else "")
                label = _text_label(text, box)
                label.setAccessibleName(milestone.title)
                combo = QComboBox(box)
                combo.setAccessibleName(f"{milestone.title}: status")
                for value, name in MILESTONE_CHOICES:
                    shown = f"{name} (now: {status.replace('-', ' ')})" if not value else name
                    combo.addItem(shown, value)
                entry = state.detail.milestones.get(milestone.id)
                combo.setCurrentIndex(max(0, combo.findData(entry.status if entry else "")))
                when = date_edit(
                    entry.status_date if entry and entry.status_date else day,
                    f"{milestone.title}: status date",
                    box,
                )
                note = QLineEdit(entry.note if entry and entry.note else "", box)
                note.setPlaceholderText("Private note")
                note.setAccessibleName(f"{milestone.title}: note")
                grid.addWidget(label, row * 2, 0, 1, 3)
                grid.addWidget(combo, row * 2 + 1, 0)
                grid.addWidget(when, row * 2 + 1, 1)
                grid.addWidget(note, row * 2 + 1, 2)

                def save(
                    now: bool,
                    m: str = milestone.id,
                    c: QComboBox = combo,
                    w: QDateEdit = when,
                    n: QLineEdit = note,
                ) -> None:
                    checkin_id, value = self._checkin_id(), c.currentData()
                    status_date, text = to_date(w.date()), n.text() or None
                    job: Callable[[], None] = (
                        (lambda: self._services.checkins.clear(checkin_id, "milestone", m))
                        if not value
                        else lambda: self._services.checkins.set_milestone(
                            checkin_id, m, value, status_date=status_date, note=text
                        )
                    )
                    self._saves.queue(("milestone", m), job, now=now)

                combo.currentIndexChanged.connect(lambda _i, s=save: s(True))
                when.dateChanged.connect(lambda _d, s=save, c=combo: c.currentData() and s(True))
                note.textEdited.connect(lambda _t, s=save, c=combo: c.currentData() and s(False))
            layout.addWidget(box)
        layout.addStretch(1)
        return _scroll(content)

    def _kpis_page(self) -> QWidget:
        state = self._state
        assert state is not None
        content = QWidget()
        layout = QVBoxLayout(content)
        for kpi in state.framework.kpis:
            layout.addWidget(self._kpi_row(kpi, state, content))
        layout.addStretch(1)
        return _scroll(content)

    def _kpi_row(self, kpi: Kpi, state: WizardState, parent: QWidget) -> QWidget:
        box = QGroupBox(kpi.name, parent)
        grid = QGridLayout(box)
        last = state.kpis.get(kpi.id)
        unit = f" {kpi.unit}" if kpi.unit else ""
        last_text = (
            f"Last value: {last[0]:g}{unit} ({last[1].isoformat()})" if last else "No value yet"
        )
        grid.addWidget(
            _text_label(f"{kpi.measures}. Target: {kpi.target_text}. {last_text}.", box), 0, 0, 1, 3
        )
        edit = QLineEdit(box)
        edit.setAccessibleName(f"{kpi.name}: value")
        edit.setPlaceholderText("Value")
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0") * 18)
        validator = QDoubleValidator(box)
        validator.setLocale(QLocale.c())
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        edit.setValidator(validator)
        entry = state.detail.kpis.get(kpi.id)
        if entry is not None:
            edit.setText(f"{entry.value:g}")
        grid.addWidget(edit, 1, 0)
        grid.addWidget(_text_label(kpi.unit or "", box), 1, 1)
        grid.setColumnStretch(2, 1)

        def save() -> None:
            checkin_id, text, kpi_id = self._checkin_id(), edit.text(), kpi.id
            try:
                value = float(text)
            except ValueError:
                value = None
            job: Callable[[], None] = (
                (lambda: self._services.checkins.clear(checkin_id, "kpi", kpi_id))
                if value is None
                else lambda: self._services.checkins.set_kpi(checkin_id, kpi_id, value)
            )
            self._saves.queue(("kpi", kpi_id), job, now=False)

        edit.textEdited.connect(lambda _t: save())
        return box

    def _reflection_page(self) -> QWidget:
        state = self._state
        assert state is not None
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _text_label("Your reflection is private unless you choose to share it.", page)
        )
        for field, title, placeholder in REFLECTIONS:
            label = QLabel(title, page)
            edit = QPlainTextEdit(state.detail.reflection.get(field) or "", page)
            edit.setAccessibleName(title.replace("&", ""))
            edit.setPlaceholderText(placeholder)
            edit.setTabChangesFocus(True)
            label.setBuddy(edit)
            layout.addWidget(label)
            layout.addWidget(edit)

            def save(f: str = field, e: QPlainTextEdit = edit) -> None:
                checkin_id, text = self._checkin_id(), e.toPlainText()
                self._saves.queue(
                    ("reflection", f),
                    lambda: self._services.checkins.set_reflection(checkin_id, f, text or None),
                    now=False,
                )

            edit.textChanged.connect(save)
        return page

    def _review_page(self) -> QWidget:
        page = QWidget()
        self._review = page
        layout = QVBoxLayout(page)
        self.review_summary = _text_label("", page)
        layout.addWidget(self.review_summary)
        self.review_list = QPlainTextEdit(page)
        self.review_list.setReadOnly(True)
        self.review_list.setAccessibleName("Changes since the last check-in")
        layout.addWidget(self.review_list, 1)
        return page

    def _load_review(self) -> None:
        state = self._state
        if state is None:
            return
        checkin_id = self._checkin_id()
        if state.amending:
            self.review_summary.setText(
                "Your amendments are saved and logged; History shows the log."
            )
            self.review_list.setPlainText("")
            return
        self.review_summary.setText("Loading what changed…")
        checkins, framework = self._services.checkins, state.framework
        self._runner.submit(  # owned by the page it fills, which goes with its wizard
            lambda: checkins.changes(checkin_id),
            lambda changes: self._on_review_loaded(framework, changes),
            owner=self._review,
            key="review",
        )

    def _on_review_loaded(self, framework: Framework, changes: list[Change]) -> None:
        names = {s.id: s.name for s in framework.skills}
        names.update({m.id: m.title for m in framework.milestones})
        up = sum(1 for c in changes if c.kind == "rating" and c.direction > 0)
        down = sum(1 for c in changes if c.kind == "rating" and c.direction < 0)
        done = sum(1 for c in changes if c.kind == "milestone" and c.after == "done")
        if not changes:
            summary = "Nothing changed since the last check-in; finalising records that."
        else:
            summary = (
                f"Since the last check-in: {up} rating{'s' if up != 1 else ''} up, {down} down, "
                f"{done} milestone{'s' if done != 1 else ''} completed. Finalise when ready."
            )
        self.review_summary.setText(summary)
        lines = []
        for change in changes:
            mark = "▲" if change.direction > 0 else "▼" if change.direction < 0 else "•"
            before, after = change.before.replace("-", " "), change.after.replace("-", " ")
            lines.append(f"{mark} {names.get(change.item_id, change.item_id)}: {before} → {after}")
        self.review_list.setPlainText("\n".join(lines))

    def _on_finish_clicked(self) -> None:
        state = self._state
        if state is None:
            return
        self.flush()
        if state.amending:
            self._state = None
            self.finalized.emit()
            self._show_start("Your amendments are saved. Start a new check-in when you are ready.")
            return
        checkin_id, checkins = self._checkin_id(), self._services.checkins
        self.finish_button.setEnabled(False)
        self._runner.submit(
            lambda: checkins.finalize(checkin_id),
            self._on_finalized,
            owner=self,
            on_error=self._on_finalize_failed,
        )

    def _on_finalized(self, _result: None) -> None:
        self.finish_button.setEnabled(True)
        self._state = None
        self._show_start("Check-in finalised. The next one is on your Dashboard.")
        self.finalized.emit()

    def _on_finalize_failed(self, error: BaseException) -> None:
        self.finish_button.setEnabled(True)
        self._show_start(describe(error))
