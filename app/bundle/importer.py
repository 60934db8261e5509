"""Import profile bundles: the file is checked whole, then mirrored in one transaction.

`read_bundle` refuses, with one sentence, anything that Rung did not write or
that changed since: the file as a document (`app.bundle.reader`), the model,
and what the model cannot say (framework hashes, references between records,
unique ids). `import_bundle` then decides what to do and checks the bundle
against this database (framework versions, ids held by other profiles); only
then does it back the database up ("before-import") and write, in one
transaction of bulk inserts. A refused file leaves the data folder byte for
byte as it was. Given an assessment bundle, it hands it to
`app.bundle.assessment`, so `rung bundle import` and File → Import bundle…
take either kind.

Mirroring is exact. A shared copy holds what its owner shares and nothing
more, so a newer bundle exported without private text also removes the private
text an earlier bundle carried (its notes become empty, its private evidence
goes) rather than keep what the owner has since chosen not to share; the copy
then depends only on the newest bundle, never on the order of imports.
Records are matched by id with the copy as it exports now: a changed one keeps
its id, takes the bundle's `updated_at` and has its parts (ratings, tags,
skills) rewritten. The manager's annotations (calibrations, comments,
recommendation) are never touched, and a copy shared with you never silently
becomes your own: `as_mine` is for a profile that is not here yet, and only for
the bundle of this folder's owner (`Identity.same_person`; a folder with no
identity yet takes the bundle's, as on a new computer). So nobody can make
someone else's profile their own here and export it as a "newer" one.
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.bundle.assessment import import_assessment
from app.bundle.export import export_payload
from app.bundle.model import (
    Bundle,
    CheckInRecord,
    EvidenceRecord,
    FrameworkRecord,
    GoalRecord,
    LearningRecord,
    OwnerRecord,
    Payload,
)
from app.bundle.reader import (
    Action,
    Document,
    ImportResult,
    exported_time,
    read_document,
    validate,
)
from app.errors import BundleError, FrameworkError, InvalidInputError
from app.framework.loader import (
    canonical_json,
    framework_hash,
    legacy_framework_hash,
    parse_framework,
)
from app.framework.model import Framework, Loc, format_loc
from app.services.frameworks import FrameworkService
from app.services.identity import Identity
from app.services.profiles import ProfileInfo, StageInfo
from app.store.db import Store
from app.store.models import (
    OWNER_ID,
    Amendment,
    Base,
    CheckIn,
    Evidence,
    EvidenceTag,
    Goal,
    GoalSkill,
    KpiValue,
    LearningItem,
    MilestoneStatus,
    Owner,
    Profile,
    ProfileStage,
    Rating,
    RatingEvidence,
    StoredFramework,
    new_id,
    utcnow,
)
from app.text import check_name

__all__ = ["ImportResult", "check_profile_bundle", "import_bundle", "read_bundle"]

_R = TypeVar("_R", CheckInRecord, EvidenceRecord, GoalRecord, LearningRecord)
_AnyRecord = CheckInRecord | EvidenceRecord | GoalRecord | LearningRecord


@dataclass(frozen=True)
class _Kind:
    """A kind of record a bundle carries by id."""

    key: str  # its list in the payload
    one: str
    many: str
    model: type[CheckIn] | type[Evidence] | type[Goal] | type[LearningItem]

    def records(self, payload: Payload) -> Sequence[_AnyRecord]:
        records: Sequence[_AnyRecord] = getattr(payload, self.key)
        return records


_KINDS = (
    _Kind("checkins", "check-in", "check-ins", CheckIn),
    _Kind("evidence", "evidence entry", "evidence entries", Evidence),
    _Kind("goals", "goal", "goals", Goal),
    _Kind("learning", "learning item", "learning items", LearningItem),
)


# -- checking the content ---------------------------------------------------------


class _Checker:
    """What the model cannot say: frameworks, references between records, unique ids."""

    def __init__(self, bundle: Bundle, name: str, checked: CheckedFrameworks | None) -> None:
        self.name = name
        self.payload = bundle.payload
        self.version = bundle.format_version
        self.frameworks: dict[tuple[str, str], Framework] = {}
        self.checked = checked if checked is not None else {}

    def fail(self, loc: Loc, problem: str) -> NoReturn:
        raise BundleError(f"{self.name}, {format_loc(('payload', *loc))}: {problem}.")

    def check(self) -> None:
        self._frameworks()
        if self.payload.owner is not None:
            owner = self.payload.owner
            for key in ("name", "role", "email"):
                value = getattr(owner, key)
                if value is not None:
                    self._name(("owner",), key, value, f"owner's {key}")
        self.profile = self._profile()
        self._unique_ids()
        evidence_ids = {entry.id for entry in self.payload.evidence}
        for index, checkin in enumerate(self.payload.checkins):
            self._checkin(("checkins", index), checkin, evidence_ids)
        for index, entry in enumerate(self.payload.evidence):
            self._evidence(("evidence", index), entry)
        current = self._framework(self.profile.current)  # goals serve the current ladder
        skills = {skill.id for skill in current.skills}
        for index, goal in enumerate(self.payload.goals):
            loc = ("goals", index)
            self._name(loc, "title", goal.title, "goal title")
            self._naive((*loc, "updated_at"), goal.updated_at)
            self._refs((*loc, "skills"), goal.skills, skills, "skill", current.ref)
        for index, item in enumerate(self.payload.learning):
            self._name(("learning", index), "title", item.title, "learning item title")
            self._naive(("learning", index, "updated_at"), item.updated_at)

    def _frameworks(self) -> None:
        for index, record in enumerate(self.payload.frameworks):
            loc = ("frameworks", index)
            # The same ladder, claimed under the same hash, was checked in this batch.
            seen = json.dumps([self.version, record.hash, record.framework], sort_keys=True)
            if seen in self.checked:
                self._add(loc, record.id, record.version, self.checked[seen])
                continue
            try:
                framework = parse_framework(
                    record.framework, f"{self.name}, payload.frameworks[{index}].framework"
                )
            except FrameworkError as exc:
                raise BundleError(str(exc)) from None
            ref = f"{record.id}@{record.version}"
            if framework.ref != ref:
                self.fail(loc, f"it is named {ref} but holds {framework.ref}")
            # A version 1 bundle carries the hash as it was computed then (defaults included).
            hashed = legacy_framework_hash if self.version == 1 else framework_hash
            if hashed(framework) != record.hash:
                self.fail(
                    (*loc, "hash"), "the hash does not match the framework, which was changed"
                )
            self.checked[seen] = framework
            self._add(loc, record.id, record.version, framework)

    def _add(self, loc: Loc, framework_id: str, version: str, framework: Framework) -> None:
        if (framework_id, version) in self.frameworks:
            self.fail(loc, f"the framework {framework_id}@{version} is in the bundle twice")
        self.frameworks[(framework_id, version)] = framework

    def _profile(self) -> ProfileInfo:
        """Check the profile and its stages; the stages then say which ladder was in force."""
        record = self.payload.profile
        self._name(("profile",), "name", record.name, "name")
        if record.manager is not None:
            self._name(("profile",), "manager", record.manager, "manager's name")
        self._naive(("profile", "updated_at"), record.updated_at)
        days: set[date] = set()
        for index, stage in enumerate(record.stages):
            loc = ("profile", "stages", index)
            if stage.effective_from in days:
                self.fail((*loc, "effective_from"), "another stage starts on the same day")
            days.add(stage.effective_from)
            if stage.framework != record.stages[0].framework:
                self.fail((*loc, "framework"), "every stage of a profile uses one framework")
            framework = self.frameworks.get((stage.framework, stage.framework_version))
            if framework is None:
                self.fail(
                    (*loc, "framework_version"),
                    f"the bundle does not carry {stage.framework}@{stage.framework_version}",
                )
            levels = [level.id for level in framework.levels]
            for key, level in (("level", stage.level), ("target", stage.target)):
                if level not in levels:
                    self.fail((*loc, key), f"{framework.ref} has no level '{level}'")
            if levels.index(stage.target) < levels.index(stage.level):
                self.fail((*loc, "target"), "the target level is below the current level")
        stages = sorted(record.stages, key=lambda stage: stage.effective_from)
        return ProfileInfo(
            id=record.id,
            name=record.name,
            manager=record.manager,
            role_start=record.role_start,
            checkin_interval_days=record.checkin_interval_days,
            stages=tuple(
                StageInfo(s.effective_from, s.framework, s.framework_version, s.level, s.target)
                for s in stages
            ),
        )

    def _framework(self, stage: StageInfo) -> Framework:
        return self.frameworks[(stage.framework, stage.framework_version)]

    def _unique_ids(self) -> None:
        seen = {self.payload.profile.id}
        for kind in _KINDS:
            for index, record in enumerate(kind.records(self.payload)):
                if record.id in seen:
                    self.fail((kind.key, index, "id"), f"the id '{record.id}' is used twice")
                seen.add(record.id)

    def _checkin(self, loc: Loc, checkin: CheckInRecord, evidence_ids: set[str]) -> None:
        self._naive((*loc, "updated_at"), checkin.updated_at)
        self._naive((*loc, "finalized_at"), checkin.finalized_at)
        for index, amendment in enumerate(checkin.amendments):
            self._naive((*loc, "amendments", index, "at"), amendment.at)
        framework = self._framework(self.profile.stage_on(checkin.date))
        skills = {skill.id: skill for skill in framework.skills}
        ratings = checkin.ratings
        ref = framework.ref
        self._refs((*loc, "ratings"), [r.skill for r in ratings], skills, "skill", ref, "skill")
        for index, rating in enumerate(ratings):
            at = (*loc, "ratings", index)
            skill = skills[rating.skill]
            if rating.value is not None and rating.value > framework.max_rating:
                self.fail(
                    (*at, "value"), f"the rating is outside the scale 0–{framework.max_rating}"
                )
            if rating.not_applicable and rating.value is not None:
                self.fail((*at, "value"), "a rating cannot have a value and be not applicable")
            if rating.not_applicable and framework.is_critical(skill):
                self.fail((*at, "not_applicable"), f"'{skill.name}' is critical")
            self._refs(
                (*at, "evidence"), rating.evidence, evidence_ids, "evidence entry", "the bundle"
            )
        milestones = {milestone.id for milestone in framework.milestones}
        marked = [m.milestone for m in checkin.milestones]
        self._refs((*loc, "milestones"), marked, milestones, "milestone", ref, "milestone")
        kpis = {kpi.id for kpi in framework.kpis}
        self._refs((*loc, "kpis"), [k.kpi for k in checkin.kpis], kpis, "KPI", ref, "kpi")

    def _evidence(self, loc: Loc, entry: EvidenceRecord) -> None:
        self._name(loc, "title", entry.title, "title")
        if entry.link is not None:
            self._name(loc, "link", entry.link, "link")
        self._naive((*loc, "updated_at"), entry.updated_at)
        framework = self._framework(self.profile.stage_on(entry.date))
        known = framework.taggable()
        seen: set[tuple[str, str]] = set()
        for index, tag in enumerate(entry.tags):
            if tag.ref not in known[tag.kind]:
                self.fail(
                    (*loc, "tags", index, "ref"), f"{framework.ref} has no {tag.kind} '{tag.ref}'"
                )
            if (tag.kind, tag.ref) in seen:
                self.fail((*loc, "tags", index), "the same tag appears twice")
            seen.add((tag.kind, tag.ref))

    def _refs(
        self,
        loc: Loc,
        values: Sequence[str],
        known: Collection[str],
        what: str,
        owner: str,
        field: str | None = None,
    ) -> None:
        """Each value names something `owner` has, and names it once."""
        seen: set[str] = set()
        for index, value in enumerate(values):
            at = (*loc, index, field) if field else (*loc, index)
            if value not in known:
                self.fail(at, f"{owner} has no {what} '{value}'")
            if value in seen:
                self.fail(at, f"the {what} '{value}' appears twice")
            seen.add(value)

    def _name(self, loc: Loc, key: str, value: str, what: str) -> None:
        try:
            check_name(value, what)
        except InvalidInputError as exc:
            sentence = str(exc).rstrip(".")
            self.fail((*loc, key), sentence[:1].lower() + sentence[1:])

    def _naive(self, loc: Loc, moment: datetime) -> None:
        if moment.tzinfo is not None:
            self.fail(loc, "record times are written in UTC without an offset")


CheckedFrameworks = dict[str, Framework]
"""Ladders checked in a batch of imports (a hub pull), by format version, claimed hash
and content: the same one in the next bundle is not validated and hashed again."""


def check_profile_bundle(document: Document, checked: CheckedFrameworks | None = None) -> Bundle:
    """A profile bundle's document as its model, with everything the model cannot say."""
    if document.kind != "profile":
        raise BundleError(f"{document.name} is an {document.kind} bundle, not a profile bundle.")
    bundle = validate(Bundle, document)
    _Checker(bundle, document.name, checked).check()
    return bundle


