"""Export a profile as a bundle, built record by record from an allow-list of fields.

Nothing here dumps a table: each field that leaves the machine is named in a
`*Record(...)` call below, so a column added later stays out of bundles until
someone adds it here on purpose. Private text (notes, reflections, private
evidence, plan notes, private amendments) is copied only with
`include_private`; otherwise it is left out, never blanked in place of
something else. Likewise a record's `updated_at`: without private text it is
the last change to what the bundle carries (`public_updated_at`, see
`app.store.stamps`), so editing a note shows in no timestamp of such a bundle.

Only the owner's data travels as the owner's: a profile shared with you is
never exported as a profile bundle. Its copy here may be out of date, and a
bundle of it, stamped with a new export time, would count as newer than the
owner's latest wherever it was imported, undoing their changes. What you send
back is your assessment (`app.bundle.assessment`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import rfc8785
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from app.bundle.model import (
    FORMAT,
    FORMAT_VERSION,
    AmendmentRecord,
    AssessmentBundle,
    Bundle,
    CheckInRecord,
    EvidenceRecord,
    FrameworkRecord,
    GoalRecord,
    KpiRecord,
    LearningRecord,
    MetricRecord,
    MilestoneRecord,
    OwnerRecord,
    Payload,
    ProfileRecord,
    RatingRecord,
    StageRecord,
    TagRecord,
)
from app.errors import NotFoundError, ReadOnlyError
from app.files import atomic_write
from app.store.db import Store
from app.store.models import (
    OWNER_ID,
    CheckIn,
    Evidence,
    Goal,
    LearningItem,
    Owner,
    Profile,
    Rating,
    RatingEvidence,
    StoredFramework,
)


def checksum(document: dict[str, Any]) -> str:
    """SHA-256 of the RFC 8785 form of the document without its `checksum` member."""
    rest = {key: value for key, value in document.items() if key != "checksum"}
    return hashlib.sha256(rfc8785.dumps(rest)).hexdigest()


def stamp(moment: datetime) -> str:
    """A time as bundles write it: UTC, `YYYY-MM-DDTHH:MM:SSZ`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


