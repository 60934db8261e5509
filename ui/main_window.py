"""The main window: a sidebar of sections, a profile switcher, menus, and the first run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.errors import RungError
from app.services import Services
from app.services.erase import EraseReport, erase_all, erase_profile
from app.services.profiles import ProfileInfo
from ui import dialogs
from ui.about import AboutDialog
from ui.backups import BackupsPanel
from ui.checkin import CheckInPanel
from ui.dashboard import Dashboard, DashboardData, load_dashboard
from ui.evidence import CAPTURE_SHORTCUT, EvidencePanel
from ui.frameworks import FrameworksPanel
from ui.history import HistoryPanel
from ui.manager import ManagerPanel, shared_line
from ui.plan import PlanPanel
from ui.profile_form import ProfileDialog, ProfileForm, ProfileRequest
from ui.reports import ReportsPanel, report_file_name
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme, icon

SECTIONS = (
    ("dashboard", "Dashboard", "dashboard"),
    ("checkin", "Check-in", "checkin"),
    ("history", "History", "history"),
    ("evidence", "Evidence", "evidence"),
    ("plan", "Growth plan", "plan"),
    ("frameworks", "Frameworks", "frameworks"),
    ("reports", "Reports", "reports"),
    ("backups", "Backups", "backups"),
    # Shown only while a profile shared with you is current: last, so that the shortcuts of
    # the others never change, and apart from the owner's sections above it.
    ("assessment", "Assessment", "checkin"),
)
BUNDLE_FILTER = "Rung bundles (*.rung)"
BUNDLE_PRIVATE_TEXT = (
    "A bundle carries this profile to your manager or to another computer. Private notes "
    "(rating notes, reflections, private evidence and plan notes) are left out unless you "
    "include them."
)


def bundle_file_name(name: str, day: date) -> str:
    """`Rung bundle - <name> - <date>.rung`, made safe as report file names are."""
    report = report_file_name(name, day).removesuffix(".pdf")
    return report.replace("Rung report", "Rung bundle", 1) + ".rung"


class MainWindow(QMainWindow):
    """Signals:
    profile_changed(str): another profile is now shown (its id).
    """

    profile_changed = Signal(str)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        settings: Settings,
        theme: Theme,
        data_dir: Path,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Rung")
        self.setMinimumSize(900, 600)
        self._services = services
        self._runner = runner
        self._settings = settings
        self._theme = theme
        self._data_dir = data_dir
        self.profile_id: str | None = None
        runner.failed.connect(self._on_task_failed)

        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(180)
        self.pages = QStackedWidget(self)
        self.dashboard = Dashboard(self)
        self.checkin = CheckInPanel(services, runner, self)
        self.history = HistoryPanel(services, runner, self)
        self.evidence = EvidencePanel(services, runner, self)
        self.plan = PlanPanel(services, runner, self, settings=settings)
        self.frameworks = FrameworksPanel(services, self)
        self.reports = ReportsPanel(services, runner, self)
        self.backups = BackupsPanel(services, runner, data_dir, self)
        self.manager = ManagerPanel(services, runner, self)
        self.shared = False  # the current profile was shared with you by its owner
        for key, title, _icon in SECTIONS:
            item = QListWidgetItem(title, self.sidebar)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setHidden(key == "assessment")
            widget = {
                "dashboard": self.dashboard,
                "checkin": self.checkin,
                "history": self.history,
                "evidence": self.evidence,
                "plan": self.plan,
                "frameworks": self.frameworks,
                "reports": self.reports,
                "backups": self.backups,
                "assessment": self.manager,
            }[key]
            self.pages.addWidget(widget)
        self.sidebar.currentRowChanged.connect(self._on_section_changed)
        self.dashboard.start_checkin.connect(lambda: self.show_section("checkin"))
        self.checkin.finalized.connect(self._on_checkin_finalized)
        self.checkin.draft_changed.connect(self.refresh_dashboard)
        self.history.amend_requested.connect(self._on_amend_requested)
        self.history.changed.connect(self.refresh_dashboard)
        self.plan.changed.connect(self.refresh_dashboard)
        self.backups.restoring.connect(self.checkin.flush)
        self.backups.restoring.connect(self.manager.flush)
        self.backups.restored.connect(self._on_restored)

        self.sections = QWidget(self)
        row = QHBoxLayout(self.sections)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sidebar)
        row.addWidget(self.pages, 1)

        self.first_run = ProfileForm(services, self)
        self.first_run.submitted.connect(self._on_profile_requested)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.sections)
        self.central.addWidget(self.first_run)
        self.setCentralWidget(self.central)

        self._build_toolbar()
        self._build_menus()
        theme.changed.connect(self._on_theme_changed)
        self._on_theme_changed()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        self.reload_profiles(settings.last_profile)
        keys = [key for key, _t, _i in SECTIONS]
        last = settings.last_section
        row = keys.index(last) if last in keys else 0
        self.sidebar.setCurrentRow(0 if self.sidebar.item(row).isHidden() else row)

    # -- building --------------------------------------------------------------

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Profile", self)
        toolbar.setObjectName("profile-toolbar")
        toolbar.setMovable(False)
        label = QLabel(" &Profile: ", toolbar)
        self.switcher = QComboBox(toolbar)
        self.switcher.setAccessibleName("Profile")
        self.switcher.setMinimumContentsLength(24)
        self.switcher.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        label.setBuddy(self.switcher)
        self.switcher.activated.connect(self._on_switcher_activated)
        toolbar.addWidget(label)
        toolbar.addWidget(self.switcher)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_profile_action = file_menu.addAction("&New profile…")
        self.new_profile_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_profile_action.triggered.connect(self._on_new_profile)
        self.edit_profile_action = file_menu.addAction("&Edit profile…")
        self.edit_profile_action.triggered.connect(self._on_edit_profile)
        self.delete_profile_action = file_menu.addAction("&Delete profile…")
        self.delete_profile_action.triggered.connect(self._on_delete_profile)
        file_menu.addSeparator()
        self.capture_action = file_menu.addAction("&Capture evidence…")
        self.capture_action.setShortcut(CAPTURE_SHORTCUT)
        self.capture_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.capture_action.triggered.connect(self._on_capture_evidence)
        self.export_report_action = file_menu.addAction("Export &report…")
        self.export_report_action.triggered.connect(self._on_export_report)
        self.export_bundle_action = file_menu.addAction("Export &bundle…")
        self.export_bundle_action.triggered.connect(self._on_export_bundle)
        self.import_bundle_action = file_menu.addAction("&Import bundle…")
        self.import_bundle_action.triggered.connect(self._on_import_bundle)
        file_menu.addSeparator()
        self.check_action = file_menu.addAction("Chec&k the database")
        self.check_action.triggered.connect(self._on_check_database)
        self.erase_all_action = file_menu.addAction("Erase &all data…")
        self.erase_all_action.triggered.connect(self._on_erase_all)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        view_menu = self.menuBar().addMenu("&View")
        appearance = view_menu.addMenu("&Appearance")
        group = QActionGroup(self)
        self.appearance_actions: dict[Appearance, QAction] = {}
        for value, text in (
            (Appearance.SYSTEM, "&System"),
            (Appearance.LIGHT, "&Light"),
            (Appearance.DARK, "&Dark"),
        ):
            action = appearance.addAction(text)
            action.setCheckable(True)
            action.setChecked(value is self._theme.appearance)
            action.triggered.connect(lambda _=False, v=value: self.set_appearance(v))
            group.addAction(action)
            self.appearance_actions[value] = action
        view_menu.addSeparator()
        self.section_actions: dict[str, QAction] = {}
        for index, (key, title, _icon) in enumerate(SECTIONS):
            action = view_menu.addAction(title)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, row=index: self.sidebar.setCurrentRow(row))
            action.setVisible(key != "assessment")
            self.section_actions[key] = action

        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About Rung")
        about.triggered.connect(self._on_about)

    # -- profiles --------------------------------------------------------------

    def reload_profiles(self, select: str | None = None) -> None:
        """Fill the switcher; with no profile, show the first-run form instead."""
        profiles = self._services.profiles.all()
        self.switcher.clear()
        for profile in profiles:
            self.switcher.addItem(profile.name, profile.id)
        self.toolbar.setVisible(len(profiles) > 1)
        has_profile = bool(profiles)
        for action in (
            self.edit_profile_action,
            self.delete_profile_action,
            self.capture_action,
            self.export_report_action,
            self.export_bundle_action,
        ):
            action.setEnabled(has_profile)
        if not has_profile:
            self.profile_id = None
            self.central.setCurrentWidget(self.first_run)
            self.first_run.name.setFocus()
            return
        self.central.setCurrentWidget(self.sections)
        ids = [p.id for p in profiles]
        self.set_profile(select if select in ids else ids[-1])

    def set_profile(self, profile_id: str) -> None:
        self.profile_id = profile_id
        self.switcher.setCurrentIndex(self.switcher.findData(profile_id))
        self._settings.last_profile = profile_id
        self._show_shared(self._services.profiles.get(profile_id))
        self.checkin.show_profile(profile_id)
        self.history.show_profile(profile_id)
        self.evidence.show_profile(profile_id)
        self.plan.show_profile(profile_id)
        self.frameworks.show_profile(profile_id)
        self.reports.show_profile(profile_id)
        self.refresh_dashboard()
        self.profile_changed.emit(profile_id)

    def _show_shared(self, profile: ProfileInfo) -> None:
        """A profile shared with you is read-only everywhere but in the Assessment section,
        which shows only for such a profile."""
        self.shared = profile.shared
        line = shared_line(profile)
        for panel in (self.checkin, self.history, self.evidence, self.plan):
            panel.set_read_only(line)
        for action in (self.edit_profile_action, self.capture_action, self.export_bundle_action):
            action.setEnabled(not profile.shared)
        self.manager.show_profile(profile.id if profile.shared else None)
        row = [key for key, _t, _i in SECTIONS].index("assessment")
        self.sidebar.item(row).setHidden(not profile.shared)
        self.section_actions["assessment"].setVisible(profile.shared)
        if not profile.shared and self.sidebar.currentRow() == row:
            self.show_section("dashboard")

    def _on_capture_evidence(self) -> None:
        """Open the quick-capture dialog from any section (File → Capture evidence…)."""
        self.evidence.capture()

    def _on_export_report(self) -> None:
        """File → Export report…: the Reports section, where the options are chosen."""
        self.show_section("reports")
        self.reports.export_button.setFocus()

    def _on_export_bundle(self) -> None:
        """File → Export bundle…: your profile as a `.rung` file, private notes only if asked."""
        if self.profile_id is None or self.shared:
            return
        choice = dialogs.choose(
            self, "Export bundle", BUNDLE_PRIVATE_TEXT, ("&Leave them out", "&Include them")
        )
        if choice is None:
            return
        profile = self._services.profiles.get(self.profile_id)
        path = dialogs.save_file(
            self, "Export bundle", BUNDLE_FILTER, bundle_file_name(profile.name, date.today())
        )
        if path is None:
            return
        if path.suffix.lower() != ".rung":
            path = path.with_name(path.name + ".rung")
        from app.bundle.export import export_bundle  # only when a bundle is made: fast startup

        store, include_private = self._services.store, choice == 1
        self.statusBar().showMessage(f"Exporting {path.name}…")
        self._runner.submit(
            lambda: export_bundle(store, profile.id, path, include_private=include_private),
            lambda _bundle: self.statusBar().showMessage(f"Bundle saved to {path}", 15_000),
            lambda message: self._on_bundle_failed("Export bundle", message),
        )

    def _on_import_bundle(self) -> None:
        """File → Import bundle…: a profile shared with you, or a newer bundle of it."""
        path = dialogs.open_file(self, "Import bundle", BUNDLE_FILTER)
        if path is None:
            return
        from app.bundle.importer import ImportResult, import_bundle  # as for exports

        self.checkin.flush()
        self.manager.flush()
        services = self._services
        self.import_bundle_action.setEnabled(False)
        self.statusBar().showMessage(f"Importing {path.name}…")

        def done(result: ImportResult) -> None:
            self.import_bundle_action.setEnabled(True)
            self.statusBar().clearMessage()
            self.reload_profiles(result.profile_id)
            self.backups.reload()  # the import was backed up before
            self.show_section("assessment" if self.shared else "dashboard")
            text = f"{result.name}: {result.summary}."
            if result.action == "created":
                text += " It is read-only here; your assessment goes in the Assessment section."
            dialogs.inform(self, "Import bundle", text)

        self._runner.submit(
            lambda: import_bundle(services.store, services.frameworks, path),
            done,
            lambda message: self._on_bundle_failed("Import bundle", message),
        )

    def _on_bundle_failed(self, title: str, message: str) -> None:
        self.import_bundle_action.setEnabled(True)
        self.statusBar().clearMessage()
        dialogs.error(self, title, message)

    def refresh_dashboard(self) -> None:
        profile_id = self.profile_id
        if profile_id is None:
            return
        self._runner.submit(
            lambda: load_dashboard(self._services, profile_id),
            self._on_dashboard_loaded,
            lambda message: self._on_load_failed(profile_id, message),
        )

    def _on_load_failed(self, profile_id: str, message: str) -> None:
        """A load for a profile the user has since left (or deleted) is not worth a dialog."""
        if profile_id == self.profile_id:
            self._on_task_failed(message)

    def _on_dashboard_loaded(self, data: DashboardData) -> None:
        if data.profile.id == self.profile_id:
            self.dashboard.show_data(data)

    def _on_switcher_activated(self, index: int) -> None:
        profile_id = self.switcher.itemData(index)
        if profile_id and profile_id != self.profile_id:
            self.set_profile(profile_id)

    def _on_profile_requested(self, request: ProfileRequest) -> None:
        try:
            profile = self._services.profiles.create(
                name=request.name,
                framework=request.framework,
                level=request.level,
                target=request.target,
                started=request.started,
                interval_days=request.interval_days,
                manager=request.manager,
            )
        except RungError as exc:
            self.first_run.show_problem(str(exc))
            return
        self.first_run.show_problem("")
        self.first_run.name.clear()
        self.reload_profiles(profile.id)
        self.show_section("dashboard")

    def _on_new_profile(self) -> None:
        self.central.setCurrentWidget(self.first_run)
        self.first_run.name.setFocus()

    def _on_edit_profile(self) -> None:
        if self.profile_id is None:
            return
        dialog = ProfileDialog(self._services, self._services.profiles.get(self.profile_id), self)
        if dialog.exec():
            self.reload_profiles(self.profile_id)

    def _on_delete_profile(self) -> None:
        if self.profile_id is None:
            return
        profile = self._services.profiles.get(self.profile_id)
        if not dialogs.confirm(
            self,
            "Delete profile",
            f"Delete the profile “{profile.name}” with all of its check-ins, evidence and "
            "plan? It is also removed from every backup, so this cannot be undone.",
            "Delete",
        ):
            return
        store, data_dir, name = self._services.store, self._data_dir, profile.name

        def done(report: EraseReport) -> None:
            self.reload_profiles()
            self.backups.reload()
            self.statusBar().showMessage(
                f"Deleted the profile {name}: {report.sentence()}.", 15_000
            )

        self._run_exclusive(
            f"Deleting the profile {name}…",
            lambda: erase_profile(store, data_dir, profile.id),
            done,
        )

    def _on_erase_all(self) -> None:
        if not dialogs.confirm(
            self,
            "Erase all data",
            "Erase all of Rung's data? This deletes every profile from the database and every "
            "backup of it. It cannot be undone.",
            "Erase everything",
        ):
            return
        store, data_dir = self._services.store, self._data_dir

        def done(report: EraseReport) -> None:
            self.reload_profiles()
            self.backups.reload()
            self.statusBar().showMessage(f"Erased every profile: {report.sentence()}.", 15_000)

        self._run_exclusive("Erasing all data…", lambda: erase_all(store, data_dir), done)

    def _run_exclusive(
        self, message: str, job: Callable[[], Any], on_done: Callable[[Any], None]
    ) -> None:
        """Run a job that rewrites the whole database on the worker, and wait for it.

        The window keeps painting but takes no input meanwhile, so nothing reads
        what is being erased. The wait ends with the job (or after the runner's
        drain timeout, when the callbacks still arrive as usual).
        """
        self.checkin.flush()
        self.manager.flush()
        self._set_waiting(True)
        self.statusBar().showMessage(message)

        def done(result: Any) -> None:
            self._set_waiting(False)
            self.statusBar().clearMessage()
            on_done(result)

        def failed(error: str) -> None:
            self._set_waiting(False)
            self.statusBar().clearMessage()
            self.reload_profiles(self.profile_id)
            self._on_task_failed(error)

        self._runner.submit(job, done, failed)
        self._runner.drain()

    def _set_waiting(self, waiting: bool) -> None:
        for widget in (self.central, self.menuBar(), self.toolbar):
            widget.setEnabled(not waiting)
        if waiting:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _on_restored(self) -> None:
        """The database was replaced under the window: show everything afresh."""
        self.reload_profiles(self.profile_id)

    def _on_check_database(self) -> None:
        self.check_action.setEnabled(False)
        self.statusBar().showMessage("Checking the database…")
        store = self._services.store
        self._runner.submit(
            lambda: (store.path, store.integrity_problems(full=True)),
            self._on_database_checked,
            self._on_check_failed,
        )

    def _on_database_checked(self, result: tuple[Path, list[str]]) -> None:
        path, problems = result
        self.check_action.setEnabled(True)
        self.statusBar().clearMessage()
        if not problems:
            dialogs.inform(
                self, "Check the database", f"The database {path} passed the full integrity check."
            )
            return
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        dialogs.error(
            self,
            "Check the database",
            f"The database {path} has problems: {shown}. Restore a good backup from the "
            "Backups section; the current state is backed up first.",
        )

    def _on_check_failed(self, message: str) -> None:
        self.check_action.setEnabled(True)
        self.statusBar().clearMessage()
        self._on_task_failed(message)

    # -- sections --------------------------------------------------------------

    def show_section(self, key: str) -> None:
        keys = [k for k, _t, _i in SECTIONS]
        self.sidebar.setCurrentRow(keys.index(key))

    def current_section(self) -> str:
        return SECTIONS[self.sidebar.currentRow()][0]

    def _on_section_changed(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentIndex(row)
        self._settings.last_section = SECTIONS[row][0]

    def _on_checkin_finalized(self) -> None:
        self.refresh_dashboard()
        self.history.reload()
        self.plan.reload()

    def _on_amend_requested(self, checkin_id: str) -> None:
        self.checkin.open_checkin(checkin_id)
        self.show_section("checkin")

    # -- look and feel ---------------------------------------------------------

    def set_appearance(self, appearance: Appearance) -> None:
        self._settings.appearance = appearance
        self.appearance_actions[appearance].setChecked(True)
        self._theme.apply(appearance)

    def _on_theme_changed(self) -> None:
        color = QApplication.palette().color(QPalette.ColorRole.WindowText)
        for row, (_key, _title, name) in enumerate(SECTIONS):
            self.sidebar.item(row).setIcon(icon(name, color))

    def _on_about(self) -> None:
        AboutDialog(self._data_dir, self).exec()

    def _on_task_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15_000)
        dialogs.error(self, "Rung", message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.checkin.flush()
        self.manager.flush()
        self._settings.geometry = self.saveGeometry()
        self._settings.sync()
        super().closeEvent(event)
