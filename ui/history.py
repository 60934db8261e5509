"""History: every check-in of a profile, newest first, one check-in's detail, read-only,
and two check-ins compared.

The table model holds only the `CheckInInfo` rows (ten years of weekly
check-ins are 520 small rows); a check-in's detail is loaded when it is
selected, a comparison when two are selected and Compare is chosen. All
database work goes through the `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextLength,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.framework.model import Framework
from app.services import Services
from app.services.checkins import Change, CheckInDetail, CheckInInfo, Comparison
from app.services.profiles import StageInfo
from ui import dialogs
from ui.read_only import ReadOnlyLine
from ui.table_model import RowTableModel
from ui.tasks import TaskRunner

EMPTY_TEXT = "No check-ins yet. Each check-in you finalise is listed here."
NO_SELECTION_TEXT = "Select a check-in to see what it recorded, or two to compare them."
TWO_SELECTED_TEXT = "Two check-ins selected. Choose Compare to see what changed between them."
DRAFT_SELECTED_TEXT = "A draft cannot be compared: select two final check-ins."
MANY_SELECTED_TEXT = "{count} check-ins selected. Select two to compare them."
COMPARING_TEXT = "Comparing the two check-ins…"
WIDE_LAYOUT = 880  # narrower than this, the detail goes below the list
_MILESTONE_STATUS = {
    "not-started": "not started",
    "in-progress": "in progress",
    "done": "done",
    "not-applicable": "not applicable",
}
_REFLECTION = (("wins", "Wins"), ("blockers", "Blockers"), ("focus", "Focus"))


class CheckInTableModel(RowTableModel[CheckInInfo]):
    """The check-ins of one profile, one row each, in the order the service lists them."""

    DATE, STATUS, RATINGS, CHANGED = range(4)
    HEADERS = ("Date", "Status", "Ratings", "Changed")

    def key(self, row: CheckInInfo) -> str:
        return row.id

    def cell(self, row: CheckInInfo, column: int, role: int) -> Any:
        final = row.status == "final"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return row.date.isoformat()
            if column == self.STATUS:
                return "Final" if final else "Draft"
            if column == self.RATINGS:
                return str(row.ratings)
            if column == self.CHANGED:
                return str(row.changed) if final else "—"
        elif role == self.SORT_ROLE:
            if column == self.DATE:
                # Same-day check-ins in the order they were finalised; a draft last.
                done = row.finalized_at.isoformat() if row.finalized_at else "~"
                return f"{row.date.isoformat()} {done}"
            if column == self.STATUS:
                return row.status
            if column == self.RATINGS:
                return row.ratings
            if column == self.CHANGED:
                return row.changed if final else -1
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.RATINGS, self.CHANGED):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.CHANGED:
            return (
                "Skills whose rating differs from the one before"
                if final
                else "Counted once the check-in is final"
            )
        return None


@dataclass(frozen=True)
class LoadedDetail:
    """A check-in with the framework and stage in force on its date."""

    detail: CheckInDetail
    framework: Framework
    stage: StageInfo


def load_detail(services: Services, checkin_id: str) -> LoadedDetail:
    detail = services.checkins.detail(checkin_id)
    stage = services.profiles.get(detail.info.profile_id).stage_on(detail.info.date)
    framework = services.frameworks.get(stage.framework, stage.framework_version)
    return LoadedDetail(detail, framework, stage)


def _local(moment: datetime) -> str:
    """A stored naive-UTC time in the user's time zone."""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _number(value: float, unit: str | None) -> str:
    text = f"{value:g}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" or unit.startswith("/") else f"{text} {unit}"


