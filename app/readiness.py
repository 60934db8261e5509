"""Promotion readiness: the brief's one formula, computed exactly (fractions).

For a profile as of a date, against the target level in force on that date:
attainment a = min(R / E, 1) per skill expected at the target (E > 0; "not
applicable" skills left out, never-rated skills count as 0); dimension score =
criticality-weighted mean of attainments (a dimension with nothing left counts
fully); readiness = Σ dimension weight × score. Points lost per skill add up
to 100 − readiness. Gates (a Critical skill below expectation, an overdue
milestone) cap the verdict below Ready. The projection fits a least-squares
line through readiness over time; a line so flat that it meets Ready outside
the calendar Rung accepts (`app.dates`) is not projected.

`Readiness` is the one result model the UI, the CLI and the PDF all show.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel

from app.dates import MAX_DATE, MIN_DATE
from app.framework.model import Framework
from app.milestones import due_date

NOT_ASSESSABLE = "Not assessable"
MIN_PROJECTION_DATES = 3


class DimensionScore(BaseModel):
    id: str
    name: str
    weight: int
    score: float | None  # 0–1; None when the readiness is not assessable
    contribution: float | None  # points of the 0–100 readiness; None likewise
    counts_fully: bool  # no skill left to assess: counted as fully met, and said so


class SkillScore(BaseModel):
    id: str
    name: str
    dimension: str
    criticality: str
    critical: bool
    expected: int
    rating: int | None  # None: never rated (counts as 0) or not applicable
    rated: bool  # False for a skill never rated: "not rated yet", never a 0 the user gave
    not_applicable: bool
    attainment: float | None  # None when not applicable
    points_lost: float


class Gate(BaseModel):
    kind: Literal["critical-skill", "overdue-milestone"]
    id: str
    name: str
    detail: str


class Projection(BaseModel):
    status: Literal["reached", "projected", "not-projected", "too-few-points", "too-far"]
    date: dt.date | None = None
    threshold: float
    slope_per_month: float | None = None  # readiness points per 30 days
    # The fitted line at the first point, so charts can draw it to `date`.
    line_start: dt.date | None = None
    line_start_value: float | None = None


class Point(BaseModel):
    checkin_id: str
    date: dt.date
    readiness: float | None


class Readiness(BaseModel):
    """Everything the verdict rests on, for one profile as of one date."""

    profile_id: str
    as_of: dt.date
    framework: str
    framework_version: str
    level: str
    target: str
    readiness: float | None
    readiness_exact: str | None  # the exact fraction, e.g. "65" or "200/3"
    band: str | None  # the band the score falls in, before gates
    verdict: str
    held_back: bool
    dimensions: list[DimensionScore]
    gates: list[Gate]
    gaps: list[SkillScore]  # the skills that lost the most points, largest first
    skills: list[SkillScore]
    not_rated: int  # skills expected at the target, not "not applicable", never rated
    projection: Projection | None = None


@dataclass(frozen=True)
class SkillState:
    """A skill's carried-forward state: a value (None = never rated) or not applicable."""

    value: int | None
    not_applicable: bool = False


@dataclass(frozen=True)
class MilestoneState:
    status: str


