"""The Dashboard: who, which ladder, the last check-in, the next one due, a waiting draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import Services
from app.services.checkins import Schedule
from app.services.profiles import ProfileInfo


@dataclass(frozen=True)
class DashboardData:
    """Everything the Dashboard shows, loaded in one job off the GUI thread."""

    profile: ProfileInfo
    framework_name: str
    level_name: str
    target_name: str
    schedule: Schedule
    checkins: int


def load_dashboard(services: Services, profile_id: str) -> DashboardData:
    profile = services.profiles.get(profile_id)
    framework = services.frameworks.get(profile.framework, profile.framework_version)
    return DashboardData(
        profile=profile,
        framework_name=f"{framework.name} ({framework.ref})",
        level_name=framework.level(profile.level).name,
        target_name=framework.level(profile.target).name,
        schedule=services.checkins.schedule(
            profile.id, profile.checkin_interval_days, profile.role_start
        ),
        checkins=sum(1 for c in services.checkins.all(profile.id) if c.status == "final"),
    )


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names are shown exactly as typed
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Dashboard(QWidget):
    """Signals:
    start_checkin(): the user wants to start or continue a check-in.
    """

    start_checkin = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = _plain_label(self, "Profile name")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        form = QFormLayout()
        self.framework = _plain_label(self, "Framework")
        self.levels = _plain_label(self, "Levels")
        self.last = _plain_label(self, "Last check-in")
        self.next_due = _plain_label(self, "Next check-in due")
        self.draft = _plain_label(self, "Draft")
        for text, label in (
            ("Framework:", self.framework),
            ("Level:", self.levels),
            ("Last check-in:", self.last),
            ("Next check-in due:", self.next_due),
            ("Draft:", self.draft),
        ):
            form.addRow(text, label)
        layout.addLayout(form)
        self.action = QPushButton("&Start a check-in", self)
        self.action.clicked.connect(self.start_checkin)
        layout.addWidget(self.action, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def show_data(self, data: DashboardData, today: date | None = None) -> None:
        today = today or date.today()
        schedule = data.schedule
        self.title.setText(data.profile.name)
        self.framework.setText(data.framework_name)
        self.levels.setText(f"{data.level_name} → {data.target_name}")
        if schedule.last is None:
            self.last.setText("None yet")
        else:
            count = f"{data.checkins} check-in{'s' if data.checkins != 1 else ''} in all"
            self.last.setText(f"{schedule.last.isoformat()} ({count})")
        days = (schedule.next_due - today).days
        when = (
            f"in {days} days"
            if days > 1
            else "tomorrow"
            if days == 1
            else "today"
            if days == 0
            else f"overdue by {-days} day{'s' if days != -1 else ''}"
        )
        self.next_due.setText(f"{schedule.next_due.isoformat()} ({when})")
        if schedule.draft is None:
            self.draft.setText("No draft waiting")
            self.action.setText("&Start a check-in")
        else:
            self.draft.setText(f"A draft for {schedule.draft.isoformat()} is waiting")
            self.action.setText("&Continue the check-in")
