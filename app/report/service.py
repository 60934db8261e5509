"""Promotion-readiness reports: gather the content, lay out the PDF, write it atomically.

The report layer sits above the services: it reads through them, and they
never import it. ReportLab is imported only when a report is made, never at
startup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.files import atomic_write, check_output

if TYPE_CHECKING:
    from app.report.model import ReportContent, ReportOptions
    from app.services import Services

# Called with (steps done, steps in all) as a report is made; from the worker thread.
Progress = Callable[[int, int], None]
STEPS = 3  # content gathered, pages laid out, file written


class ReportService:
    """Makes reports of the profiles that `services` reads."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def content(
        self, profile_id: str, options: ReportOptions, *, today: date | None = None
    ) -> ReportContent:
        """What the report prints: the period, the audience's sections, private text only if
        asked for."""
        from app.report.content import build

        return build(self._services, profile_id, options, today=today or date.today())

    def pdf(
        self,
        profile_id: str,
        options: ReportOptions,
        progress: Progress | None = None,
        *,
        today: date | None = None,
    ) -> bytes:
        """The report as PDF bytes (for a preview, or to write)."""
        content = self.content(profile_id, options, today=today)
        if progress:
            progress(1, STEPS)
        from app.report.pdf import render

        data = render(content)
        if progress:
            progress(2, STEPS)
        return data

    def export(
        self,
        profile_id: str,
        options: ReportOptions,
        path: Path,
        progress: Progress | None = None,
        *,
        today: date | None = None,
    ) -> Path:
        """Write the report to `path` atomically: a failed export leaves any old file.

        A path that `check_output` refuses is refused before the report is built.
        """
        data_dir = self._services.store.data_dir
        check_output(path, data_dir)
        data = self.pdf(profile_id, options, progress, today=today)
        atomic_write(path, data, data_dir=data_dir)
        if progress:
            progress(STEPS, STEPS)
        return path
