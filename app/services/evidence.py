"""Evidence: dated accomplishments tagged to skills, milestones and KPIs.

Entries are shared unless marked private. Searching is done in SQL, so the
list stays fast with thousands of entries; tags are checked against the
framework version the profile was on at the entry's date.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from app.dates import check_date
from app.errors import InvalidInputError, NotFoundError
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService, check_editable
from app.store.db import Store
from app.store.models import TAG_KINDS, CheckIn, Evidence, EvidenceTag, Rating, RatingEvidence
from app.text import check_name, check_text


@dataclass(frozen=True)
class Tag:
    kind: str  # "skill", "milestone", "kpi" or "criterion"
    ref: str


@dataclass(frozen=True)
class Impact:
    """Impact stated as context → what the person did → outcome, with a number."""

    context: str | None = None
    action: str | None = None
    outcome: str | None = None
    metric_value: float | None = None
    metric_unit: str | None = None

    @property
    def metric(self) -> str | None:
        """ "90 ms", the value as typed (no trailing .0)."""
        if self.metric_value is None or not self.metric_unit:
            return None
        return f"{self.metric_value:g} {self.metric_unit}"

    def line(self) -> str | None:
        """The impact in one line: outcome (with the metric), else what was done."""
        lead = self.outcome or self.action or self.context
        metric = self.metric
        if lead and metric:
            # After right-to-left words a number would join their run ("90) ירד ms)"); a
            # left-to-right mark keeps the bracketed metric in the line's own order.
            mark = (
                "\u200e" if any(unicodedata.bidirectional(c) in ("R", "AL") for c in lead) else ""
            )
            return f"{lead} ({mark}{metric})"
        return lead or metric


@dataclass(frozen=True)
class Feedback:
    """Feedback received: the quote is the entry's description."""

    giver: str
    role: str | None = None


@dataclass(frozen=True)
class EvidenceInfo:
    id: str
    profile_id: str
    date: date
    title: str
    description: str | None
    link: str | None
    private: bool
    tags: tuple[Tag, ...]
    impact: Impact = field(default_factory=Impact)
    feedback: Feedback | None = None  # None: work done (the kind "work")


def _info(row: Evidence) -> EvidenceInfo:
    return EvidenceInfo(
        id=row.id,
        profile_id=row.profile_id,
        date=row.date,
        title=row.title,
        description=row.description,
        link=row.link,
        private=row.private,
        tags=tuple(sorted((Tag(t.kind, t.ref) for t in row.tags), key=lambda t: (t.kind, t.ref))),
        impact=Impact(row.context, row.action, row.outcome, row.metric_value, row.metric_unit),
        feedback=(
            Feedback(row.feedback_from or "", row.feedback_role) if row.kind == "feedback" else None
        ),
    )


def check_impact(impact: Impact) -> Impact:
    for text, what in ((impact.context, "context"), (impact.action, "action"),
                       (impact.outcome, "outcome")):  # fmt: skip
        check_text(text, what)
    value, unit = impact.metric_value, (impact.metric_unit or "").strip() or None
    if value is not None and not math.isfinite(value):
        raise InvalidInputError("A metric must be a finite number.")
    if (value is None) != (unit is None):
        raise InvalidInputError("A metric needs both its value and its unit (90 and ms).")
    if unit is not None:
        check_name(unit, "metric's unit")
    return Impact(
        impact.context or None, impact.action or None, impact.outcome or None, value, unit
    )


def check_feedback(feedback: Feedback | None, quote: str | None) -> None:
    if feedback is None:
        return
    check_name(feedback.giver, "name of who gave the feedback")
    if feedback.role:
        check_name(feedback.role, "role of who gave the feedback")
    if not quote:
        raise InvalidInputError("Feedback received needs the quote (its description).")


