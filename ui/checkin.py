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

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.framework.model import HORIZONS, Dimension, Framework, Kpi, Skill
from app.milestones import due_date
from app.readiness import format_score
from app.services import Services
from app.services.checkins import (
    NOT_RATED,
    Change,
    CheckInDetail,
    CheckInInfo,
    CurrentMilestone,
    CurrentRating,
)
from app.services.evidence import EvidenceInfo
from app.services.manager import Assessment
from app.services.profiles import ProfileInfo
from ui import dialogs
from ui.numbers import example, number_locale, read_number, show_number
from ui.profile_form import date_edit, to_date, to_qdate
from ui.settings import Settings
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
    ("blockers", "B&lockers", "What got in the way?"),  # Alt+B is Back
    ("focus", "Focus for the ne&xt period", "What will you work on next?"),  # Alt+F: File
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
    # Your own profile: the latest assessment your manager sent back, on or before the day.
    received: Assessment | None = None

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
        received=_received(services, profile.id, detail.info.date),
    )


def _received(services: Services, profile_id: str, day: date) -> Assessment | None:
    found = [a for a in services.manager.received(profile_id) if a.date and a.date <= day]
    return found[-1] if found else None


def received_text(assessment: Assessment | None, skill_id: str) -> str | None:
    """ "Jordan Lee rated 3 on 2026-06-01."; None unless they rated the skill."""
    if assessment is None or assessment.date is None or skill_id not in assessment.calibrations:
        return None
    who = assessment.assessor.name if assessment.assessor else "Your manager"
    value = assessment.calibrations[skill_id]
    return f"{who} rated {value} on {assessment.date.isoformat()}."


def _last_checkin(services: Services, info: CheckInInfo) -> date | None:
    """The date of the last final check-in before this one, if any."""
    days = [
        c.date
        for c in services.checkins.finals(info.profile_id)
        if c.id != info.id and c.date <= info.date
    ]
    return max(days, default=None)


@dataclass(frozen=True)
class Finalised:
    """What finalising a check-in changed, for the Dashboard to say."""

    day: date
    before: float | None  # readiness on the check-in's date without it
    after: float | None
    changes: list[Change]
    not_rated: int  # skills of the framework without a rating after it, as the wizard counts

    def sentence(self) -> str:
        up = sum(1 for c in self.changes if c.kind == "rating" and c.direction > 0)
        down = sum(1 for c in self.changes if c.kind == "rating" and c.direction < 0)
        first = sum(1 for c in self.changes if c.kind == "rating" and c.before == NOT_RATED)
        if self.after is None:
            readiness = "readiness is not assessable yet"
        elif self.before is None:
            readiness = f"readiness {format_score(self.after)}"
        else:
            readiness = f"readiness {format_score(self.before)} → {format_score(self.after)}"
        parts = [f"{up} rating{'s' if up != 1 else ''} up", f"{down} down"]
        if first:
            parts.append(f"{first} rated for the first time")
        if self.not_rated:
            parts.append(f"{self.not_rated} still not rated yet")
        return f"Check-in of {self.day.isoformat()} finalised: {readiness}; {', '.join(parts)}."


def finalize_and_compare(services: Services, checkin_id: str) -> Finalised:
    """Finalise a draft and say what it changed (readiness before and after, ratings)."""
    info = services.checkins.detail(checkin_id).info
    changes = services.checkins.changes(checkin_id)
    before = services.readiness.as_of(info.profile_id, info.date, with_projection=False)
    services.checkins.finalize(checkin_id)
    after = services.readiness.as_of(info.profile_id, info.date, with_projection=False)
    rated = services.checkins.current_ratings(info.profile_id, info.date)
    stage = services.profiles.get(info.profile_id).stage_on(info.date)
    skills = services.frameworks.get(stage.framework, stage.framework_version).skills
    not_rated = sum(skill.id not in rated for skill in skills)
    return Finalised(info.date, before.readiness, after.readiness, changes, not_rated)