def _contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(color: QColor) -> float:
        parts = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (color.redF(), color.greenF(), color.blueF())
        ]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def change_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """The colours of a rise and of a fall, readable on the palette's Base, Light or Dark.

    A rise takes the palette's accent (Highlight) when it is readable as text;
    a fall a red toned for the background. Neither is ever the only sign: the
    arrows and signed deltas say the same.
    """
    base = palette.base().color()
    dark = base.lightnessF() < 0.5
    rise = palette.highlight().color()
    if _contrast(rise, base) < 4.5:
        rise = QColor("#7ad69a" if dark else "#1b7a43")
    return rise, QColor("#f28b82" if dark else "#b3261e")


class Styled(NamedTuple):
    """A table cell written in one of the writer's styles ("rise" or "fall")."""

    text: str
    style: str


Cell = str | Styled


class _DocumentWriter:
    """Writes the detail into a QTextDocument.

    Every piece of user text goes in through `QTextCursor.insertText`, which
    never interprets markup: notes appear exactly as typed.
    """

    def __init__(self, editor: QTextEdit) -> None:
        # The application's palette: on a palette change the editor's own may not be
        # updated yet when the detail is rewritten.
        palette = QApplication.palette(editor)
        self._document = editor.document()
        bold_font = QFont(editor.font())
        bold_font.setBold(True)
        self._bold_metrics = QFontMetricsF(bold_font)
        self._document.clear()
        self._document.setDocumentMargin(10)
        self._cursor = QTextCursor(self._document)
        self._plain = QTextCharFormat()
        self._bold = QTextCharFormat()
        self._bold.setFontWeight(QFont.Weight.Bold)
        self._heading = QTextCharFormat(self._bold)
        self._heading.setFontPointSize(editor.font().pointSizeF() * 1.2)
        self._title = QTextCharFormat(self._bold)
        self._title.setFontPointSize(editor.font().pointSizeF() * 1.45)
        self._muted = QTextCharFormat()
        self._muted.setForeground(palette.placeholderText())
        self._rule = palette.mid()
        self._shade = palette.alternateBase()
        rise, fall = change_colors(palette)
        self._styles = {"rise": QTextCharFormat(self._bold), "fall": QTextCharFormat(self._bold)}
        self._styles["rise"].setForeground(rise)
        self._styles["fall"].setForeground(fall)
        self._first = True

    def _block(self, top_margin: float) -> None:
        if self._first:
            self._first = False
        else:
            self._cursor.insertBlock()
        block = self._cursor.blockFormat()
        block.setTopMargin(top_margin)
        block.setBottomMargin(0)
        block.setLeftMargin(0)  # a new block inherits the one before: undo `item`'s indent
        block.setTextIndent(0)
        self._cursor.setBlockFormat(block)

    def title(self, text: str) -> None:
        self._block(0)
        self._cursor.insertText(text, self._title)

    def heading(self, text: str) -> None:
        self._block(16)
        self._cursor.insertText(text, self._heading)

    def line(self, text: str, *, muted: bool = False) -> None:
        self._block(2)
        self._cursor.insertText(text, self._muted if muted else self._plain)

    def item(self, mark: str, text: str) -> None:
        """A line after `mark`, wrapping under its text rather than under the mark."""
        self._block(2)
        indent = self._bold_metrics.horizontalAdvance(f"{mark} ")
        block = self._cursor.blockFormat()
        block.setLeftMargin(indent)
        block.setTextIndent(-indent)
        self._cursor.setBlockFormat(block)
        self._cursor.insertText(f"{mark} ", self._bold)
        self._cursor.insertText(text, self._plain)

    def field(self, label: str, text: str | None) -> None:
        self._block(4)
        self._cursor.insertText(f"{label}: ", self._bold)
        if text:
            self._cursor.insertText(text, self._plain)
        else:
            self._cursor.insertText("—", self._muted)

    def table(
        self, headers: tuple[str, ...], rows: list[tuple[Cell, ...]], widths: tuple[int, ...]
    ) -> None:
        """A full-width table; `widths` are percentages, 0 leaving a column to its content."""
        self._block(4)
        table_format = QTextTableFormat()
        table_format.setCellPadding(4)
        table_format.setCellSpacing(0)
        table_format.setBorder(1)
        table_format.setBorderBrush(self._rule)
        table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        table_format.setBorderCollapse(True)
        table_format.setHeaderRowCount(1)
        table_format.setBottomMargin(12)
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 99))
        table_format.setColumnWidthConstraints(
            [
                QTextLength(QTextLength.Type.PercentageLength, w)
                if w
                else QTextLength(QTextLength.Type.VariableLength, 0)
                for w in widths
            ]
        )
        table = self._cursor.insertTable(len(rows) + 1, len(headers), table_format)
        for column, header in enumerate(headers):
            cell = table.cellAt(0, column)
            cell_format = cell.format()
            cell_format.setBackground(self._shade)
            cell.setFormat(cell_format)
            cell.firstCursorPosition().insertText(header, self._bold)
        for number, row in enumerate(rows, start=1):
            for column, content in enumerate(row):
                text, text_format = (
                    (content.text, self._styles[content.style])
                    if isinstance(content, Styled)
                    else (content, self._plain)
                )
                table.cellAt(number, column).firstCursorPosition().insertText(text, text_format)
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self._first = True  # the cursor already sits in a fresh block after the table

    def table_or_line(
        self, headers: tuple[str, ...], rows: Sequence[tuple[Cell, ...]], empty: str
    ) -> None:
        """A table of `rows` whose columns fit their content, or `empty` when there are none."""
        if rows:
            self.table(headers, list(rows), (0,) * len(headers))
        else:
            self.line(empty, muted=True)

    def finish(self) -> None:
        self._cursor.movePosition(QTextCursor.MoveOperation.Start)


