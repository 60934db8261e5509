"""The manager's side of a profile shared with them: calibration, comments, a recommendation.

A shared profile is its owner's and read-only here; what the manager adds lives
apart (`app.services.manager`), so importing a newer bundle never touches it.
The Assessment section shows only while such a profile is current. Everything
is saved as the manager types, on the worker, as in the check-in wizard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.framework.model import Framework
from app.services import Services
from app.services.manager import Assessment, CalibrationRow
from app.services.profiles import ProfileInfo
from ui import dialogs
from ui.calibration import NOT_RATED, CalibrationModel, RatingDelegate
from ui.checkin import Autosave
from ui.read_only import ReadOnlyLine, shared_line
from ui.table_model import prefer_name
from ui.tasks import TaskRunner
from ui.text import literal

EXPLANATION = (
    "What you add here is yours, not the owner's: it stays on this computer, is kept when you "
    "import a newer bundle of this profile, and is printed in the Promotion packet (Reports), "
    "attributed to you. Everything is saved as you type."
)
CALIBRATION_HELP = (
    "Rate each skill as you see it: type a rating on a row (Delete clears it). The largest "
    "disagreements with the owner's own ratings come first."
)


@dataclass(frozen=True)
class AssessmentData:
    """What the panel shows, loaded in one job off the GUI thread."""

    profile: ProfileInfo
    framework: Framework
    rows: list[CalibrationRow]
    assessment: Assessment


def load_assessment(services: Services, profile_id: str, today: date) -> AssessmentData:
    profile = services.profiles.get(profile_id)
    return AssessmentData(
        profile=profile,
        framework=services.frameworks.get(profile.framework, profile.framework_version),
        rows=services.manager.calibration(profile_id, today),
        assessment=services.manager.assessment(profile_id),
    )


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
        explanation = QLabel(EXPLANATION, self)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)

        calibration = QGroupBox("Calibration", self)
        box = QVBoxLayout(calibration)
        help_line = QLabel(CALIBRATION_HELP, calibration)
        help_line.setWordWrap(True)
        box.addWidget(help_line)
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
        self.rationale.setPlaceholderText("Why this verdict: the evidence you weighed…")
        self.rationale.setTabChangesFocus(True)
        self.rationale.textChanged.connect(lambda: self._on_recommendation_changed(now=False))
        for text, field in (("Ver&dict:", self.band), ("&Rationale:", self.rationale)):
            label = QLabel(text, recommendation)
            label.setBuddy(field)
            form.addRow(label, field)

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

    def show_profile(self, profile_id: str | None) -> None:
        """Show a shared profile's assessment; None leaves the panel empty."""
        self._saves.flush()
        self.profile_id = profile_id
        self.data = None
        self.setEnabled(profile_id is not None)
        if profile_id is None:
            self._runner.cancel(self, "assessment")
            self.heading.setText("Assessment")
            self.shared.show_line(None)
            self.model.set_rows([])
            return
        services, today = self._services, self._today()
        self._runner.submit(
            lambda: load_assessment(services, profile_id, today),
            self._on_loaded,
            owner=self,
            key="assessment",
        )

    def flush(self) -> None:
        """Hand the saves still waiting for a pause in typing to the worker."""
        self._saves.flush()

    def _on_loaded(self, data: AssessmentData) -> None:
        self.data = data
        framework, assessment = data.framework, data.assessment
        self.heading.setText(f"Your assessment of {data.profile.name}")
        self.shared.show_line(shared_line(data.profile))
        self.model.scale = {point.value: point.label for point in framework.rating_scale}
        self.model.set_rows(data.rows)
        self._fill_comments(framework, assessment)
        self.band.clear()
        self.band.addItem(f"{NOT_RATED} no recommendation", None)
        for band in framework.verdict_bands:
            self.band.addItem(band.name, band.id)
        self.band.setCurrentIndex(max(0, self.band.findData(assessment.band)))
        self.rationale.blockSignals(True)
        self.rationale.setPlainText(assessment.rationale or "")
        self.rationale.blockSignals(False)
        self.rationale.setEnabled(assessment.band is not None)

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
            edit.setPlaceholderText("Your comment on this dimension")
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

    def _on_calibrated(self, skill_id: str, value: int | None) -> None:
        profile_id, manager = self.profile_id, self._services.manager
        if profile_id is not None:
            self._saves.queue(
                ("calibration", skill_id),
                lambda: manager.set_calibration(profile_id, skill_id, value),
                now=True,
            )

    def _on_comment_changed(self, dimension_id: str) -> None:
        profile_id, manager = self.profile_id, self._services.manager
        text = self.comments[dimension_id].toPlainText() or None
        if profile_id is not None:
            self._saves.queue(
                ("comment", dimension_id),
                lambda: manager.set_comment(profile_id, dimension_id, text),
                now=False,
            )

    def _on_recommendation_changed(self, *, now: bool) -> None:
        profile_id, manager = self.profile_id, self._services.manager
        band = self.band.currentData()
        self.rationale.setEnabled(band is not None)
        rationale = (self.rationale.toPlainText() or None) if band is not None else None
        if profile_id is not None:
            self._saves.queue(
                ("recommendation",),
                lambda: manager.set_recommendation(profile_id, band, rationale),
                now=now,
            )

    def _on_save_failed(self, error: BaseException) -> None:
        """What was typed stays in its box, so it can be corrected and saved again."""
        dialogs.show_error(self, "Assessment", error)
