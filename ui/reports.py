"""Reports: choose a period, an audience and whether private notes go in; preview the PDF;
export it.

The PDF is made by the service on the `TaskRunner`, for the preview as for the
export, so the window never waits for ReportLab. Each preview is asked for
under one key, so a render asked for while another runs waits for it, a render
superseded before it starts is never made, and a result for options no longer
shown is dropped. An export's progress reaches the bar through the runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.report.model import Audience, ReportOptions
from app.report.service import ReportService
from app.services import Services
from ui import dialogs
from ui.profile_form import date_edit, to_date, to_qdate
from ui.tasks import TaskRunner

EXPORT_SHORTCUT = QKeySequence("Ctrl+E")  # the main window's File → Export report…
PDF_FILTER = "PDF documents (*.pdf)"
NO_PROFILE_TEXT = "Create a profile to make a report."
RENDERING_TEXT = "Making the preview…"
NOT_ASSESSABLE_TEXT = (
    "No final check-in yet: the report can be exported, but it shows readiness as "
    "“Not assessable” until you finalise one."
)
PRIVATE_TEXT = (
    "Reflections, rating notes, private evidence and plan notes are left out unless this is "
    "ticked. A report that includes them says so on its cover."
)
AUDIENCE_NAMES: dict[Audience, str] = {
    "self": "Myself (everything)",
    "1:1": "1:1 with my manager",
    "packet": "Promotion packet",
}
AUDIENCE_HELP: dict[Audience, str] = {
    "self": "Every section: readiness, promotion criteria, charts, skills, milestones, KPIs, "
    "highlights, reflections, the growth plan and the evidence.",
    "1:1": "The short one: readiness with the largest gaps, the promotion criteria, the "
    "charts, highlights, the growth plan and the evidence.",
    "packet": "The case for a committee: a first page with the recommendation, readiness and "
    "every criterion's status, then each criterion with its evidence, and for a profile "
    "shared with you, your signed assessment.",
}
DEBOUNCE_MS = 400  # options settle before a preview is made
DEFAULT_MONTHS = 6  # the dates offered first: the last half year


def report_file_name(name: str, day: date) -> str:
    """`Rung report - <name> - <date>.pdf`, without what Windows, macOS or Linux refuse."""
    cleaned = "".join(" " if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name)
    cleaned = " ".join(cleaned.split())[:80].strip(". ") or "profile"
    return f"Rung report - {cleaned} - {day.isoformat()}.pdf"


def open_folder(folder: Path) -> bool:
    """Show a folder in the desktop's file manager; tests replace this function."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


@dataclass(frozen=True)
class Preview:
    """One rendered report and what the panel says about it."""

    profile_id: str
    options: ReportOptions
    pdf: bytes
    assessable: bool  # the profile has a final check-in


def load_preview(
    services: Services, profile_id: str, options: ReportOptions, today: date
) -> Preview:
    return Preview(
        profile_id=profile_id,
        options=options,
        pdf=ReportService(services).pdf(profile_id, options, today=today),
        assessable=bool(services.checkins.finals(profile_id)),
    )