def _framework_order(ids: Iterable[str], known: Iterable[str]) -> list[str]:
    """`ids` in the order the framework lists them; ids it no longer has last, by id."""
    order = {item_id: n for n, item_id in enumerate(known)}
    return sorted(ids, key=lambda item_id: (order.get(item_id, len(order)), item_id))


def write_detail(editor: QTextEdit, loaded: LoadedDetail) -> None:
    """Fill `editor` with everything the check-in holds."""
    detail, framework, stage = loaded.detail, loaded.framework, loaded.stage
    info = detail.info
    out = _DocumentWriter(editor)
    status = "final" if info.status == "final" else "draft"
    out.title(f"Check-in of {info.date.isoformat()} ({status})")
    if info.finalized_at is not None:
        out.line(f"Finalised {_local(info.finalized_at)}", muted=True)
    level = next((lvl.name for lvl in framework.levels if lvl.id == stage.level), stage.level)
    out.line(f"{framework.name} ({framework.ref}), level {level}", muted=True)

    skills = {skill.id: skill for skill in framework.skills}
    scale = {point.value: point.label for point in framework.rating_scale}
    out.heading(f"Ratings ({len(detail.ratings)})")
    rows = []
    for skill_id in _framework_order(detail.ratings, skills):
        entry = detail.ratings[skill_id]
        if entry.not_applicable:
            value = "not applicable"
        elif entry.value is None:
            value = "not rated"
        else:
            label = scale.get(entry.value)
            value = f"{entry.value} – {label}" if label else str(entry.value)
        skill = skills.get(skill_id)
        rows.append(
            (
                skill.name if skill else skill_id,
                value,
                "" if entry.confidence is None else f"{entry.confidence}/5",
                entry.note or "",
            )
        )
    out.table_or_line(("Skill", "Rating", "Confidence", "Note"), rows, "No skills were rated.")

    milestones = {m.id: m for m in framework.milestones}
    out.heading(f"Milestones ({len(detail.milestones)})")
    rows = []
    for milestone_id in _framework_order(detail.milestones, milestones):
        m_entry = detail.milestones[milestone_id]
        milestone = milestones.get(milestone_id)
        rows.append(
            (
                milestone.title if milestone else milestone_id,
                _MILESTONE_STATUS.get(m_entry.status, m_entry.status),
                m_entry.status_date.isoformat() if m_entry.status_date else "",
                m_entry.note or "",
            )
        )
    out.table_or_line(("Milestone", "Status", "Date", "Note"), rows, "No milestone changed.")

    kpis = {k.id: k for k in framework.kpis}
    out.heading(f"KPIs ({len(detail.kpis)})")
    kpi_rows = []
    for kpi_id in _framework_order(detail.kpis, kpis):
        k_entry = detail.kpis[kpi_id]
        kpi = kpis.get(kpi_id)
        kpi_rows.append(
            (
                kpi.name if kpi else kpi_id,
                _number(k_entry.value, kpi.unit if kpi else None),
                k_entry.note or "",
            )
        )
    out.table_or_line(("KPI", "Value", "Note"), kpi_rows, "No KPI was measured.")

    out.heading("Reflection")
    for key, label in _REFLECTION:
        out.field(label, detail.reflection.get(key))

    out.heading(f"Amendments ({len(detail.amendments)})")
    amendment_rows = [
        (
            _local(a.at),
            _field_name(a.field, framework),
            f"{_value(a.old)} → {_value(a.new)}",
        )
        for a in detail.amendments
    ]
    out.table_or_line(
        ("When", "Field", "Change"), amendment_rows, "Not amended since it was finalised."
    )
    out.finish()


