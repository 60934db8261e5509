"""The manager's side of a shared profile: dated, signed assessments.

An assessment holds the manager's calibration per skill, comments per
dimension and a recommendation (a verdict band of the framework, with a
rationale). It is kept per date, signed with the assessor's identity (a second
change on the same day changes that day's assessment); a change on a new day
starts from the latest earlier one, so the manager's view carries forward as
ratings do. Assessments live in their own tables, apart from the owner's data,
so importing a newer bundle of the profile never touches them and the owner's
data stays read-only. Only profiles shared with the user can be assessed here:
on your own profile, your ratings are the only ones; an assessment of it comes
from your manager, in an assessment bundle (`app.bundle.assessment`), and is
read here as received (`received`, `latest_received`), never changing your
ratings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import InvalidInputError, NotFoundError
from app.framework.model import Framework
from app.services.checkins import CheckInService, CurrentRating
from app.services.frameworks import FrameworkService
from app.services.identity import Identity, IdentityService
from app.services.profiles import ProfileService
from app.store.db import Store
from app.store.models import (
    Assessment as AssessmentRow,
)
from app.store.models import (
    Calibration,
    DimensionComment,
    Profile,
    Recommendation,
    utcnow,
)
from app.text import check_text


@dataclass(frozen=True)
class Assessment:
    """A manager's assessment of one profile as of a date (empty before the first)."""

    calibrations: dict[str, int]  # skill id → the manager's rating
    comments: dict[str, str]  # dimension id → comment
    band: str | None  # a verdict band id of the framework
    rationale: str | None
    date: date | None = None  # None: no assessment yet
    assessor: Identity | None = None  # None: not recorded (made before assessments were signed)
    origin: str = "own"

    @property
    def empty(self) -> bool:
        return not (self.calibrations or self.comments or self.band or self.rationale)


EMPTY = Assessment({}, {}, None, None)


def _assessment(row: AssessmentRow) -> Assessment:
    assessor = (
        Identity(row.assessor_name, row.assessor_role, row.assessor_email)
        if row.assessor_name
        else None
    )
    recommendation = row.recommendation
    return Assessment(
        calibrations={c.skill_id: c.value for c in row.calibrations},
        comments={c.dimension_id: c.text for c in row.comments},
        band=recommendation.band if recommendation else None,
        rationale=recommendation.rationale if recommendation else None,
        date=row.date,
        assessor=assessor,
        origin=row.origin,
    )


@dataclass(frozen=True)
class CalibrationRow:
    """One skill: the owner's rating beside the manager's."""

    skill_id: str
    name: str
    dimension: str  # its name
    self_rating: int | None  # None: never rated, or not applicable
    not_applicable: bool
    manager_rating: int | None
    expected: int  # at the target level

    @property
    def difference(self) -> int | None:
        """Manager − self; None unless both rated (never rated counts as 0, as in readiness)."""
        if self.manager_rating is None or self.not_applicable:
            return None
        return self.manager_rating - (self.self_rating or 0)


@dataclass(frozen=True)
class ReceivedAssessment:
    """The owner's view of an assessment sent back to them: the assessment, and every skill
    with their own rating beside the assessor's, the largest disagreements first."""

    assessment: Assessment
    rows: list[CalibrationRow]


def calibration_rows(
    framework: Framework,
    target: str,
    ratings: Mapping[str, CurrentRating],
    calibrations: Mapping[str, int],
) -> list[CalibrationRow]:
    """Every skill with the owner's rating beside the manager's, the largest disagreements
    first (then in the framework's order), then the skills not yet calibrated."""
    dimensions = {d.id: d.name for d in framework.dimensions}
    rows = []
    for skill in framework.skills:
        state = ratings.get(skill.id)
        rows.append(
            CalibrationRow(
                skill_id=skill.id,
                name=skill.name,
                dimension=dimensions[skill.dimension],
                self_rating=state.value if state else None,
                not_applicable=bool(state and state.not_applicable),
                manager_rating=calibrations.get(skill.id),
                expected=skill.expected.get(target, 0),
            )
        )
    order = {skill.id: index for index, skill in enumerate(framework.skills)}
    return sorted(
        rows,
        key=lambda r: (r.difference is None, -abs(r.difference or 0), order[r.skill_id]),
    )


