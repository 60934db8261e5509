"""Creating a profile (the first-run flow) and editing one (details, promotion, new version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dates import MAX_DATE, MAX_INTERVAL_DAYS, MIN_DATE, MIN_INTERVAL_DAYS
from app.errors import RungError
from app.services import Services
from app.services.frameworks import version_key
from app.services.profiles import ProfileInfo, StageChange


@dataclass(frozen=True)
class ProfileRequest:
    """What the form asks for; the caller hands it to the profile service."""

    name: str
    framework: str  # ID@VERSION
    level: str
    target: str
    started: date
    interval_days: int
    manager: str | None


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(value: date, name: str, parent: QWidget) -> QDateEdit:
    """A date field limited to the calendar Rung accepts (`app.dates`), as every one is."""
    edit = QDateEdit(parent)
    edit.setDateRange(to_qdate(MIN_DATE), to_qdate(MAX_DATE))
    edit.setDate(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit


def _interval_box(days: int, parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS)
    box.setValue(days)
    box.setSuffix(" days")
    box.setAccessibleName("Check-in interval")
    return box


def _add_rows(form: QFormLayout, parent: QWidget, rows: tuple[tuple[str, QWidget], ...]) -> None:
    """A row per (label text, field), the label the field's buddy for its shortcut."""
    for text, widget in rows:
        label = QLabel(text, parent)
        label.setBuddy(widget)
        form.addRow(label, widget)