def _wrapped(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setAccessibleName(name)
    return label


class ReportsPanel(QWidget):
    """The Reports section: options on the left, the PDF preview on the right, Export below."""

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
        self.shown: Preview | None = None  # the preview on screen
        self._exporting = False
        self._saved: Path | None = None
        self._name = ""  # the profile's, for the file name offered
        self._name_loading = False
        self._export_asked = False  # by `export` while the name was loading

        options = QWidget()
        self.period_box = QGroupBox("Period", options)
        self.whole = QRadioButton("&Whole history", self.period_box)
        self.whole.setChecked(True)
        self.between = QRadioButton("&Between these dates", self.period_box)
        today_q = to_qdate(today())
        start = to_date(today_q.addMonths(-DEFAULT_MONTHS))
        self.start = date_edit(start, "From date", self.period_box)
        self.end = date_edit(today(), "To date", self.period_box)
        dates = QFormLayout()
        dates.setContentsMargins(20, 0, 0, 0)
        for text, edit in (("Fro&m:", self.start), ("&To:", self.end)):
            edit.setMaximumDate(today_q)  # a report ends today at the latest
            edit.setEnabled(False)
            edit.dateChanged.connect(self._on_options_changed)
            label = QLabel(text, self.period_box)
            label.setBuddy(edit)
            dates.addRow(label, edit)
        self.between.toggled.connect(self._on_period_toggled)
        box = QVBoxLayout(self.period_box)
        box.addWidget(self.whole)
        box.addWidget(self.between)
        box.addLayout(dates)

        self.audience_box = QGroupBox("&Audience", options)  # its mnemonic focuses the combo
        self.audience = QComboBox(self.audience_box)
        self.audience.setAccessibleName("Audience")
        for value, name in AUDIENCE_NAMES.items():
            self.audience.addItem(name, value)
        self.audience_help = _wrapped("", self.audience_box, "What the audience gets")
        self.audience.currentIndexChanged.connect(self._on_audience_changed)
        box = QVBoxLayout(self.audience_box)
        box.addWidget(self.audience)
        box.addWidget(self.audience_help)

        self.privacy_box = QGroupBox("Privacy", options)
        self.include_private = QCheckBox("&Include private notes", self.privacy_box)
        self.include_private.toggled.connect(self._on_options_changed)
        box = QVBoxLayout(self.privacy_box)
        box.addWidget(self.include_private)
        box.addWidget(_wrapped(PRIVATE_TEXT, self.privacy_box))

        column = QVBoxLayout(options)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.period_box)
        column.addWidget(self.audience_box)
        column.addWidget(self.privacy_box)
        column.addStretch(1)
        self.options_area = QScrollArea(self)
        self.options_area.setWidget(options)
        self.options_area.setWidgetResizable(True)
        self.options_area.setFrameShape(QFrame.Shape.NoFrame)
        self.options_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.options_area.setFixedWidth(300)

        self.refresh_button = QPushButton("&Refresh preview", self)
        self.refresh_button.setToolTip("Make the preview again, with any new check-ins")
        self.refresh_button.clicked.connect(self.render_preview)
        self.export_button = QPushButton("&Export…", self)
        self.export_button.setToolTip(f"Save the report as a PDF ({EXPORT_SHORTCUT.toString()})")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = _wrapped("", self, "Export status")
        self.open_button = QPushButton("&Open containing folder", self)
        self.open_button.clicked.connect(self._on_open_folder_clicked)
        self.open_button.hide()

        left = QVBoxLayout()
        left.addWidget(self.options_area, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Preview summary")
        self.summary.setWordWrap(True)
        self.note = _wrapped("", self, "Report note")
        self.note.hide()
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None  # the bytes `document` reads; kept while it is open
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message = _wrapped(NO_PROFILE_TEXT, self, "Preview message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.view)
        self.pages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.note)
        right.addWidget(self.pages, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._render_if_shown)

        for first, second in (
            (self.whole, self.between),
            (self.between, self.start),
            (self.start, self.end),
            (self.end, self.audience),
            (self.audience, self.include_private),
            (self.include_private, self.refresh_button),
            (self.refresh_button, self.export_button),
            (self.export_button, self.open_button),
            (self.open_button, self.view),
        ):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.whole)
        self._on_audience_changed()
        self._update_buttons()

    # -- options -----------------------------------------------------------------

    def options(self) -> ReportOptions:
        """The options as the controls show them."""
        dated = self.between.isChecked()
        return ReportOptions(
            start=to_date(self.start.date()) if dated else None,
            end=to_date(self.end.date()) if dated else None,
            include_private=self.include_private.isChecked(),
            audience=self.audience.currentData(),
        )

    def _on_period_toggled(self, dated: bool) -> None:
        self.start.setEnabled(dated)
        self.end.setEnabled(dated)
        self._on_options_changed()

    def _on_audience_changed(self, _index: int = 0) -> None:
        self.audience_help.setText(AUDIENCE_HELP[self.audience.currentData()])
        self._on_options_changed()

    def _on_options_changed(self, *_args: object) -> None:
        """The preview is made again once the options settle; one for the old ones is dropped."""
        if self.isVisible() and self.profile_id is not None:
            self._runner.cancel(self, "preview")
            self.summary.setText(RENDERING_TEXT)
            self._timer.start()

    # -- preview -----------------------------------------------------------------

    def show_profile(self, profile_id: str | None) -> None:
        """Report on another profile; the preview is made when the panel is on screen."""
        self.profile_id = profile_id
        self.shown = None
        self._name = ""
        self._export_asked = False  # it was for the profile left
        self._runner.cancel(self, "preview")  # made again below, or when the panel is shown
        self._runner.cancel(self, "name")
        self._name_loading = profile_id is not None
        if profile_id is not None:
            profiles = self._services.profiles
            self._runner.submit(
                lambda: profiles.get(profile_id).name, self._on_name_loaded, owner=self, key="name"
            )
        if not self._exporting:  # a running export still reports where it saved
            self._hide_saved()
        self._clear_document()
        self._show_message(NO_PROFILE_TEXT if profile_id is None else RENDERING_TEXT)
        self.note.hide()
        self._update_buttons()
        if self.isVisible():
            self.render_preview()

    def _on_name_loaded(self, name: str) -> None:
        self._name = name
        self._name_loading = False
        if self._export_asked:
            self._export_asked = False
            self._on_export_clicked()

    def showEvent(self, event: QShowEvent) -> None:
        """Check-ins and evidence change elsewhere, so each visit makes the preview afresh."""
        super().showEvent(event)
        for edit in (self.start, self.end):
            edit.setMaximumDate(to_qdate(self._today()))  # the app may have run past midnight
        self.render_preview()

    def render_preview(self) -> None:
        """Make the preview of the current options on the worker; it replaces any asked for
        before."""
        self._timer.stop()
        profile_id = self.profile_id
        if profile_id is None:
            return
        options, today, services = self.options(), self._today(), self._services
        if self.shown is None:
            self._show_message(RENDERING_TEXT)
        self.summary.setText(RENDERING_TEXT)
        self._runner.submit(
            lambda: load_preview(services, profile_id, options, today),
            self._on_preview_made,
            owner=self,
            key="preview",
            on_error=self._on_preview_failed,
        )

    def _render_if_shown(self) -> None:
        """A hidden panel renders when it is shown again (`showEvent`), not before."""
        if self.isVisible():
            self.render_preview()

    def _on_preview_made(self, preview: Preview) -> None:
        buffer = QBuffer(self)
        buffer.setData(QByteArray(preview.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._drop_buffer()
        self._buffer = buffer
        self.shown = preview
        count = self.document.pageCount()
        pages = f"{count} page{'' if count == 1 else 's'}"
        private = (
            "includes private notes"
            if preview.options.include_private
            else "private notes left out"
        )
        self.summary.setText(f"{pages} · {AUDIENCE_NAMES[preview.options.audience]} · {private}")
        self.note.setText(NOT_ASSESSABLE_TEXT)
        self.note.setVisible(not preview.assessable)
        self.pages.setCurrentWidget(self.view)

    def _on_preview_failed(self, error: BaseException) -> None:
        """A preview that cannot be made says why where the preview would be; no dialog."""
        self.shown = None
        self._clear_document()
        self.summary.setText("No preview")
        self.note.hide()
        self._show_message(describe(error))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def _clear_document(self) -> None:
        self.document.close()
        self._drop_buffer()
        self.summary.setText("")

    def _drop_buffer(self) -> None:
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    # -- export ------------------------------------------------------------------

    def _update_buttons(self) -> None:
        has_profile = self.profile_id is not None
        self.refresh_button.setEnabled(has_profile)
        self.export_button.setEnabled(has_profile and not self._exporting)

    @property
    def exporting(self) -> bool:
        return self._exporting

    def export(self) -> None:
        """Export as the Export button does (File → Export report…); a panel built just now
        asks where to save once it knows the profile's name, for the file name it offers."""
        if self._name_loading:
            self._export_asked = True
        else:
            self._on_export_clicked()

    def _on_export_clicked(self) -> None:
        profile_id = self.profile_id
        if profile_id is None or self._exporting:
            return
        suggested = report_file_name(self._name, self._today()) if self._name else ""
        path = dialogs.save_file(self, "Export report", PDF_FILTER, suggested)
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        options, today, reports = self.options(), self._today(), ReportService(self._services)
        self._set_exporting(True)
        self._hide_saved()
        self.status.setText(f"Exporting {path.name}…")
        self._runner.submit_with_progress(
            lambda report: reports.export(profile_id, options, path, report, today=today),
            self._on_exported,
            owner=self,
            progress=self._on_progress,
            on_error=self._on_export_failed,
        )

    def _set_exporting(self, exporting: bool) -> None:
        self._exporting = exporting
        self.progress.setRange(0, 0)  # busy until the first step reports in
        self.progress.setVisible(exporting)
        self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_exported(self, path: Path) -> None:
        self._set_exporting(False)
        self._saved = path
        self.status.setText(f"Saved “{path.name}”.")
        self.status.setToolTip(str(path))
        self.open_button.setToolTip(str(path.parent))
        self.open_button.show()

    def _on_export_failed(self, error: BaseException) -> None:
        self._set_exporting(False)
        self.status.setText("Nothing was exported.")
        dialogs.show_error(self, "Export report", error)

    def _hide_saved(self) -> None:
        """The "saved" notice belongs to the last export of this profile."""
        self._saved = None
        self.status.setText("")
        self.status.setToolTip("")
        self.open_button.hide()

    def _on_open_folder_clicked(self) -> None:
        if self._saved is not None and not open_folder(self._saved.parent):
            self.status.setText(f"The folder {self._saved.parent} could not be opened.")