def read_bundle(path: Path) -> Bundle:
    """Read and check a profile bundle file whole; `BundleError` says what is wrong, and
    where."""
    return check_profile_bundle(read_document(path))


# -- importing -------------------------------------------------------------------

_CHUNK = 500  # ids per `IN (...)`, well below SQLite's limit on parameters


@dataclass(frozen=True)
class _Diff(Generic[_R]):
    """Records of one kind matched by id: added, changed in any field, and removed."""

    added: list[_R]
    changed: list[_R]
    removed: list[str]

    @classmethod
    def between(cls, before: Sequence[_R], after: Sequence[_R]) -> _Diff[_R]:
        old = {record.id: record for record in before}
        new = {record.id for record in after}
        return cls(
            added=[r for r in after if r.id not in old],
            changed=[r for r in after if r.id in old and old[r.id] != r],
            removed=[record_id for record_id in old if record_id not in new],
        )

    def phrases(self, kind: _Kind, *, created: bool) -> list[str]:
        """`3 check-ins added, 1 removed`: the noun once, then only the counts."""
        counts = [(len(self.added), "added"), (len(self.changed), "changed")]
        counts.append((len(self.removed), "removed"))
        phrases: list[str] = []
        for number, verb in (c for c in counts if c[0]):
            noun = "" if phrases else f" {kind.one if number == 1 else kind.many}"
            phrases.append(f"{number}{noun}" + ("" if created else f" {verb}"))
        return phrases


