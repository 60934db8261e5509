"""Assessment bundles: a manager's assessment of a profile shared with them, sent back to
its owner.

The manager exports their latest assessment of a shared profile
(`export_assessment`): their calibrations, comments by dimension and
recommendation, signed with their identity, dated, and naming the profile
bundle they assessed (its checksum and export time). The envelope and its
checksum are those of a profile bundle, with `"kind": "assessment"`.

The owner imports it (`import_assessment`, reached through
`app.bundle.importer.import_bundle`) onto their own profile, and only there:
in a folder that holds the assessed profile as shared, or not at all, it is
refused with nothing changed. Received assessments are kept per assessment
date, apart from the owner's data (the `assessments` tables, origin
"received"): a later one never erases an earlier one, the same bundle again
changes nothing, a newer export of the same day's assessment replaces it, and
the owner's own ratings are never touched.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.bundle.export import bundle_bytes, checksum, stamp
from app.bundle.model import (
    FORMAT,
    FORMAT_VERSION,
    AssessedRecord,
    AssessmentBundle,
    AssessmentPayload,
    CalibrationRecord,
    CommentRecord,
    OwnerRecord,
    RecommendationRecord,
)
from app.bundle.reader import Action, Document, ImportResult, exported_time, validate
from app.errors import BundleError, InvalidInputError, NotFoundError
from app.files import atomic_write
from app.framework.model import Framework, Loc, format_loc
from app.services.frameworks import FrameworkService
from app.services.identity import Identity, IdentityService
from app.services.profiles import ProfileService
from app.store.db import Store
from app.store.models import (
    Assessment,
    AssessmentSend,
    Calibration,
    DimensionComment,
    Profile,
    Recommendation,
    utcnow,
)
from app.text import check_name

# -- the manager's side: export -----------------------------------------------------


def _latest_own(session: Session, profile_id: str) -> Assessment | None:
    return session.scalars(
        select(Assessment)
        .where(Assessment.profile_id == profile_id, Assessment.origin == "own")
        .options(
            selectinload(Assessment.calibrations),
            selectinload(Assessment.comments),
            selectinload(Assessment.recommendation),
        )
        .order_by(Assessment.date.desc())
        .limit(1)
    ).one_or_none()


def _payload(store: Store, profile_id: str) -> AssessmentPayload:
    with store.session() as session:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise NotFoundError(f"No profile has the id {profile_id}.")
        if profile.origin != "shared":
            raise InvalidInputError(
                f"{profile.name} is your own profile; an assessment bundle carries your "
                "assessment of a profile shared with you (yours comes from your manager)."
            )
    signer = IdentityService(store).require("an assessment bundle")
    with store.session() as session:
        row = _latest_own(session, profile_id)
        if row is None or not (row.calibrations or row.comments or row.recommendation):
            raise InvalidInputError(
                f"You have not assessed {profile.name} yet: rate, comment or recommend first "
                "(e.g. 'rung assess rate --profile P --skill S --value N')."
            )
        assessed_checksum = row.assessed_checksum or profile.shared_checksum
        assessed_at = row.assessed_exported_at or profile.shared_exported_at
        if assessed_checksum is None or assessed_at is None:
            raise InvalidInputError(
                f"This copy of {profile.name} does not say which bundle it came from; import "
                f"{profile.name}'s bundle again, then export the assessment."
            )
        assessor = (
            Identity(row.assessor_name, row.assessor_role, row.assessor_email)
            if row.assessor_name
            else signer  # made before assessments were signed: signed as it leaves
        )
        recommendation = row.recommendation
        return AssessmentPayload(
            assessor=OwnerRecord(name=assessor.name, role=assessor.role, email=assessor.email),
            date=row.date,
            assessed=AssessedRecord(
                profile=profile_id,
                checksum=assessed_checksum,
                exported_at=stamp(assessed_at.replace(tzinfo=UTC)),
            ),
            calibrations=[
                CalibrationRecord(skill=c.skill_id, value=c.value)
                for c in sorted(row.calibrations, key=lambda c: c.skill_id)
            ],
            comments=[
                CommentRecord(dimension=c.dimension_id, text=c.text)
                for c in sorted(row.comments, key=lambda c: c.dimension_id)
            ],
            recommendation=(
                RecommendationRecord(band=recommendation.band, rationale=recommendation.rationale)
                if recommendation
                else None
            ),
        )


def build_assessment_bundle(
    store: Store, profile_id: str, *, now: datetime | None = None
) -> AssessmentBundle:
    """Your latest assessment of a profile shared with you, as a bundle for its owner.

    Refused for your own profile, without an identity to sign it (one sentence
    naming `rung whoami --name`), and before there is anything to send.
    """
    payload = _payload(store, profile_id)
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": "assessment",
        "exported_at": stamp(now or datetime.now(UTC)),
        "payload": payload.model_dump(mode="json"),
    }
    document["checksum"] = checksum(document)
    return AssessmentBundle.model_validate(document)


def export_assessment(
    store: Store, profile_id: str, path: Path, *, now: datetime | None = None
) -> AssessmentBundle:
    """Write the assessment bundle to `path` atomically (owner-only), and note it as sent."""
    bundle = build_assessment_bundle(store, profile_id, now=now)
    atomic_write(path, bundle_bytes(bundle), data_dir=store.data_dir)
    mark_sent(store, profile_id, bundle.payload.date)
    return bundle


def mark_sent(store: Store, profile_id: str, day: date) -> None:
    """Note that your assessment of `day` just went to the profile's owner (a bundle
    written, or a hub's row committed): the Team view reads "exported" until it changes."""
    with store.session() as session:
        assessment_id = session.scalar(
            select(Assessment.id).where(
                Assessment.profile_id == profile_id,
                Assessment.origin == "own",
                Assessment.date == day,
            )
        )
        if assessment_id is None:
            return
        send = session.scalar(
            select(AssessmentSend).where(AssessmentSend.assessment_id == assessment_id)
        )
        if send is None:
            session.add(AssessmentSend(assessment_id=assessment_id, sent_at=utcnow()))
        else:
            send.sent_at = utcnow()


