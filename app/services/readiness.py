"""Readiness for a profile: as of a date, and over time (one value per date, as of its end).

Over time, the final check-ins' ratings are read in one ordered query and
carried forward in Python: each rating replaces its skill's share of its
dimension's integer sums, so every check-in costs one exact fraction per
dimension. (The ordered scan replaced windowed running sums in SQL, whose
sorts cost SQLite several times what the rows they saved did.) Each check-in
is read with the stage (level, target, framework version) in force on its date.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from app.framework.model import Framework
from app.readiness import (
    MilestoneState,
    Point,
    Readiness,
    SkillState,
    compute,
    project,
)
from app.services.checkins import (
    CheckInService,
    CurrentMilestone,
    CurrentRating,
    FinalHistory,
    RatingChange,
)
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileInfo, ProfileService, StageInfo


class ReadinessService:
    def __init__(
        self, frameworks: FrameworkService, profiles: ProfileService, checkins: CheckInService
    ) -> None:
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins

    def _framework(self, stage: StageInfo) -> Framework:
        return self._frameworks.get(stage.framework, stage.framework_version)

    def as_of(
        self,
        profile_id: str,
        day: date,
        *,
        with_projection: bool = True,
        history: list[Point] | None = None,
        ratings: dict[str, CurrentRating] | None = None,
    ) -> Readiness:
        """Readiness on `day` with its gates, gaps and (optionally) the projection.

        `history` is `over_time()` and `ratings` is `current_ratings(day)` when the caller
        already has them (the Dashboard, the report).
        """
        profile = self._profiles.get(profile_id)
        if ratings is None:
            ratings = self._checkins.current_ratings(profile_id, day)
        milestones = self._checkins.current_milestones(profile_id, day)
        assessed = bool(ratings) or bool(milestones) or self._has_final(profile_id, day)
        result = self.from_state(profile, day, ratings, milestones, assessed=assessed)
        if with_projection:
            history = self.over_time(profile_id) if history is None else history
            points = [p for p in history if p.date <= day]
            result.projection = project(self._framework(profile.stage_on(day)), points)
        return result

    def from_state(
        self,
        profile: ProfileInfo,
        day: date,
        ratings: Mapping[str, CurrentRating],
        milestones: Mapping[str, CurrentMilestone],
        *,
        assessed: bool,
    ) -> Readiness:
        """Readiness on `day` from the carried-forward state already read (without the
        projection); `assessed` is whether a final check-in on or before `day` exists."""
        stage = profile.stage_on(day)
        return compute(
            self._framework(stage),
            profile_id=profile.id,
            level=stage.level,
            target=stage.target,
            role_start=profile.role_start,
            as_of=day,
            ratings={k: SkillState(v.value, v.not_applicable) for k, v in ratings.items()},
            milestones={k: MilestoneState(v.status) for k, v in milestones.items()},
            assessed=assessed,
        )

    def calibrated(self, profile_id: str, day: date, calibrations: dict[str, int]) -> Readiness:
        """Readiness on `day` with each skill's rating replaced by the assessor's calibration
        where there is one (`calibrations`: the latest assessment on or before `day`); its
        gates, gaps and verdict follow. Never instead of the self-assessed figure."""
        ratings = self._checkins.current_ratings(profile_id, day)
        merged = with_calibrations(ratings, calibrations, day)
        return self.as_of(profile_id, day, with_projection=False, ratings=merged)

    def _has_final(self, profile_id: str, day: date) -> bool:
        return any(c.date <= day for c in self._checkins.finals(profile_id))

    def over_time(
        self,
        profile_id: str,
        final_history: FinalHistory | None = None,
        *,
        profile: ProfileInfo | None = None,
    ) -> list[Point]:
        """Readiness as of the end of each date with a final check-in, oldest first
        (`final_history` is `checkins.final_history()` and `profile` the profile when the
        caller already has them)."""
        profile = profile or self._profiles.get(profile_id)
        history = final_history
        if history is None:
            history = self._checkins.final_history(profile_id)
        stage_of = {checkin.id: profile.stage_on(checkin.date) for checkin, _ in history}
        values: dict[str, Fraction | None] = {}
        for stage in set(stage_of.values()):
            sums = attainment_sums(self._framework(stage), stage.target)
            for checkin, ratings in history:  # every stage replays all history, reads its own
                sums.apply(ratings)
                if stage_of[checkin.id] == stage:
                    values[checkin.id] = sums.readiness()
        points = []
        for checkin, _ratings in history:
            value = values[checkin.id]
            readiness = None if value is None else float(value)
            points.append(Point(checkin_id=checkin.id, date=checkin.date, readiness=readiness))
        return points


def with_calibrations(
    ratings: Mapping[str, CurrentRating], calibrations: Mapping[str, int], day: date
) -> dict[str, CurrentRating]:
    """The ratings with each calibrated skill's replaced by its calibration (the calibrated
    readiness rule: where the assessment has a rating, it counts instead)."""
    merged = dict(ratings)
    for skill_id, value in calibrations.items():
        merged[skill_id] = CurrentRating(value, False, day)
    return merged


class CarriedSums:
    """Per-dimension weighted sums of the ratings carried forward, kept exactly.

    `skills` maps each counted skill to (dimension, weight, expected rating E).
    Capped, a rating R adds w·min(R, E)·(L / E) to its dimension, L being the
    least common multiple of the Es, so that an attainment needs one fraction
    per dimension; uncapped (E = 1), it adds w·R. A skill rated not applicable
    adds its weight to the dimension's `not_applicable` instead. A new rating
    replaces the skill's earlier share.
    """

    def __init__(
        self,
        dimensions: list[tuple[str, int]],
        skills: dict[str, tuple[str, int, int]],
        *,
        capped: bool,
    ) -> None:
        self._dimensions = dimensions  # (id, weight) in the framework's order
        self._skills = skills
        self._capped = capped
        self.scale = math.lcm(*{e for _d, _w, e in skills.values()}) if capped and skills else 1
        self.weight: dict[str, int] = dict.fromkeys((d for d, _w in dimensions), 0)
        for dimension, weight, _e in skills.values():
            self.weight[dimension] += weight
        self.numerator: dict[str, int] = defaultdict(int)
        self.not_applicable: dict[str, int] = defaultdict(int)
        self._held: dict[str, tuple[int, int]] = {}

    def apply(self, ratings: list[RatingChange]) -> None:
        # Locals, not attributes, in the loop: it runs for every rating of every history.
        skills, held, capped, scale = self._skills, self._held, self._capped, self.scale
        numerators, not_applicables = self.numerator, self.not_applicable
        for skill_id, value, not_applicable in ratings:
            entry = skills.get(skill_id)
            if entry is None:
                continue
            dimension, weight, expected = entry
            if not_applicable:
                share = (0, weight)
            elif value is None:  # not a rating ("keep current"): `final_history` leaves it out
                continue
            elif capped:
                share = (weight * min(value, expected) * (scale // expected), 0)
            else:
                share = (weight * value, 0)
            old_num, old_na = held.get(skill_id, (0, 0))
            held[skill_id] = share
            numerators[dimension] += share[0] - old_num
            not_applicables[dimension] += share[1] - old_na

    def counted(self, dimension: str) -> int:
        """The weight of the dimension's skills not rated not applicable."""
        return self.weight[dimension] - self.not_applicable[dimension]

    def readiness(self) -> Fraction | None:
        """Σ dimension weight × attainment; a dimension with nothing left counts fully
        (None when no dimension has anything to assess).

        Summed as integers over a common denominator, and made a Fraction once: the
        same exact value as a sum of Fractions, at a fraction of the cost (this runs
        once per check-in of every history shown).
        """
        numerator, denominator = 0, 1
        assessable = False
        for dimension, weight in self._dimensions:
            counted = self.weight[dimension] - self.not_applicable[dimension]
            if counted > 0:
                assessable = True
                part = self.scale * counted
                common = math.lcm(denominator, part)
                share = weight * self.numerator[dimension]
                numerator = numerator * (common // denominator) + share * (common // part)
                denominator = common
            else:
                numerator += weight * denominator
        return Fraction(numerator, denominator) if assessable else None


def attainment_sums(framework: Framework, target: str) -> CarriedSums:
    """Sums for readiness against `target`: the skills expected there, capped at E."""
    weights = {c.id: c.weight for c in framework.criticalities}
    skills = {
        s.id: (s.dimension, weights[s.criticality], s.expected[target])
        for s in framework.skills
        if s.expected.get(target, 0) > 0
    }
    dimensions = [(d.id, d.weight) for d in framework.dimensions]
    return CarriedSums(dimensions, skills, capped=True)