@dataclass(frozen=True)
class _Changes:
    """What importing a bundle changes in the profile's copy here."""

    checkins: _Diff[CheckInRecord]
    evidence: _Diff[EvidenceRecord]
    goals: _Diff[GoalRecord]
    learning: _Diff[LearningRecord]
    details: bool  # the profile's own fields or stages
    stages: bool
    frameworks: list[FrameworkRecord]  # versions not stored here yet

    @classmethod
    def between(
        cls, before: Payload | None, after: Payload, frameworks: list[FrameworkRecord]
    ) -> _Changes:
        return cls(
            _Diff.between(before.checkins if before else [], after.checkins),
            _Diff.between(before.evidence if before else [], after.evidence),
            _Diff.between(before.goals if before else [], after.goals),
            _Diff.between(before.learning if before else [], after.learning),
            details=before is None or before.profile != after.profile,
            stages=before is None or before.profile.stages != after.profile.stages,
            frameworks=frameworks,
        )

    def summary(self, *, created: bool) -> str:
        diffs: tuple[_Diff[Any], ...] = (self.checkins, self.evidence, self.goals, self.learning)
        phrases = [
            p
            for kind, diff in zip(_KINDS, diffs, strict=True)
            for p in diff.phrases(kind, created=created)
        ]
        if self.details and not created:
            phrases.append("the profile's details changed")
        if self.frameworks:
            refs = ", ".join(f"{f.id}@{f.version}" for f in self.frameworks)
            phrases.append(f"framework {refs} added")
        if not phrases:
            return "no records" if created else "no records changed"
        return ", ".join(phrases)