def _value(text: str | None) -> str:
    return "(empty)" if text is None else text


def _field_name(field: str, framework: Framework) -> str:
    """`rating:sql.note` → `SQL: note`, with names from the framework where it has them."""
    kind, _, rest = field.partition(":")
    if not rest:  # e.g. `reflection.wins`
        kind, _, part = field.partition(".")
        return f"{kind.capitalize()}: {part}" if part else field
    item_id, _, part = rest.rpartition(".")
    names: dict[str, str] = {}
    if kind == "rating":
        names = {s.id: s.name for s in framework.skills}
    elif kind == "milestone":
        names = {m.id: m.title for m in framework.milestones}
    elif kind == "kpi":
        names = {k.id: k.name for k in framework.kpis}
    part = part.replace("_", " ")
    return f"{names.get(item_id, item_id)}: {part}"


@dataclass(frozen=True)
class LoadedComparison:
    """Two check-ins compared, with the stage and framework in force on each one's date."""

    comparison: Comparison
    stages: tuple[StageInfo, StageInfo]  # on the earlier date, on the later one
    frameworks: tuple[Framework, Framework]

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.comparison.first.id, self.comparison.second.id))


def load_comparison(services: Services, first_id: str, second_id: str) -> LoadedComparison:
    """Compare two check-ins (in either order: the result runs from the older to the newer)."""
    comparison = services.checkins.compare(first_id, second_id)
    profile = services.profiles.get(comparison.first.profile_id)
    earlier = profile.stage_on(comparison.first.date)
    later = profile.stage_on(comparison.second.date)
    new = services.frameworks.get(later.framework, later.framework_version)
    old = new
    if (earlier.framework, earlier.framework_version) != (later.framework, later.framework_version):
        old = services.frameworks.get(earlier.framework, earlier.framework_version)
    return LoadedComparison(comparison, (earlier, later), (old, new))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _rating(text: str) -> str:
    return "not applicable" if text == "n/a" else text


def _delta(change: Change) -> Cell:
    """▲ +2 or ▼ −1, styled; a move to or from not applicable in words."""
    if change.direction > 0:
        return Styled(f"▲ +{int(change.after) - int(change.before)}", "rise")
    if change.direction < 0:
        return Styled(f"▼ −{int(change.before) - int(change.after)}", "fall")
    return "marked not applicable" if change.after == "n/a" else "rated again"


