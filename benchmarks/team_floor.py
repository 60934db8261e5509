"""The team floor: the Team section's rows read and computed with plain `sqlite3`.

The same work as `services.team.rows(today)`, in the simplest direct code: the
shared profiles and their stages; every final check-in in order and every
rating (the same two queries as the project, so the floor is not slowed by a
worse plan); the current milestones and each profile's latest assessment
with its calibrations, one windowed query each; then, per profile, the ratings
carried forward in a dict with per-dimension integer sums, one `Fraction` per
dimension and check-in date for the trend, and `floors.readiness_summary` for
the self-assessed and the calibrated verdict. It returns plain tuples; nothing
here imports `app.services` or `ui`.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from fractions import Fraction
from typing import Any

import floors

from app.framework.model import Framework

TREND_DAYS = 365

# One team row as both sides are compared: id, name, level, target, last check-in,
# check-in dates, next due, bundle export time, readiness and verdict, calibrated readiness
# and verdict, assessment date, trend, gate names, largest disagreement, assessment state.
TeamTuple = tuple[Any, ...]

_SHARED = "SELECT id FROM profiles WHERE origin = 'shared'"
_PROFILES = (
    "SELECT id, name, role_start, checkin_interval_days, shared_exported_at"
    " FROM profiles WHERE origin = 'shared'"
)
_STAGES = (
    "SELECT profile_id, effective_from, level, target_level FROM profile_stages"
    f" WHERE profile_id IN ({_SHARED}) ORDER BY profile_id, effective_from"
)
_FINALS = (
    "SELECT id, profile_id, date FROM checkins"
    f" WHERE status = 'final' AND profile_id IN ({_SHARED})"
    " ORDER BY profile_id, date, finalized_at"
)
_RATINGS = (
    "SELECT r.checkin_id, r.skill_id, r.value, r.not_applicable"
    " FROM ratings r JOIN checkins c ON c.id = r.checkin_id"
    f" WHERE c.status = 'final' AND c.profile_id IN ({_SHARED})"
    " AND (r.value IS NOT NULL OR r.not_applicable)"
)
_MILESTONES = f"""
SELECT profile_id, milestone_id, status FROM (
    SELECT c.profile_id, m.milestone_id, m.status, ROW_NUMBER() OVER (
        PARTITION BY c.profile_id, m.milestone_id ORDER BY c.date DESC, c.finalized_at DESC
    ) AS n
    FROM milestone_statuses m JOIN checkins c ON c.id = m.checkin_id
    WHERE c.status = 'final' AND c.date <= ? AND c.profile_id IN ({_SHARED})
) WHERE n = 1
"""
_ASSESSMENTS = f"""
SELECT id, profile_id, date, band, has_comments FROM (
    SELECT a.id, a.profile_id, a.date, r.band,
           EXISTS (SELECT 1 FROM dimension_comments d WHERE d.assessment_id = a.id)
               AS has_comments,
           ROW_NUMBER() OVER (PARTITION BY a.profile_id ORDER BY a.date DESC) AS n
    FROM assessments a LEFT JOIN recommendations r ON r.assessment_id = a.id
    WHERE a.origin = 'own' AND a.date <= ? AND a.profile_id IN ({_SHARED})
) WHERE n = 1
"""
_CALIBRATIONS = """
SELECT assessment_id, skill_id, value FROM calibrations WHERE assessment_id IN ({marks})
"""


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _series(
    fw: Framework, target: str, history: list[tuple[dt.date, list[tuple[Any, ...]]]]
) -> list[tuple[dt.date, float]]:
    """Readiness at the end of each date: the ratings carried forward in per-dimension
    integer sums over the LCM of the expected ratings, one Fraction per dimension."""
    weight = {c.id: c.weight for c in fw.criticalities}
    skills = {
        s.id: (s.dimension, weight[s.criticality], s.expected.get(target, 0))
        for s in fw.skills
        if s.expected.get(target, 0) > 0
    }
    scale = math.lcm(*(e for _d, _w, e in skills.values()))
    expected_weight = {d.id: 0 for d in fw.dimensions}
    for d, w, _e in skills.values():
        expected_weight[d] += w
    num = dict.fromkeys(expected_weight, 0)
    na = dict.fromkeys(expected_weight, 0)
    held: dict[str, tuple[int, int]] = {}
    points = []
    for day, ratings in history:
        for skill_id, value, not_applicable in ratings:
            if skill_id not in skills:
                continue
            d, w, e = skills[skill_id]
            old_num, old_na = held.get(skill_id, (0, 0))
            new = (0, w) if not_applicable else (w * min(value, e) * (scale // e), 0)
            held[skill_id] = new
            num[d] += new[0] - old_num
            na[d] += new[1] - old_na
        total = Fraction(0)
        assessable = False
        for dimension in fw.dimensions:
            counted = expected_weight[dimension.id] - na[dimension.id]
            if counted > 0:
                assessable = True
                total += Fraction(dimension.weight * num[dimension.id], scale * counted)
            else:
                total += dimension.weight
        if assessable:
            points.append((day, float(total)))
    return points


def _disagreement(
    fw: Framework, current: dict[str, Any], calibrations: dict[str, int]
) -> tuple[str, int | None, int] | None:
    """The calibrated skill furthest from the owner's rating (never rated counts as 0, not
    applicable is left out), the framework's order breaking ties; None when all agree."""
    best: tuple[str, int | None, int] | None = None
    best_gap = 0
    for skill in fw.skills:
        if skill.id not in calibrations:
            continue
        value, not_applicable, _day = current.get(skill.id, (None, 0, None))
        if not_applicable:
            continue
        gap = abs(calibrations[skill.id] - (value or 0))
        if gap > best_gap:
            best, best_gap = (skill.id, value, calibrations[skill.id]), gap
    return best