def _text_label(text: str, parent: QWidget, *, muted: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setForegroundRole(label.foregroundRole().PlaceholderText)
    return label


def _note_edit(
    parent: QWidget, name: str, placeholder: str, text: str | None, *, lines: int = 3
) -> QPlainTextEdit:
    edit = QPlainTextEdit(text or "", parent)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
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

    def discard(self, key: tuple[str, ...]) -> None:
        """Drop a field's waiting save: what it now holds is not to be stored."""
        self._pending.pop(key, None)

    def flush(self) -> None:
        """Hand every pending save to the worker, in order."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for job in pending.values():
            self._runner.submit(job, _saved, owner=self, on_error=self._on_error)


def _saved(_result: None) -> None:
    """A save has nothing to show once it is stored."""


class SkillRater(QFrame):
    """Rates one skill in one compact row: its name and description, the scale's values
    with the expected ratings marked, confidence, a note, and the evidence to link.

    The scale's words are the same for every skill, so they are shown once per page
    (`scale_legend`) and in each value's tooltip. With the focus anywhere in the
    row, the keys 0 to the scale's top rate the skill. A skill with no earlier
    rating starts "Not rated" (there is nothing to keep); one with a rating starts
    "Keep N", carrying it forward.

    Signals:
        changed(bool): the rating changed; True when it should be saved at once.
        link_toggled(str, bool): evidence linked to (or unlinked from) this rating.
    """

    changed = Signal(bool)
    link_toggled = Signal(str, bool)

    def __init__(self, skill: Skill, state: WizardState, parent: QWidget) -> None:
        super().__init__(parent)
        self.skill = skill
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(skill.name)
        framework, profile = state.framework, state.profile
        stage = profile.stage_on(state.detail.info.date)
        critical = framework.is_critical(skill)
        layout = QVBoxLayout(self)
        title = QLabel(skill.name + ("  ·  Critical" if critical else ""), self)
        title.setTextFormat(Qt.TextFormat.PlainText)  # an "&" in a name is text
        title.setWordWrap(True)
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        layout.addWidget(title)
        about = skill.description or skill.use or skill.why_it_matters
        if about:
            layout.addWidget(_text_label(about, self, muted=True))
        if skill.strong_performance:  # on demand: it is long, and the same every time
            more = QToolButton(self)
            more.setText("Strong performance")
            more.setCheckable(True)
            more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            more.setArrowType(Qt.ArrowType.RightArrow)
            more.setAutoRaise(True)
            more.setAccessibleName(f"{skill.name}: show strong performance")
            strong = _text_label(skill.strong_performance, self, muted=True)
            strong.setVisible(False)
            more.toggled.connect(strong.setVisible)
            more.toggled.connect(
                lambda on, b=more: b.setArrowType(
                    Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow
                )
            )
            layout.addWidget(more, alignment=Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(strong)

        current = state.ratings.get(skill.id)
        self.rated_before = current is not None
        now_level = skill.expected.get(stage.level, 0)
        at_target = skill.expected.get(stage.target, 0)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.choices = QButtonGroup(self)
        if current is None:
            keep_text, keep_tip = "Not rated", "No rating yet: it counts as 0 until you rate it."
        elif current.not_applicable:
            keep_text, keep_tip = (
                "Keep n/a",
                "Keep it not applicable, as since " + (current.since.isoformat()),
            )
        else:
            keep_text = f"Keep {current.value}"
            keep_tip = f"Keep {current.value}, the rating since {current.since.isoformat()}."
        keep = QRadioButton(keep_text, self)
        keep.setToolTip(keep_tip)
        keep.setAccessibleName(f"{skill.name}: {keep_tip}")
        self.choices.addButton(keep, KEEP)
        grid.addWidget(keep, 0, 0)
        for column, point in enumerate(framework.rating_scale, start=1):
            button = QRadioButton(str(point.value), self)
            button.setToolTip(f"{point.value} · {point.label}: {point.anchor}")
            button.setAccessibleName(f"{skill.name}: {point.value}, {point.label}")
            self.choices.addButton(button, point.value)
            grid.addWidget(button, 0, column)
            marks = [
                word
                for word, expected in (("expected now", now_level), ("target", at_target))
                if expected == point.value
            ]
            if marks:
                mark = _text_label(" · ".join(marks), self, muted=True)
                mark.setAccessibleName(f"{skill.name}: {' and '.join(marks)} {point.value}")
                grid.addWidget(mark, 1, column)
        na = QRadioButton("n/a", self)
        na.setAccessibleName(f"{skill.name}: not applicable")
        na.setEnabled(not critical)
        na.setToolTip(
            "Critical skills cannot be marked not applicable."
            if critical
            else "Not applicable: leave this skill out of readiness."
        )
        self.choices.addButton(na, NOT_APPLICABLE)
        grid.addWidget(na, 0, len(framework.rating_scale) + 1)
        grid.setColumnStretch(len(framework.rating_scale) + 2, 1)
        layout.addLayout(grid)
        level, target = framework.level(stage.level), framework.level(stage.target)
        if current is None:
            now = "not rated yet"
        elif current.not_applicable:
            now = f"not applicable since {current.since.isoformat()}"
        else:
            now = f"{current.value} since {current.since.isoformat()}"
        self.expectation = _text_label(
            f"Expected {now_level} as {level.name}, {at_target} as {target.name} (the target). "
            f"Your rating: {now}.",
            self,
            muted=True,
        )
        layout.addWidget(self.expectation)
        # Beside your own rating, your manager's, in the text's own colour to stand out.
        calibrated = received_text(state.received, skill.id)
        self.received: QLabel | None = None
        if calibrated is not None:
            self.received = _text_label(calibrated, self)
            self.received.setAccessibleName(f"{skill.name}: {calibrated}")
            layout.addWidget(self.received)

        extra = QHBoxLayout()
        self.confidence = QComboBox(self)
        self.confidence.setAccessibleName(f"{skill.name}: confidence")
        self.confidence.addItem("Confidence: not given", None)
        for value, word in ((1, "very low"), (2, "low"), (3, "medium"), (4, "high"),
                            (5, "very high")):  # fmt: skip
            self.confidence.addItem(f"Confidence: {value} ({word})", value)
        extra.addWidget(self.confidence, alignment=Qt.AlignmentFlag.AlignTop)
        entry = state.detail.ratings.get(skill.id)
        self.note = _note_edit(
            self, f"{skill.name}: note", "Private note (left out of shared reports unless you "
            "include private notes)", entry.note if entry else None, lines=2,
        )  # fmt: skip
        extra.addWidget(self.note, 1)
        layout.addLayout(extra)

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

        if entry is not None and entry.not_applicable:
            na.setChecked(True)
        elif entry is not None and entry.value is not None:
            self.choices.button(entry.value).setChecked(True)
        else:
            keep.setChecked(True)
        if entry is not None:
            self.confidence.setCurrentIndex(max(0, self.confidence.findData(entry.confidence)))
        for point in framework.rating_scale:  # the focused row takes a digit as its rating
            digit = QShortcut(QKeySequence(str(point.value)), self)
            digit.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            digit.activated.connect(lambda v=point.value: self._on_digit(v))
        self.choices.idToggled.connect(self._on_choice_toggled)
        self.confidence.currentIndexChanged.connect(lambda _i: self.changed.emit(True))
        self.note.textChanged.connect(lambda: self.changed.emit(False))

    @property
    def rated(self) -> bool:
        """Whether the skill has a rating (or n/a) once this check-in is finalised."""
        choice = self.choices.checkedId()
        return choice != KEEP or self.rated_before

    def _on_digit(self, value: int) -> None:
        button = self.choices.button(value)
        button.setChecked(True)
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)

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


def scale_legend(framework: Framework, parent: QWidget) -> QWidget:
    """The scale's words once per page: every skill is rated on the same anchors."""
    box = QFrame(parent)
    box.setAccessibleName("The rating scale")
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setColumnStretch(1, 1)
    grid.addWidget(_text_label("The scale, the same for every skill:", box), 0, 0, 1, 2)
    for row, point in enumerate(framework.rating_scale, start=1):
        value = QLabel(f"{point.value} · {point.label}", box)
        value.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(value, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(_text_label(point.anchor, box, muted=True), row, 1)
    hint = (
        '"expected now" and "target" mark the rating expected at your level and at the '
        "target level. With a skill focused, the keys 0–"
        f"{framework.max_rating} rate it."
    )
    grid.addWidget(_text_label(hint, box, muted=True), len(framework.rating_scale) + 1, 0, 1, 2)
    return box


def _scroll(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


class CheckInPanel(QWidget):
    """The Check-in section: a start screen, or the wizard on the profile's draft.

    Signals:
        finalized(str): a draft became a final check-in; the sentence says what changed.
        draft_changed(): a draft was started (the Dashboard shows it).
    """

    finalized = Signal(str)
    draft_changed = Signal()

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        settings: Settings,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._settings = settings
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
        # A date is short: the field keeps its own width rather than spanning the page.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
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
            lambda: any(c.date == day for c in checkins.finals(profile_id)),
            lambda same_day: self._on_day_checked(profile_id, day, same_day),
            owner=self,
            on_error=self._on_start_failed,
        )

    def _on_day_checked(self, profile_id: str, day: date, same_day: bool) -> None:
        """A second check-in on one day is allowed, but asked about first."""
        if same_day and not dialogs.confirm(
            self,
            "Check-in",
            f"You already finalised a check-in on {day.isoformat()}. Start another one for the "
            "same day? What it rates replaces the first one's ratings for that day.",
            "Start another",
        ):
            self.start_button.setEnabled(True)
            return
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
        self.finish_button = QPushButton("Finali&se check-in", self._wizard)
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
        self._unrated = {
            s.id
            for s in state.framework.skills
            if s.id not in state.ratings
            and not (
                (entry := state.detail.ratings.get(s.id)) is not None
                and (entry.value is not None or entry.not_applicable)
            )
        }
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
            self.finish_button.setText("Finali&se check-in")
        self._modes.setCurrentWidget(self._wizard)
        # A draft reopens where it was left; an amendment starts at the first page.
        step = 0 if state.amending else self._settings.draft_step(info.id)
        self.go_to(min(step, self.steps.count() - 1))

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
        self._settings.set_draft_step(self._checkin_id(), index)
        self._show_step()
        last = index == self.steps.count() - 1
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(not last)
        self.finish_button.setVisible(last)
        if last:
            self._load_review()
        (self.finish_button if last else self.next_button).setDefault(True)

    def _show_step(self) -> None:
        """The step's title, and how many skills are still not rated yet."""
        assert self._state is not None
        index = self.steps.currentIndex()
        title = self._page_builders[index][0]
        total = len(self._state.framework.skills)
        unrated = (
            f" · {len(self._unrated)} of {total} skills not rated yet" if self._unrated else ""
        )
        self.step_label.setText(f"Step {index + 1} of {self.steps.count()}: {title}{unrated}")

    def _on_rated(self, rater: SkillRater) -> None:
        if rater.rated:
            self._unrated.discard(rater.skill.id)
        else:
            self._unrated.add(rater.skill.id)
        self._show_step()

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
        layout.addWidget(scale_legend(self._state.framework, content))
        for skill in (s for s in self._state.framework.skills if s.dimension == dimension.id):
            rater = SkillRater(skill, self._state, content)
            rater.changed.connect(lambda _now, r=rater: self._on_rated(r))
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
            grid.setColumnStretch(3, 1)  # the note takes the room left
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
                note.setMinimumWidth(note.fontMetrics().horizontalAdvance("0") * 24)
                as_of = QLabel("as of", box)
                as_of.setBuddy(when)
                grid.addWidget(label, row * 2, 0, 1, 4)
                grid.addWidget(combo, row * 2 + 1, 0)
                grid.addWidget(as_of, row * 2 + 1, 1)
                grid.addWidget(when, row * 2 + 1, 2)
                grid.addWidget(note, row * 2 + 1, 3)

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
        """A KPI's value, read in the user's locale (4,5 in German is 4.5): text that is
        not a number says so beside the field and is not saved, never read as 45."""
        box = QFrame(parent)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        title = QLabel(kpi.name, box)
        title.setTextFormat(Qt.TextFormat.PlainText)
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        grid.addWidget(title, 0, 0, 1, 3)
        locale = number_locale()
        last = state.kpis.get(kpi.id)
        unit = f" {kpi.unit}" if kpi.unit else ""
        last_text = (
            f"Last value: {show_number(last[0], locale)}{unit} ({last[1].isoformat()})"
            if last
            else "No value yet"
        )
        grid.addWidget(
            _text_label(f"{kpi.measures}. Target: {kpi.target_text}. {last_text}.", box), 1, 0, 1, 3
        )
        edit = QLineEdit(box)
        edit.setAccessibleName(f"{kpi.name}: value")
        edit.setPlaceholderText(f"Value, e.g. {example(locale)}")
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0") * 18)
        entry = state.detail.kpis.get(kpi.id)
        if entry is not None:
            edit.setText(show_number(entry.value, locale))
        grid.addWidget(edit, 2, 0)
        grid.addWidget(_text_label(kpi.unit or "", box), 2, 1)
        problem = _text_label("", box)
        problem.setAccessibleName(f"{kpi.name}: problem")
        grid.addWidget(problem, 2, 2)
        grid.setColumnStretch(2, 1)

        def save() -> None:
            checkin_id, text, kpi_id = self._checkin_id(), edit.text().strip(), kpi.id
            value = read_number(text, locale)
            problem.setText(
                ""
                if value is not None or not text
                else f"Not a number; write it as {example(locale)}. Not saved."
            )
            if value is None and text:  # nor the "4" typed on the way to "4.5"
                self._saves.discard(("kpi", kpi_id))
                return
            checkins = self._services.checkins
            job: Callable[[], None] = (
                (lambda: checkins.clear(checkin_id, "kpi", kpi_id))
                if value is None
                else lambda: checkins.set_kpi(checkin_id, kpi_id, value)
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
        first = sum(1 for c in changes if c.kind == "rating" and c.before == NOT_RATED)
        done = sum(1 for c in changes if c.kind == "milestone" and c.after == "done")
        if not changes:
            summary = "Nothing changed since the last check-in; finalising records that."
        else:
            parts = [f"{up} rating{'s' if up != 1 else ''} up", f"{down} down"]
            if first:
                parts.append(f"{first} rated for the first time")
            parts.append(f"{done} milestone{'s' if done != 1 else ''} completed")
            summary = f"Since the last check-in: {', '.join(parts)}."
        if self._unrated:
            total = len(framework.skills)
            summary += (
                f" {len(self._unrated)} of {total} skills are not rated yet; they count as 0 "
                "until rated."
            )
        self.review_summary.setText(summary + " Finalise when ready.")
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
            self.finalized.emit("")
            self._show_start("Your amendments are saved. Start a new check-in when you are ready.")
            return
        critical = [
            s
            for s in state.framework.skills
            if s.id in self._unrated and state.framework.is_critical(s)
        ]
        if critical and not dialogs.confirm(
            self,
            "Finalise check-in",
            "These critical skills are not rated yet, so they count as 0 and hold the verdict "
            f"back: {', '.join(s.name for s in critical)}. Finalise anyway?",
            "Finalise anyway",
        ):
            self.go_to(self._page_of(critical[0]))
            return
        checkin_id, services = self._checkin_id(), self._services
        self.finish_button.setEnabled(False)
        self._runner.submit(
            lambda: finalize_and_compare(services, checkin_id),
            self._on_finalized,
            owner=self,
            on_error=self._on_finalize_failed,
        )

    def _page_of(self, skill: Skill) -> int:
        assert self._state is not None
        dimensions = [d.id for d in self._state.framework.dimensions]
        return dimensions.index(skill.dimension)

    def _on_finalized(self, outcome: Finalised) -> None:
        self.finish_button.setEnabled(True)
        self._state = None
        self._show_start("Check-in finalised. The next one is on your Dashboard.")
        self.finalized.emit(outcome.sentence())

    def _on_finalize_failed(self, error: BaseException) -> None:
        self.finish_button.setEnabled(True)
        self._show_start(describe(error))
