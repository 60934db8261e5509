"""The manager's side of a shared profile: calibration, comments, a recommendation.

The manager's annotations live in their own tables, apart from the owner's
data, so that importing a newer bundle of the profile never touches them and
the owner's data stays read-only. Only profiles shared with the user can be
annotated: on your own profile, your ratings are the only ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import InvalidInputError, NotFoundError
from app.framework.model import Framework
from app.services.checkins import CheckInService
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService
from app.store.db import Store
from app.store.models import Calibration, DimensionComment, Profile, Recommendation
from app.text import check_text


@dataclass(frozen=True)
class Assessment:
    """Everything the manager added to one shared profile."""

    calibrations: dict[str, int]  # skill id → the manager's rating
    comments: dict[str, str]  # dimension id → comment
    band: str | None  # a verdict band id of the framework
    rationale: str | None

    @property
    def empty(self) -> bool:
        return not (self.calibrations or self.comments or self.band or self.rationale)


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


class ManagerService:
    def __init__(
        self,
        store: Store,
        frameworks: FrameworkService,
        profiles: ProfileService,
        checkins: CheckInService,
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins

    def _framework(self, profile_id: str) -> Framework:
        profile = self._profiles.get(profile_id)
        return self._frameworks.get(profile.framework, profile.framework_version)

    @staticmethod
    def _check_shared(session: Session, profile_id: str) -> None:
        row = session.get(Profile, profile_id)
        if row is None:
            raise NotFoundError(f"No profile has the id {profile_id}.")
        if row.origin != "shared":
            raise InvalidInputError(
                "Only a profile shared with you can be annotated; on your own profile your "
                "ratings are the assessment."
            )

    # -- reading -------------------------------------------------------------------

    def assessment(self, profile_id: str) -> Assessment:
        with self._store.session() as session:
            calibrations = {
                skill: value
                for skill, value in session.execute(
                    select(Calibration.skill_id, Calibration.value).where(
                        Calibration.profile_id == profile_id
                    )
                )
            }
            comments = {
                dimension: text
                for dimension, text in session.execute(
                    select(DimensionComment.dimension_id, DimensionComment.text).where(
                        DimensionComment.profile_id == profile_id
                    )
                )
            }
            recommendation = session.scalar(
                select(Recommendation).where(Recommendation.profile_id == profile_id)
            )
            return Assessment(
                calibrations=calibrations,
                comments=comments,
                band=recommendation.band if recommendation else None,
                rationale=recommendation.rationale if recommendation else None,
            )

    def calibration(self, profile_id: str, as_of: date) -> list[CalibrationRow]:
        """Every skill, the largest disagreements first, then the skills not yet calibrated."""
        framework = self._framework(profile_id)
        target = self._profiles.get(profile_id).stage_on(as_of).target
        ratings = self._checkins.current_ratings(profile_id, as_of)
        manager = self.assessment(profile_id).calibrations
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
                    manager_rating=manager.get(skill.id),
                    expected=skill.expected.get(target, 0),
                )
            )
        order = {skill.id: index for index, skill in enumerate(framework.skills)}
        return sorted(
            rows,
            key=lambda r: (
                r.difference is None,
                -abs(r.difference or 0),
                order[r.skill_id],
            ),
        )

    # -- writing -------------------------------------------------------------------

    def set_calibration(self, profile_id: str, skill_id: str, value: int | None) -> None:
        """The manager's rating of a skill; None removes it."""
        framework = self._framework(profile_id)
        if skill_id not in {s.id for s in framework.skills}:
            raise InvalidInputError(f"The framework has no skill '{skill_id}'.")
        scale = [p.value for p in framework.rating_scale]
        if value is not None and value not in scale:
            raise InvalidInputError(
                f"{value} is not on the rating scale ({', '.join(map(str, scale))})."
            )
        with self._store.session() as session:
            self._check_shared(session, profile_id)
            row = session.scalar(
                select(Calibration).where(
                    Calibration.profile_id == profile_id, Calibration.skill_id == skill_id
                )
            )
            if value is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Calibration(profile_id=profile_id, skill_id=skill_id, value=value))
            else:
                row.value = value

    def set_comment(self, profile_id: str, dimension_id: str, text: str | None) -> None:
        """The manager's comment on a dimension; empty removes it."""
        framework = self._framework(profile_id)
        if dimension_id not in {d.id for d in framework.dimensions}:
            raise InvalidInputError(f"The framework has no dimension '{dimension_id}'.")
        text = check_text(text, "comment")
        with self._store.session() as session:
            self._check_shared(session, profile_id)
            session.execute(
                delete(DimensionComment).where(
                    DimensionComment.profile_id == profile_id,
                    DimensionComment.dimension_id == dimension_id,
                )
            )
            if text is not None:
                session.add(
                    DimensionComment(profile_id=profile_id, dimension_id=dimension_id, text=text)
                )

    def set_recommendation(self, profile_id: str, band: str | None, rationale: str | None) -> None:
        """The manager's recommendation, in the framework's verdict bands; None removes it."""
        framework = self._framework(profile_id)
        bands = [b.id for b in framework.verdict_bands]
        if band is not None and band not in bands:
            raise InvalidInputError(f"'{band}' is not a verdict band ({', '.join(bands)}).")
        rationale = check_text(rationale, "rationale")
        if band is None and rationale is not None:
            raise InvalidInputError("Choose a verdict for the recommendation before its rationale.")
        with self._store.session() as session:
            self._check_shared(session, profile_id)
            session.execute(delete(Recommendation).where(Recommendation.profile_id == profile_id))
            if band is not None:
                session.add(Recommendation(profile_id=profile_id, band=band, rationale=rationale))