def write_comparison(editor: QTextEdit, loaded: LoadedComparison) -> None:
    """Fill `editor` with what changed from the older check-in to the newer one."""
    comparison = loaded.comparison
    first, second = comparison.first, comparison.second
    (old_stage, new_stage), (old_framework, framework) = loaded.stages, loaded.frameworks
    out = _DocumentWriter(editor)
    out.title(f"From {first.date.isoformat()} to {second.date.isoformat()}")
    days = (second.date - first.date).days
    if days:
        out.line(f"Two check-ins {_plural(days, 'day')} apart", muted=True)
    else:
        out.line(
            "Two check-ins on the same day: each is read as of the end of that day, "
            "so their ratings match.",
            muted=True,
        )

    def level_name(fw: Framework, level_id: str) -> str:
        return next((lvl.name for lvl in fw.levels if lvl.id == level_id), level_id)

    level = level_name(framework, new_stage.level)
    if old_stage.level != new_stage.level:
        level = f"{level_name(old_framework, old_stage.level)} → {level}"
    out.line(f"{framework.name} ({framework.ref}), level {level}", muted=True)

    # Names from the later framework, then the earlier one, for a skill since dropped.
    skill_names = {s.id: s.name for s in old_framework.skills}
    skill_names.update({s.id: s.name for s in framework.skills})
    changed = {c.item_id: c for c in comparison.changed}
    up = sum(1 for c in changed.values() if c.direction > 0)
    down = sum(1 for c in changed.values() if c.direction < 0)
    heading = f"Skills that changed ({len(changed)})"
    if changed:
        heading += f": {up} up, {down} down"
    out.heading(heading)
    rows = [
        (
            skill_names.get(skill_id, skill_id),
            f"{_rating(changed[skill_id].before)} → {_rating(changed[skill_id].after)}",
            _delta(changed[skill_id]),
        )
        for skill_id in _framework_order(changed, [s.id for s in framework.skills])
    ]
    out.table_or_line(("Skill", "Rating", "Change"), rows, "No skill changed between them.")
    # A skill never rated counts as 0 in both, so it is unchanged too.
    compared = {c.item_id for c in comparison.skills}
    never_rated = len({s.id for s in framework.skills} - compared)
    unchanged = len(compared) - len(changed) + never_rated
    summary = f"{_plural(unchanged, 'skill')} unchanged"
    if never_rated:
        summary += f", {never_rated} of them not rated yet"
    out.line(f"{summary}.", muted=True)

    milestones = {m.id: m.title for m in old_framework.milestones}
    milestones.update({m.id: m.title for m in framework.milestones})
    completed = _framework_order(comparison.completed, [m.id for m in framework.milestones])
    out.heading(f"Milestones completed between them ({len(completed)})")
    if completed:
        for milestone_id in completed:
            out.item("✓", milestones.get(milestone_id, milestone_id))
    else:
        out.line("No milestone was completed between them.", muted=True)
    out.finish()