def _exact(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


def band_for(framework: Framework, readiness: Fraction) -> int:
    """Index of the verdict band the exact readiness falls in."""
    index = 0
    for position, band in enumerate(framework.verdict_bands):
        if readiness >= Fraction(str(band.from_readiness)):
            index = position
    return index


def ready_index(framework: Framework) -> int:
    return next(i for i, band in enumerate(framework.verdict_bands) if band.ready)


def ready_threshold(framework: Framework) -> Fraction:
    return Fraction(str(framework.verdict_bands[ready_index(framework)].from_readiness))


def compute(
    framework: Framework,
    *,
    profile_id: str,
    level: str,
    target: str,
    role_start: dt.date,
    as_of: dt.date,
    ratings: Mapping[str, SkillState],
    milestones: Mapping[str, MilestoneState],
    assessed: bool = True,
    gaps: int = 3,
) -> Readiness:
    """Readiness as of `as_of`; `assessed` is False before the first finalised check-in."""
    weights = {c.id: c.weight for c in framework.criticalities}
    skills: list[SkillScore] = []
    dimensions: list[DimensionScore] = []
    total = Fraction(0)
    any_assessable = False
    for dimension in framework.dimensions:
        entries = []
        for skill in framework.skills:
            expected = skill.expected.get(target, 0)
            if skill.dimension != dimension.id or expected <= 0:
                continue
            state = ratings.get(skill.id, SkillState(None))
            entries.append((skill, expected, state))
        counted = [(s, e, st) for s, e, st in entries if not st.not_applicable]
        weight_sum = sum(weights[s.criticality] for s, _e, _st in counted)
        attained = {s.id: min(Fraction(st.value or 0, e), Fraction(1)) for s, e, st in counted}
        if counted:
            any_assessable = True
            score = (
                sum(
                    (weights[s.criticality] * attained[s.id] for s, _e, _st in counted), Fraction(0)
                )
                / weight_sum
            )
        else:
            score = Fraction(1)
        contribution = dimension.weight * score
        total += contribution
        dimensions.append(
            DimensionScore(
                id=dimension.id,
                name=dimension.name,
                weight=dimension.weight,
                score=float(score),
                contribution=float(contribution),
                counts_fully=not counted,
            )
        )
        for skill, expected, state in entries:
            lost = Fraction(0)
            if not state.not_applicable:
                share = Fraction(weights[skill.criticality], weight_sum)
                lost = dimension.weight * share * (1 - attained[skill.id])
            skills.append(
                SkillScore(
                    id=skill.id,
                    name=skill.name,
                    dimension=dimension.id,
                    criticality=skill.criticality,
                    critical=framework.is_critical(skill),
                    expected=expected,
                    rating=None if state.not_applicable else state.value,
                    rated=state.not_applicable or state.value is not None,
                    not_applicable=state.not_applicable,
                    attainment=None if state.not_applicable else float(attained[skill.id]),
                    points_lost=float(lost),
                )
            )

    base = dict(
        profile_id=profile_id,
        as_of=as_of,
        framework=framework.id,
        framework_version=framework.version,
        level=level,
        target=target,
        skills=skills,
        not_rated=sum(not s.rated for s in skills),
    )
    if not assessed or not any_assessable:  # no scores, gates or gaps: null, never 0
        return Readiness(
            **base,
            dimensions=[
                d.model_copy(update={"score": None, "contribution": None}) for d in dimensions
            ],
            gates=[],
            readiness=None,
            readiness_exact=None,
            band=None,
            verdict=NOT_ASSESSABLE,
            held_back=False,
            gaps=[],
        )
    gates = list(_gates(framework, skills, milestones, role_start, as_of))
    band = band_for(framework, total)
    verdict = band
    if gates and band >= ready_index(framework):
        verdict = ready_index(framework) - 1
    largest = sorted((s for s in skills if s.points_lost > 0), key=lambda s: -s.points_lost)
    return Readiness(
        **base,
        dimensions=dimensions,
        gates=gates,
        readiness=float(total),
        readiness_exact=_exact(total),
        band=framework.verdict_bands[band].name,
        verdict=framework.verdict_bands[verdict].name,
        held_back=verdict != band,
        gaps=largest[:gaps],
    )


def _gates(
    framework: Framework,
    skills: Iterable[SkillScore],
    milestones: Mapping[str, MilestoneState],
    role_start: dt.date,
    as_of: dt.date,
) -> Iterable[Gate]:
    for skill in skills:
        if skill.critical and not skill.not_applicable and (skill.rating or 0) < skill.expected:
            rated = "not rated yet" if skill.rating is None else f"rated {skill.rating}"
            yield Gate(
                kind="critical-skill",
                id=skill.id,
                name=skill.name,
                detail=f"Critical skill {rated}, expected {skill.expected}",
            )
    for milestone in framework.milestones:
        due = due_date(role_start, milestone.horizon)
        state = milestones.get(milestone.id)
        status = state.status if state else "not-started"
        if due < as_of and status not in {"done", "not-applicable"}:
            yield Gate(
                kind="overdue-milestone",
                id=milestone.id,
                name=milestone.title,
                detail=f"due {due.isoformat()}, {status.replace('-', ' ')}",
            )


def project(framework: Framework, points: Sequence[Point]) -> Projection:
    """Least-squares line through readiness over time, to the Ready threshold."""
    threshold = ready_threshold(framework)
    scored = [(p.date, Fraction(str(p.readiness))) for p in points if p.readiness is not None]
    if scored and scored[-1][1] >= threshold:
        return Projection(status="reached", threshold=float(threshold))
    if len({day for day, _ in scored}) < MIN_PROJECTION_DATES:
        return Projection(status="too-few-points", threshold=float(threshold))
    origin = scored[0][0]
    xs = [Fraction((day - origin).days) for day, _ in scored]
    ys = [value for _, value in scored]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) * (x - mean_x) for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if slope <= 0:
        return Projection(
            status="not-projected", threshold=float(threshold), slope_per_month=float(slope * 30)
        )
    intercept = mean_y - slope * mean_x
    days = (threshold - intercept) / slope
    whole_days = math.ceil(days)  # the first day at or past it (exact for a Fraction)
    if not MIN_DATE.toordinal() <= origin.toordinal() + whole_days <= MAX_DATE.toordinal():
        return Projection(  # so slow that the date would be centuries off, or overflow
            status="too-far",
            threshold=float(threshold),
            slope_per_month=float(slope * 30),
            line_start=origin,
            line_start_value=float(intercept),
        )
    return Projection(
        status="projected",
        date=origin + timedelta(days=whole_days),
        threshold=float(threshold),
        slope_per_month=float(slope * 30),
        line_start=origin,
        line_start_value=float(intercept),
    )