class _Exporter:
    def __init__(
        self, session: Session, include_private: bool, only: Mapping[str, Collection[str]] | None
    ) -> None:
        self.session = session
        self.private = include_private
        self.only = only

    def chosen(self, statement: _S, column: InstrumentedAttribute[str], key: str) -> _S:
        """`statement` narrowed to the records of the payload's list `key` that were asked for."""
        return statement if self.only is None else statement.where(column.in_(self.only[key]))

    def text(self, value: str | None) -> str | None:
        """Private text, kept only when it is included."""
        return value if self.private else None

    def stamp(self, row: CheckIn | Goal | LearningItem) -> datetime:
        """A record with private parts: its last change to what this bundle carries."""
        return row.updated_at if self.private else row.public_updated_at

    def owner(self) -> OwnerRecord | None:
        """The folder's owner identity, which the bundle carries (shared, as the brief says)."""
        row = self.session.get(Owner, OWNER_ID)
        return OwnerRecord(name=row.name, role=row.role, email=row.email) if row else None

    def profile(self, row: Profile) -> ProfileRecord:
        return ProfileRecord(
            id=row.id,
            updated_at=row.updated_at,
            name=row.name,
            manager=row.manager,
            role_start=row.role_start,
            checkin_interval_days=row.checkin_interval_days,
            stages=[
                StageRecord(
                    effective_from=s.effective_from,
                    framework=s.framework_id,
                    framework_version=s.framework_version,
                    level=s.level,
                    target=s.target_level,
                )
                for s in row.stages
            ],
        )

    def frameworks(self, row: Profile) -> list[FrameworkRecord]:
        used = sorted({(s.framework_id, s.framework_version) for s in row.stages})
        records = []
        for framework_id, version in used:
            stored = self.session.scalars(
                select(StoredFramework).where(
                    StoredFramework.framework_id == framework_id,
                    StoredFramework.version == version,
                )
            ).one()
            records.append(
                FrameworkRecord(
                    id=framework_id,
                    version=version,
                    hash=stored.hash,
                    framework=json.loads(stored.snapshot),
                )
            )
        return records

    def evidence(self, profile_id: str) -> list[EvidenceRecord]:
        rows = self.session.scalars(
            self.chosen(
                select(Evidence)
                .where(Evidence.profile_id == profile_id)
                .options(selectinload(Evidence.tags))
                .order_by(Evidence.date, Evidence.id),
                Evidence.id,
                "evidence",
            )
        )
        return [
            EvidenceRecord(
                id=row.id,
                updated_at=row.updated_at,
                date=row.date,
                title=row.title,
                description=row.description,
                link=row.link,
                private=row.private,
                tags=sorted(
                    (TagRecord(kind=t.kind, ref=t.ref) for t in row.tags),
                    key=lambda t: (t.kind, t.ref),
                ),
                kind=row.kind,
                context=row.context,
                action=row.action,
                outcome=row.outcome,
                metric=(
                    MetricRecord(value=row.metric_value, unit=row.metric_unit)
                    if row.metric_value is not None and row.metric_unit
                    else None
                ),
                feedback_from=row.feedback_from,
                feedback_role=row.feedback_role,
            )
            for row in rows
            if self.private or not row.private
        ]

    def checkins(self, profile_id: str, carried: set[str]) -> list[CheckInRecord]:
        links: dict[str, list[str]] = {}
        for rating_id, evidence_id in self.session.execute(
            self.chosen(
                select(RatingEvidence.rating_id, RatingEvidence.evidence_id)
                .join(Rating, Rating.id == RatingEvidence.rating_id)
                .join(CheckIn, CheckIn.id == Rating.checkin_id)
                .where(CheckIn.profile_id == profile_id),
                CheckIn.id,
                "checkins",
            )
        ):
            if evidence_id in carried:
                links.setdefault(rating_id, []).append(evidence_id)
        rows = self.session.scalars(
            self.chosen(
                select(CheckIn)
                .where(CheckIn.profile_id == profile_id, CheckIn.status == "final")
                .options(
                    selectinload(CheckIn.ratings),
                    selectinload(CheckIn.milestones),
                    selectinload(CheckIn.kpi_values),
                    selectinload(CheckIn.amendments),
                )
                .order_by(CheckIn.date, CheckIn.finalized_at),
                CheckIn.id,
                "checkins",
            )
        )
        return [self.checkin(row, links) for row in rows]

    def checkin(self, row: CheckIn, links: dict[str, list[str]]) -> CheckInRecord:
        assert row.finalized_at is not None  # final check-ins only
        return CheckInRecord(
            id=row.id,
            updated_at=self.stamp(row),
            date=row.date,
            finalized_at=row.finalized_at,
            ratings=[
                RatingRecord(
                    skill=r.skill_id,
                    value=r.value,
                    not_applicable=r.not_applicable,
                    confidence=r.confidence,
                    note=self.text(r.note),
                    evidence=sorted(links.get(r.id, [])),
                )
                for r in sorted(row.ratings, key=lambda r: r.skill_id)
            ],
            milestones=[
                MilestoneRecord(
                    milestone=m.milestone_id,
                    status=m.status,
                    status_date=m.status_date,
                    note=self.text(m.note),
                )
                for m in sorted(row.milestones, key=lambda m: m.milestone_id)
            ],
            kpis=[
                KpiRecord(kpi=k.kpi_id, value=k.value, note=self.text(k.note))
                for k in sorted(row.kpi_values, key=lambda k: k.kpi_id)
            ],
            wins=self.text(row.wins),
            blockers=self.text(row.blockers),
            focus=self.text(row.focus),
            amendments=[
                AmendmentRecord(at=a.at, field=a.field, old=a.old, new=a.new, private=a.private)
                for a in row.amendments
                if self.private or not a.private
            ],
        )

    def goals(self, profile_id: str) -> list[GoalRecord]:
        rows = self.session.scalars(
            self.chosen(
                select(Goal)
                .where(Goal.profile_id == profile_id)
                .options(selectinload(Goal.skills))
                .order_by(Goal.created_at, Goal.id),
                Goal.id,
                "goals",
            )
        )
        return [
            GoalRecord(
                id=row.id,
                updated_at=self.stamp(row),
                title=row.title,
                skills=[s.skill_id for s in row.skills],
                due=row.due,
                status=row.status,
                notes=self.text(row.notes),
            )
            for row in rows
        ]

    def learning(self, profile_id: str) -> list[LearningRecord]:
        rows = self.session.scalars(
            self.chosen(
                select(LearningItem)
                .where(LearningItem.profile_id == profile_id)
                .order_by(LearningItem.target_quarter, LearningItem.id),
                LearningItem.id,
                "learning",
            )
        )
        return [
            LearningRecord(
                id=row.id,
                updated_at=self.stamp(row),
                title=row.title,
                target_quarter=row.target_quarter,
                done=row.done,
                notes=self.text(row.notes),
            )
            for row in rows
        ]


