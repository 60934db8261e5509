"""Profiles: creating, finding by the CLI's selector rule, and deleting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import check_date, check_interval
from app.errors import InvalidInputError, NotFoundError, ReadOnlyError
from app.services.frameworks import FrameworkService
from app.store.db import Store
from app.store.models import Profile, ProfileStage, new_id
from app.text import check_name, same_text

MIN_PREFIX = 4


@dataclass(frozen=True)
class StageInfo:
    """The framework version and levels in force from `effective_from` on."""

    effective_from: date
    framework: str
    framework_version: str
    level: str
    target: str


@dataclass(frozen=True)
class StageChange:
    """A promotion or a move to another version of the framework (`ID@VERSION`)."""

    effective_from: date
    framework: str
    level: str
    target: str


@dataclass(frozen=True)
class ProfileInfo:
    id: str
    name: str
    manager: str | None
    role_start: date
    checkin_interval_days: int
    stages: tuple[StageInfo, ...]
    shared: bool = False  # imported from its owner's bundle: read-only here
    shared_exported_at: datetime | None = None  # when the owner exported that bundle

    @property
    def current(self) -> StageInfo:
        return self.stages[-1]

    @property
    def framework(self) -> str:
        return self.current.framework

    @property
    def framework_version(self) -> str:
        return self.current.framework_version

    @property
    def level(self) -> str:
        return self.current.level

    @property
    def target(self) -> str:
        return self.current.target

    def stage_on(self, day: date) -> StageInfo:
        """The stage in force on `day` (the first one for days before it)."""
        in_force = [stage for stage in self.stages if stage.effective_from <= day]
        return in_force[-1] if in_force else self.stages[0]


def _info(row: Profile) -> ProfileInfo:
    return ProfileInfo(
        id=row.id,
        name=row.name,
        manager=row.manager,
        role_start=row.role_start,
        checkin_interval_days=row.checkin_interval_days,
        stages=tuple(
            StageInfo(
                s.effective_from, s.framework_id, s.framework_version, s.level, s.target_level
            )
            for s in row.stages
        ),
        shared=row.origin == "shared",
        shared_exported_at=row.shared_exported_at,
    )


def check_editable(session: Session, profile_id: str) -> None:
    """Refuse to change a profile its owner shared: the manager's copy is read-only.

    Every service method that writes a profile's data calls this first, in the
    same transaction (the importer, which mirrors the owner's bundle, does not).
    """
    row = session.get(Profile, profile_id)
    if row is not None and row.origin == "shared":
        raise ReadOnlyError(
            f"{row.name} shared this profile with you; it is read-only (re-import a newer "
            "bundle to update it)."
        )


class ProfileService:
    def __init__(self, store: Store, frameworks: FrameworkService) -> None:
        self._store = store
        self._frameworks = frameworks

    def all(self) -> list[ProfileInfo]:
        with self._store.session() as session:
            rows = session.scalars(select(Profile).order_by(Profile.created_at, Profile.id))
            return [_info(row) for row in rows]

    def get(self, profile_id: str) -> ProfileInfo:
        with self._store.session() as session:
            return _info(self._row(session, profile_id))

    def _check_levels(self, framework: str, level: str, target: str) -> tuple[str, str]:
        """Resolve `framework` and check both levels exist, target not below level."""
        info = self._frameworks.resolve(framework)
        model = self._frameworks.get(info.id, info.version)
        levels = [lvl.id for lvl in model.levels]
        for what, value in (("level", level), ("target level", target)):
            if value not in levels:
                raise InvalidInputError(
                    f"The {what} '{value}' is not a level of {info.ref} "
                    f"(levels: {', '.join(levels)})."
                )
        if levels.index(target) < levels.index(level):
            raise InvalidInputError(
                f"The target level '{target}' is below the current level '{level}'."
            )
        return info.id, info.version

    @staticmethod
    def _check_details(
        name: str, manager: str | None, interval_days: int, role_start: date | None
    ) -> None:
        check_name(name)
        if manager is not None:
            check_name(manager, "manager's name")
        check_interval(interval_days)
        if role_start is not None:
            check_date(role_start, "role start date")

    def create(
        self,
        *,
        name: str,
        framework: str,
        level: str,
        target: str,
        started: date | None = None,
        interval_days: int = 30,
        manager: str | None = None,
    ) -> ProfileInfo:
        """Create a profile on `framework` (`ID` or `ID@VERSION`), checking levels first."""
        row = self.new_row(
            name=name,
            framework=framework,
            level=level,
            target=target,
            started=started,
            interval_days=interval_days,
            manager=manager,
        )
        with self._store.session() as session:
            session.add(row)
            session.flush()
            return _info(row)

    def new_row(
        self,
        *,
        name: str,
        framework: str,
        level: str,
        target: str,
        started: date | None = None,
        interval_days: int = 30,
        manager: str | None = None,
    ) -> Profile:
        """A checked, unsaved profile with its first stage, for a caller's own transaction."""
        self._check_details(name, manager, interval_days, started)
        framework_id, version = self._check_levels(framework, level, target)
        start = started or date.today()
        row = Profile(
            id=new_id(),
            name=name,
            manager=manager,
            role_start=start,
            checkin_interval_days=interval_days,
        )
        row.stages.append(
            ProfileStage(
                effective_from=start,
                framework_id=framework_id,
                framework_version=version,
                level=level,
                target_level=target,
            )
        )
        return row

    def update_details(
        self,
        profile_id: str,
        *,
        name: str,
        interval_days: int,
        manager: str | None,
        role_start: date,
        stage: StageChange | None = None,
    ) -> ProfileInfo:
        """Change what describes the person and, optionally, the stage, in one transaction."""
        self._check_details(name, manager, interval_days, role_start)
        checked = self._check_stage(stage) if stage else None
        with self._store.session() as session:
            row = self._row(session, profile_id)
            check_editable(session, profile_id)
            row.name, row.manager = name, manager
            row.checkin_interval_days, row.role_start = interval_days, role_start
            if stage and checked:
                self._apply_stage(session, row, stage, *checked)
            return _info(row)

    def change_stage(
        self, profile_id: str, *, effective_from: date, framework: str, level: str, target: str
    ) -> ProfileInfo:
        """A promotion or a move to another framework version, in force from a date on.

        History is kept: ratings are keyed by skill id, and each past point is
        read with the stage in force on its date. A change on the date of an
        existing stage replaces that stage.
        """
        stage = StageChange(effective_from, framework, level, target)
        checked = self._check_stage(stage)
        with self._store.session() as session:
            row = self._row(session, profile_id)
            check_editable(session, profile_id)
            self._apply_stage(session, row, stage, *checked)
            return _info(row)

    def _check_stage(self, stage: StageChange) -> tuple[str, str]:
        check_date(stage.effective_from, "promotion date")
        return self._check_levels(stage.framework, stage.level, stage.target)

    @staticmethod
    def _apply_stage(
        session: Session, row: Profile, stage: StageChange, framework_id: str, version: str
    ) -> None:
        if framework_id != row.stages[0].framework_id:
            raise InvalidInputError(
                "A profile can move to another version of its framework, not to another "
                "framework; create a new profile for that."
            )
        same_day = [s for s in row.stages if s.effective_from == stage.effective_from]
        target = same_day[0] if same_day else ProfileStage(effective_from=stage.effective_from)
        target.framework_id, target.framework_version = framework_id, version
        target.level, target.target_level = stage.level, stage.target
        if not same_day:
            row.stages.append(target)
        session.flush()
        session.refresh(row)

    @staticmethod
    def _row(session: Session, profile_id: str) -> Profile:
        row = session.get(Profile, profile_id)
        if row is None:
            raise NotFoundError(f"No profile has the id {profile_id}.")
        return row

    def resolve(self, selector: str) -> ProfileInfo:
        """Match an exact id, then an exact name (NFC), then an id prefix of 4+ characters."""
        profiles = self.all()
        for match in (
            [p for p in profiles if p.id == selector],
            [p for p in profiles if same_text(p.name, selector)],
            [p for p in profiles if len(selector) >= MIN_PREFIX and p.id.startswith(selector)],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                listed = "; ".join(f"{p.id} ({p.name})" for p in match)
                raise NotFoundError(f"The profile '{selector}' is ambiguous: {listed}.")
        listed = "; ".join(f"{p.id} ({p.name})" for p in profiles) or "there are none yet"
        raise NotFoundError(f"No profile matches '{selector}' (profiles: {listed}).")

    def delete(self, profile_id: str) -> None:
        with self._store.session() as session:
            session.delete(self._row(session, profile_id))
