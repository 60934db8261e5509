"""The Team section: every profile shared with you, one row per person.

The rows come from `services.team.rows` on the `TaskRunner` (a team of 50 with
years of history takes a moment), again each time the section is shown; the
rows shown stay until the new ones arrive. A `QSortFilterProxyModel` sorts
them by any column and filters them by what is typed; the trend is a
sparkline drawn by `TrendDelegate`. Opening a person (Enter, a double-click
or Open) shows their Dashboard. The rows export as CSV (the service) and as
a one-page PDF summary (`app.report.team`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPointF,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.readiness import Readiness, format_score, readiness_text
from app.services import Services
from app.services.team import TREND_DAYS, TeamRow
from ui import dialogs
from ui.table_model import AnyIndex, RowTableModel
from ui.tasks import TaskRunner

NONE = "—"
MINUS = "−"
EXPLANATION = (
    "Everyone who shared a bundle with you. Readiness is their own; Calibrated counts your "
    "latest assessment's ratings in their place. Open a person (Enter or a double-click) to "
    "see their Dashboard."
)
LOADING_TEXT = "Reading the team…"
CSV_FILTER = "CSV files (*.csv)"
PDF_FILTER = "PDF documents (*.pdf)"
# The most each column takes, in widths of "M" (Person … Assessment); the trend's is its own.
COLUMN_WIDTHS = (14, 10, 9, 11, 9, 7, 10, 12, 14)
LINE_SEPARATOR = "\u2028"
MIN_SPAN = 10.0  # readiness points: a sparkline's least vertical range, so noise stays flat
STATES = {"none": "None", "drafted": "Drafted", "exported": "Exported"}


def team_file_name(kind: str, day: date, suffix: str) -> str:
    """`Rung team <kind> - <date>.<suffix>`."""
    return f"Rung team {kind} - {day.isoformat()}.{suffix}"


@dataclass(frozen=True)
class TeamData:
    """What the section shows: the rows, as of a day."""

    rows: list[TeamRow]
    today: date


def load_team(services: Services, today: date) -> TeamData:
    return TeamData(services.team.rows(today), today)


def _score(readiness: Readiness | None, missing: str) -> tuple[str, str]:
    """A readiness and its verdict as two lines: ("72.5", "Approaching")."""
    if readiness is None:
        return NONE, missing
    if readiness.readiness is None:
        return NONE, readiness.verdict
    return format_score(readiness.readiness), readiness.verdict


def _age(days: int | None) -> str:
    if days is None:
        return ""
    return {0: "bundle: today", 1: "bundle: 1 day"}.get(days, f"bundle: {days} days")


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", MINUS)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TeamModel(RowTableModel[TeamRow]):
    """One row per person, each cell of two lines: what it says, then (muted) what it
    is about or its detail (`TwoLineDelegate` draws them). `today` is the day the rows
    are for: the ages, what is overdue."""

    PERSON, LAST, DUE, READINESS, CALIBRATED, TREND, GATES, DISAGREEMENT, ASSESSMENT = range(9)
    HEADERS = (
        "Person",
        "Last check-in",
        "Next due",
        "Readiness",
        "Calibrated",
        "Trend",
        "Gates",
        "Disagreement",
        "Assessment",
    )
    HEADER_TIPS: ClassVar[dict[int, str]] = {
        PERSON: "Their name, and their level → their target level",
        LAST: "Their latest check-in, and how old the latest bundle you imported is",
        READINESS: "Their own readiness for the target level",
        CALIBRATED: "Readiness with your latest assessment's ratings in place of theirs",
        TREND: f"Readiness at each check-in of the last {TREND_DAYS} days up to the latest",
        GATES: "What holds their verdict below Ready whatever the score",
        DISAGREEMENT: "The skill where your rating is furthest from theirs: theirs → yours",
        ASSESSMENT: "Your assessment: none, drafted, or exported to them",
    }
    TREND_ROLE = Qt.ItemDataRole.UserRole + 3  # the trend's readiness values, oldest first
    FILTER_ROLE = Qt.ItemDataRole.UserRole + 4  # the text a filter looks in

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = date.today()

    def set_data(self, data: TeamData) -> None:
        self.today = data.today
        self.set_rows(data.rows)

    def key(self, row: TeamRow) -> str:
        return row.id

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS.get(section)
        return super().headerData(section, orientation, role)

    def cell(self, row: TeamRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(line for line in self.lines(row, column) if line)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == self.SORT_ROLE:
            return self._sort_key(row, column)
        if role == self.TREND_ROLE and column == self.TREND:
            return [value for _day, value in row.trend]
        if role == self.FILTER_ROLE:
            return " ".join(
                line
                for c in (self.PERSON, self.DUE, self.READINESS, self.CALIBRATED, self.ASSESSMENT)
                for line in self.lines(row, c)
            )
        if role == Qt.ItemDataRole.FontRole and column == self.DUE and self.overdue(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.LAST,
            self.DUE,
            self.READINESS,
            self.CALIBRATED,
            self.GATES,
        ):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def overdue(self, row: TeamRow) -> bool:
        return row.next_due < self.today

    def lines(self, row: TeamRow, column: int) -> tuple[str, str]:
        """What a cell says (empty for the trend, which is drawn), and its second line."""
        if column == self.PERSON:
            return row.name, f"{row.level_name} → {row.target_name}"
        if column == self.LAST:
            last = row.last_checkin.isoformat() if row.last_checkin else "none yet"
            return last, _age(row.bundle_age_days(self.today))
        if column == self.DUE:
            return row.next_due.isoformat(), "⚠ overdue" if self.overdue(row) else ""
        if column == self.READINESS:
            return _score(row.readiness, "")
        if column == self.CALIBRATED:
            return _score(row.calibrated, "not assessed")
        if column == self.GATES:
            if row.readiness.readiness is None:
                return NONE, ""
            return str(len(row.gates)), row.gates[0].name if row.gates else ""
        if column == self.DISAGREEMENT:
            d = row.disagreement
            if d is None:
                return ("none", "") if row.calibrated_skills else (NONE, "")
            own = "not rated" if d.self_rating is None else str(d.self_rating)
            return d.name, f"theirs {own} → yours {d.manager_rating}"
        if column == self.ASSESSMENT:
            name = row.recommendation_name
            return STATES[row.assessment], f"recommends {name}" if name else ""
        return "", ""

    def _tooltip(self, row: TeamRow, column: int) -> str | None:
        if column == self.PERSON:
            return f"{row.name}: {row.level_name} → {row.target_name}"
        if column == self.LAST:
            when = (
                f"; the bundle was exported on {row.bundle_exported_at:%Y-%m-%d %H:%M} UTC"
                if row.bundle_exported_at
                else ""
            )
            count = _plural(row.checkins, "check-in date") if row.checkins else "No check-in"
            return f"{count}{when}"
        if column == self.DUE:
            days = (row.next_due - self.today).days
            return f"Overdue by {_plural(-days, 'day')}" if days < 0 else f"Due in {days} days"
        if column == self.READINESS:
            return readiness_text(row.readiness)
        if column == self.CALIBRATED:
            if row.calibrated is None or row.assessment_date is None:
                return "You have not assessed them yet (the Assessment section)."
            return (
                f"By your assessment of {row.assessment_date.isoformat()} "
                f"({_plural(row.calibrated_skills, 'skill')} rated): "
                f"{readiness_text(row.calibrated)}"
            )
        if column == self.TREND:
            if len(row.trend) < 2:
                return "Not enough check-ins for a trend yet."
            (first_day, first), (_last_day, last) = row.trend[0], row.trend[-1]
            return (
                f"{format_score(first)} → {format_score(last)} ({_signed(last - first)} points) "
                f"over {len(row.trend)} check-ins since {first_day.isoformat()}"
            )
        if column == self.GATES:
            return "\n".join(f"{g.name}: {g.detail}" for g in row.gates) or "No gate."
        if column == self.DISAGREEMENT and row.disagreement is not None:
            d = row.disagreement
            own = "not rated yet" if d.self_rating is None else str(d.self_rating)
            return (
                f"{d.name}: their rating {own}, yours {d.manager_rating} ({_signed(d.difference)})"
            )
        if column == self.ASSESSMENT and row.assessment_date is not None:
            return f"Your assessment of {row.assessment_date.isoformat()}"
        return None

    def _sort_key(self, row: TeamRow, column: int) -> Any:
        """Numbers for numbers and dates, nothing-to-compare first; text by its casefold."""
        if column == self.LAST:
            return row.last_checkin.isoformat() if row.last_checkin else ""
        if column == self.DUE:
            return row.next_due.isoformat()
        if column in (self.READINESS, self.CALIBRATED):
            readiness = row.readiness if column == self.READINESS else row.calibrated
            value = readiness.readiness if readiness else None
            return -1.0 if value is None else value
        if column == self.TREND:
            change = row.trend_change
            return -1000.0 if change is None else change
        if column == self.GATES:
            return len(row.gates) if row.readiness.readiness is not None else -1
        if column == self.DISAGREEMENT:
            return -1 if row.disagreement is None else abs(row.disagreement.difference)
        if column == self.ASSESSMENT:
            return ("none", "drafted", "exported").index(row.assessment)
        return self.lines(row, column)[0].casefold()


def _cell_option(
    delegate: QStyledItemDelegate, option: QStyleOptionViewItem, index: AnyIndex
) -> tuple[QStyleOptionViewItem, QStyle, QWidget | None]:
    """The cell's style option, with its background, selection and focus drawn."""
    shown = QStyleOptionViewItem(option)
    delegate.initStyleOption(shown, index)
    widget = shown.widget
    style = widget.style() if widget is not None else QApplication.style()
    return shown, style, widget


