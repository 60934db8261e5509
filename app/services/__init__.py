"""The one service layer the CLI and the UI call; it owns sessions and transactions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.paths import DATABASE_NAME
from app.services.charts import ChartService
from app.services.checkins import CheckInService
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService
from app.services.readiness import ReadinessService
from app.store.db import Store, open_memory_store, open_store


@dataclass
class Services:
    store: Store
    frameworks: FrameworkService
    profiles: ProfileService
    checkins: CheckInService
    readiness: ReadinessService
    charts: ChartService

    @classmethod
    def on(cls, store: Store) -> Services:
        frameworks = FrameworkService(store)
        frameworks.ensure_builtins()
        profiles = ProfileService(store, frameworks)
        checkins = CheckInService(store, frameworks, profiles)
        readiness = ReadinessService(store, frameworks, profiles, checkins)
        charts = ChartService(store, profiles, checkins, readiness, frameworks)
        return cls(store, frameworks, profiles, checkins, readiness, charts)

    def close(self) -> None:
        self.store.close()


def open_services(data_dir: Path, *, read_only: bool = False) -> Services:
    """Open the data folder; a read-only caller never creates a database that isn't there."""
    if read_only and not (data_dir / DATABASE_NAME).exists():
        return Services.on(open_memory_store())
    return Services.on(open_store(data_dir))
