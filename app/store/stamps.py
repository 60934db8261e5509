"""Change stamps: when a record last changed, and when what a shared bundle carries of it did.

A bundle's records carry `updated_at`. Exported without private text, a record
must show a change only when something the bundle carries changed: editing a
rating note, a reflection, a plan note, or anything of a private evidence
entry must leave every timestamp in such a bundle as it was. So the records
with private parts (check-ins, goals, learning items) keep two stamps:

- `updated_at`: the last change of any kind, to the record or to its parts
  (ratings, milestone statuses, KPI values, amendments, links to evidence;
  an evidence entry's tags; a goal's skills; a profile's stages);
- `public_updated_at`: the last change to what a bundle without private text
  carries of it.

Every session runs `stamp_changes` before it flushes, so no service has to
remember to: it reads what the unit of work changed (columns, parts added or
removed) and stamps the records that carry it. What is private is listed
here, beside the exporter's allow-list (`app.bundle.export`), which decides the
same thing for the file; an evidence entry, private as a whole, shows in a
check-in only as a link, so a link to a private entry is a private part, and
making an entry private (or deleting a shared one) changes the check-ins
linking to it. Bulk writes (the importer, the demo) set both stamps
themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.store.models import (
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
    Profile,
    ProfileStage,
    PublicStamp,
    Rating,
    RatingEvidence,
    utcnow,
)

STAMPS = frozenset({"updated_at", "public_updated_at"})

# Columns whose text a bundle carries only with "include private".
PRIVATE_COLUMNS: dict[type[Base], frozenset[str]] = {
    CheckIn: frozenset({"wins", "blockers", "focus"}),
    Rating: frozenset({"note"}),
    MilestoneStatus: frozenset({"note"}),
    KpiValue: frozenset({"note"}),
    Goal: frozenset({"notes"}),
    LearningItem: frozenset({"notes"}),
}

# A part of a record: the record's model and the part's column that points to it.
PARTS: dict[type[Base], tuple[type[Base], str]] = {
    Rating: (CheckIn, "checkin_id"),
    MilestoneStatus: (CheckIn, "checkin_id"),
    KpiValue: (CheckIn, "checkin_id"),
    Amendment: (CheckIn, "checkin_id"),
    RatingEvidence: (Rating, "rating_id"),  # and so of the rating's check-in
    EvidenceTag: (Evidence, "evidence_id"),
    GoalSkill: (Goal, "goal_id"),
    ProfileStage: (Profile, "profile_id"),
}

# The collections through which a record gains and loses parts before they know it.
COLLECTIONS: dict[type[Base], tuple[str, ...]] = {
    CheckIn: ("ratings", "milestones", "kpi_values", "amendments"),
    Evidence: ("tags",),
    Goal: ("skills",),
    Profile: ("stages",),
}

_Touch = tuple[Base | None, bool]  # a record, and whether a shared bundle sees the change


def _changed_columns(obj: Base) -> set[str]:
    state = inspect(obj)
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    }


def _public_columns_changed(obj: Base) -> bool | None:
    """None if no column changed; else whether one a shared bundle carries did."""
    changed = _changed_columns(obj) - STAMPS
    if not changed:
        return None
    return bool(changed - PRIVATE_COLUMNS.get(type(obj), frozenset()))


def _evidence_is_private(session: Session, evidence_id: str | None) -> bool:
    entry = session.get(Evidence, evidence_id) if evidence_id else None
    return entry is not None and entry.private


def _public_part(session: Session, part: Base) -> bool:
    """Whether a shared bundle sees this part appear or go."""
    if isinstance(part, Amendment):
        return not part.private
    if isinstance(part, RatingEvidence):
        return not _evidence_is_private(session, part.evidence_id)
    return True


def _record_of(session: Session, part: Base) -> Base | None:
    """The record a part belongs to, through the column that points to it (None while a
    new part is only in its record's collection: the record's history names it)."""
    model, column = PARTS[type(part)]
    parent_id = getattr(part, column)
    parent = session.get(model, parent_id) if parent_id else None
    if isinstance(parent, Rating):
        return _record_of(session, parent)
    return parent


def _linking_checkins(session: Session, evidence_id: str) -> Iterator[Base | None]:
    """The check-ins whose ratings link to an evidence entry."""
    query = (
        select(Rating.checkin_id)
        .join(RatingEvidence, RatingEvidence.rating_id == Rating.id)
        .where(RatingEvidence.evidence_id == evidence_id)
        .distinct()
    )
    for checkin_id in session.scalars(query):
        yield session.get(CheckIn, checkin_id)


def _touches(session: Session) -> Iterator[_Touch]:
    for obj in session.new:
        if type(obj) in PARTS:
            yield _record_of(session, obj), _public_part(session, obj)
        else:
            yield obj, True
    for obj in session.dirty:
        public = _public_columns_changed(obj)
        if public is not None:
            yield (_record_of(session, obj) if type(obj) in PARTS else obj), public
        for key in COLLECTIONS.get(type(obj), ()):
            history = inspect(obj).attrs[key].history
            for part in (*history.added, *history.deleted):
                yield obj, _public_part(session, part)
        if isinstance(obj, Evidence) and "private" in _changed_columns(obj):
            yield from ((checkin, True) for checkin in _linking_checkins(session, obj.id))
    for obj in session.deleted:
        if type(obj) in PARTS:
            yield _record_of(session, obj), _public_part(session, obj)
        elif isinstance(obj, Evidence):  # its links go with it
            shared = not obj.private
            yield from ((checkin, shared) for checkin in _linking_checkins(session, obj.id))


def stamp_changes(session: Session, _context: object, _instances: object) -> None:
    """Before a flush: stamp every record whose content (or shared content) changes."""
    with session.no_autoflush:
        touched: dict[int, tuple[Base, bool]] = {}
        for record, public in _touches(session):
            if record is None or record in session.deleted:
                continue
            _seen, was_public = touched.get(id(record), (record, False))
            touched[id(record)] = (record, was_public or public)
    now: datetime = utcnow()
    for record, public in touched.values():
        if isinstance(record, CheckIn) and record.status == "draft" and record in session.dirty:
            continue  # never exported: finalising stamps it (and autosave stays one UPDATE)
        new = record in session.new  # a new record: both stamps alike, unless given
        record.updated_at = (record.updated_at or now) if new else now
        if isinstance(record, PublicStamp) and (public or new):
            record.public_updated_at = (
                (record.public_updated_at or record.updated_at) if new else now
            )