def _two_lines(text: str) -> tuple[str, str, str]:
    """A cell's text split at its line break (which the delegate's `displayText` turns
    into U+2028, the line separator)."""
    return text.replace(LINE_SEPARATOR, "\n").partition("\n")


def _levels(metrics: QFontMetrics, text: str, width: int) -> str:
    """The levels ("level → target") cut to `width` in the level: the target always shows."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    level, arrow, target = text.rpartition(" → ")
    tail = f"{arrow}{target}"
    room = width - metrics.horizontalAdvance(tail)
    if not level or room < metrics.horizontalAdvance("M…"):
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    return metrics.elidedText(level, Qt.TextElideMode.ElideRight, room) + tail


class TwoLineDelegate(QStyledItemDelegate):
    """Draws a cell's two lines ("first\nsecond"): the first in the text colour, the
    second in the muted one, each cut with an ellipsis to the column's width."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        shown, style, widget = _cell_option(self, option, index)
        first, _, second = _two_lines(shown.text)
        shown.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, widget)
        selected = bool(shown.state & QStyle.StateFlag.State_Selected)
        palette = shown.palette
        main = palette.highlightedText() if selected else palette.text()
        muted = palette.highlightedText() if selected else palette.placeholderText()
        rect = shown.rect.adjusted(5, 0, -5, 0)
        metrics = shown.fontMetrics
        height = metrics.height()
        top = rect.top() + (rect.height() - height * (2 if second else 1)) // 2
        horizontal = shown.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask
        align = horizontal | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(shown.font)
        for number, (text, brush) in enumerate(((first, main), (second, muted))):
            if not text:
                continue
            painter.setPen(brush.color())
            line = QRect(rect.left(), top + number * height, rect.width(), height)
            if number == 1 and index.column() == TeamModel.PERSON:
                elided = _levels(metrics, text, rect.width())
            else:
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(line, int(align), elided)
            if number == 0:
                painter.setFont(widget.font() if widget is not None else shown.font)
                metrics = painter.fontMetrics()
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        metrics = shown.fontMetrics
        first, _, second = _two_lines(shown.text)
        width = max(metrics.horizontalAdvance(first), metrics.horizontalAdvance(second)) + 12
        return QSize(width, metrics.height() * 2 + 10)