# -- the owner's side: import -------------------------------------------------------


class _Checker:
    """What the model cannot say, and what the assessed profile's framework must have."""

    def __init__(self, bundle: AssessmentBundle, name: str) -> None:
        self.payload = bundle.payload
        self.name = name

    def fail(self, loc: Loc, problem: str) -> BundleError:
        return BundleError(f"{self.name}, {format_loc(('payload', *loc))}: {problem}.")

    def check(self) -> None:
        assessor = self.payload.assessor
        for key in ("name", "role", "email"):
            value = getattr(assessor, key)
            if value is not None:
                try:
                    check_name(value, f"assessor's {key}")
                except InvalidInputError as exc:
                    sentence = str(exc).rstrip(".")
                    problem = sentence[:1].lower() + sentence[1:]
                    raise self.fail(("assessor", key), problem) from None
        self._unique("calibrations", [c.skill for c in self.payload.calibrations], "skill")
        self._unique("comments", [c.dimension for c in self.payload.comments], "dimension")

    def _unique(self, key: str, values: list[str], what: str) -> None:
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value in seen:
                raise self.fail((key, index, what), f"the {what} '{value}' appears twice")
            seen.add(value)

    def against(self, framework: Framework) -> None:
        """Every skill, rating, dimension and band is the framework's."""
        skills = {skill.id for skill in framework.skills}
        scale = {point.value for point in framework.rating_scale}
        for index, calibration in enumerate(self.payload.calibrations):
            loc = ("calibrations", index)
            if calibration.skill not in skills:
                problem = f"{framework.ref} has no skill '{calibration.skill}'"
                raise self.fail((*loc, "skill"), problem)
            if calibration.value not in scale:
                raise self.fail((*loc, "value"), f"{calibration.value} is not on the rating scale")
        dimensions = {dimension.id for dimension in framework.dimensions}
        for index, comment in enumerate(self.payload.comments):
            if comment.dimension not in dimensions:
                raise self.fail(
                    ("comments", index, "dimension"),
                    f"{framework.ref} has no dimension '{comment.dimension}'",
                )
        recommendation = self.payload.recommendation
        bands = {band.id for band in framework.verdict_bands}
        if recommendation is not None and recommendation.band not in bands:
            problem = f"{framework.ref} has no verdict band '{recommendation.band}'"
            raise self.fail(("recommendation", "band"), problem)


