"""The manager's side of a profile shared with them: calibration, comments, a recommendation.

A shared profile is its owner's and read-only here; what the manager adds lives
apart (`app.services.manager`), so importing a newer bundle never touches it.
The Assessment section shows only while such a profile is current. Everything
is saved as the manager types, on the worker, as in the check-in wizard, into
today's assessment, signed with the data folder's owner (Settings); earlier
assessments are listed with their date and assessor, and shown read-only. With
no owner known yet, the first change asks once who signs (`ui.identity`) and is
saved once they say; declined, nothing is saved and the section waits for them.

On your own profile the section shows, read-only, the assessments your manager sent
back in assessment bundles (`ManagerService.received`): their calibrations beside
your own ratings, their comments and recommendation. It shows only once one was
received, and nothing in it changes your ratings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.framework.model import Framework
from app.services import Services
from app.services.identity import Identity
from app.services.manager import EMPTY, Assessment, CalibrationRow
from app.services.profiles import ProfileInfo
from ui import dialogs
from ui.calibration import NOT_RATED, CalibrationModel, RatingDelegate
from ui.checkin import Autosave
from ui.identity import SignDialog
from ui.read_only import ReadOnlyLine, shared_line
from ui.table_model import prefer_name
from ui.tasks import TaskRunner
from ui.text import literal

EXPLANATION = (
    "What you add here is yours, not the owner's: saved as you type into today's assessment, "
    "signed by you, kept on this computer when you import a newer bundle of this profile, and "
    "printed in the Promotion packet (Reports)."
)
COMMENT_HINT = "Your comment on this dimension"
RATIONALE_HINT = "Why this verdict: the evidence you weighed…"
CALIBRATION_HELP = (
    "Rate each skill as you see it: type a rating on a row (Delete clears it). The largest "
    "disagreements with the owner's own ratings come first."
)


UNSIGNED = "Your assessment is signed with your name and role: your first change asks for them."
NO_IDENTITY = (
    "Your assessment is signed with your name and role, and this data folder does not know "
    "them yet: nothing here is saved until it does."
)
READ_ONLY = "An earlier assessment, kept as it was signed. Choose today's to change anything."
RECEIVED_EXPLANATION = (
    "Your manager's assessment of your profile, sent back to you in an assessment bundle: "
    "read here as they signed it, kept per date, and never changing your own ratings."
)


def received_help(assessor: str, day: date) -> str:
    return (
        f"Your own ratings as of {day.isoformat()} beside {assessor}'s, the largest "
        "disagreements first."
    )


@dataclass(frozen=True)
class AssessmentData:
    """What the panel shows, loaded in one job off the GUI thread: the assessment as of
    `day` (today's, the one to edit, or an earlier one, to read), and who signs today's."""

    profile: ProfileInfo
    framework: Framework
    rows: list[CalibrationRow]
    assessment: Assessment
    today: date
    day: date
    identity: Identity | None  # who signs today's; None: not set yet
    history: list[Assessment]  # every assessment of the profile (received: of yours), oldest first

    @property
    def current(self) -> bool:
        """Today's assessment, the one changes go to (an earlier one is only read)."""
        return self.day == self.today

    @property
    def received(self) -> bool:
        """Your own profile: the assessments sent back to you, only read."""
        return not self.profile.shared

    @property
    def assessor(self) -> str:
        """Who signed the assessment shown, by name."""
        signed = self.assessment.assessor
        return signed.name if signed is not None else "Your manager"


def load_assessment(
    services: Services, profile_id: str, today: date, day: date | None = None
) -> AssessmentData:
    profile = services.profiles.get(profile_id)
    framework = services.frameworks.get(profile.framework, profile.framework_version)
    if not profile.shared:  # your own: the one received on `day`, by default the latest
        history = services.manager.received(profile_id)
        days = [a.date for a in history if a.date is not None]
        day = day if day in days else (days[-1] if days else today)
        assessment = next((a for a in history if a.date == day), EMPTY)
        return AssessmentData(
            profile=profile,
            framework=framework,
            rows=services.manager.calibration(profile_id, day, assessment),
            assessment=assessment,
            today=today,
            day=day,
            identity=services.identity.get(),
            history=history,
        )
    day = day or today
    return AssessmentData(
        profile=profile,
        framework=framework,
        rows=services.manager.calibration(profile_id, day),
        assessment=services.manager.assessment(profile_id, day),
        today=today,
        day=day,
        identity=services.identity.get(),
        history=services.manager.assessments(profile_id),
    )


def signer(identity: Identity | None) -> str:
    """ "Noor Haddad, Engineering manager"; the email stays out of a one-line list."""
    if identity is None:
        return "an assessor not recorded"
    return identity.name + (f", {identity.role}" if identity.role else "")


def assessment_choices(data: AssessmentData) -> list[tuple[str, date]]:
    """Today's assessment first (the one to edit), then every other one, newest first; of
    your own profile, those received, newest first."""
    if data.received:
        return [
            (f"{a.date.isoformat()} by {signer(a.assessor)}", a.date)
            for a in reversed(data.history)
            if a.date is not None
        ]
    today = f"Today, {data.today.isoformat()}, " + (
        f"signed by {signer(data.identity)}" if data.identity else "not signed yet"
    )
    earlier = [a for a in reversed(data.history) if a.date is not None and a.date != data.today]
    return [(today, data.today)] + [
        (f"{a.date.isoformat()} by {signer(a.assessor)}: read-only", a.date)
        for a in earlier
        if a.date is not None
    ]


class ManagerPanel(QWidget):
    """The Assessment section: calibrate the owner's ratings, comment on each dimension,
    and recommend a verdict, for a profile shared with you."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._today = today
        self.profile_id: str | None = None
        self.data: AssessmentData | None = None
        self.comments: dict[str, QPlainTextEdit] = {}  # by dimension id
        self._saves = Autosave(runner, self, self._on_save_failed)
        # Changes made before anyone can sign them, saved once someone does; by field.
        self._unsigned: dict[tuple[str, ...], Callable[[], None]] = {}
        self._declined = False  # the manager would not say who signs: ask only when told to
        self.sign_dialog: SignDialog | None = None

        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.shared = ReadOnlyLine(self)
        layout.addWidget(self.shared)
        self.explanation = QLabel(EXPLANATION, self)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        layout.addLayout(self._signature_rows())

        calibration = QGroupBox("Calibration", self)
        box = QVBoxLayout(calibration)
        self.help_line = QLabel(CALIBRATION_HELP, calibration)
        self.help_line.setWordWrap(True)
        box.addWidget(self.help_line)
        self.model = CalibrationModel(self)
        self.model.calibrated.connect(self._on_calibrated)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(CalibrationModel.SORT_ROLE)
        self.view = self._calibration_view(calibration)
        box.addWidget(self.view)

        self.comments_area = QScrollArea(self)
        self.comments_area.setWidgetResizable(True)
        self.comments_area.setFrameShape(QFrame.Shape.NoFrame)
        comments = QGroupBox("Comments by dimension", self)
        QVBoxLayout(comments).addWidget(self.comments_area)

        recommendation = QGroupBox("Recommendation", self)
        form = QFormLayout(recommendation)
        self.band = QComboBox(recommendation)
        self.band.setAccessibleName("Recommended verdict")
        self.band.activated.connect(lambda _i: self._on_recommendation_changed(now=True))
        self.rationale = QPlainTextEdit(recommendation)
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setTabChangesFocus(True)
        self.rationale.textChanged.connect(lambda: self._on_recommendation_changed(now=False))
        # What was received is read, not chosen: a disabled combo would grey it out.
        self.band_line = QLineEdit(recommendation)
        self.band_line.setAccessibleName("Recommended verdict")
        self.band_line.setReadOnly(True)
        self.band_line.hide()
        verdict = QWidget(recommendation)
        verdict_row = QHBoxLayout(verdict)
        verdict_row.setContentsMargins(0, 0, 0, 0)
        verdict_row.addWidget(self.band)
        verdict_row.addWidget(self.band_line)
        self.verdict_label = QLabel("Ver&dict:", recommendation)
        self.verdict_label.setBuddy(self.band)
        form.addRow(self.verdict_label, verdict)
        label = QLabel("&Rationale:", recommendation)
        label.setBuddy(self.rationale)
        form.addRow(label, self.rationale)

        lower = QWidget(self)
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(comments, 3)
        row.addWidget(recommendation, 2)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(calibration)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.show_profile(None)

    def _signature_rows(self) -> QVBoxLayout:
        """Which assessment is shown (today's, signed by the folder's owner, or an earlier
        one), and a line when it cannot be changed: no owner to sign yet, or an earlier one."""
        self.history = QComboBox(self)
        self.history.setAccessibleName("Assessment")
        self.history.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.history.setMinimumContentsLength(30)
        self.history.activated.connect(self._on_history_chosen)
        label = QLabel("&Assessment:", self)
        label.setBuddy(self.history)
        choice = QHBoxLayout()
        choice.addWidget(label)
        choice.addWidget(self.history, 1)
        self.status_line = QLabel(self)
        self.status_line.setWordWrap(True)
        self.status_line.setAccessibleName("Signature")
        self.identity_button = QPushButton("Say &who you are…", self)
        self.identity_button.clicked.connect(self._ask_signature)
        status = QHBoxLayout()
        status.addWidget(self.status_line, 1)
        status.addWidget(self.identity_button, 0, Qt.AlignmentFlag.AlignTop)
        rows = QVBoxLayout()
        rows.addLayout(choice)
        rows.addLayout(status)
        return rows

    def _calibration_view(self, parent: QWidget) -> QTableView:
        view = QTableView(parent)
        view.setAccessibleName("Calibration")
        view.setModel(self.proxy)
        view.setItemDelegateForColumn(CalibrationModel.MANAGER, RatingDelegate(self.model, view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.setTabKeyNavigation(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setSortingEnabled(True)
        view.sortByColumn(CalibrationModel.DIFFERENCE, Qt.SortOrder.DescendingOrder)
        view.horizontalHeader().setHighlightSections(False)
        prefer_name(view, CalibrationModel.SKILL, CalibrationModel.DIMENSION)
        # The manager's rating is the only thing to edit: keep the current cell on it, so a
        # rating typed anywhere on a row rates that row's skill.
        view.selectionModel().currentChanged.connect(self._on_current_changed)
        clear = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), view)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self._on_delete_pressed)
        return view

    # -- loading -------------------------------------------------------------------

    def show_profile(self, profile_id: str | None, day: date | None = None) -> None:
        """Show a shared profile's assessment (today's, or the one of `day`, read-only), or
        your own profile's received one (the latest, or the one of `day`); None leaves the
        panel empty."""
        self._saves.flush()
        self._unsigned.clear()  # not signed, not saved: what was typed goes with the old view
        self.profile_id = profile_id
        self.data = None
        self.setEnabled(profile_id is not None)
        self._set_editable(False)  # until it is loaded
        if profile_id is None:
            self._runner.cancel(self, "assessment")
            self.heading.setText("Assessment")
            self.shared.show_line(None)
            self.model.set_rows([])
            self._show_signature(None)
            return
        services, today = self._services, self._today()
        self._runner.submit(
            lambda: load_assessment(services, profile_id, today, day),
            self._on_loaded,
            owner=self,
            key="assessment",
        )

    def _on_history_chosen(self, index: int) -> None:
        day = date.fromisoformat(self.history.itemData(index))
        if self.profile_id is not None and self.data is not None and day != self.data.day:
            self.show_profile(self.profile_id, day)

    def _set_editable(self, editable: bool) -> None:
        """Everything the manager can change, on or off (read-only text stays selectable)."""
        self.model.editable = editable
        self.band.setEnabled(editable)
        self.rationale.setReadOnly(not editable)
        self.rationale.setPlaceholderText(RATIONALE_HINT if editable else "")
        for edit in self.comments.values():  # an empty box that cannot be typed in asks nothing
            edit.setReadOnly(not editable)
            edit.setPlaceholderText(COMMENT_HINT if editable else "")

    def _editable(self, data: AssessmentData) -> bool:
        """Today's assessment can be changed, unless the manager declined to sign it; what
        was received, never."""
        return (
            not data.received and data.current and (data.identity is not None or not self._declined)
        )

    def _status(self, data: AssessmentData) -> str | None:
        """Why what is shown cannot be changed, or how it will be signed; None if it is (or
        was received: the explanation says so)."""
        if data.received:
            return None
        if not data.current:
            return READ_ONLY
        if data.identity is None:
            return NO_IDENTITY if self._declined else UNSIGNED
        return None

    def _show_signature(self, data: AssessmentData | None) -> None:
        """Which assessment is shown, dated and signed, and why it cannot be changed if so."""
        self.history.clear()
        if data is not None:
            for choice, day in assessment_choices(data):
                self.history.addItem(choice, day.isoformat())  # a date would come back as a QDate
            self.history.setCurrentIndex(max(0, self.history.findData(data.day.isoformat())))
        text = None if data is None else self._status(data)
        self.status_line.setText(text or "")
        self.status_line.setVisible(text is not None)
        self.identity_button.setVisible(text == NO_IDENTITY)

    def flush(self) -> None:
        """Hand the saves still waiting for a pause in typing to the worker."""
        self._saves.flush()

    def _on_loaded(self, data: AssessmentData) -> None:
        self.data = data
        framework, assessment = data.framework, data.assessment
        if data.received:
            self.heading.setText(f"{data.assessor}'s assessment of you")
            self.explanation.setText(RECEIVED_EXPLANATION)
            self.help_line.setText(received_help(data.assessor, data.day))
        else:
            self.heading.setText(f"Your assessment of {data.profile.name}")
            self.explanation.setText(EXPLANATION)
            self.help_line.setText(CALIBRATION_HELP)
        self.model.assessor = data.assessor if data.received else None
        self.shared.show_line(shared_line(data.profile))
        self._show_signature(data)
        self.model.scale = {point.value: point.label for point in framework.rating_scale}
        self.model.set_rows(data.rows)
        self._fill_comments(framework, assessment)
        self.band.clear()
        self.band.addItem(f"{NOT_RATED} none", None)  # fits the narrow box at 800 px
        for band in framework.verdict_bands:
            self.band.addItem(band.name, band.id)
        self.band.setCurrentIndex(max(0, self.band.findData(assessment.band)))
        self.rationale.blockSignals(True)
        self.rationale.setPlainText(assessment.rationale or "")
        self.rationale.blockSignals(False)
        self.rationale.setEnabled(assessment.band is not None)
        self._set_editable(self._editable(data))
        self._show_received(data)

    def _show_received(self, data: AssessmentData) -> None:
        """What was received reads as text: the verdict in a read-only line, and a dimension
        without a comment says so."""
        self.band.setVisible(not data.received)
        self.band_line.setVisible(data.received)
        self.verdict_label.setBuddy(self.band_line if data.received else self.band)
        if not data.received:
            return
        names = {band.id: band.name for band in data.framework.verdict_bands}
        band = data.assessment.band
        self.band_line.setText(names.get(band, band) if band else "None")
        for edit in self.comments.values():
            edit.setPlaceholderText(f"No comment from {data.assessor}.")

    def _fill_comments(self, framework: Framework, assessment: Assessment) -> None:
        content = QWidget()
        form = QFormLayout(content)
        self.comments = {}
        for dimension in framework.dimensions:
            label = QLabel(literal(dimension.name), content)  # its buddy's, not a mnemonic
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            edit = QPlainTextEdit(assessment.comments.get(dimension.id, ""), content)
            edit.setAccessibleName(f"Comment on {dimension.name}")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
            edit.textChanged.connect(lambda d=dimension.id: self._on_comment_changed(d))
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.comments[dimension.id] = edit
        self.comments_area.setWidget(content)  # the old editors go with their widget

    # -- saving --------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.column() != CalibrationModel.MANAGER:
            self.view.setCurrentIndex(current.siblingAtColumn(CalibrationModel.MANAGER))

    def _on_delete_pressed(self) -> None:
        current = self.view.currentIndex()
        if current.isValid():
            self.proxy.setData(current.siblingAtColumn(CalibrationModel.MANAGER), None)

    def _editing(self) -> tuple[str, date] | None:
        """The profile and day of the assessment being changed; None while what is shown
        cannot be changed (an earlier assessment, or no one to sign): nothing is saved."""
        data = self.data
        if self.profile_id is None or data is None or not self._editable(data):
            return None
        return self.profile_id, data.today

    def _save(self, key: tuple[str, ...], job: Callable[[], None], *, now: bool) -> None:
        """Save a change, signed; with no one to sign it yet, keep it and ask who signs."""
        if self.data is not None and self.data.identity is None:
            self._unsigned[key] = job
            self._ask_signature()
            return
        self._saves.queue(key, job, now=now)

    # -- signing -------------------------------------------------------------------

    def _ask_signature(self) -> None:
        """Ask who signs the assessment, in a small dialog (once: a change made while it is
        open waits for the same answer)."""
        data = self.data
        if data is None or self.sign_dialog is not None:
            return
        dialog = SignDialog(
            self._services, self._runner, data.profile.name, data.profile.manager, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.signed.connect(self._on_signed)
        dialog.rejected.connect(self._on_sign_declined)
        dialog.finished.connect(self._on_sign_dialog_closed)
        self.sign_dialog = dialog
        dialog.open()

    def _on_signed(self, identity: Identity) -> None:
        """Who signs is known: the changes made meanwhile are saved, signed, and the next
        ones are saved as typed."""
        self._declined = False
        if self.data is not None:
            self.data = replace(self.data, identity=identity)
            self._show_signature(self.data)
            self._set_editable(self._editable(self.data))
        unsigned, self._unsigned = self._unsigned, {}
        for key, job in unsigned.items():
            self._saves.queue(key, job, now=True)

    def _on_sign_declined(self) -> None:
        """Nothing is saved unsigned: what was typed goes, and the section stays read-only
        until the manager asks to sign (no dialog at every key)."""
        self._unsigned.clear()
        self._declined = True
        if self.profile_id is not None:
            self.show_profile(self.profile_id)

    def _on_sign_dialog_closed(self) -> None:
        self.sign_dialog = None

    def _on_calibrated(self, skill_id: str, value: int | None) -> None:
        editing, manager = self._editing(), self._services.manager
        if editing is not None:
            profile_id, day = editing
            self._save(
                ("calibration", skill_id),
                lambda: manager.set_calibration(profile_id, skill_id, value, on=day),
                now=True,
            )

    def _on_comment_changed(self, dimension_id: str) -> None:
        editing, manager = self._editing(), self._services.manager
        text = self.comments[dimension_id].toPlainText() or None
        if editing is not None:
            profile_id, day = editing
            self._save(
                ("comment", dimension_id),
                lambda: manager.set_comment(profile_id, dimension_id, text, on=day),
                now=False,
            )

    def _on_recommendation_changed(self, *, now: bool) -> None:
        editing, manager = self._editing(), self._services.manager
        band = self.band.currentData()
        self.rationale.setEnabled(band is not None)
        rationale = (self.rationale.toPlainText() or None) if band is not None else None
        if editing is not None:
            profile_id, day = editing
            self._save(
                ("recommendation",),
                lambda: manager.set_recommendation(profile_id, band, rationale, on=day),
                now=now,
            )

    def _on_save_failed(self, error: BaseException) -> None:
        """What was typed stays in its box, so it can be corrected and saved again."""
        dialogs.show_error(self, "Assessment", error)