class ManagerService:
    def __init__(
        self,
        store: Store,
        frameworks: FrameworkService,
        profiles: ProfileService,
        checkins: CheckInService,
        identity: IdentityService,
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins
        self._identity = identity

    def _framework(self, profile_id: str) -> Framework:
        profile = self._profiles.get(profile_id)
        return self._frameworks.get(profile.framework, profile.framework_version)

    @staticmethod
    def _check_shared(session: Session, profile_id: str) -> Profile:
        row = session.get(Profile, profile_id)
        if row is None:
            raise NotFoundError(f"No profile has the id {profile_id}.")
        if row.origin != "shared":
            raise InvalidInputError(
                "Only a profile shared with you can be annotated; on your own profile your "
                "ratings are the assessment."
            )
        return row

    # -- reading -------------------------------------------------------------------

    def _rows(self, session: Session, profile_id: str) -> Iterator[AssessmentRow]:
        """The profile's assessments, oldest first, with their parts."""
        yield from session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.profile_id == profile_id)
            .options(
                selectinload(AssessmentRow.calibrations),
                selectinload(AssessmentRow.comments),
                selectinload(AssessmentRow.recommendation),
            )
            .order_by(AssessmentRow.date, AssessmentRow.origin)
        )

    def assessments(self, profile_id: str) -> list[Assessment]:
        """Every assessment of the profile, oldest first."""
        with self._store.session() as session:
            return [_assessment(row) for row in self._rows(session, profile_id)]

    def assessment(self, profile_id: str, as_of: date | None = None) -> Assessment:
        """The latest assessment on or before `as_of` (default today); empty if none."""
        day = as_of or date.today()
        found = [a for a in self.assessments(profile_id) if a.date is not None and a.date <= day]
        return found[-1] if found else EMPTY

    def received(self, profile_id: str) -> list[Assessment]:
        """The assessments of your own profile sent back to you, oldest first (one per date)."""
        return [a for a in self.assessments(profile_id) if a.origin == "received"]

    def has_received(self, profile_id: str) -> bool:
        """Whether an assessment of your own profile was sent back to you (one cheap read)."""
        with self._store.session() as session:
            found = session.scalar(
                select(AssessmentRow.date)
                .where(AssessmentRow.profile_id == profile_id, AssessmentRow.origin == "received")
                .limit(1)
            )
        return found is not None

    def latest_received(
        self, profile_id: str, as_of: date | None = None
    ) -> ReceivedAssessment | None:
        """The latest assessment of your own profile sent back to you on or before `as_of`
        (default today) beside your own ratings as of then; None if there is none."""
        day = as_of or date.today()
        found = [a for a in self.received(profile_id) if a.date is not None and a.date <= day]
        if not found:
            return None
        return ReceivedAssessment(found[-1], self.calibration(profile_id, day, found[-1]))

    def calibration(
        self, profile_id: str, as_of: date, assessment: Assessment | None = None
    ) -> list[CalibrationRow]:
        """Every skill, the largest disagreements first, then the skills not yet calibrated,
        by `assessment` (default: the latest on or before `as_of`)."""
        framework = self._framework(profile_id)
        target = self._profiles.get(profile_id).stage_on(as_of).target
        ratings = self._checkins.current_ratings(profile_id, as_of)
        manager = (assessment or self.assessment(profile_id, as_of)).calibrations
        return calibration_rows(framework, target, ratings, manager)

    # -- writing -------------------------------------------------------------------

    def _today(self, session: Session, profile_id: str, day: date) -> AssessmentRow:
        """The day's assessment, signed by the folder's owner; a new day starts from the
        latest one. Refused for your own profile, and without an identity to sign with.

        It names the profile bundle it is made on (the copy's), which an assessment bundle
        tells the owner."""
        profile = self._check_shared(session, profile_id)
        assessor = self._identity.require("an assessment")
        rows = [r for r in self._rows(session, profile_id) if r.origin == "own" and r.date <= day]
        row = rows[-1] if rows and rows[-1].date == day else None
        if row is None:
            row = AssessmentRow(profile_id=profile_id, date=day, origin="own")
            if rows:  # the manager's view carries forward to the new day
                earlier = rows[-1]
                row.calibrations = [
                    Calibration(profile_id=profile_id, skill_id=c.skill_id, value=c.value)
                    for c in earlier.calibrations
                ]
                row.comments = [
                    DimensionComment(
                        profile_id=profile_id, dimension_id=c.dimension_id, text=c.text
                    )
                    for c in earlier.comments
                ]
                if earlier.recommendation is not None:
                    row.recommendation = Recommendation(
                        profile_id=profile_id,
                        band=earlier.recommendation.band,
                        rationale=earlier.recommendation.rationale,
                    )
            session.add(row)
        row.assessor_name, row.assessor_role, row.assessor_email = (
            assessor.name,
            assessor.role,
            assessor.email,
        )
        row.assessed_checksum = profile.shared_checksum
        row.assessed_exported_at = profile.shared_exported_at
        row.updated_at = utcnow()
        return row

    def set_calibration(
        self, profile_id: str, skill_id: str, value: int | None, *, on: date | None = None
    ) -> None:
        """The manager's rating of a skill in the day's assessment; None removes it."""
        framework = self._framework(profile_id)
        if skill_id not in {s.id for s in framework.skills}:
            raise InvalidInputError(f"The framework has no skill '{skill_id}'.")
        scale = [p.value for p in framework.rating_scale]
        if value is not None and value not in scale:
            raise InvalidInputError(
                f"{value} is not on the rating scale ({', '.join(map(str, scale))})."
            )
        with self._store.session() as session:
            row = self._today(session, profile_id, on or date.today())
            current = next((c for c in row.calibrations if c.skill_id == skill_id), None)
            if value is None:
                if current is not None:
                    row.calibrations.remove(current)
            elif current is None:
                row.calibrations.append(
                    Calibration(profile_id=profile_id, skill_id=skill_id, value=value)
                )
            else:
                current.value = value

    def set_comment(
        self, profile_id: str, dimension_id: str, text: str | None, *, on: date | None = None
    ) -> None:
        """The manager's comment on a dimension in the day's assessment; empty removes it."""
        framework = self._framework(profile_id)
        if dimension_id not in {d.id for d in framework.dimensions}:
            raise InvalidInputError(f"The framework has no dimension '{dimension_id}'.")
        text = check_text(text, "comment")
        with self._store.session() as session:
            row = self._today(session, profile_id, on or date.today())
            current = next((c for c in row.comments if c.dimension_id == dimension_id), None)
            if text is None:
                if current is not None:
                    row.comments.remove(current)
            elif current is None:
                row.comments.append(
                    DimensionComment(profile_id=profile_id, dimension_id=dimension_id, text=text)
                )
            else:
                current.text = text

    def set_recommendation(
        self,
        profile_id: str,
        band: str | None,
        rationale: str | None,
        *,
        on: date | None = None,
    ) -> None:
        """The manager's recommendation, in the framework's verdict bands; None removes it."""
        framework = self._framework(profile_id)
        bands = [b.id for b in framework.verdict_bands]
        if band is not None and band not in bands:
            raise InvalidInputError(f"'{band}' is not a verdict band ({', '.join(bands)}).")
        rationale = check_text(rationale, "rationale")
        if band is None and rationale is not None:
            raise InvalidInputError("Choose a verdict for the recommendation before its rationale.")
        with self._store.session() as session:
            row = self._today(session, profile_id, on or date.today())
            if band is None:
                row.recommendation = None
            elif row.recommendation is None:
                row.recommendation = Recommendation(
                    profile_id=profile_id, band=band, rationale=rationale
                )
            else:
                row.recommendation.band = band
                row.recommendation.rationale = rationale