class _Writer:
    """One import's rows, collected per table and inserted in an order foreign keys accept.

    Removals and rewrites run at once; inserts wait for `flush`, so the parts of a
    changed record are deleted before its new parts go in.
    """

    ORDER: tuple[type[Base], ...] = (
        StoredFramework,
        Profile,
        ProfileStage,
        Evidence,
        EvidenceTag,
        CheckIn,
        Rating,
        RatingEvidence,
        MilestoneStatus,
        KpiValue,
        Amendment,
        Goal,
        GoalSkill,
        LearningItem,
    )

    def __init__(self, session: Session, profile_id: str, now: datetime) -> None:
        self.session = session
        self.profile_id = profile_id
        self.now = now
        self.inserts: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)

    def add(self, model: type[Base], **row: Any) -> None:
        self.inserts[model].append(row if "id" in row else {"id": new_id(), **row})

    def flush(self) -> None:
        for model in self.ORDER:
            if self.inserts[model]:  # into the table: the ORM's bulk insert takes twice as long
                table = Base.metadata.tables[model.__tablename__]
                self.session.execute(insert(table), self.inserts[model])

    def delete(self, column: InstrumentedAttribute[str], ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _CHUNK):
            self.session.execute(
                delete(column.class_).where(column.in_(ids[start : start + _CHUNK])),
                execution_options={"synchronize_session": False},
            )

    def frameworks(self, records: list[FrameworkRecord]) -> None:
        for record in records:
            framework = Framework.model_validate(record.framework)  # checked by `read_bundle`
            self.add(
                StoredFramework,
                framework_id=framework.id,
                version=framework.version,
                name=framework.name,
                hash=framework_hash(framework),  # a version 1 bundle's is computed the old way
                snapshot=canonical_json(framework).decode("utf-8"),
                builtin=False,
                source_digest=None,
                imported_at=self.now,
                updated_at=self.now,
            )

    def profile(self, bundle: Bundle, *, origin: str | None, stages: bool) -> None:
        """Insert the profile (`origin` given) or update it, and replace changed stages."""
        record = bundle.payload.profile
        shared = origin != "own"
        row = {
            "id": record.id,
            "name": record.name,
            "manager": record.manager,
            "role_start": record.role_start,
            "checkin_interval_days": record.checkin_interval_days,
            "updated_at": record.updated_at,
            "shared_exported_at": exported_time(bundle.exported_at) if shared else None,
            "shared_checksum": bundle.checksum if shared else None,
        }
        if origin is None:
            self.session.execute(update(Profile), [row])
        else:
            self.inserts[Profile].append({**row, "origin": origin, "created_at": self.now})
        if stages:
            self.delete(ProfileStage.profile_id, [record.id])
            for stage in record.stages:
                self.add(
                    ProfileStage,
                    profile_id=record.id,
                    effective_from=stage.effective_from,
                    framework_id=stage.framework,
                    framework_version=stage.framework_version,
                    level=stage.level,
                    target_level=stage.target,
                    updated_at=record.updated_at,
                )

    def mirror(
        self,
        diff: _Diff[_R],
        model: type[Base],
        row: Callable[[_R], dict[str, Any]],
        parts: Sequence[InstrumentedAttribute[str]],
    ) -> None:
        """Remove, rewrite in place (keeping `created_at`, hence the order) and add records.

        `row` gives a record's own row and queues the rows of its parts.
        """
        self.delete(model.id, diff.removed)
        changed = [record.id for record in diff.changed]
        for column in parts:
            self.delete(column, changed)
        if diff.changed:
            self.session.execute(update(model), [row(record) for record in diff.changed])
        for index, record in enumerate(diff.added):
            created = {"created_at": self.now + timedelta(microseconds=index)}
            self.inserts[model].append(
                row(record) | (created if hasattr(model, "created_at") else {})
            )

    def checkin(self, record: CheckInRecord) -> dict[str, Any]:
        stamp, checkin_id = record.updated_at, record.id
        for rating in record.ratings:
            rating_id = new_id()
            self.add(
                Rating,
                id=rating_id,
                checkin_id=checkin_id,
                skill_id=rating.skill,
                value=rating.value,
                not_applicable=rating.not_applicable,
                confidence=rating.confidence,
                note=rating.note,
                updated_at=stamp,
            )
            for evidence_id in rating.evidence:
                self.add(
                    RatingEvidence, rating_id=rating_id, evidence_id=evidence_id, updated_at=stamp
                )
        for milestone in record.milestones:
            self.add(
                MilestoneStatus,
                checkin_id=checkin_id,
                milestone_id=milestone.milestone,
                status=milestone.status,
                status_date=milestone.status_date,
                note=milestone.note,
                updated_at=stamp,
            )
        for kpi in record.kpis:
            self.add(
                KpiValue,
                checkin_id=checkin_id,
                kpi_id=kpi.kpi,
                value=kpi.value,
                note=kpi.note,
                updated_at=stamp,
            )
        for amendment in record.amendments:
            self.add(
                Amendment,
                checkin_id=checkin_id,
                at=amendment.at,
                field=amendment.field,
                old=amendment.old,
                new=amendment.new,
                private=amendment.private,
                updated_at=stamp,
            )
        return {
            "id": checkin_id,
            "profile_id": self.profile_id,
            "date": record.date,
            "status": "final",
            "finalized_at": record.finalized_at,
            "wins": record.wins,
            "blockers": record.blockers,
            "focus": record.focus,
            "updated_at": stamp,
            "public_updated_at": stamp,
        }

    def evidence(self, record: EvidenceRecord) -> dict[str, Any]:
        for tag in record.tags:
            self.add(
                EvidenceTag,
                evidence_id=record.id,
                kind=tag.kind,
                ref=tag.ref,
                updated_at=record.updated_at,
            )
        return {
            "id": record.id,
            "profile_id": self.profile_id,
            "date": record.date,
            "title": record.title,
            "description": record.description,
            "link": record.link,
            "private": record.private,
            "updated_at": record.updated_at,
            "kind": record.kind,
            "context": record.context,
            "action": record.action,
            "outcome": record.outcome,
            "metric_value": record.metric.value if record.metric else None,
            "metric_unit": record.metric.unit if record.metric else None,
            "feedback_from": record.feedback_from,
            "feedback_role": record.feedback_role,
        }

    def goal(self, record: GoalRecord) -> dict[str, Any]:
        for skill_id in record.skills:
            self.add(GoalSkill, goal_id=record.id, skill_id=skill_id, updated_at=record.updated_at)
        return {
            "id": record.id,
            "profile_id": self.profile_id,
            "title": record.title,
            "due": record.due,
            "status": record.status,
            "notes": record.notes,
            "updated_at": record.updated_at,
            "public_updated_at": record.updated_at,
        }

    def learning(self, record: LearningRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "profile_id": self.profile_id,
            "title": record.title,
            "target_quarter": record.target_quarter,
            "done": record.done,
            "notes": record.notes,
            "updated_at": record.updated_at,
            "public_updated_at": record.updated_at,
        }