def team_rows(con: sqlite3.Connection, fw: Framework, today: dt.date) -> list[TeamTuple]:
    """Every shared profile's row as of `today`, by name (see `TeamTuple`)."""
    stages: dict[str, list[tuple[str, str, str]]] = {}
    for profile_id, start, level, target in con.execute(_STAGES):
        stages.setdefault(profile_id, []).append((start, level, target))
    finals: dict[str, list[tuple[str, str]]] = {}
    for checkin_id, profile_id, day in con.execute(_FINALS):
        finals.setdefault(profile_id, []).append((checkin_id, day))
    recorded: dict[str, list[tuple[str, int | None, int]]] = {}
    for checkin_id, skill_id, value, not_applicable in con.execute(_RATINGS):
        recorded.setdefault(checkin_id, []).append((skill_id, value, not_applicable))
    milestones: dict[str, dict[str, tuple[str, None, None]]] = {}
    for profile_id, milestone_id, status in con.execute(_MILESTONES, (today.isoformat(),)):
        milestones.setdefault(profile_id, {})[milestone_id] = (status, None, None)
    latest = {row[1]: row for row in con.execute(_ASSESSMENTS, (today.isoformat(),))}
    calibrations: dict[str, dict[str, int]] = {row[0]: {} for row in latest.values()}
    marks = ", ".join("?" * len(calibrations))
    for assessment_id, skill_id, value in con.execute(
        _CALIBRATIONS.format(marks=marks), list(calibrations)
    ):
        calibrations[assessment_id][skill_id] = value
    names = {level.id: level.name for level in fw.levels}
    rows = []
    for profile_id, name, role_start, interval, exported in con.execute(_PROFILES).fetchall():
        in_force = [s for s in stages[profile_id] if s[0] <= today.isoformat()]
        _start, level, target = (in_force or stages[profile_id][:1])[-1]
        days: dict[dt.date, list[tuple[Any, ...]]] = {}
        for checkin_id, day in finals.get(profile_id, []):
            days.setdefault(_day(day), []).extend(recorded.get(checkin_id, []))
        history = list(days.items())
        current: dict[str, tuple[int | None, int, dt.date]] = {}
        for day, ratings in history:
            if day <= today:
                for skill_id, value, not_applicable in ratings:
                    current[skill_id] = (value, not_applicable, day)
        points = [p for p in _series(fw, target, history) if p[0] <= today]
        trend = tuple(p for p in points if p[0] > points[-1][0] - dt.timedelta(TREND_DAYS))
        own = floors.readiness_summary(
            fw, target, current, milestones.get(profile_id, {}), _day(role_start), today
        )
        head = latest.get(profile_id)
        calibrated: tuple[Any, ...] = (None, None)
        disagreement = None
        state = "none"
        if head is not None:
            values = calibrations[head[0]]
            merged = dict(current)
            for skill_id, value in values.items():
                merged[skill_id] = (value, 0, today)
            summary = floors.readiness_summary(
                fw, target, merged, milestones.get(profile_id, {}), _day(role_start), today
            )
            calibrated = (summary["total"], summary["verdict"])
            disagreement = _disagreement(fw, current, values)
            state = "drafted" if values or head[3] or head[4] else "none"
        last = history[-1][0] if history else None
        rows.append(
            (
                profile_id,
                name,
                names[level],
                names[target],
                last,
                len(history),
                (last or _day(role_start)) + dt.timedelta(days=interval),
                exported and dt.datetime.fromisoformat(exported),
                own["total"],
                own["verdict"],
                *calibrated,
                _day(head[2]) if head else None,
                trend,
                tuple(gate_name for gate_name, _detail in own["gates"]),
                disagreement,
                state,
            )
        )
    return sorted(rows, key=lambda r: (r[1].casefold(), r[0]))


def project_tuples(rows: list[Any]) -> list[TeamTuple]:
    """The project's `TeamRow`s as the floor's tuples."""
    return [
        (
            r.id,
            r.name,
            r.level_name,
            r.target_name,
            r.last_checkin,
            r.checkins,
            r.next_due,
            r.bundle_exported_at,
            r.readiness.readiness,
            r.readiness.verdict,
            r.calibrated.readiness if r.calibrated else None,
            r.calibrated.verdict if r.calibrated else None,
            r.assessment_date,
            r.trend,
            tuple(gate.name for gate in r.gates),
            (
                (r.disagreement.skill_id, r.disagreement.self_rating, r.disagreement.manager_rating)
                if r.disagreement
                else None
            ),
            r.assessment,
        )
        for r in rows
    ]