def format_score(value: float) -> str:
    """Readiness for display: one decimal, truncated, so 69.96 never shows as 70 (a band edge)."""
    shown = math.floor(value * 10) / 10
    return f"{shown:.0f}" if shown == int(shown) else f"{shown:.1f}"


def readiness_text(readiness: Readiness) -> str:
    """One line: the score, the verdict, and why it is held back."""
    if readiness.readiness is None:
        return "not assessable yet: finalise a check-in to see it"
    text = f"{format_score(readiness.readiness)} / 100 — {readiness.verdict}"
    if readiness.held_back:
        gates = len(readiness.gates)
        text += f" (the score reaches {readiness.band}; held back by {gates} gate"
        text += "s)" if gates != 1 else ")"
    return text


def not_rated_text(readiness: Readiness) -> str | None:
    """The one line that says never-rated skills count as 0 (None when every skill is rated)."""
    if not readiness.not_rated or readiness.readiness is None:
        return None
    expected = sum(not s.not_applicable for s in readiness.skills)
    them = "it counts" if readiness.not_rated == 1 else "they count"
    return (
        f"{readiness.not_rated} of {expected} skills expected at the target "
        f"{'is' if readiness.not_rated == 1 else 'are'} not rated yet; {them} as 0 until rated."
    )


def _held_by(readiness: Readiness) -> str:
    """What holds the verdict back, named: "Model evaluation and 1 more gate"."""
    names = [gate.name for gate in readiness.gates]
    if len(names) <= 2:
        return " and ".join(names)
    more = len(names) - 2
    return f"{names[0]}, {names[1]} and {more} more gate" + ("s" if more > 1 else "")


def projection_text(readiness: Readiness) -> str:
    """The projection in words (empty when there is none). A score at the Ready threshold
    under gates never reads as reached: the gates are named instead."""
    projection = readiness.projection
    if projection is None:
        return ""
    gated = bool(readiness.gates)
    if projection.status == "projected" and projection.date:
        when = projection.date.isoformat()
        if projection.date <= readiness.as_of:
            return f"The trend line crossed Ready on {when}; the latest readiness is below it."
        text = f"At this pace, Ready around {when}."
        if gated:
            text = (
                f"At this pace, the score reaches Ready around {when}; "
                f"the verdict waits for {_held_by(readiness)} too."
            )
        return text
    if projection.status == "reached" and gated:
        return (
            f"The score is at the Ready threshold, but {_held_by(readiness)} "
            f"{'holds' if len(readiness.gates) == 1 else 'hold'} the verdict at "
            f"{readiness.verdict}."
        )
    return {
        "reached": "The Ready threshold is reached.",
        "not-projected": "Not projected: readiness is not rising.",
        "too-far": (
            f"Not projected: at this pace, Ready is after {MAX_DATE.isoformat()}."
            if (projection.line_start_value or 0) < projection.threshold
            else f"Not projected: the trend line crossed Ready before {MIN_DATE.isoformat()}."
        ),
        "too-few-points": "Not projected yet: it needs check-ins on three dates.",
    }[projection.status]