def _summary(payload: AssessmentPayload, framework: Framework) -> str:
    """`the assessment of 2026-12-01 by Jordan Lee — Engineering manager: 3 calibrations, 1
    comment, a recommendation (Approaching)`."""
    parts = []
    for count, one in (
        (len(payload.calibrations), "calibration"),
        (len(payload.comments), "comment"),
    ):
        if count:
            parts.append(f"{count} {one}{'' if count == 1 else 's'}")
    if payload.recommendation is not None:
        names = {band.id: band.name for band in framework.verdict_bands}
        parts.append(f"a recommendation ({names[payload.recommendation.band]})")
    assessor = payload.assessor
    who = Identity(assessor.name, assessor.role, assessor.email).line()
    content = ", ".join(parts) if parts else "nothing in it"
    return f"the assessment of {payload.date.isoformat()} by {who}: {content}"


def _received(session: Session, profile_id: str, day: Any) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(
            Assessment.profile_id == profile_id,
            Assessment.origin == "received",
            Assessment.date == day,
        )
    ).one_or_none()


def _action(row: Assessment | None, bundle: AssessmentBundle) -> Action:
    if row is None:
        return "received"
    if row.received_checksum == bundle.checksum:
        return "unchanged-same"
    exported = exported_time(bundle.exported_at)
    if row.received_exported_at is not None and exported <= row.received_exported_at:
        return "unchanged-older"
    return "updated"


def import_assessment(
    store: Store, frameworks: FrameworkService, document: Document
) -> ImportResult:
    """Receive an assessment of one of your own profiles (see the module's docstring)."""
    name = document.name
    bundle = validate(AssessmentBundle, document)
    checker = _Checker(bundle, name)
    checker.check()
    payload = bundle.payload
    with store.session() as session:
        profile = session.get(Profile, payload.assessed.profile)
        if profile is None:
            raise InvalidInputError(
                f"{name} is an assessment of a profile this data folder does not hold; it goes "
                "to the profile's owner, who imports it onto their own profile."
            )
        if profile.origin != "own":
            raise InvalidInputError(
                f"{name} is an assessment of {profile.name}, which is shared with you here; it "
                f"goes to {profile.name}, who imports it onto their own profile."
            )
        action = _action(_received(session, profile.id, payload.date), bundle)
    info = ProfileService(store, frameworks).get(profile.id)
    stage = info.stage_on(payload.date)
    framework = frameworks.get(stage.framework, stage.framework_version)
    checker.against(framework)  # the last check
    summary = _summary(payload, framework)
    if action == "unchanged-same":
        summary = "this assessment was imported before"
    elif action == "unchanged-older":
        summary = (
            f"this export ({bundle.exported_at}) of the assessment of "
            f"{payload.date.isoformat()} is not newer than the one here"
        )
    if action in ("unchanged-same", "unchanged-older"):
        return ImportResult(info.id, info.name, action, summary, kind="assessment")
    safety = (
        store.backups.kept_unless_failed("before-import")
        if store.backups is not None
        else contextlib.nullcontext()
    )
    with safety, store.session() as session:
        earlier = _received(session, info.id, payload.date)
        if earlier is not None:  # a newer export of that day's assessment replaces it
            session.delete(earlier)
            session.flush()
        session.add(_row(info.id, bundle))
    return ImportResult(info.id, info.name, action, summary, kind="assessment")


def _row(profile_id: str, bundle: AssessmentBundle) -> Assessment:
    payload = bundle.payload
    recommendation = payload.recommendation
    return Assessment(
        profile_id=profile_id,
        date=payload.date,
        origin="received",
        assessor_name=payload.assessor.name,
        assessor_role=payload.assessor.role,
        assessor_email=payload.assessor.email,
        assessed_checksum=payload.assessed.checksum,
        assessed_exported_at=exported_time(payload.assessed.exported_at),
        received_checksum=bundle.checksum,
        received_exported_at=exported_time(bundle.exported_at),
        calibrations=[
            Calibration(profile_id=profile_id, skill_id=c.skill, value=c.value)
            for c in payload.calibrations
        ],
        comments=[
            DimensionComment(profile_id=profile_id, dimension_id=c.dimension, text=c.text)
            for c in payload.comments
        ],
        recommendation=(
            Recommendation(
                profile_id=profile_id,
                band=recommendation.band,
                rationale=recommendation.rationale,
            )
            if recommendation
            else None
        ),
    )