class _WrappedLine(QLabel):
    """A word-wrapped label as tall as its text at the width it is given: a form layout
    sizes its row by the size hint, which Qt works out for a narrower width."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setFixedHeight(self.heightForWidth(self.width()))


class _LevelPicker:
    """Framework, current level and target level combos that keep each other valid."""

    def __init__(self, services: Services, parent: QWidget, framework_id: str | None) -> None:
        self._services = services
        self.framework = QComboBox(parent)
        self.framework.setAccessibleName("Framework")
        self.level = QComboBox(parent)
        self.level.setAccessibleName("Current level")
        self.target = QComboBox(parent)
        self.target.setAccessibleName("Target level")
        infos = [
            info
            for info in services.frameworks.all()
            if framework_id is None or info.id == framework_id
        ]
        infos.sort(key=lambda i: (not i.builtin, i.id, [-n for n in version_key(i.version)]))
        for info in infos:
            self.framework.addItem(f"{info.name} ({info.ref})", info.ref)
        self.framework.currentIndexChanged.connect(self._on_framework_changed)
        self.level.currentIndexChanged.connect(self._on_level_changed)
        self._on_framework_changed()

    def _levels(self) -> list[tuple[str, str]]:
        ref = self.framework.currentData()
        if not ref:
            return []
        return [(lvl.id, lvl.name) for lvl in self._services.frameworks.load(ref).levels]

    def description(self) -> str:
        """What the chosen framework says it is for, or nothing."""
        ref = self.framework.currentData()
        return (self._services.frameworks.load(ref).description or "") if ref else ""

    def _on_framework_changed(self) -> None:
        self.level.clear()
        for level_id, name in self._levels():
            self.level.addItem(name, level_id)
        self._on_level_changed()

    def _on_level_changed(self) -> None:
        levels = self._levels()
        chosen = self.target.currentData()
        start = max(0, self.level.currentIndex())
        self.target.clear()
        for level_id, name in levels[start:]:
            self.target.addItem(name, level_id)
        index = self.target.findData(chosen)
        # Default the target to the next level up: that is what people grow toward.
        self.target.setCurrentIndex(index if index >= 0 else min(1, self.target.count() - 1))

    def select(self, framework_ref: str, level: str, target: str) -> None:
        self.framework.setCurrentIndex(max(0, self.framework.findData(framework_ref)))
        self.level.setCurrentIndex(max(0, self.level.findData(level)))
        self.target.setCurrentIndex(max(0, self.target.findData(target)))


class ProfileForm(QWidget):
    """The first-run form: a profile in under a minute, with sensible defaults.

    Signals:
        submitted(ProfileRequest): the user asked to create the profile.
    """

    submitted = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Set up your profile: who you are, the ladder you measure yourself against, "
            "and the level you are aiming for. Everything stays on this computer.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("Your name")
        self.picker = _LevelPicker(services, self, None)
        self.started = date_edit(date.today(), "Role start date", self)
        self.interval = _interval_box(30, self)
        self.manager = QLineEdit(self)
        self.manager.setPlaceholderText("Optional")
        self.manager.setAccessibleName("Manager")
        _add_rows(
            form,
            self,
            (
                ("&Name:", self.name),
                ("F&ramework:", self.picker.framework),
                ("Current &level:", self.picker.level),
                ("&Target level:", self.picker.target),
                ("Role start &date:", self.started),
                ("Check-in &interval:", self.interval),
                ("&Manager:", self.manager),
            ),
        )
        # What the chosen ladder is for, under its name: a newcomer picks by it.
        self.about = _WrappedLine(self)
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)  # a framework file's text, as typed
        self.about.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.about.setAccessibleName("About the framework")
        form.insertRow(2, "", self.about)
        self.picker.framework.currentIndexChanged.connect(self._show_about)
        self._show_about()
        layout.addLayout(form)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        self.create_button = QPushButton("&Create profile", self)
        self.create_button.clicked.connect(self._on_create_clicked)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter in any field creates it
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self._on_create_clicked)
        layout.addWidget(self.create_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def _show_about(self) -> None:
        text = self.picker.description()
        self.about.setText(text)
        self.about.setVisible(bool(text))

    def _on_create_clicked(self) -> None:
        self.submitted.emit(
            ProfileRequest(
                name=self.name.text(),
                framework=self.picker.framework.currentData(),
                level=self.picker.level.currentData(),
                target=self.picker.target.currentData(),
                started=to_date(self.started.date()),
                interval_days=self.interval.value(),
                manager=self.manager.text() or None,
            )
        )

    def show_problem(self, text: str) -> None:
        self.message.setText(text)


class ProfileDialog(QDialog):
    """Edit a profile: its details, and a promotion or a move to a newer framework version."""

    def __init__(self, services: Services, profile: ProfileInfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit profile")
        self._services = services
        self._profile = profile
        layout = QVBoxLayout(self)
        details = QFormLayout()
        self.name = QLineEdit(profile.name, self)
        self.name.setAccessibleName("Name")
        self.started = date_edit(profile.role_start, "Role start date", self)
        self.interval = _interval_box(profile.checkin_interval_days, self)
        self.manager = QLineEdit(profile.manager or "", self)
        self.manager.setAccessibleName("Manager")
        _add_rows(
            details,
            self,
            (
                ("&Name:", self.name),
                ("Role start &date:", self.started),
                ("Check-in &interval:", self.interval),
                ("&Manager:", self.manager),
            ),
        )
        layout.addLayout(details)

        stage = QGroupBox("Level and framework version", self)
        stage_form = QFormLayout(stage)
        note = QLabel(
            "A promotion or a newer version of the ladder applies from the date you give; "
            "earlier check-ins keep the level and version in force on their dates.",
            stage,
        )
        note.setWordWrap(True)
        stage_form.addRow(note)
        self.picker = _LevelPicker(services, stage, profile.framework)
        self.picker.select(
            f"{profile.framework}@{profile.framework_version}", profile.level, profile.target
        )
        self.effective = date_edit(date.today(), "In force from", stage)
        _add_rows(
            stage_form,
            stage,
            (
                ("&Version:", self.picker.framework),
                ("Current &level:", self.picker.level),
                ("&Target level:", self.picker.target),
                ("In force &from:", self.effective),
            ),
        )
        layout.addWidget(stage)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_save(self) -> None:
        """Details and any change of level or version are saved together, or not at all."""
        profile = self._profile
        ref = self.picker.framework.currentData()
        level, target = self.picker.level.currentData(), self.picker.target.currentData()
        current = (f"{profile.framework}@{profile.framework_version}", profile.level)
        changed = (ref, level) != current or target != profile.target
        stage = StageChange(to_date(self.effective.date()), ref, level, target) if changed else None
        try:
            self._services.profiles.update_details(
                profile.id,
                name=self.name.text(),
                interval_days=self.interval.value(),
                manager=self.manager.text() or None,
                role_start=to_date(self.started.date()),
                stage=stage,
            )
        except RungError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