class TrendDelegate(QStyledItemDelegate):
    """Draws a row's trend as a sparkline: a line through its readiness values scaled to
    their own range (MIN_SPAN points at least), a dot on the latest, in the accent colour
    (the selection's text colour on a selected row)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        shown, style, widget = _cell_option(self, option, index)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, shown, painter, widget)
        values: list[float] = index.data(TeamModel.TREND_ROLE) or []
        if not values:
            return
        rect = shown.rect.adjusted(8, 9, -8, -9)
        low, high = min(values), max(values)
        span = max(high - low, MIN_SPAN)
        bottom = (low + high - span) / 2
        step = rect.width() / (len(values) - 1) if len(values) > 1 else 0.0
        points = [
            QPointF(
                rect.left() + (n * step if len(values) > 1 else rect.width() / 2),
                rect.bottom() - (value - bottom) / span * rect.height(),
            )
            for n, value in enumerate(values)
        ]
        selected = bool(shown.state & QStyle.StateFlag.State_Selected)
        palette = shown.palette
        color = palette.highlightedText().color() if selected else palette.highlight().color()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 1.6))
        if len(points) > 1:
            painter.drawPolyline(QPolygonF(points))
        painter.setBrush(color)
        painter.drawEllipse(points[-1], 2.6, 2.6)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = option.fontMetrics
        return QSize(metrics.horizontalAdvance("M") * 7, metrics.height() * 2 + 10)


class TeamPanel(QWidget):
    """The Team section.

    Signals:
        open_requested(str): the user opened a person (their profile's id).
    """

    open_requested = Signal(str)

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
        self.data: TeamData | None = None

        heading = QLabel("Team", self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(EXPLANATION, self)
        explanation.setWordWrap(True)

        self.filter = QLineEdit(self)
        self.filter.setAccessibleName("Filter the team")
        self.filter.setPlaceholderText("Name, level, verdict, “overdue”…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_changed)
        filter_label = QLabel("F&ilter:", self)
        filter_label.setBuddy(self.filter)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Reading the team")
        self.progress.setRange(0, 0)  # busy: the read says nothing of how far it is
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.model = TeamModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(TeamModel.SORT_ROLE)
        self.proxy.setFilterRole(TeamModel.FILTER_ROLE)
        self.proxy.setFilterKeyColumn(TeamModel.PERSON)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = self._team_view()

        self.open_button = QPushButton("&Open", self)
        self.open_button.setToolTip("Show the selected person's Dashboard (Enter).")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.csv_button = QPushButton("Export &CSV…", self)
        self.csv_button.clicked.connect(self._on_export_csv)
        self.pdf_button = QPushButton("Export P&DF…", self)
        self.pdf_button.setToolTip("A one-page summary of the team, for a printout or a 1:1.")
        self.pdf_button.clicked.connect(self._on_export_pdf)

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._on_selection_changed()

    def _team_view(self) -> QTableView:
        view = QTableView(self)
        view.setAccessibleName("Team")
        view.setModel(self.proxy)
        view.setItemDelegate(TwoLineDelegate(view))
        view.setItemDelegateForColumn(TeamModel.TREND, TrendDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        metrics = view.fontMetrics()
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() * 2 + 10)  # two lines a cell
        view.setSortingEnabled(True)
        view.sortByColumn(TeamModel.PERSON, Qt.SortOrder.AscendingOrder)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        view.activated.connect(self._on_activated)  # Enter, or a double-click
        self.model.modelReset.connect(self._fit_columns)
        view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        return view

    def _fit_columns(self) -> None:
        """Each column as wide as what it shows, up to its share (then elided): a team
        of long names and long gate names still fits a 1200-pixel window."""
        em = self.view.fontMetrics().horizontalAdvance("M")
        header = self.view.horizontalHeader()
        for column, most in enumerate(COLUMN_WIDTHS):
            self.view.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), most * em))

    # -- loading -------------------------------------------------------------------

    def reload(self) -> None:
        """Read the team again (the rows shown stay until the new ones arrive)."""
        services, today = self._services, self._today()
        self.progress.show()
        if self.data is None:
            self.status.setText(LOADING_TEXT)
        self._runner.submit(
            lambda: load_team(services, today),
            self._on_loaded,
            owner=self,
            key="rows",
            on_error=self._on_load_failed,
        )

    def _on_loaded(self, data: TeamData) -> None:
        selected = self.selected()
        self.data = data
        self.progress.hide()
        self.model.set_data(data)
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row >= 0:
                self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self._show_count()
        self._on_selection_changed()

    def _on_load_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.status.setText("")
        self._runner.report_error(error)

    def _show_count(self) -> None:
        rows = self.model.rows()
        if not rows:
            self.status.setText("No profile is shared with you yet: File → Import bundle…")
            return
        shown = self.proxy.rowCount()
        people = f"{len(rows)} {'person' if len(rows) == 1 else 'people'}"
        if shown < len(rows):
            self.status.setText(f"{shown} of {people} match “{self.filter.text()}”")
            return
        overdue = sum(row.next_due < self.model.today for row in rows)
        self.status.setText(people + (f" · {overdue} overdue for a check-in" if overdue else ""))

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._show_count()
        self._on_selection_changed()

    # -- opening -------------------------------------------------------------------

    def selected(self) -> TeamRow | None:
        rows = self.model.selected_rows(self.view)
        return rows[0] if rows else None

    def _on_selection_changed(self, *_: object) -> None:
        self.open_button.setEnabled(self.selected() is not None)
        has_rows = bool(self.model.rows())
        self.csv_button.setEnabled(has_rows)
        self.pdf_button.setEnabled(has_rows)

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(index))
        if row is not None:
            self.open_requested.emit(row.id)

    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row.id)

    # -- exporting -----------------------------------------------------------------

    def _export_path(self, title: str, file_filter: str, kind: str, suffix: str) -> Path | None:
        today = self.data.today if self.data else self._today()
        path = dialogs.save_file(self, title, file_filter, team_file_name(kind, today, suffix))
        if path is None:
            return None
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(f"{path.name}.{suffix}")
        return path

    def _on_export_csv(self) -> None:
        if self.data is None:
            return
        path = self._export_path("Export the team as CSV", CSV_FILTER, "table", "csv")
        if path is None:
            return
        team, data = self._services.team, self.data
        self._export(lambda: team.export_csv(path, data.today, data.rows), path)

    def _on_export_pdf(self) -> None:
        if self.data is None:
            return
        path = self._export_path("Export a team summary", PDF_FILTER, "summary", "pdf")
        if path is None:
            return
        from app.report.team import export_team_pdf  # ReportLab only when a PDF is made

        services, data = self._services, self.data
        self._export(lambda: export_team_pdf(services, path, data.today, data.rows), path)

    def _export(self, job: Callable[[], Path], path: Path) -> None:
        self.status.setText(f"Exporting {path.name}…")
        self.progress.show()
        self._runner.submit(job, self._on_exported, owner=self, on_error=self._on_export_failed)

    def _on_exported(self, path: Path) -> None:
        self.progress.hide()
        self.status.setText(f"Saved {path.name}")
        self.status.setToolTip(str(path))

    def _on_export_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self._show_count()
        dialogs.show_error(self, "Export the team", error)