def _action(row: Profile | None, bundle: Bundle, name: str, *, as_mine: bool) -> Action:
    """What importing does to the profile here, or a refusal when it must not touch it."""
    record = bundle.payload.profile
    if row is None:
        return "created"
    if row.origin == "own":
        raise InvalidInputError(
            f"{record.name} is already your own profile on this computer; --as-mine only "
            "brings over a profile that is not here yet."
            if as_mine
            else f"{name} holds {record.name}, and this is your own profile here; a bundle "
            "never replaces your own data."
        )
    if as_mine:
        raise InvalidInputError(
            f"{record.name} is here as a profile shared with you; delete that copy first to "
            f"import {name} as your own."
        )
    if row.shared_checksum == bundle.checksum:
        return "unchanged-same"
    if (
        row.shared_exported_at is not None
        and exported_time(bundle.exported_at) <= row.shared_exported_at
    ):
        return "unchanged-older"
    return "updated"


def _owner_to_adopt(session: Session, payload: Payload, name: str) -> OwnerRecord | None:
    """For `--as-mine`: the identity this folder takes from the bundle (it has none yet), or
    None when it already is the bundle's owner; refused when the bundle is someone else's."""
    here = session.get(Owner, OWNER_ID)
    theirs = payload.owner
    if here is None:
        return theirs
    mine = Identity(here.name, here.role, here.email)
    if theirs is None:
        raise InvalidInputError(
            f"{name} does not say whose profile it is (it was exported before its owner set "
            f"'rung whoami') and this data folder belongs to {mine.line()}, so it cannot be "
            "imported as your own; set 'rung whoami' where it was exported and export it "
            "again, or import it without --as-mine for a read-only copy."
        )
    if not Identity(theirs.name, theirs.role, theirs.email).same_person(mine):
        owner = Identity(theirs.name, theirs.role, theirs.email).line()
        raise InvalidInputError(
            f"{name} is the profile of {owner} and this data folder belongs to {mine.line()}, "
            "so it cannot be imported as your own; import it without --as-mine for a "
            "read-only copy."
        )
    return None


