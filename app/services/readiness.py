"""Readiness for a profile: as of a date, and over time (one value per final check-in).

Over time, SQL does the work: a windowed query turns every rating into the
change it makes to its dimension's weighted sums and accumulates those per
check-in, so the rows fetched grow with check-ins × dimensions (× the few
distinct expected ratings, kept apart so that the division stays exact),
not with every rating. Each check-in is read with the stage (level, target,
framework version) in force on its date.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import text

from app.framework.model import Framework
from app.readiness import (
    MilestoneState,
    Point,
    Readiness,
    SkillState,
    compute,
    project,
)
from app.services.checkins import CheckInService, CurrentRating
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService, StageInfo
from app.store.db import Store

_SERIES_SQL = """
WITH skills(skill_id, dimension, weight, expected) AS (VALUES {values}),
rated AS (
    SELECT r.skill_id, c.id AS checkin_id, c.date, c.finalized_at, s.dimension, s.expected,
           CASE WHEN r.not_applicable THEN 0 ELSE {numerator} END AS num,
           CASE WHEN r.not_applicable THEN s.weight ELSE 0 END AS na
    FROM ratings r
    JOIN checkins c ON c.id = r.checkin_id
    JOIN skills s ON s.skill_id = r.skill_id
    WHERE c.profile_id = :profile AND c.status = 'final'
      AND (r.value IS NOT NULL OR r.not_applicable)
),
deltas AS (
    SELECT checkin_id, date, finalized_at, dimension, expected,
           num - LAG(num, 1, 0) OVER skill_history AS d_num,
           na - LAG(na, 1, 0) OVER skill_history AS d_na
    FROM rated
    WINDOW skill_history AS (PARTITION BY skill_id ORDER BY date, finalized_at)
),
per_checkin AS (
    SELECT checkin_id, date, finalized_at, dimension, expected,
           SUM(d_num) AS d_num, SUM(d_na) AS d_na
    FROM deltas GROUP BY checkin_id, dimension, expected
)
SELECT checkin_id, dimension, expected,
       SUM(d_num) OVER running AS num, SUM(d_na) OVER running AS na
