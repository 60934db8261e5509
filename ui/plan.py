"""The Growth plan: goals, the plan's suggestions, learning items by quarter, and the
calendar export.

Suggestions come from the service (largest gaps, then milestones due next);
dismissing one only hides it for this session: its key is kept here, nothing is
stored. All database work goes through the `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInputError
from app.services import Services
from app.services.plan import GOAL_STATUSES, GoalInfo, LearningInfo, Suggestion, quarter_of
from app.text import check_name, check_text
from ui import dialogs
from ui.profile_form import date_edit, to_date
from ui.read_only import ReadOnlyLine
from ui.settings import Settings
from ui.table_model import AnyIndex, RowTableModel, prefer_name
from ui.tasks import TaskRunner

NO_SUGGESTIONS = "No suggestions: every large gap and next milestone has an open goal."
NO_PROFILE = "Create a profile to plan goals."
STATUS_NAMES = {"planned": "Planned", "active": "Active", "done": "Done", "dropped": "Dropped"}


@dataclass(frozen=True)
class GoalDraft:
    """What the goal dialog edits."""

    title: str
    skills: tuple[str, ...]
    due: date | None
    status: str = "planned"
    notes: str | None = None


@dataclass(frozen=True)
class PlanData:
    profile_id: str
    today: date
    quarter: str
    skill_names: dict[str, str]
    goals: list[GoalInfo]
    suggestions: list[Suggestion]
    learning: list[LearningInfo]
    quarter_count: tuple[int, int] = (0, 0)
    dismissed: frozenset[str] = field(default_factory=frozenset)


def load_plan(services: Services, profile_id: str, today: date, quarter: str) -> PlanData:
    profile = services.profiles.get(profile_id)
    framework = services.frameworks.get(profile.framework, profile.framework_version)
    return PlanData(
        profile_id=profile_id,
        today=today,
        quarter=quarter,
        skill_names={s.id: s.name for s in framework.skills},
        goals=services.plan.goals(profile_id),
        suggestions=services.plan.suggestions(profile_id, today),
        learning=services.plan.learning(profile_id, quarter),
        quarter_count=services.plan.quarter_count(profile_id, today),
    )


def quarters_around(today: date) -> list[str]:
    """The previous quarter, this one and the next three."""
    year, number = today.year, (today.month - 1) // 3
    result = []
    for step in range(-1, 4):
        index = year * 4 + number + step
        result.append(f"{index // 4}-Q{index % 4 + 1}")
    return result


class GoalTableModel(RowTableModel[GoalInfo]):
    TITLE, SKILLS, DUE, STATUS = range(4)
    HEADERS = ("Goal", "Skills", "Due", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.skill_names: dict[str, str] = {}
        self.today = date.today()

    def key(self, row: GoalInfo) -> str:
        return row.id

    def cell(self, row: GoalInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return row.title
            if column == self.SKILLS:
                return ", ".join(self.skill_names.get(s, s) for s in row.skills) or "—"
            if column == self.DUE:
                if row.due is None:
                    return "—"
                late = row.open and row.due < self.today
                return f"{row.due.isoformat()}{' (overdue)' if late else ''}"
            if column == self.STATUS:
                return STATUS_NAMES[row.status]
        elif role == self.SORT_ROLE:
            if column == self.DUE:
                return row.due.isoformat() if row.due else "9999"
            if column == self.STATUS:
                return GOAL_STATUSES.index(row.status)
            return self.cell(row, column, Qt.ItemDataRole.DisplayRole)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE and row.notes:
            return "Has private progress notes"
        return None


class SuggestionTableModel(RowTableModel[Suggestion]):
    TITLE, WHY, DUE = range(3)
    HEADERS = ("Suggested goal", "Why", "Due")

    def key(self, row: Suggestion) -> str:
        return row.key

    def cell(self, row: Suggestion, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, self.SORT_ROLE):
            return (row.title, row.reason, row.due.isoformat())[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.reason}"
        return None


class LearningTableModel(RowTableModel[LearningInfo]):
    """Learning items; the Done column is a checkbox.

    Signals:
        done_toggled(str, bool): the user ticked or cleared an item (its id, done).
    """

    TITLE, DONE = range(2)
    HEADERS = ("Learning item", "Done")
    done_toggled = Signal(str, bool)
    read_only = False  # the items of a profile shared with you cannot be ticked

    def key(self, row: LearningInfo) -> str:
        return row.id

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.DONE and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def cell(self, row: LearningInfo, column: int, role: int) -> Any:
        if column == self.TITLE and role in (Qt.ItemDataRole.DisplayRole, self.SORT_ROLE):
            return row.title
        if column == self.DONE:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return "Done" if row.done else "To do"
            if role == self.SORT_ROLE:
                return int(row.done)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or index.column() != self.DONE or role != Qt.ItemDataRole.CheckStateRole:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        self.done_toggled.emit(row.id, done)
        return True


class GoalDialog(QDialog):
    """Add or edit a goal: title, the skills it serves, due date, status, private notes."""

    def __init__(
        self, draft: GoalDraft, skill_names: dict[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Goal")
        self.result_draft: GoalDraft | None = None
        form = QFormLayout(self)
        self.title = QLineEdit(draft.title, self)
        self.title.setAccessibleName("Goal title")
        form.addRow("&Title:", self.title)
        self.skills = QListWidget(self)
        self.skills.setAccessibleName("Skills the goal serves")
        for skill_id, name in skill_names.items():
            item = QListWidgetItem(name, self.skills)
            item.setData(Qt.ItemDataRole.UserRole, skill_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = skill_id in draft.skills
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        form.addRow("S&kills:", self.skills)
        due_row = QHBoxLayout()
        self.has_due = QCheckBox("Due &on", self)
        self.due = date_edit(draft.due or date.today() + timedelta(days=30), "Due date", self)
        self.has_due.setChecked(draft.due is not None)
        self.due.setEnabled(draft.due is not None)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form.addRow("Due:", due_row)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        for status in GOAL_STATUSES:
            self.status.addItem(STATUS_NAMES[status], status)
        self.status.setCurrentIndex(GOAL_STATUSES.index(draft.status))
        form.addRow("St&atus:", self.status)
        self.notes = QPlainTextEdit(draft.notes or "", self)
        self.notes.setAccessibleName("Progress notes (private)")
        form.addRow("&Notes (private):", self.notes)
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def draft(self) -> GoalDraft:
        skills = []
        for row in range(self.skills.count()):
            item = self.skills.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                skills.append(item.data(Qt.ItemDataRole.UserRole))
        return GoalDraft(
            title=self.title.text(),
            skills=tuple(skills),
            due=to_date(self.due.date()) if self.has_due.isChecked() else None,
            status=self.status.currentData(),
            notes=self.notes.toPlainText() or None,
        )

    def _on_save(self) -> None:
        draft = self.draft()
        try:
            check_name(draft.title, "goal title")
            check_text(draft.notes, "goal notes")
        except InvalidInputError as exc:
            self.problem.setText(str(exc))
            return
        self.result_draft = draft
        self.accept()


def edit_goal(
    parent: QWidget | None, draft: GoalDraft, skill_names: dict[str, str]
) -> GoalDraft | None:
    """Show the goal dialog; None if cancelled. Tests replace this function."""
    dialog = GoalDialog(draft, skill_names, parent)
    dialog.exec()
    return dialog.result_draft


def _table(parent: QWidget, model: RowTableModel[Any], name: str) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.horizontalHeader().setStretchLastSection(False)
    view.setWordWrap(False)
    return view


def _group_layout(group: QGroupBox) -> QVBoxLayout:
    """A group's layout, snug below its title, so that the three groups fit a small window."""
    box = QVBoxLayout(group)
    box.setContentsMargins(8, 2, 8, 6)
    return box


