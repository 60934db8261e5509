"""The one service layer the CLI and the UI call; it owns sessions and transactions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from app.paths import DATABASE_NAME
from app.services.backups import restore
from app.services.charts import ChartService
from app.services.checkins import CheckInService
from app.services.criteria import CriteriaService
from app.services.evidence import EvidenceService
from app.services.frameworks import FrameworkService
from app.services.gitwork import GitWorkService
from app.services.identity import IdentityService
from app.services.manager import ManagerService
from app.services.plan import PlanService
from app.services.profiles import ProfileService
from app.services.readiness import ReadinessService
from app.services.team import TeamService
from app.store.backup import BackupInfo
from app.store.db import Store, open_memory_store, open_store
from app.store.sqlite import SQLITE_VERSION, sqlite_version_note

__all__ = ["SQLITE_VERSION", "Services", "open_services", "sqlite_version_note"]


@dataclass
class Services:
    store: Store
    frameworks: FrameworkService
    profiles: ProfileService
    checkins: CheckInService
    readiness: ReadinessService
    charts: ChartService
    evidence: EvidenceService
    plan: PlanService
    manager: ManagerService
    identity: IdentityService
    criteria: CriteriaService
    gitwork: GitWorkService
    team: TeamService

    @classmethod
    def on(cls, store: Store, *, read_only: bool = False) -> Services:
        """The services on `store`; a read-only caller's opening writes nothing."""
        frameworks = FrameworkService(store)
        frameworks.ensure_builtins(store_them=not read_only)
        profiles = ProfileService(store, frameworks)
        checkins = CheckInService(store, frameworks, profiles)
        readiness = ReadinessService(frameworks, profiles, checkins)
        charts = ChartService(store, profiles, checkins, readiness, frameworks)
        evidence = EvidenceService(store, frameworks, profiles)
        plan = PlanService(store, frameworks, profiles, checkins, readiness)
        identity = IdentityService(store)
        manager = ManagerService(store, frameworks, profiles, checkins, identity)
        return cls(
            store,
            frameworks,
            profiles,
            checkins,
            readiness,
            charts,
            evidence,
            plan,
            manager,
            identity,
            CriteriaService(frameworks, profiles, checkins),
            GitWorkService(store, frameworks, profiles, evidence, identity),
            TeamService(store, frameworks, profiles, checkins, readiness),
        )

    def close(self) -> None:
        self.store.close()

    def reopen(self, data_dir: Path) -> None:
        """Open the data folder again and take over its fresh store and services.

        Everything that holds this `Services` object then uses the new database.
        """
        fresh = open_services(data_dir)
        old = self.store
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(fresh, field.name))
        old.close()

    def restore(self, data_dir: Path, source: str) -> tuple[Path, BackupInfo | None]:
        """Restore a backup or file (see `app.services.backups.restore`), then reopen."""
        self.store.engine.dispose()  # no pooled connection may outlive the old content
        result = restore(data_dir, source)
        self.reopen(data_dir)
        return result


def open_services(data_dir: Path, *, read_only: bool = False) -> Services:
    """Open the data folder; a read-only caller creates no database and writes nothing.

    (Bringing an older database's schema up to date is the one write a reader may cause.)
    """
    if read_only and not (data_dir / DATABASE_NAME).exists():
        return Services.on(open_memory_store(data_dir))
    return Services.on(open_store(data_dir), read_only=read_only)
