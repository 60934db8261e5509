"""The main window: a sidebar of sections, a profile switcher, menus, and the first run.

The window is built in two steps so that it can be painted before the data
folder is open: the shell (the window with its menus, in the chosen palette)
needs nothing but Qt, and `open` then builds the sidebar, the toolbar and the
sections, which bring in the services and the charts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app.errors import RungError, describe
from ui import dialogs
from ui.settings import Settings
from ui.theme import Appearance, Theme, icon

if TYPE_CHECKING:
    from app.services import Services
    from app.services.erase import EraseReport
    from app.services.identity import Identity
    from app.services.profiles import ProfileInfo
    from ui.backups import BackupsPanel
    from ui.checkin import CheckInPanel
    from ui.dashboard import Dashboard
    from ui.evidence import EvidencePanel
    from ui.frameworks import FrameworksPanel
    from ui.history import HistoryPanel
    from ui.hub import HubControl
    from ui.manager import ManagerPanel
    from ui.plan import PlanPanel
    from ui.profile_form import ProfileForm, ProfileRequest
    from ui.reports import ReportsPanel
    from ui.settings_dialog import SettingsDialog
    from ui.tasks import TaskRunner
    from ui.team import TeamPanel

SECTIONS = (
    ("dashboard", "Dashboard", "dashboard"),
    ("checkin", "Check-in", "checkin"),
    ("history", "History", "history"),
    ("evidence", "Evidence", "evidence"),
    ("plan", "Growth plan", "plan"),
    ("frameworks", "Frameworks", "frameworks"),
    ("reports", "Reports", "reports"),
    ("backups", "Backups", "backups"),
    # Shown only while a profile shared with you is current, or your own once your manager
    # sent an assessment of it back: last, so that the shortcuts of the others never change,
    # and apart from the owner's sections above it.
    ("assessment", "Assessment", "checkin"),
    # Shown only while the folder holds a profile shared with you (Ctrl+0).
    ("team", "Team", "team"),
)
HIDDEN_SECTIONS = ("assessment", "team")  # until there is something for them to show
READ_ONLY_SECTIONS = ("checkin", "history", "evidence", "plan")  # for a profile shared with you
CAPTURE_SHORTCUT = "Ctrl+Shift+E"
MINIMUM_SIZE = QSize(800, 560)  # what a 1280×720 screen leaves with a panel and a title bar
EXPORT_SHORTCUT = "Ctrl+E"  # File → Export report…, from any section
BUNDLE_FILTER = "Rung bundles (*.rung)"
Section = TypeVar("Section", bound=QWidget)
BUNDLE_PRIVATE_TEXT = (
    "A bundle carries this profile to your manager or to another computer. Private notes "
    "(rating notes, reflections, private evidence and plan notes) are left out unless you "
    "include them."
)


def bundle_file_name(name: str, day: date) -> str:
    """`Rung bundle - <name> - <date>.rung`, made safe as report file names are."""
    from ui.reports import report_file_name

    report = report_file_name(name, day).removesuffix(".pdf")
    return report.replace("Rung report", "Rung bundle", 1) + ".rung"


class SectionPage(QScrollArea):
    """A section's page: the section fills it, and it scrolls only where the page is smaller
    than the least the section needs (at the window's minimum size, say).

    That least is `_least_height`: QScrollArea's own resizing (`widgetResizable`)
    would take a section with a word-wrapped label to its preferred height instead,
    where its tables and text boxes should shrink first, and Qt's own minimum for
    a width counts a stacked widget (the wizard's steps, a tab widget's pages) at
    its preferred height too.
    """

    def __init__(self, panel: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop on the way through with Tab
        self.setWidget(panel)
        panel.installEventFilter(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()  # what it needs may have changed
        return False

    def _fit(self) -> None:
        panel = self.widget()
        if panel is None:
            return
        room = self.maximumViewportSize()  # without scroll bars
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        least_width = panel.minimumSizeHint().expandedTo(panel.minimumSize()).width()
        wide = least_width > room.width()
        tall = _least_height(panel, max(least_width, room.width())) > room.height() - (
            bar if wide else 0
        )
        width = max(least_width, room.width() - (bar if tall else 0))
        wide = least_width > width
        panel.resize(width, max(_least_height(panel, width), room.height() - (bar if wide else 0)))


def _least_height(widget: QWidget, width: int) -> int:
    """The least height `widget` needs at `width`: its minimum, with each word-wrapped label
    as tall as its text wraps to and a stacked widget as tall as the page it shows needs."""
    floor = widget.minimumSizeHint().expandedTo(widget.minimumSize()).height()
    if isinstance(widget, QLabel):
        return max(floor, widget.heightForWidth(width)) if widget.wordWrap() else floor
    if isinstance(widget, QStackedWidget):
        page = widget.currentWidget()
        return max(widget.minimumHeight(), _least_height(page, width)) if page else floor
    layout = widget.layout()
    if layout is None or isinstance(widget, QAbstractScrollArea | QTabWidget):
        return floor
    margins = widget.contentsMargins()
    inner = width - margins.left() - margins.right()
    return max(floor, _least_layout_height(layout, inner) + margins.top() + margins.bottom())


def _least_layout_height(layout: QLayout, width: int) -> int:
    margins = layout.contentsMargins()
    if not isinstance(layout, QBoxLayout):
        if layout.hasHeightForWidth():
            return layout.totalMinimumHeightForWidth(width)
        return layout.totalMinimumSize().height()
    inner = width - margins.left() - margins.right()
    vertical = layout.direction() in (
        QBoxLayout.Direction.TopToBottom,
        QBoxLayout.Direction.BottomToTop,
    )
    heights = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None or item.isEmpty():
            continue
        span = inner if vertical or item.geometry().width() <= 0 else item.geometry().width()
        child, nested = item.widget(), item.layout()
        if child is not None:
            heights.append(_least_height(child, span))
        elif nested is not None:
            heights.append(_least_layout_height(nested, span))
        else:
            heights.append(item.minimumSize().height())
    if vertical:
        body = sum(heights) + max(0, layout.spacing()) * max(0, len(heights) - 1)
    else:
        body = max(heights, default=0)
    return body + margins.top() + margins.bottom()


class MainWindow(QMainWindow):
    """The shell (its menus) until `open` adds the sections; it takes no input before.

    Signals:
    profile_changed(str): another profile is now shown (its id).
    """

    profile_changed = Signal(str)

    # Built by `open`; the sections other than the Dashboard when first needed (`_section`).
    central: QStackedWidget
    sidebar: QListWidget
    pages: QStackedWidget
    sections: QWidget
    toolbar: QToolBar
    switcher: QComboBox
    dashboard: Dashboard
    hub: HubControl

    def __init__(self, settings: Settings, theme: Theme, data_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle("Rung")
        self.setMinimumSize(MINIMUM_SIZE)
        self._settings = settings
        self._theme = theme
        self._data_dir = data_dir
        self.opened = False
        self.profile_id: str | None = None
        self.shared = False  # the current profile was shared with you by its owner
        self.received = False  # your own, and your manager sent an assessment of it back
        self._shared_line: str | None = None  # says so above each section, if it was
        self._panels: dict[str, QWidget] = {}  # the sections built so far, by key
        self._first_run: ProfileForm | None = None
        self.settings_dialog: SettingsDialog | None = None

        self._build_menus()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        self.setEnabled(False)  # no click, menu or shortcut reaches a section before `open`

    def open(self, services: Services, runner: TaskRunner) -> None:
        """Show the sections on the open data folder, on the last profile and section."""
        from ui.dashboard import Dashboard

        settings = self._settings
        self._services = services
        self._runner = runner
        runner.failed.connect(self._on_task_failed)
        # Only now: a central widget delays a window's first paint by two animation frames
        # (QMainWindow's layout moves it into place with a QPropertyAnimation).
        self.central = QStackedWidget(self)
        self.setCentralWidget(self.central)
        self._build_sidebar()
        self._build_toolbar()
        self.dashboard = Dashboard(services, runner, self)
        self.dashboard.start_checkin.connect(lambda: self.show_section("checkin"))
        self._place("dashboard", self.dashboard)
        self.sidebar.currentRowChanged.connect(self._on_section_changed)
        self._open_hub()

        self.opened = True
        self.reload_profiles(settings.last_profile)
        keys = [key for key, _t, _i in SECTIONS]
        last = settings.last_section
        row = keys.index(last) if last in keys else 0
        self.sidebar.setCurrentRow(0 if self.sidebar.item(row).isHidden() else row)
        self.setEnabled(True)

    # -- sections, built when first needed -------------------------------------

    @property
    def first_run(self) -> ProfileForm:
        """The form that creates a profile (at the first run, and for File → New profile)."""
        if self._first_run is None:
            from ui.profile_form import ProfileForm

            self._first_run = ProfileForm(self._services, self)
            self._first_run.submitted.connect(self._on_profile_requested)
            self.central.addWidget(self._first_run)
        return self._first_run

    @property
    def checkin(self) -> CheckInPanel:
        from ui.checkin import CheckInPanel

        return self._section("checkin", CheckInPanel)

    @property
    def history(self) -> HistoryPanel:
        from ui.history import HistoryPanel

        return self._section("history", HistoryPanel)

    @property
    def evidence(self) -> EvidencePanel:
        from ui.evidence import EvidencePanel

        return self._section("evidence", EvidencePanel)

    @property
    def plan(self) -> PlanPanel:
        from ui.plan import PlanPanel

        return self._section("plan", PlanPanel)

    @property
    def frameworks(self) -> FrameworksPanel:
        from ui.frameworks import FrameworksPanel

        return self._section("frameworks", FrameworksPanel)

    @property
    def reports(self) -> ReportsPanel:
        from ui.reports import ReportsPanel

        return self._section("reports", ReportsPanel)

    @property
    def backups(self) -> BackupsPanel:
        from ui.backups import BackupsPanel

        return self._section("backups", BackupsPanel)

    @property
    def manager(self) -> ManagerPanel:
        from ui.manager import ManagerPanel

        return self._section("assessment", ManagerPanel)

    @property
    def team(self) -> TeamPanel:
        from ui.team import TeamPanel

        return self._section("team", TeamPanel)

    def _section(self, key: str, kind: type[Section]) -> Section:
        """A section's panel, built (wired, and showing the current profile) the first time
        it is shown or used: a start builds and loads only what it shows."""
        panel = self._panels.get(key)
        if panel is None:
            panel = self._panels[key] = self._build_section(key)
            self._place(key, panel)
            self._show_profile_in(key, panel)
        assert isinstance(panel, kind)
        return panel

    def _place(self, key: str, panel: QWidget) -> None:
        """Put a built panel in its section's place in the pages, in a scroll area: a window
        smaller than the section needs scrolls it rather than cut its controls off."""
        row = [k for k, _t, _i in SECTIONS].index(key)
        placeholder = self.pages.widget(row)
        assert placeholder is not None
        shown = self.pages.currentWidget() is placeholder
        page = SectionPage(panel, self.pages)
        self.pages.insertWidget(row, page)
        if shown:
            self.pages.setCurrentWidget(page)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()

    def _build_section(self, key: str) -> QWidget:
        services, runner = self._services, self._runner
        if key == "checkin":
            from ui.checkin import CheckInPanel

            checkin = CheckInPanel(services, runner, self, settings=self._settings)
            checkin.finalized.connect(self._on_checkin_finalized)
            checkin.draft_changed.connect(self.refresh_dashboard)
            return checkin
        if key == "history":
            from ui.history import HistoryPanel

            history = HistoryPanel(services, runner, self)
            history.amend_requested.connect(self._on_amend_requested)
            history.changed.connect(self.refresh_dashboard)
            return history
        if key == "evidence":
            from ui.evidence import EvidencePanel

            return EvidencePanel(services, runner, self)
        if key == "plan":
            from ui.plan import PlanPanel

            plan = PlanPanel(services, runner, self, settings=self._settings)
            plan.changed.connect(self.refresh_dashboard)
            return plan
        if key == "frameworks":
            from ui.frameworks import FrameworksPanel

            return FrameworksPanel(services, runner, self)
        if key == "reports":
            from ui.reports import ReportsPanel

            return ReportsPanel(services, runner, self)
        if key == "backups":
            from ui.backups import BackupsPanel

            backups = BackupsPanel(services, runner, self._data_dir, self)
            backups.restoring.connect(self._flush_drafts)
            backups.restored.connect(self._on_restored)
            return backups
        if key == "team":
            from ui.team import TeamPanel

            team = TeamPanel(services, runner, self)
            team.open_requested.connect(self._on_open_person)
            return team
        from ui.manager import ManagerPanel

        return ManagerPanel(services, runner, self)

    def _show_profile_in(self, key: str, panel: Any) -> None:
        """Hand a built section the current profile (a shared one: read-only, and the
        Assessment section's)."""
        if key == "team":  # the whole team's, not a profile's: read when shown
            return
        if self.profile_id is None:
            return
        if key == "assessment":
            panel.show_profile(self.profile_id if self._assessed() else None)
            return
        if key in READ_ONLY_SECTIONS:
            panel.set_read_only(self._shared_line)
        if key != "backups":  # the data folder's, not a profile's
            panel.show_profile(self.profile_id)

    def _built(self, key: str) -> Any:
        """A section's panel if it was built, else None (nothing to flush or reload)."""
        return self._panels.get(key)

    def _reload_backups(self) -> None:
        panel = self._built("backups")
        if panel is not None:
            panel.reload()

    def _flush_drafts(self) -> None:
        """Save what is typed in the check-in and the assessment, before the data changes."""
        for key in ("checkin", "assessment"):
            panel = self._built(key)
            if panel is not None:
                panel.flush()

    # -- building --------------------------------------------------------------

    def _build_sidebar(self) -> None:
        """The sections beside their pages (filled in by `open`)."""
        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(180)
        for key, title, _icon in SECTIONS:
            item = QListWidgetItem(title, self.sidebar)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setHidden(key in HIDDEN_SECTIONS)
        self.pages = QStackedWidget(self)
        for _section in SECTIONS:
            self.pages.addWidget(QWidget(self.pages))  # until the section is built
        self.sections = QWidget(self)
        row = QHBoxLayout(self.sections)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sidebar)
        row.addWidget(self.pages, 1)
        self.central.addWidget(self.sections)
        self._theme.changed.connect(self._on_theme_changed)
        self._on_theme_changed()

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
        self.capture_action.setShortcut(QKeySequence(CAPTURE_SHORTCUT))
        self.capture_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.capture_action.triggered.connect(self._on_capture_evidence)
        self.export_report_action = file_menu.addAction("Export &report…")
        self.export_report_action.setShortcut(QKeySequence(EXPORT_SHORTCUT))
        self.export_report_action.triggered.connect(self._on_export_report)
        self.export_bundle_action = file_menu.addAction("Export &bundle…")
        self.export_bundle_action.triggered.connect(self._on_export_bundle)
        self.export_assessment_action = file_menu.addAction("Export assess&ment…")
        self.export_assessment_action.setEnabled(False)  # until a shared profile is shown
        self.export_assessment_action.triggered.connect(self._on_export_assessment)
        self.import_bundle_action = file_menu.addAction("&Import bundle…")
        self.import_bundle_action.triggered.connect(self._on_import_bundle)
        file_menu.addSeparator()
        self.check_action = file_menu.addAction("Chec&k the database")
        self.check_action.triggered.connect(self._on_check_database)
        self.erase_all_action = file_menu.addAction("Erase &all data…")
        self.erase_all_action.triggered.connect(self._on_erase_all)
        file_menu.addSeparator()
        self.settings_action = file_menu.addAction("&Settings…")
        self.settings_action.triggered.connect(self.open_settings)
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
            action.setShortcut(QKeySequence(f"Ctrl+{(index + 1) % 10}"))  # the tenth: Ctrl+0
            action.triggered.connect(lambda _=False, row=index: self._on_section_shortcut(row))
            action.setVisible(key not in HIDDEN_SECTIONS)
            self.section_actions[key] = action

        hub_menu = self.menuBar().addMenu("Team h&ub")
        self.hub_connect_action = hub_menu.addAction("&Connect to a team hub…")
        hub_menu.addSeparator()
        self.hub_publish_action = hub_menu.addAction("&Publish now")
        self.hub_pull_action = hub_menu.addAction("P&ull now")
        self.hub_status_action = hub_menu.addAction("Hub &status…")
        hub_menu.addSeparator()
        self.hub_publish_after_action = hub_menu.addAction("Publish &after each finalised check-in")
        self.hub_publish_after_action.setCheckable(True)
        hub_menu.addSeparator()
        self.hub_withdraw_action = hub_menu.addAction("&Withdraw your profiles from the hub…")
        for action in (
            self.hub_publish_action,
            self.hub_pull_action,
            self.hub_status_action,
            self.hub_withdraw_action,
        ):
            action.setEnabled(False)  # until a hub is connected (`ui.hub.HubControl`)
        self.hub_publish_after_action.setEnabled(False)

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
        self._show_team(any(profile.shared for profile in profiles))
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
            self.dashboard.cancel()  # the loads of a profile deleted meanwhile
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
        for key, panel in self._panels.items():
            self._show_profile_in(key, panel)
        self.refresh_dashboard()
        self.profile_changed.emit(profile_id)

    def _show_shared(self, profile: ProfileInfo) -> None:
        """A profile shared with you is read-only everywhere but in the Assessment section,
        which shows for such a profile, and for your own once an assessment of it was sent
        back to you (read-only)."""
        from ui.read_only import shared_line

        self.shared = profile.shared
        self.received = not profile.shared and self._services.manager.has_received(profile.id)
        self._shared_line = shared_line(profile)
        for action in (self.edit_profile_action, self.capture_action):
            action.setEnabled(not profile.shared)
        self.export_assessment_action.setEnabled(profile.shared)  # yours goes back to its owner
        row = [key for key, _t, _i in SECTIONS].index("assessment")
        self.sidebar.item(row).setHidden(not self._assessed())
        self.section_actions["assessment"].setVisible(self._assessed())
        if not self._assessed() and self.sidebar.currentRow() == row:
            self.show_section("dashboard")

    def _assessed(self) -> bool:
        """Whether the Assessment section has something to show for the current profile."""
        return self.shared or self.received

    def _show_team(self, shown: bool) -> None:
        """The Team section shows while the folder holds a profile shared with you; its rows
        are read again (if it was built) for what changed."""
        row = [key for key, _t, _i in SECTIONS].index("team")
        self.sidebar.item(row).setHidden(not shown)
        self.section_actions["team"].setVisible(shown)
        if not shown and self.sidebar.currentRow() == row:
            self.show_section("dashboard")
        panel = self._built("team")
        if shown and panel is not None and self.current_section() == "team":
            panel.reload()

    def _on_open_person(self, profile_id: str) -> None:
        """A person opened in the Team section: their profile, on the Dashboard."""
        if profile_id != self.profile_id:
            self.set_profile(profile_id)
        self.show_section("dashboard")

    def _on_capture_evidence(self) -> None:
        """Open the quick-capture dialog from any section (File → Capture evidence…)."""
        self.evidence.capture()

    def _on_export_report(self) -> None:
        """File → Export report… (Ctrl+E from any section): the Reports section, where the
        options are, asking at once where to save the report made with them."""
        self.show_section("reports")
        self.reports.export_button.setFocus()
        self.reports.export()

    def _on_export_bundle(self) -> None:
        """File → Export bundle…: your profile as a `.rung` file, private notes only if asked;
        for a profile shared with you, the sentence saying why not and what to send instead."""
        if self.profile_id is None:
            return
        if self.shared:
            from app.bundle.export import shared_export_refused

            owner = self._services.profiles.get(self.profile_id).name
            text = shared_export_refused(owner, "(File → Export assessment…)")
            if dialogs.ask(self, "Export bundle", text, "Export &assessment…", "Cancel"):
                self._on_export_assessment()
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
            owner=self,
            on_error=lambda error: self._on_bundle_failed("Export bundle", error),
        )

    def _on_export_assessment(self) -> None:
        """File → Export assessment…: your latest assessment of a profile shared with you, as
        an assessment bundle for its owner to import (the core refuses, in one sentence, an
        own profile, no assessment yet or no identity to sign it)."""
        if self.profile_id is None:
            return
        profile = self._services.profiles.get(self.profile_id)
        suggested = bundle_file_name(f"{profile.name} assessment", date.today())
        path = dialogs.save_file(self, "Export assessment", BUNDLE_FILTER, suggested)
        if path is None:
            return
        if path.suffix.lower() != ".rung":
            path = path.with_name(path.name + ".rung")
        from app.bundle.assessment import export_assessment  # only when one is made

        store = self._services.store
        self.statusBar().showMessage(f"Exporting {path.name}…")
        self._runner.submit(
            lambda: export_assessment(store, profile.id, path),
            lambda _bundle: self.statusBar().showMessage(f"Assessment saved to {path}", 15_000),
            owner=self,
            on_error=lambda error: self._on_bundle_failed("Export assessment", error),
        )

    def _on_import_bundle(self) -> None:
        """File → Import bundle…: a profile shared with you, or a newer bundle of it."""
        path = dialogs.open_file(self, "Import bundle", BUNDLE_FILTER)
        if path is None:
            return
        from app.bundle.importer import ImportResult, import_bundle  # as for exports

        self._flush_drafts()
        services = self._services
        self.import_bundle_action.setEnabled(False)
        self.statusBar().showMessage(f"Importing {path.name}…")

        def done(result: ImportResult) -> None:
            self.import_bundle_action.setEnabled(True)
            self.statusBar().clearMessage()
            self.reload_profiles(result.profile_id)
            self._reload_backups()  # the import was backed up before
            self.show_section("assessment" if self.shared else "dashboard")
            text = f"{result.name}: {result.summary}."
            if result.action == "created":
                text += " It is read-only here; your assessment goes in the Assessment section."
            dialogs.inform(self, "Import bundle", text)

        self._runner.submit(
            lambda: import_bundle(services.store, services.frameworks, path),
            done,
            owner=self,
            on_error=lambda error: self._on_bundle_failed("Import bundle", error),
        )

    def _on_bundle_failed(self, title: str, error: BaseException) -> None:
        self.import_bundle_action.setEnabled(True)
        self.statusBar().clearMessage()
        dialogs.show_error(self, title, error, self._data_dir)

    def refresh_dashboard(self) -> None:
        """Load the Dashboard again: the profile or its data changed."""
        # Errors go to `_on_task_failed`; a load for a profile the user has since left
        # (or deleted) was superseded by the next one (or cancelled), and is dropped.
        if self.profile_id is not None:
            self.dashboard.load(self.profile_id)

    def _on_switcher_activated(self, index: int) -> None:
        profile_id = self.switcher.itemData(index)
        if profile_id and profile_id != self.profile_id:
            self.set_profile(profile_id)

    def _on_profile_requested(self, request: ProfileRequest) -> None:
        first = not self._services.profiles.all()
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
        if first:
            self._prefill_identity(profile.name)

    def _prefill_identity(self, name: str) -> None:
        """The first profile made here names the data folder's owner, unless one is known: the
        first run asks for "your name" once, and Settings changes it."""
        identity = self._services.identity
        try:
            if identity.get() is not None:
                return
            identity.set(name=name)
        except RungError:
            return  # nothing is signed yet; Settings asks when it matters
        self.dashboard.show_notice(
            f"What you make here is signed “{name}”. Add your role or change the name in "
            "File → Settings."
        )

    def _on_new_profile(self) -> None:
        self.central.setCurrentWidget(self.first_run)
        self.first_run.name.setFocus()

    def _on_edit_profile(self) -> None:
        from ui.profile_form import ProfileDialog

        if self.profile_id is None:
            return
        dialog = ProfileDialog(self._services, self._services.profiles.get(self.profile_id), self)
        if dialog.exec():
            self.reload_profiles(self.profile_id)

    def _on_delete_profile(self) -> None:
        from app.services.erase import erase_profile

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
            self._reload_backups()
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
            self._reload_backups()
            self.statusBar().showMessage(f"Erased every profile: {report.sentence()}.", 15_000)

        from app.services.erase import erase_all

        self._run_exclusive("Erasing all data…", lambda: erase_all(store, data_dir), done)

    def _run_exclusive(
        self, message: str, job: Callable[[], Any], on_done: Callable[[Any], None]
    ) -> None:
        """Run a job that rewrites the whole database on the worker, and wait for it.

        The window keeps painting but takes no input meanwhile, so nothing reads
        what is being erased. The wait ends with the job (or after the runner's
        drain timeout, when the callbacks still arrive as usual).
        """
        self._flush_drafts()
        self._set_waiting(True)
        self.statusBar().showMessage(message)

        def done(result: Any) -> None:
            self._set_waiting(False)
            self.statusBar().clearMessage()
            on_done(result)

        def failed(error: BaseException) -> None:
            self._set_waiting(False)
            self.statusBar().clearMessage()
            self.reload_profiles(self.profile_id)
            self._on_task_failed(error)

        self._runner.submit(job, done, owner=self, on_error=failed)
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
            owner=self,
            on_error=self._on_check_failed,
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

    def _on_check_failed(self, error: BaseException) -> None:
        self.check_action.setEnabled(True)
        self.statusBar().clearMessage()
        self._on_task_failed(error)

    # -- sections --------------------------------------------------------------

    def show_section(self, key: str) -> None:
        keys = [k for k, _t, _i in SECTIONS]
        self.sidebar.setCurrentRow(keys.index(key))

    def current_section(self) -> str:
        return SECTIONS[self.sidebar.currentRow()][0]

    def _on_section_changed(self, row: int) -> None:
        if row < 0:
            return
        key = SECTIONS[row][0]
        if key != "dashboard":
            self._section(key, QWidget)  # built now, the first time it is shown
        self.pages.setCurrentIndex(row)
        self._settings.last_section = key
        if key == "team":  # the team as it is now: assessments may have changed meanwhile
            self.team.reload()

    def _on_section_shortcut(self, row: int) -> None:
        """View → a section (Ctrl+1 … Ctrl+0): only to one the sidebar shows."""
        if not self.sidebar.item(row).isHidden():
            self.sidebar.setCurrentRow(row)

    def _on_checkin_finalized(self, what_changed: str) -> None:
        """A check-in was finalised: the Dashboard shows what it changed, and the hub gets it
        when this folder publishes after each check-in."""
        self.refresh_dashboard()
        if what_changed:
            self.dashboard.show_notice(what_changed)
            self.show_section("dashboard")
        for key in ("history", "plan"):
            panel = self._built(key)
            if panel is not None:
                panel.reload()
        self.hub.after_finalise()  # if this folder asked for it; never undoes the check-in

    # -- the team hub ------------------------------------------------------------

    def _open_hub(self) -> None:
        """The Team hub menu's work (`ui.hub`), once the folder is open; nothing shows until
        the folder has a hub."""
        from ui.hub import HubActions, HubControl

        actions = HubActions(
            self.hub_connect_action,
            self.hub_publish_action,
            self.hub_pull_action,
            self.hub_status_action,
            self.hub_publish_after_action,
            self.hub_withdraw_action,
        )
        self.hub = HubControl(self._services, self._runner, self, actions, self._data_dir)
        self.hub.pulling.connect(self._flush_drafts)
        self.hub.pulled.connect(self._on_hub_pulled)
        self.hub.load()

    def _on_hub_pulled(self) -> None:
        """A pull changed shared copies or brought an assessment: shown as after an import
        (it was backed up before, too)."""
        self.reload_profiles(self.profile_id)
        self._reload_backups()

    def _on_amend_requested(self, checkin_id: str) -> None:
        self.checkin.open_checkin(checkin_id)
        self.show_section("checkin")

    # -- look and feel ---------------------------------------------------------

    def open_settings(self) -> None:
        """File → Settings…: who you are (loaded first, off the GUI thread) and the palette."""
        identity = self._services.identity
        self._runner.submit(identity.get, self._show_settings, owner=self, key="settings")

    def _show_settings(self, identity: Identity | None) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self._services, self._runner, identity, self._theme.appearance, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.identity_saved.connect(self._on_identity_saved)
        dialog.appearance_chosen.connect(self.set_appearance)
        self.settings_dialog = dialog
        dialog.open()

    def _on_identity_saved(self, _identity: Identity) -> None:
        """Who signs changed: the Assessment section shows it (and, if it was waiting for one,
        can be edited now)."""
        panel = self._built("assessment")
        if panel is not None:
            panel.show_profile(self.profile_id if self._assessed() else None)

    def set_appearance(self, appearance: Appearance) -> None:
        self._settings.appearance = appearance
        self.appearance_actions[appearance].setChecked(True)
        self._theme.apply(appearance)

    def _on_theme_changed(self) -> None:
        color = QApplication.palette().color(QPalette.ColorRole.WindowText)
        size = self.sidebar.iconSize().width()
        for row, (_key, _title, name) in enumerate(SECTIONS):
            self.sidebar.item(row).setIcon(icon(name, color, size))

    def _on_about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self._data_dir, self).exec()

    def _on_task_failed(self, error: BaseException) -> None:
        """The one place a failed job without its own handler is shown (`TaskRunner.failed`)."""
        self.statusBar().showMessage(describe(error), 15_000)
        dialogs.show_error(self, "Rung", error, self._data_dir)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.opened:
            self._flush_drafts()
        self._settings.geometry = self.saveGeometry()
        self._settings.sync()
        super().closeEvent(event)