def _check_ids(session: Session, payload: Payload, name: str) -> None:
    """Refuse ids that other profiles' records hold here: a bundle never reaches them."""
    for kind in _KINDS:
        ids = {record.id for record in kind.records(payload)}
        others = select(kind.model.id).where(kind.model.profile_id != payload.profile.id)
        taken = next((i for i in session.scalars(others) if i in ids), None)
        if taken is not None:
            raise BundleError(
                f"{name}: the {kind.one} id '{taken}' belongs to another profile here, so the "
                "bundle cannot be imported."
            )


def _new_frameworks(
    frameworks: FrameworkService, payload: Payload, name: str, *, hashes_checked: bool
) -> list[FrameworkRecord]:
    """The bundle's framework versions not stored here; a different ladder under one is refused.

    `hashes_checked`: each record's hash is the current hash of its framework, as
    `check_profile_bundle` found for a version 2 bundle, so it is compared as it stands.
    """
    stored = {(info.id, info.version): info.hash for info in frameworks.all()}
    new = []
    for record in payload.frameworks:
        known = stored.get((record.id, record.version))
        if known is None:
            new.append(record)
        elif known != (
            record.hash
            if hashes_checked
            else framework_hash(Framework.model_validate(record.framework))
        ):
            raise BundleError(
                f"{name} uses the framework {record.id}@{record.version}, but a different "
                "framework with that id and version is stored here, so it cannot be imported."
            )
    return new