class HistoryPanel(QWidget):
    """Every check-in of a profile with the selected one's detail, or two compared.

    Signals:
        amend_requested(str): the user wants to amend this final check-in (its id).
        changed(): a check-in was deleted.
    """

    amend_requested = Signal(str)
    changed = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id: str | None = None
        self._shown: LoadedDetail | None = None
        self._compared: LoadedComparison | None = None
        self._busy = False
        self._read_only = False  # a profile shared with you: nothing to amend or delete
        self._laid_out = False

        self.model = CheckInTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(CheckInTableModel.SORT_ROLE)

        self.view = QTableView(self)
        self.view.setAccessibleName("Check-ins")
        self.view.setAccessibleDescription(
            "Every check-in of the profile, newest first. Select two to compare them: "
            "Control-click, or Control-Space on a second one."
        )
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Ctrl/Shift-click, Ctrl+Space and Shift+arrows select a second check-in to compare.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(CheckInTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Wide enough for every column without a horizontal scroll bar.
        date_width = self.fontMetrics().horizontalAdvance("2026-12-31") + 16
        self.view.setMinimumWidth(
            max(date_width, header.sectionSizeHint(CheckInTableModel.DATE))
            + sum(header.sectionSizeHint(c) for c in range(1, self.model.columnCount()))
            + self.view.verticalScrollBar().sizeHint().width()
            + 2 * self.view.frameWidth()
        )
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        delete_action = QAction("Delete check-in", self.view)
        delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self._on_delete_clicked)
        self.view.addAction(delete_action)

        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("History status")

        self.detail = QTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setUndoRedoEnabled(False)
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.detail.setAccessibleName("Check-in details")
        self.detail.setPlaceholderText(NO_SELECTION_TEXT)

        self.compare_button = QPushButton("C&ompare", self)
        self.compare_button.setAccessibleName("Compare check-ins")
        self.compare_button.setToolTip(
            "Compare the two selected check-ins: each skill old → new, and the milestones "
            "completed between them. Select a second one with Ctrl+click or Ctrl+Space."
        )
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.amend_button = QPushButton("&Amend…", self)
        self.amend_button.setAccessibleName("Amend check-in")
        self.amend_button.setToolTip("Change this final check-in; every change is logged")
        self.amend_button.clicked.connect(self._on_amend_clicked)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.setAccessibleName("Delete check-in")
        self.delete_button.setToolTip("Delete this check-in for good")
        self.delete_button.clicked.connect(self._on_delete_clicked)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.status)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.amend_button)
        buttons.addWidget(self.delete_button)
        right_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)

        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No check-ins")

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        self.read_only_line = ReadOnlyLine(self)
        layout.addWidget(self.read_only_line)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.view)
        QWidget.setTabOrder(self.view, self.detail)
        QWidget.setTabOrder(self.detail, self.compare_button)
        QWidget.setTabOrder(self.compare_button, self.amend_button)
        QWidget.setTabOrder(self.amend_button, self.delete_button)
        self._update_buttons()

    # -- public ----------------------------------------------------------------

    @property
    def profile_id(self) -> str | None:
        return self._profile_id

    @property
    def shown(self) -> LoadedDetail | None:
        """The check-in whose detail is on screen."""
        return self._shown

    @property
    def compared(self) -> LoadedComparison | None:
        """The comparison on screen."""
        return self._compared

    def set_read_only(self, line: str | None) -> None:
        """For a profile shared with you, `line` says whose it is and check-ins can be read
        and compared but not amended or deleted; None for your own profile."""
        self._read_only = line is not None
        self.read_only_line.show_line(line)
        self._update_buttons()

    def show_profile(self, profile_id: str) -> None:
        """Show another profile's check-ins (loaded off the GUI thread)."""
        if profile_id != self._profile_id:
            self._profile_id = profile_id
            self.model.set_rows([])
            self._show_detail(None)
        self.reload()

    def reload(self, select: str | None = None, *, row: int = 0) -> None:
        """Load the list again, keeping the selected check-ins (or `select`) selected.

        If one of them is gone, the check-in at `row` (in the sorted view) is selected.
        """
        profile_id = self._profile_id
        if profile_id is None:
            return
        keep = [select] if select else self.selected_ids()
        self.status.setText("Loading check-ins…")
        checkins = self._services.checkins
        self._runner.submit(
            lambda: checkins.all(profile_id),
            lambda rows: self._on_rows_loaded(rows, keep, row),
            owner=self,
            key="rows",
            on_error=self._on_load_failed,
        )

    def selected_infos(self) -> list[CheckInInfo]:
        """The selected check-ins, in the order the list shows them."""
        return self.model.selected_rows(self.view)

    def selected_ids(self) -> list[str]:
        return [info.id for info in self.selected_infos()]

    def selected_info(self) -> CheckInInfo | None:
        """The selected check-in, or None unless exactly one is selected."""
        infos = self.selected_infos()
        return infos[0] if len(infos) == 1 else None

    def selected_id(self) -> str | None:
        info = self.selected_info()
        return info.id if info else None

    def select(self, *checkin_ids: str) -> bool:
        """Select check-ins by id (the first becomes current); False if one is not listed."""
        rows = [self.model.row_of(checkin_id) for checkin_id in checkin_ids]
        if not rows or min(rows) < 0:
            return False
        indexes = [self.proxy.mapFromSource(self.model.index(row, 0)) for row in rows]
        selection = QItemSelection()
        for index in indexes:
            selection.select(index, index)
        model = self.view.selectionModel()
        model.setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        model.select(
            selection,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(indexes[0])
        return True

    # -- layout and palette ----------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room, the detail below the list when narrow."""
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_LAYOUT
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation() or not self._laid_out:
            self._laid_out = True
            self.splitter.setOrientation(orientation)
            size = event.size()
            if wide:
                list_width = self.view.minimumWidth() + 24
                self.splitter.setSizes([list_width, max(1, size.width() - list_width)])
            else:
                self.splitter.setSizes([size.height() * 2 // 5, size.height() * 3 // 5])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the document's colours come from it
            if self._shown is not None:
                write_detail(self.detail, self._shown)
            elif self._compared is not None:
                write_comparison(self.detail, self._compared)

    # -- loading ---------------------------------------------------------------

    def _on_rows_loaded(self, rows: list[CheckInInfo], keep: list[str], row: int) -> None:
        self.model.set_rows(rows)
        finals = sum(1 for info in rows if info.status == "final")
        drafts = len(rows) - finals
        text = f"{finals} final check-in{'' if finals == 1 else 's'}"
        if drafts:
            text += f", {drafts} draft"
        self.status.setText(text)
        self.pages.setCurrentWidget(self.splitter if rows else self.empty)
        if not rows:
            self._show_detail(None)
        elif not (keep and self.select(*keep)):
            self._select_proxy_row(row)
        self._update_buttons()

    def _on_load_failed(self, error: BaseException) -> None:
        self.status.setText("The check-ins could not be loaded.")
        self._runner.report_error(error)

    def _select_proxy_row(self, row: int) -> None:
        count = self.proxy.rowCount()
        if count == 0:
            return
        index = self.proxy.index(max(0, min(row, count - 1)), 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        infos = self.selected_infos()
        self._update_buttons()
        if not infos:
            self._show_detail(None)
            return
        if len(infos) > 1:
            self._on_several_selected(infos)
            return
        checkin_id = infos[0].id
        self._compared = None
        self._name_detail(comparison=False)
        if self._shown is None or self._shown.detail.info.id != checkin_id:
            # Another check-in: clear at once. The same one (after a reload) is refreshed
            # in place, so that an amendment shows without a flicker.
            self._shown = None
            self.detail.clear()
            self.detail.setPlaceholderText("Loading the check-in…")
        services = self._services
        # One key for whatever the detail pane is to show, a check-in or a comparison:
        # a check-in the user has already moved past is not even loaded.
        self._runner.submit(
            lambda: load_detail(services, checkin_id),
            self._show_detail,
            owner=self,
            key="detail",
            on_error=self._on_detail_failed,
        )

    def _on_detail_failed(self, error: BaseException) -> None:
        self._shown = None
        self.detail.clear()
        self.detail.setPlaceholderText(describe(error))

    def _show_detail(self, loaded: LoadedDetail | None) -> None:
        self._shown = loaded
        self._compared = None
        self._name_detail(comparison=False)
        if loaded is None:
            self._runner.cancel(self, "detail")
            self.detail.clear()
            self.detail.setPlaceholderText(NO_SELECTION_TEXT)
        else:
            write_detail(self.detail, loaded)
        self._update_buttons()

    def _on_several_selected(self, infos: list[CheckInInfo]) -> None:
        """Two or more selected: no single detail; the same two again (a reload) re-compared."""
        self._shown = None
        pair = frozenset(info.id for info in infos)
        if self._compared is not None and self._compared.pair == pair:
            self._compare(infos[0].id, infos[1].id)
            return
        self._runner.cancel(self, "detail")
        self._compared = None
        self._name_detail(comparison=False)
        self.detail.clear()
        if len(infos) > 2:
            self.detail.setPlaceholderText(MANY_SELECTED_TEXT.format(count=len(infos)))
        elif any(info.status != "final" for info in infos):
            self.detail.setPlaceholderText(DRAFT_SELECTED_TEXT)
        else:
            self.detail.setPlaceholderText(TWO_SELECTED_TEXT)

    def _comparable(self) -> list[CheckInInfo] | None:
        """The two selected check-ins if exactly two final ones are selected."""
        infos = self.selected_infos()
        if len(infos) != 2 or any(info.status != "final" for info in infos):
            return None
        return infos

    def _update_buttons(self) -> None:
        info = self.selected_info()
        editable = not self._busy and not self._read_only and info is not None
        self.amend_button.setEnabled(editable and info is not None and info.status == "final")
        self.delete_button.setEnabled(editable)
        self.compare_button.setEnabled(not self._busy and self._comparable() is not None)

    def _name_detail(self, *, comparison: bool) -> None:
        self.detail.setAccessibleName(
            "Comparison of two check-ins" if comparison else "Check-in details"
        )

    # -- comparing -------------------------------------------------------------

    def _on_compare_clicked(self) -> None:
        infos = self._comparable()
        if infos is not None and not self._busy:
            self._compare(infos[0].id, infos[1].id)

    def _compare(self, first_id: str, second_id: str) -> None:
        """Compare two check-ins off the GUI thread; the one on screen stays until replaced."""
        pair = frozenset((first_id, second_id))
        if self._compared is None or self._compared.pair != pair:
            self._compared = None
            self.detail.clear()
            self.detail.setPlaceholderText(COMPARING_TEXT)
        services = self._services
        self._runner.submit(
            lambda: load_comparison(services, first_id, second_id),
            self._on_compared,
            owner=self,
            key="detail",
            on_error=self._on_compare_failed,
        )

    def _on_compared(self, loaded: LoadedComparison) -> None:
        self._compared = loaded
        self._name_detail(comparison=True)
        write_comparison(self.detail, loaded)

    def _on_compare_failed(self, error: BaseException) -> None:
        self._compared = None
        self.detail.clear()
        self.detail.setPlaceholderText(describe(error))

    # -- actions ---------------------------------------------------------------

    def _on_amend_clicked(self) -> None:
        info = self.selected_info()
        if info is not None and info.status == "final":
            self.amend_requested.emit(info.id)

    def _on_delete_clicked(self) -> None:
        info = self.selected_info()
        if info is None or self._busy or self._read_only:
            return
        kind = "check-in" if info.status == "final" else "draft check-in"
        if not dialogs.confirm(
            self,
            "Delete check-in",
            f"Delete the {kind} of {info.date.isoformat()} with its ratings, notes and "
            "amendments? This cannot be undone.",
            "Delete",
        ):
            return
        row = self.view.selectionModel().selectedRows()[0].row()
        self._busy = True
        self._update_buttons()
        self.status.setText("Deleting…")
        checkins, checkin_id = self._services.checkins, info.id
        self._runner.submit(
            lambda: checkins.delete(checkin_id),
            lambda _result: self._on_deleted(row),
            owner=self,
            on_error=self._on_delete_failed,
        )

    def _on_deleted(self, row: int) -> None:
        self._busy = False
        self._show_detail(None)
        self.view.selectionModel().clearSelection()
        # Keep the place in the list: select the row that moved into the deleted one's slot.
        self.reload(row=row)
        self.changed.emit()

    def _on_delete_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        self.status.setText("The check-in was not deleted.")
        self._runner.report_error(error)
