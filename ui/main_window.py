"""The main window; for now it lists the profiles in the data folder."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from app.services import Services


class MainWindow(QMainWindow):
    """Lists profiles with their framework and levels."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setWindowTitle("Rung")
        self.setMinimumSize(640, 420)
        self._services = services
        central = QWidget(self)
        layout = QVBoxLayout(central)
        heading = QLabel("Profiles", central)
        heading.setAccessibleName("Profiles heading")
        self.profile_list = QListWidget(central)
        self.profile_list.setAccessibleName("Profiles")
        layout.addWidget(heading)
        layout.addWidget(self.profile_list)
        self.setCentralWidget(central)
        self.refresh()

    def refresh(self) -> None:
        self.profile_list.clear()
        profiles = self._services.profiles.all()
        for profile in profiles:
            self.profile_list.addItem(
                f"{profile.name} — {profile.level} → {profile.target} "
                f"({profile.framework}@{profile.framework_version})"
            )
        if not profiles:
            self.profile_list.addItem("No profiles yet: run 'rung demo' or create one.")
