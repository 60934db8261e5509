"""Window geometry, last section and profile, appearance, the warnings already shown, and
the link templates of git repositories.

They live in the data folder's `settings.ini` (not in the database and not in
the platform's registry), so each data folder remembers its own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.theme import Appearance


class Settings:
    def __init__(self, data_dir: Path) -> None:
        self._qsettings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)

    def _text(self, key: str) -> str | None:
        value = self._qsettings.value(key)
        return value if isinstance(value, str) and value else None

    @property
    def appearance(self) -> Appearance:
        try:
            return Appearance(self._text("appearance") or Appearance.SYSTEM)
        except ValueError:
            return Appearance.SYSTEM

    @appearance.setter
    def appearance(self, value: Appearance) -> None:
        self._qsettings.setValue("appearance", value.value)

    @property
    def last_profile(self) -> str | None:
        return self._text("last_profile")

    @last_profile.setter
    def last_profile(self, profile_id: str | None) -> None:
        self._qsettings.setValue("last_profile", profile_id or "")

    @property
    def last_section(self) -> str | None:
        return self._text("last_section")

    @last_section.setter
    def last_section(self, section: str) -> None:
        self._qsettings.setValue("last_section", section)

    @property
    def geometry(self) -> QByteArray | None:
        value = self._qsettings.value("geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qsettings.setValue("geometry", value)

    def warning_shown(self, text: str) -> bool:
        """Whether a one-time warning was already shown for this data folder."""
        return _digest(text) in self._shown_warnings()

    def mark_warning_shown(self, text: str) -> None:
        shown = self._shown_warnings()
        if _digest(text) not in shown:
            self._qsettings.setValue("shown_warnings", " ".join([*shown, _digest(text)]))

    def dismissed_suggestions(self, profile_id: str) -> set[str]:
        """Plan suggestions the user dismissed for a profile (keys such as `gap:sql`)."""
        return set((self._text(f"dismissed/{profile_id}") or "").split())

    def dismiss_suggestion(self, profile_id: str, key: str) -> None:
        keys = self.dismissed_suggestions(profile_id) | {key}
        self._qsettings.setValue(f"dismissed/{profile_id}", " ".join(sorted(keys)))

    def draft_step(self, checkin_id: str) -> int:
        """The wizard step a draft was left at (0 for a draft never opened here)."""
        value = self._text(f"draft_step/{checkin_id}")
        return int(value) if value and value.isdecimal() else 0

    def set_draft_step(self, checkin_id: str, step: int) -> None:
        self._qsettings.setValue(f"draft_step/{checkin_id}", str(step))

    def link_template(self, repository: str) -> str | None:
        """The link template last used with a repository (the path as typed)."""
        return self._text(f"git_links/{_digest(repository)}")

    def set_link_template(self, repository: str, template: str) -> None:
        """Remember `template` for the repository ('' forgets it)."""
        self._qsettings.setValue(f"git_links/{_digest(repository)}", template)

    def _shown_warnings(self) -> list[str]:
        # Digests, not the texts: INI values with commas come back as lists.
        return (self._text("shown_warnings") or "").split()

    def sync(self) -> None:
        self._qsettings.sync()


def _digest(text: str) -> str:
    import hashlib  # only once the window is up: loading OpenSSL costs the first paint ~3 ms

    return hashlib.sha256(text.encode()).hexdigest()[:16]