def import_bundle(
    store: Store, frameworks: FrameworkService, path: Path, *, as_mine: bool = False
) -> ImportResult:
    """Create the bundle's profile, mirror a newer export of a shared one, or keep the copy;
    or, given an assessment bundle, receive the assessment of one of your own profiles.

    Everything is checked before the database is backed up ("before-import") and
    written in one transaction.
    """
    return import_document(store, frameworks, read_document(path), as_mine=as_mine)


def import_document(
    store: Store,
    frameworks: FrameworkService,
    document: Document,
    *,
    as_mine: bool = False,
    backed_up: bool = False,
    checked: CheckedFrameworks | None = None,
) -> ImportResult:
    """`import_bundle` of a document already read (a file's, or a hub's copy).

    `backed_up`: the caller backed the folder up before a batch of imports (a hub pull
    does, once), so this import takes no backup of its own; `checked`: the batch's
    ladders checked so far (see `CheckedFrameworks`).
    """
    if document.kind == "assessment":
        if as_mine:
            raise InvalidInputError(
                f"{document.name} is an assessment bundle, which always goes onto your own "
                "profile: import it without --as-mine."
            )
        return import_assessment(store, frameworks, document)
    bundle = check_profile_bundle(document, checked)
    payload = bundle.payload
    record = payload.profile
    name = document.name
    with store.session() as session:
        row = session.get(Profile, record.id)
        action = _action(row, bundle, name, as_mine=as_mine)
        if action == "unchanged-same":
            return ImportResult(record.id, record.name, action, "this bundle was imported before")
        if action == "unchanged-older":
            summary = f"this export ({bundle.exported_at}) is not newer than the copy here"
            return ImportResult(record.id, record.name, action, summary)
        adopted = _owner_to_adopt(session, payload, name) if as_mine else None
        _check_ids(session, payload, name)
        holds_profiles = session.scalar(select(Profile.id).limit(1)) is not None
    new_frameworks = _new_frameworks(  # the last check
        frameworks, payload, name, hashes_checked=bundle.format_version != 1
    )
    safety = (
        store.backups.kept_unless_failed("before-import")
        if holds_profiles and store.backups is not None and not backed_up
        else contextlib.nullcontext()
    )
    with safety, store.session() as session:
        before = export_payload(session, record.id, include_private=True) if row else None
        changes = _Changes.between(before, payload, new_frameworks)
        writer = _Writer(session, record.id, utcnow())
        if adopted is not None:  # the owner's new computer: who they are comes along
            owner = Owner(id=OWNER_ID, name=adopted.name, role=adopted.role, email=adopted.email)
            session.add(owner)
        writer.frameworks(changes.frameworks)
        origin = None if row else "own" if as_mine else "shared"
        writer.profile(bundle, origin=origin, stages=changes.stages)
        writer.mirror(changes.evidence, Evidence, writer.evidence, [EvidenceTag.evidence_id])
        parts = [Rating.checkin_id, MilestoneStatus.checkin_id, KpiValue.checkin_id]
        writer.mirror(changes.checkins, CheckIn, writer.checkin, [*parts, Amendment.checkin_id])
        writer.mirror(changes.goals, Goal, writer.goal, [GoalSkill.goal_id])
        writer.mirror(changes.learning, LearningItem, writer.learning, [])
        writer.flush()
    summary = changes.summary(created=row is None)
    if adopted is not None:
        who = Identity(adopted.name, adopted.role, adopted.email).line()
        summary += f"; this data folder now belongs to {who} (rung whoami)"
    return ImportResult(record.id, record.name, action, summary)