def _row_fields(impact: Impact, feedback: Feedback | None) -> dict[str, object]:
    """The columns of the impact and feedback fields."""
    return {
        "kind": "feedback" if feedback else "work",
        "context": impact.context,
        "action": impact.action,
        "outcome": impact.outcome,
        "metric_value": impact.metric_value,
        "metric_unit": impact.metric_unit,
        "feedback_from": feedback.giver if feedback else None,
        "feedback_role": (feedback.role or None) if feedback else None,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class EvidenceService:
    def __init__(
        self, store: Store, frameworks: FrameworkService, profiles: ProfileService
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles

    # -- checks --------------------------------------------------------------------

    def _check_tags(self, profile_id: str, day: date, tags: list[Tag] | tuple[Tag, ...]) -> None:
        stage = self._profiles.get(profile_id).stage_on(day)
        framework = self._frameworks.get(stage.framework, stage.framework_version)
        known = framework.taggable()
        for tag in tags:
            if tag.kind not in TAG_KINDS:
                raise InvalidInputError(
                    f"The tag kind '{tag.kind}' is not one of {', '.join(TAG_KINDS)}."
                )
            if tag.ref not in known[tag.kind]:
                raise InvalidInputError(f"The framework has no {tag.kind} '{tag.ref}'.")

    @staticmethod
    def _check_fields(
        day: date, title: str, description: str | None, link: str | None
    ) -> tuple[str, str | None, str | None]:
        check_date(day, "evidence date")
        check_name(title, "title")
        description = check_text(description, "description")
        if link is not None and link.strip() == "":
            link = None
        if link is not None:
            check_name(link, "link")
        return title, description, link

    # -- writing -------------------------------------------------------------------

    def add(
        self,
        profile_id: str,
        *,
        day: date,
        title: str,
        description: str | None = None,
        link: str | None = None,
        private: bool = False,
        tags: list[Tag] | tuple[Tag, ...] = (),
        impact: Impact = Impact(),
        feedback: Feedback | None = None,
    ) -> EvidenceInfo:
        title, description, link = self._check_fields(day, title, description, link)
        impact = check_impact(impact)
        check_feedback(feedback, description)
        self._check_tags(profile_id, day, tags)
        with self._store.session() as session:
            check_editable(session, profile_id)
            row = Evidence(
                profile_id=profile_id,
                date=day,
                title=title,
                description=description,
                link=link,
                private=private,
                tags=[EvidenceTag(kind=t.kind, ref=t.ref) for t in dict.fromkeys(tags)],
                **_row_fields(impact, feedback),
            )
            session.add(row)
            session.flush()
            return _info(row)

    def add_many(self, profile_id: str, entries: list[EvidenceInfo]) -> int:
        """Store several entries in one transaction (an import): all or nothing."""
        for entry in entries:
            self._check_fields(entry.date, entry.title, entry.description, entry.link)
            check_impact(entry.impact)
            check_feedback(entry.feedback, entry.description)
            self._check_tags(profile_id, entry.date, entry.tags)
        self._profiles.get(profile_id)
        with self._store.session() as session:
            check_editable(session, profile_id)
            for entry in entries:
                session.add(
                    Evidence(
                        profile_id=profile_id,
                        date=entry.date,
                        title=entry.title,
                        description=check_text(entry.description, "description"),
                        link=entry.link or None,
                        private=entry.private,
                        tags=[
                            EvidenceTag(kind=t.kind, ref=t.ref) for t in dict.fromkeys(entry.tags)
                        ],
                        **_row_fields(check_impact(entry.impact), entry.feedback),
                    )
                )
        return len(entries)

    @staticmethod
    def _row(session: Session, evidence_id: str) -> Evidence:
        row = session.get(Evidence, evidence_id)
        if row is None:
            raise NotFoundError(f"No evidence has the id {evidence_id}.")
        return row

    @classmethod
    def _editable_row(cls, session: Session, evidence_id: str) -> Evidence:
        row = cls._row(session, evidence_id)
        check_editable(session, row.profile_id)
        return row

    def get(self, evidence_id: str) -> EvidenceInfo:
        with self._store.session() as session:
            return _info(self._row(session, evidence_id))

    def update(
        self,
        evidence_id: str,
        *,
        day: date,
        title: str,
        description: str | None = None,
        link: str | None = None,
        private: bool = False,
        tags: list[Tag] | tuple[Tag, ...] = (),
        impact: Impact = Impact(),
        feedback: Feedback | None = None,
    ) -> EvidenceInfo:
        title, description, link = self._check_fields(day, title, description, link)
        impact = check_impact(impact)
        check_feedback(feedback, description)
        profile_id = self.get(evidence_id).profile_id
        self._check_tags(profile_id, day, tags)
        with self._store.session() as session:
            row = self._editable_row(session, evidence_id)
            row.date, row.title, row.description = day, title, description
            row.link, row.private = link, private
            for name, value in _row_fields(impact, feedback).items():
                setattr(row, name, value)
            wanted = list(dict.fromkeys(tags))
            row.tags[:] = [t for t in row.tags if Tag(t.kind, t.ref) in wanted]
            have = {Tag(t.kind, t.ref) for t in row.tags}
            row.tags.extend(EvidenceTag(kind=t.kind, ref=t.ref) for t in wanted if t not in have)
            session.flush()
            return _info(row)

    def delete(self, evidence_id: str) -> None:
        with self._store.session() as session:
            session.delete(self._editable_row(session, evidence_id))

    # -- reading -------------------------------------------------------------------

    def search(
        self,
        profile_id: str,
        text: str | None = None,
        start: date | None = None,
        end: date | None = None,
        tag: Tag | None = None,
    ) -> list[EvidenceInfo]:
        """Entries newest first, matching every filter given (text in title or description)."""
        query = select(Evidence).where(Evidence.profile_id == profile_id)
        if text:
            pattern = f"%{_escape_like(text)}%"
            query = query.where(
                Evidence.title.ilike(pattern, escape="\\")
                | Evidence.description.ilike(pattern, escape="\\")
            )
        if start is not None:
            query = query.where(Evidence.date >= start)
        if end is not None:
            query = query.where(Evidence.date <= end)
        if tag is not None:
            query = query.where(
                exists().where(
                    EvidenceTag.evidence_id == Evidence.id,
                    EvidenceTag.kind == tag.kind,
                    EvidenceTag.ref == tag.ref,
                )
            )
        query = query.options(selectinload(Evidence.tags)).order_by(
            Evidence.date.desc(), Evidence.created_at.desc(), Evidence.id
        )
        with self._store.session() as session:
            return [_info(row) for row in session.scalars(query)]

    def for_skill(
        self, profile_id: str, skill_id: str, since: date | None = None
    ) -> list[EvidenceInfo]:
        """Evidence tagged to a skill, dated after `since` (the last check-in) if given."""
        start = None if since is None else since + timedelta(days=1)
        return self.search(profile_id, start=start, tag=Tag("skill", skill_id))

    def by_skill(self, profile_id: str, since: date | None = None) -> dict[str, list[EvidenceInfo]]:
        """Evidence dated after `since`, grouped by the skills it is tagged to (one query)."""
        start = None if since is None else since + timedelta(days=1)
        grouped: dict[str, list[EvidenceInfo]] = {}
        for entry in self.search(profile_id, start=start):
            for tag in entry.tags:
                if tag.kind == "skill":
                    grouped.setdefault(tag.ref, []).append(entry)
        return grouped

    def links(self, checkin_id: str) -> dict[str, set[str]]:
        """For each skill of a check-in, the ids of the evidence linked to its rating."""
        query = (
            select(Rating.skill_id, RatingEvidence.evidence_id)
            .join(RatingEvidence, RatingEvidence.rating_id == Rating.id)
            .where(Rating.checkin_id == checkin_id)
        )
        found: dict[str, set[str]] = {}
        with self._store.session() as session:
            for skill_id, evidence_id in session.execute(query):
                found.setdefault(skill_id, set()).add(evidence_id)
        return found

    def rated_skills(self, profile_id: str, start: date, end: date) -> dict[str, set[str]]:
        """For each evidence entry linked to a rating of a final check-in from `start` to
        `end`, the skills whose ratings it backs (one query)."""
        query = (
            select(RatingEvidence.evidence_id, Rating.skill_id)
            .join(Rating, Rating.id == RatingEvidence.rating_id)
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(
                CheckIn.profile_id == profile_id,
                CheckIn.status == "final",
                CheckIn.date.between(start, end),
            )
        )
        found: dict[str, set[str]] = {}
        with self._store.session() as session:
            for evidence_id, skill_id in session.execute(query):
                found.setdefault(evidence_id, set()).add(skill_id)
        return found

    # -- links to ratings ----------------------------------------------------------

    def _rating(self, session: Session, checkin_id: str, skill_id: str) -> Rating:
        checkin = session.get(CheckIn, checkin_id)
        if checkin is None:
            raise NotFoundError(f"No check-in has the id {checkin_id}.")
        rating = next((r for r in checkin.ratings if r.skill_id == skill_id), None)
        if rating is None:
            stage = self._profiles.get(checkin.profile_id).stage_on(checkin.date)
            framework = self._frameworks.get(stage.framework, stage.framework_version)
            if skill_id not in {s.id for s in framework.skills}:
                raise InvalidInputError(f"The framework has no skill '{skill_id}'.")
            rating = Rating(skill_id=skill_id)
            checkin.ratings.append(rating)
            session.flush()
        return rating

    def link(self, checkin_id: str, skill_id: str, evidence_id: str) -> None:
        """Link evidence to a skill's rating in a check-in (an unrated skill gets an empty
        rating to hold the link, which keeps the skill's current state)."""
        with self._store.session() as session:
            evidence = self._editable_row(session, evidence_id)
            rating = self._rating(session, checkin_id, skill_id)
            checkin = session.get(CheckIn, checkin_id)
            assert checkin is not None
            if evidence.profile_id != checkin.profile_id:
                raise InvalidInputError("Evidence can only be linked to its own profile's ratings.")
            linked = session.scalar(
                select(RatingEvidence).where(
                    RatingEvidence.rating_id == rating.id,
                    RatingEvidence.evidence_id == evidence_id,
                )
            )
            if linked is None:
                session.add(RatingEvidence(rating_id=rating.id, evidence_id=evidence_id))

    def unlink(self, checkin_id: str, skill_id: str, evidence_id: str) -> None:
        with self._store.session() as session:
            checkin = session.get(CheckIn, checkin_id)
            if checkin is not None:
                check_editable(session, checkin.profile_id)
            rating_ids = select(Rating.id).where(
                Rating.checkin_id == checkin_id, Rating.skill_id == skill_id
            )
            links = select(RatingEvidence).where(
                RatingEvidence.rating_id.in_(rating_ids),
                RatingEvidence.evidence_id == evidence_id,
            )
            for link in session.scalars(links):  # through the session: the check-in is stamped
                session.delete(link)

    def linked(self, checkin_id: str, skill_id: str) -> list[EvidenceInfo]:
        """Evidence linked to a skill's rating in a check-in, newest first."""
        query = (
            select(Evidence)
            .join(RatingEvidence, RatingEvidence.evidence_id == Evidence.id)
            .join(Rating, Rating.id == RatingEvidence.rating_id)
            .where(Rating.checkin_id == checkin_id, Rating.skill_id == skill_id)
            .options(selectinload(Evidence.tags))
            .order_by(Evidence.date.desc(), Evidence.id)
        )
        with self._store.session() as session:
            return [_info(row) for row in session.scalars(query)]