class PlanPanel(QWidget):
    """Signals:
    changed(): goals or learning items changed (the Dashboard shows them).
    """

    changed = Signal()

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._today = today
        self._settings = settings  # remembers dismissed suggestions across sessions
        self.profile_id: str | None = None
        self.data: PlanData | None = None
        self.dismissed: dict[str, set[str]] = {}  # by profile
        self._read_only = False  # a profile shared with you: its owner's plan, to read

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel("Growth plan", self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        top.addWidget(heading)
        top.addSpacing(12)
        # What was just done, beside the heading: the groups below keep their room.
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Plan status")
        top.addWidget(self.status, 1)
        self.export_button = QPushButton("E&xport calendar (.ics)…", self)
        self.export_button.clicked.connect(self._on_export)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.read_only_line = ReadOnlyLine(self)
        layout.addWidget(self.read_only_line)

        suggestions = QGroupBox("Suggestions", self)
        box = _group_layout(suggestions)
        self.suggestion_model = SuggestionTableModel(self)
        self.suggestion_view = _table(suggestions, self.suggestion_model, "Suggested goals")
        self.suggestion_view.setMaximumHeight(self.suggestion_view.fontMetrics().height() * 8)
        self.no_suggestions = QLabel(NO_SUGGESTIONS, suggestions)
        self.no_suggestions.setWordWrap(True)
        box.addWidget(self.suggestion_view)
        box.addWidget(self.no_suggestions)
        row = QHBoxLayout()
        self.accept_button = QPushButton("&Accept", suggestions)
        self.edit_suggestion_button = QPushButton("Edit && a&ccept…", suggestions)
        self.dismiss_button = QPushButton("Di&smiss", suggestions)
        self.accept_button.clicked.connect(self._on_accept)
        self.edit_suggestion_button.clicked.connect(self._on_edit_suggestion)
        self.dismiss_button.clicked.connect(self._on_dismiss)
        for button in (self.accept_button, self.edit_suggestion_button, self.dismiss_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        layout.addWidget(suggestions)

        goals = QGroupBox("Goals", self)
        box = _group_layout(goals)
        self.goal_model = GoalTableModel(self)
        self.goal_view = _table(goals, self.goal_model, "Goals")
        prefer_name(self.goal_view, GoalTableModel.TITLE, GoalTableModel.SKILLS)
        self.goal_view.doubleClicked.connect(lambda _index: self._on_edit_goal())
        box.addWidget(self.goal_view, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("A&dd goal…", goals)
        self.edit_button = QPushButton("&Edit…", goals)
        self.complete_button = QPushButton("Comp&lete", goals)
        self.drop_button = QPushButton("D&rop", goals)
        self.add_button.clicked.connect(self._on_add_goal)
        self.edit_button.clicked.connect(self._on_edit_goal)
        self.complete_button.clicked.connect(lambda: self._on_set_status("done"))
        self.drop_button.clicked.connect(lambda: self._on_set_status("dropped"))
        for button in (self.add_button, self.edit_button, self.complete_button, self.drop_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        layout.addWidget(goals, 1)

        learning = QGroupBox("Learning", self)
        box = _group_layout(learning)
        row = QHBoxLayout()
        quarter_label = QLabel("&Quarter:", learning)
        self.quarter = QComboBox(learning)
        self.quarter.setAccessibleName("Quarter")
        quarter_label.setBuddy(self.quarter)
        self.quarter.activated.connect(lambda _i: self.reload())
        self.count = QLabel(learning)
        self.count.setAccessibleName("This quarter's learning")
        self.count.setWordWrap(True)
        row.addWidget(quarter_label)
        row.addWidget(self.quarter)
        row.addWidget(self.count, 1)
        box.addLayout(row)
        self.learning_model = LearningTableModel(self)
        self.learning_model.done_toggled.connect(self._on_learning_toggled)
        self.learning_view = _table(learning, self.learning_model, "Learning items")
        box.addWidget(self.learning_view, 1)
        row = QHBoxLayout()
        self.new_learning = QLineEdit(learning)
        self.new_learning.setPlaceholderText("A skill module, course or book…")
        self.new_learning.setAccessibleName("New learning item")
        self.new_learning.returnPressed.connect(self._on_add_learning)
        self.add_learning_button = QPushButton("Add &item", learning)
        self.add_learning_button.clicked.connect(self._on_add_learning)
        row.addWidget(self.new_learning, 1)
        row.addWidget(self.add_learning_button)
        box.addLayout(row)
        layout.addWidget(learning, 1)

        for view in (self.suggestion_view, self.goal_view):
            view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._fill_quarters()
        self._update_buttons()

    # -- loading -----------------------------------------------------------------

    def _fill_quarters(self) -> None:
        current = self.quarter.currentData() or quarter_of(self._today())
        self.quarter.clear()
        for quarter in quarters_around(self._today()):
            label = f"{quarter} (this quarter)" if quarter == quarter_of(self._today()) else quarter
            self.quarter.addItem(label, quarter)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(current)))

    def show_profile(self, profile_id: str | None) -> None:
        self.profile_id = profile_id
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(quarter_of(self._today()))))
        self.reload()

    def reload(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            self._runner.cancel(self, "plan")
            self.status.setText(NO_PROFILE)
            return
        services, today, quarter = self._services, self._today(), self.quarter.currentData()
        self._runner.submit(
            lambda: load_plan(services, profile_id, today, quarter),
            self._on_loaded,
            owner=self,
            key="plan",
        )

    def _on_loaded(self, data: PlanData) -> None:
        self.data = data
        dismissed = self.dismissed.get(data.profile_id, set())
        if self._settings is not None:
            dismissed = dismissed | self._settings.dismissed_suggestions(data.profile_id)
        shown = [s for s in data.suggestions if s.key not in dismissed]
        self.suggestion_model.set_rows(shown)
        self.suggestion_view.setVisible(bool(shown))
        self.no_suggestions.setVisible(not shown)
        self.goal_model.skill_names = data.skill_names
        self.goal_model.today = data.today
        self.goal_model.set_rows(data.goals)
        self.learning_model.set_rows(data.learning)
        done, total = data.quarter_count
        self.count.setText(
            f"This quarter ({quarter_of(data.today)}): {done} of {total} done "
            "(aim: 2–4 skill modules a quarter)"
        )
        for view in (self.suggestion_view, self.learning_view):  # the goals' fit themselves
            view.resizeColumnsToContents()
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def set_read_only(self, line: str | None) -> None:
        """For a profile shared with you, `line` says whose it is and the plan can only be
        read (and exported to a calendar); None for your own profile."""
        self._read_only = self.learning_model.read_only = line is not None
        self.read_only_line.show_line(line)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = not self._read_only
        suggestion = self.selected_suggestion() is not None and editable
        for button in (self.accept_button, self.edit_suggestion_button, self.dismiss_button):
            button.setEnabled(suggestion)
        goal = self.selected_goal() if editable else None
        self.edit_button.setEnabled(goal is not None)
        self.complete_button.setEnabled(goal is not None and goal.status != "done")
        self.drop_button.setEnabled(goal is not None and goal.status != "dropped")
        has_profile = self.profile_id is not None
        for widget in (self.add_button, self.add_learning_button, self.new_learning):
            widget.setEnabled(has_profile and editable)
        self.export_button.setEnabled(has_profile)

    def selected_suggestion(self) -> Suggestion | None:
        rows = self.suggestion_model.selected_rows(self.suggestion_view)
        return rows[0] if rows else None

    def selected_goal(self) -> GoalInfo | None:
        rows = self.goal_model.selected_rows(self.goal_view)
        return rows[0] if rows else None

    # -- actions -----------------------------------------------------------------

    def _run(self, job: Callable[[], Any], message: str) -> None:
        def done(_result: Any) -> None:
            self.status.setText(message)
            self.reload()
            self.changed.emit()

        self._runner.submit(job, done, owner=self)

    def _save_draft(self, draft: GoalDraft, goal_id: str | None, message: str) -> None:
        plan, profile_id = self._services.plan, self.profile_id
        if profile_id is None:
            return
        if goal_id is None:
            self._run(
                lambda: plan.add_goal(
                    profile_id,
                    title=draft.title,
                    skills=draft.skills,
                    due=draft.due,
                    status=draft.status,
                    notes=draft.notes,
                ),
                message,
            )
        else:
            self._run(
                lambda: plan.update_goal(
                    goal_id,
                    title=draft.title,
                    skills=draft.skills,
                    due=draft.due,
                    status=draft.status,
                    notes=draft.notes,
                ),
                message,
            )

    def _on_accept(self) -> None:
        suggestion, profile_id = self.selected_suggestion(), self.profile_id
        if suggestion is None or profile_id is None:
            return
        plan = self._services.plan
        self._run(lambda: plan.accept(profile_id, suggestion), f"Goal added: {suggestion.title}")

    def _on_edit_suggestion(self) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is None or self.data is None:
            return
        draft = edit_goal(
            self,
            GoalDraft(suggestion.title, suggestion.skills, suggestion.due),
            self.data.skill_names,
        )
        if draft is not None:
            self._save_draft(draft, None, f"Goal added: {draft.title}")

    def _on_dismiss(self) -> None:
        suggestion, profile_id = self.selected_suggestion(), self.profile_id
        if suggestion is None or profile_id is None or self.data is None:
            return
        self.dismissed.setdefault(profile_id, set()).add(suggestion.key)
        if self._settings is not None:
            self._settings.dismiss_suggestion(profile_id, suggestion.key)
        self.status.setText(f"Suggestion dismissed: {suggestion.title}")
        self._on_loaded(self.data)

    def _on_add_goal(self) -> None:
        if self.data is None:
            return
        draft = edit_goal(self, GoalDraft("", (), None), self.data.skill_names)
        if draft is not None:
            self._save_draft(draft, None, f"Goal added: {draft.title}")

    def _on_edit_goal(self) -> None:
        goal = self.selected_goal()
        if goal is None or self.data is None or self._read_only:
            return
        initial = GoalDraft(goal.title, goal.skills, goal.due, goal.status, goal.notes)
        draft = edit_goal(self, initial, self.data.skill_names)
        if draft is not None:
            self._save_draft(draft, goal.id, f"Goal saved: {draft.title}")

    def _on_set_status(self, status: str) -> None:
        goal = self.selected_goal()
        if goal is None:
            return
        plan = self._services.plan
        word = "completed" if status == "done" else "dropped"
        self._run(lambda: plan.set_status(goal.id, status), f"Goal {word}: {goal.title}")

    def _on_learning_toggled(self, item_id: str, done: bool) -> None:
        plan = self._services.plan
        self._run(lambda: plan.set_learning_done(item_id, done), "Learning item updated.")

    def _on_add_learning(self) -> None:
        profile_id, title = self.profile_id, self.new_learning.text()
        quarter = self.quarter.currentData()
        if profile_id is None or not title.strip():
            return
        try:
            check_name(title, "learning item title")
        except InvalidInputError as exc:
            self.status.setText(str(exc))
            return
        self.new_learning.clear()
        plan = self._services.plan
        self._run(
            lambda: plan.add_learning(profile_id, title=title, quarter=quarter),
            f"Learning item added to {quarter}: {title}",
        )

    def _on_export(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        path = dialogs.save_file(self, "Export calendar", "iCalendar files (*.ics)")
        if path is None:
            return
        if path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        plan, today = self._services.plan, self._today()
        self._runner.submit(
            lambda: plan.export_ics(profile_id, path, today),
            lambda saved: self.status.setText(f"Calendar saved to {Path(saved)}"),
            owner=self,
        )