FROM per_checkin
WINDOW running AS (
    PARTITION BY dimension, expected ORDER BY date, finalized_at, checkin_id
    ROWS UNBOUNDED PRECEDING
)
"""


class ReadinessService:
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
        stage = profile.stage_on(day)
        if ratings is None:
            ratings = self._checkins.current_ratings(profile_id, day)
        milestones = self._checkins.current_milestones(profile_id, day)
        result = compute(
            self._framework(stage),
            profile_id=profile_id,
            level=stage.level,
            target=stage.target,
            role_start=profile.role_start,
            as_of=day,
            ratings={k: SkillState(v.value, v.not_applicable) for k, v in ratings.items()},
            milestones={k: MilestoneState(v.status) for k, v in milestones.items()},
            assessed=bool(ratings) or bool(milestones) or self._has_final(profile_id, day),
        )
        if with_projection:
            history = self.over_time(profile_id) if history is None else history
            points = [p for p in history if p.date <= day]
            result.projection = project(self._framework(stage), points)
        return result

    def _has_final(self, profile_id: str, day: date) -> bool:
        return any(c.date <= day for c in self._checkins.finals(profile_id))

    def over_time(self, profile_id: str) -> list[Point]:
        """Readiness as of each final check-in, oldest first."""
        profile = self._profiles.get(profile_id)
        finals = self._checkins.finals(profile_id)
        values: dict[str, Fraction | None] = {}
        for stage in {profile.stage_on(c.date) for c in finals}:
            series = _Series(self._framework(stage), stage.target)
            changes = self._running_sums(profile_id, stage)
            for checkin in finals:  # the sums run over all history; each stage reads its own
                series.apply(changes.get(checkin.id, {}))
                if profile.stage_on(checkin.date) == stage:
                    values[checkin.id] = series.value()
        points = []
        for checkin in finals:
            value = values[checkin.id]
            readiness = None if value is None else float(value)
            points.append(Point(checkin_id=checkin.id, date=checkin.date, readiness=readiness))
        return points

    def _running_sums(self, profile_id: str, stage: StageInfo) -> RunningSums:
        """Per check-in that changed something: (dimension, E) → (Σ w·min(R, E), Σ w of n/a)."""
        framework = self._framework(stage)
        weights = {c.id: c.weight for c in framework.criticalities}
        rows = [
            (s.id, s.dimension, weights[s.criticality], s.expected.get(stage.target, 0))
            for s in framework.skills
            if s.expected.get(stage.target, 0) > 0
        ]
        return running_sums(self._store, profile_id, rows, capped=True)


RunningSums = dict[str, dict[tuple[str, int], tuple[int, int]]]


def running_sums(
    store: Store, profile_id: str, skills: list[tuple[str, str, int, int]], *, capped: bool
) -> RunningSums:
    """Accumulated weighted sums per check-in, (dimension, E) → (numerator, n/a weight).

    `skills` rows are (skill id, dimension, weight, expected rating E). With
    `capped` the numerator is Σ w·min(R, E) (attainment); without, Σ w·R (plain
    ratings, for growth charts). Only check-ins that change a sum are returned.
    """
    if not skills:
        return {}
    params: dict[str, object] = {"profile": profile_id}
    values = []
    for index, row in enumerate(skills):
        values.append(f"(:s{index}, :d{index}, :w{index}, :e{index})")
        params.update(zip((f"s{index}", f"d{index}", f"w{index}", f"e{index}"), row, strict=True))
    numerator = "s.weight * MIN(r.value, s.expected)" if capped else "s.weight * r.value"
    query = text(_SERIES_SQL.format(values=", ".join(values), numerator=numerator))
    changes: RunningSums = defaultdict(dict)
    with store.session() as session:
        for checkin_id, dimension, expected, num, na in session.execute(query, params):
            changes[checkin_id][(dimension, expected)] = (num, na)
    return changes


class _Series:
    """Readiness from the running sums, updated one check-in at a time, exactly.

    Each dimension keeps Σ w·min(R, E)·(L / E) as an integer, L being the least
    common multiple of the expected ratings, so a check-in costs one fraction
    per dimension rather than one per (dimension, expected rating).
    """

    def __init__(self, framework: Framework, target: str) -> None:
        weights = {criticality.id: criticality.weight for criticality in framework.criticalities}
        self._dimensions = [(d.id, d.weight) for d in framework.dimensions]
        self._expected_weight = dict.fromkeys((d.id for d in framework.dimensions), 0)
        expected = set()
        for skill in framework.skills:
            if skill.expected.get(target, 0) > 0:
                self._expected_weight[skill.dimension] += weights[skill.criticality]
                expected.add(skill.expected[target])
        self._lcm = math.lcm(*expected) if expected else 1
        self._numerator: dict[str, int] = defaultdict(int)
        self._not_applicable: dict[str, int] = defaultdict(int)
        self._state: dict[tuple[str, int], tuple[int, int]] = {}

    def apply(self, changes: dict[tuple[str, int], tuple[int, int]]) -> None:
        for key, (num, na) in changes.items():
            old_num, old_na = self._state.get(key, (0, 0))
            dimension, expected = key
            self._numerator[dimension] += (num - old_num) * (self._lcm // expected)
            self._not_applicable[dimension] += na - old_na
            self._state[key] = (num, na)

    def value(self) -> Fraction | None:
        total = Fraction(0)
        assessable = False
        for dimension, weight in self._dimensions:
            counted = self._expected_weight[dimension] - self._not_applicable[dimension]
            if counted > 0:
                assessable = True
                total += Fraction(weight * self._numerator[dimension], self._lcm * counted)
            else:
                total += weight
        return total if assessable else None