def export_payload(
    session: Session,
    profile_id: str,
    *,
    include_private: bool,
    only: Mapping[str, Collection[str]] | None = None,
    carried: Collection[str] | None = None,
) -> Payload:
    """A profile's payload, read in the caller's transaction (the importer diffs against it).

    `only`: just these records of each list ("checkins", "evidence", "goals", "learning":
    ids), for a sync that sends what changed (`carried_stamps` says what did); the profile
    and its frameworks always come whole. `carried`: with `only`, the ids of every evidence
    entry the whole payload would carry (a check-in links to those only), when the caller
    has read them already.
    """
    row = session.get(Profile, profile_id)
    if row is None:
        raise NotFoundError(f"No profile has the id {profile_id}.")
    exporter = _Exporter(session, include_private, only)

    def wanted(key: str) -> bool:  # a sync asking for none of a list reads none of it
        return only is None or bool(only.get(key))

    evidence = exporter.evidence(profile_id) if wanted("evidence") else []
    if only is None:
        carried = {e.id for e in evidence}
    elif carried is None:
        carried = set(
            carried_stamps(session, profile_id, include_private=include_private)["evidence"]
        )
    links = set(carried)
    return Payload(
        include_private=include_private,
        owner=exporter.owner(),
        profile=exporter.profile(row),
        frameworks=exporter.frameworks(row),
        checkins=exporter.checkins(profile_id, links) if wanted("checkins") else [],
        evidence=evidence,
        goals=exporter.goals(profile_id) if wanted("goals") else [],
        learning=exporter.learning(profile_id) if wanted("learning") else [],
    )


def carried_stamps(
    session: Session, profile_id: str, *, include_private: bool = False
) -> dict[str, dict[str, datetime]]:
    """The `updated_at` each record of the payload would carry, by list and id, read
    without building the records: a record whose stamp a sync already holds is unchanged,
    since a stamp moves whenever anything the bundle carries of it changes
    (`app.store.stamps`)."""
    checkin = CheckIn.updated_at if include_private else CheckIn.public_updated_at
    goal = Goal.updated_at if include_private else Goal.public_updated_at
    learning = LearningItem.updated_at if include_private else LearningItem.public_updated_at
    evidence = select(Evidence.id, Evidence.updated_at).where(Evidence.profile_id == profile_id)
    if not include_private:
        evidence = evidence.where(Evidence.private.is_(False))
    queries = {
        "checkins": select(CheckIn.id, checkin).where(
            CheckIn.profile_id == profile_id, CheckIn.status == "final"
        ),
        "evidence": evidence,
        "goals": select(Goal.id, goal).where(Goal.profile_id == profile_id),
        "learning": select(LearningItem.id, learning).where(LearningItem.profile_id == profile_id),
    }
    return {key: {rid: at for rid, at in session.execute(query)} for key, query in queries.items()}


def shared_export_refused(
    owner: str, how: str = "with 'rung assess export --profile P --out FILE'"
) -> str:
    """Why a profile `owner` shared with you is not exported, and what to send instead (`how`:
    the command, or in the app its menu item)."""
    return (
        f"{owner} shared this profile with you, and only its owner exports it as a bundle (a "
        f"copy passed on could undo their newer changes); send your assessment back instead {how}."
    )


def build_bundle(
    store: Store, profile_id: str, *, include_private: bool, now: datetime | None = None
) -> Bundle:
    """The bundle of one of your own profiles, as of `now` (default: this second, UTC)."""
    with store.session() as session:
        row = session.get(Profile, profile_id)
        if row is not None and row.origin != "own":
            raise ReadOnlyError(shared_export_refused(row.name))
        payload = export_payload(session, profile_id, include_private=include_private)
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": "profile",
        "exported_at": stamp(now or datetime.now(UTC)),
        "payload": payload.model_dump(mode="json"),
    }
    document["checksum"] = checksum(document)
    return Bundle.model_validate(document)


def bundle_bytes(bundle: Bundle | AssessmentBundle) -> bytes:
    """The file's bytes: UTF-8 JSON without a BOM, text as typed (not \\u-escaped)."""
    document = bundle.model_dump(mode="json")
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")


def export_bundle(store: Store, profile_id: str, path: Path, *, include_private: bool) -> Bundle:
    """Write the profile's bundle to `path` atomically (owner-only)."""
    bundle = build_bundle(store, profile_id, include_private=include_private)
    atomic_write(path, bundle_bytes(bundle), data_dir=store.data_dir)
    return bundle
