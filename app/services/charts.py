"""The data of every growth chart, for the Dashboard and the PDF report alike."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import TypeVar

from app.charts import (
    LEVEL_LOOK,
    PANEL_LOOK,
    PROJECTION_LOOK,
    STATUS_FILLS,
    TARGET_LOOK,
    THRESHOLD_LOOK,
    BarChart,
    BarSeries,
    RadarChart,
    RadarSeries,
    Reference,
    SmallMultiples,
    TimeChart,
    TimePoint,
    TimeSeries,
)
from app.framework.model import HORIZONS, Framework, Kpi, RangeTarget, ThresholdTarget
from app.readiness import Point, project
from app.services.checkins import CheckInService, CurrentRating, FinalHistory
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService
from app.services.readiness import CarriedSums, ReadinessService
from app.store.db import Store

HORIZON_NAMES = {
    "30d": "30 days",
    "60d": "60 days",
    "90d": "90 days",
    "6m": "6 months",
    "12m": "12 months",
}
_V = TypeVar("_V")
MILESTONE_STACKS = (
    ("done", "Done"),
    ("in-progress", "In progress"),
    ("not-started", "Not started"),
    ("not-applicable", "Not applicable"),
)


def _weighted_mean(pairs: list[tuple[int, int]]) -> float:
    total = sum(weight for weight, _ in pairs)
    return float(Fraction(sum(weight * value for weight, value in pairs), total)) if total else 0.0


class ChartService:
    def __init__(
        self,
        store: Store,
        profiles: ProfileService,
        checkins: CheckInService,
        readiness: ReadinessService,
        frameworks: FrameworkService,
    ) -> None:
        self._store = store
        self._profiles = profiles
        self._checkins = checkins
        self._readiness = readiness
        self._frameworks = frameworks

    def _framework_on(self, profile_id: str, day: date) -> tuple[Framework, str, str]:
        profile = self._profiles.get(profile_id)
        stage = profile.stage_on(day)
        framework = self._frameworks.get(stage.framework, stage.framework_version)
        return framework, stage.level, stage.target

    def readiness_chart(self, profile_id: str, history: list[Point] | None = None) -> TimeChart:
        """Readiness at each check-in, the fitted projection, and the Ready threshold."""
        points = self._readiness.over_time(profile_id) if history is None else history
        scored = [TimePoint(x=p.date, y=p.readiness) for p in points if p.readiness is not None]
        series = [TimeSeries(name="Readiness", points=scored)]
        framework, _level, _target = self._framework_on(
            profile_id, points[-1].date if points else date.today()
        )
        projection = project(framework, points)
        if projection.status == "projected" and projection.line_start and projection.date:
            series.append(
                TimeSeries(
                    name="Projection",
                    projected=True,
                    look=PROJECTION_LOOK,
                    points=[
                        TimePoint(x=projection.line_start, y=projection.line_start_value or 0),
                        TimePoint(x=projection.date, y=projection.threshold),
                    ],
                )
            )
        return TimeChart(
            title="Readiness over time",
            y_label="Readiness (0–100)",
            y_min=0,
            y_max=100,
            series=series,
            references=[
                Reference(name="Ready threshold", y=projection.threshold, look=THRESHOLD_LOOK)
            ],
            empty_text="No check-ins yet" if not points else "Readiness is not assessable yet",
        )

    def radar_chart(
        self,
        profile_id: str,
        as_of: date,
        ratings: dict[str, CurrentRating] | None = None,
        *,
        whose: str = "Your",
        calibrations: dict[str, int] | None = None,
        calibrated_by: str = "the manager",
    ) -> RadarChart:
        """Current rating per dimension against the expectation at the level and the target
        (`ratings` is `current_ratings(as_of)` when the caller already has it). A skill never
        rated counts as 0 in its dimension's mean, and the dimension's axis says how many.
        The series of ratings is "`whose` ratings"; with a manager's `calibrations`, a
        series beside it, "Calibrated by `calibrated_by`", has their rating wherever they gave
        one."""
        framework, level, target = self._framework_on(profile_id, as_of)
        weights = {c.id: c.weight for c in framework.criticalities}
        if ratings is None:
            ratings = self._checkins.current_ratings(profile_id, as_of)
        calibrated: list[float] = []
        current, at_level, at_target, axes = [], [], [], []
        for dimension in framework.dimensions:
            skills = [
                s
                for s in framework.skills
                if s.dimension == dimension.id
                and not (ratings.get(s.id) and ratings[s.id].not_applicable)
            ]
            own = {s.id: (ratings[s.id].value or 0) if s.id in ratings else 0 for s in skills}
            current.append(_weighted_mean([(weights[s.criticality], own[s.id]) for s in skills]))
            if calibrations is not None:
                theirs = {s.id: calibrations.get(s.id, own[s.id]) for s in skills}
                calibrated.append(
                    _weighted_mean([(weights[s.criticality], theirs[s.id]) for s in skills])
                )
            unrated = sum(s.id not in ratings for s in skills)
            axes.append(
                f"{dimension.name} ({unrated} not rated yet)" if unrated else dimension.name
            )
            at_level.append(
                _weighted_mean([(weights[s.criticality], s.expected.get(level, 0)) for s in skills])
            )
            at_target.append(
                _weighted_mean(
                    [(weights[s.criticality], s.expected.get(target, 0)) for s in skills]
                )
            )
        series = [RadarSeries(name=f"{whose} ratings", values=current)]
        if calibrations is not None:
            series.append(RadarSeries(name=f"Calibrated by {calibrated_by}", values=calibrated))
        series.append(
            RadarSeries(
                name=f"Expected: {framework.level(level).name}", values=at_level, style="dotted"
            )
        )
        if target != level:
            series.append(
                RadarSeries(
                    name=f"Expected: {framework.level(target).name} (target)",
                    values=at_target,
                    style="dashed",
                )
            )
        return RadarChart(
            title="Ratings by dimension",
            axes=axes,
            max_value=framework.max_rating,
            series=series,
        )

    def growth_chart(
        self,
        profile_id: str,
        dimension_id: str | None = None,
        final_history: FinalHistory | None = None,
    ) -> SmallMultiples:
        """Small multiples of growth: the mean rating of each dimension's skills over time, a
        panel per dimension; or (the drill-down) each skill of one dimension, a panel per skill,
        against the rating expected at the current and the target level.

        `final_history` is `checkins.final_history()` when the caller already has it.
        """
        framework, level, target = self._framework_on(profile_id, date.today())
        if dimension_id is not None:
            skills = [s.id for s in framework.skills if s.dimension == dimension_id]
            history = self._checkins.rating_history(profile_id, skills)
            span = self._checkins.final_span(profile_id)
            return _skill_growth(framework, level, target, dimension_id, history, span)
        weights = {c.id: c.weight for c in framework.criticalities}
        sums = CarriedSums(
            [(d.id, d.weight) for d in framework.dimensions],
            {s.id: (s.dimension, weights[s.criticality], 1) for s in framework.skills},
            capped=False,
        )
        dimension_of = {s.id: s.dimension for s in framework.skills}
        points: dict[str, list[TimePoint]] = {d.id: [] for d in framework.dimensions}
        rated: set[str] = set()  # dimensions with a skill rated (or not applicable) so far
        not_applicable: dict[str, bool] = {}
        if final_history is None:
            final_history = self._checkins.final_history(profile_id)
        for checkin, ratings in final_history:
            sums.apply(ratings)
            for skill_id, _value, is_na in ratings:
                if skill_id in dimension_of:
                    rated.add(dimension_of[skill_id])
                    not_applicable[skill_id] = is_na
            for rated_id in rated:
                counted = sums.counted(rated_id)
                if counted:  # int / int is correctly rounded, as float(Fraction(…)) is
                    value = sums.numerator[rated_id] / counted
                    points[rated_id].append(TimePoint(x=checkin.date, y=value))
        panels = []
        for dimension in framework.dimensions:
            counted_skills = [
                s
                for s in framework.skills
                if s.dimension == dimension.id and not not_applicable.get(s.id, False)
            ]
            expected = [
                _weighted_mean(
                    [(weights[s.criticality], s.expected.get(lv, 0)) for s in counted_skills]
                )
                for lv in (level, target)
            ]
            panels.append(
                TimeChart(
                    title=dimension.name,
                    y_label="Mean rating",
                    y_min=0,
                    y_max=framework.max_rating,
                    series=[
                        TimeSeries(name="Mean rating", points=points[dimension.id], look=PANEL_LOOK)
                    ],
                    references=_expectations(framework, level, target, *expected),
                    empty_text="Not applicable" if dimension.id in rated else "Not rated yet",
                )
            )
        days = (final_history[0][0].date, final_history[-1][0].date) if final_history else None
        return SmallMultiples(
            title="Growth by dimension",
            y_label="Mean rating",
            y_min=0,
            y_max=framework.max_rating,
            x_min=days[0] if days else None,
            x_max=days[1] if days else None,
            panels=panels,
        )

    def skill_growth_charts(
        self, profile_id: str, final_history: FinalHistory | None = None
    ) -> dict[str, SmallMultiples]:
        """Every dimension's drill-down, `growth_chart(profile_id, dimension)`, by dimension
        id, from one read of the history (or `final_history`, when the caller has it)."""
        framework, level, target = self._framework_on(profile_id, date.today())
        if final_history is None:
            final_history = self._checkins.final_history(profile_id)
        history: dict[str, list[tuple[date, int | None]]] = {s.id: [] for s in framework.skills}
        for checkin, ratings in final_history:
            for skill_id, value, not_applicable in ratings:
                if skill_id in history:
                    history[skill_id].append((checkin.date, None if not_applicable else value))
        span = (final_history[0][0].date, final_history[-1][0].date) if final_history else None
        return {
            d.id: _skill_growth(framework, level, target, d.id, history, span)
            for d in framework.dimensions
        }

    def milestone_chart(self, profile_id: str, as_of: date) -> BarChart:
        """Milestone statuses by horizon, as of a date."""
        framework, _level, _target = self._framework_on(profile_id, as_of)
        states = self._checkins.current_milestones(profile_id, as_of)
        categories: list[str] = []
        counts: dict[str, list[float]] = {status: [] for status, _ in MILESTONE_STACKS}
        for horizon in HORIZONS:
            milestones = [m for m in framework.milestones if m.horizon == horizon]
            if not milestones:
                continue
            categories.append(HORIZON_NAMES[horizon])
            statuses = [
                states[m.id].status if m.id in states else "not-started" for m in milestones
            ]
            for status, _name in MILESTONE_STACKS:
                counts[status].append(float(statuses.count(status)))
        return BarChart(
            title="Milestones by horizon",
            y_label="Milestones",
            categories=categories,
            stacks=[
                BarSeries(name=name, values=counts[status], fill=STATUS_FILLS[status])
                for status, name in MILESTONE_STACKS
            ],
        )

    def kpi_chart(self, profile_id: str, kpi_id: str) -> TimeChart:
        """A KPI's values over time against its numeric targets."""
        return self.kpi_charts(profile_id, [kpi_id])[kpi_id]

    def kpi_charts(self, profile_id: str, kpi_ids: list[str] | None = None) -> dict[str, TimeChart]:
        """`kpi_chart` of each KPI (default: every KPI of the framework, in its order),
        from one read of their values."""
        framework, _level, _target = self._framework_on(profile_id, date.today())
        kpis = [k for k in framework.kpis if kpi_ids is None or k.id in kpi_ids]
        histories = self._checkins.kpi_histories(profile_id, [k.id for k in kpis])
        return {kpi.id: _kpi_chart(kpi, histories[kpi.id]) for kpi in kpis}


def _expectations(
    framework: Framework, level: str, target: str, at_level: float, at_target: float
) -> list[Reference]:
    """The rating expected at the current level (dotted) and at the target (dashed) as
    reference lines, leaving out one that is not expected (0)."""
    references = []
    if at_level > 0:
        name = f"Expected: {framework.level(level).name}"
        references.append(Reference(name=name, y=at_level, look=LEVEL_LOOK))
    if target != level and at_target > 0:
        name = f"Expected: {framework.level(target).name} (target)"
        references.append(Reference(name=name, y=at_target, look=TARGET_LOOK))
    return references


def _one_per_date(values: list[tuple[date, _V]]) -> list[tuple[date, _V]]:
    """A dated series with one value per date, the day's last (they come in order)."""
    kept: list[tuple[date, _V]] = []
    for day, value in values:
        if kept and kept[-1][0] == day:
            kept[-1] = (day, value)
        else:
            kept.append((day, value))
    return kept


def _skill_growth(
    framework: Framework,
    level: str,
    target: str,
    dimension_id: str,
    history: dict[str, list[tuple[date, int | None]]],
    span: tuple[date, date] | None,
) -> SmallMultiples:
    """A panel per skill of a dimension: its ratings, the latest held to the last check-in
    of the `span` (the history's first and last dates)."""
    last = span[1] if span else None
    panels = []
    for skill in (s for s in framework.skills if s.dimension == dimension_id):
        ratings = _one_per_date(history[skill.id])
        if ratings and last and ratings[-1][0] < last:
            ratings = [*ratings, (last, ratings[-1][1])]
        points = [TimePoint(x=d, y=value) for d, value in ratings if value is not None]
        panels.append(
            TimeChart(
                title=skill.name,
                y_label="Rating",
                y_min=0,
                y_max=framework.max_rating,
                series=[TimeSeries(name="Your rating", step=True, points=points, look=PANEL_LOOK)],
                references=_expectations(
                    framework,
                    level,
                    target,
                    skill.expected.get(level, 0),
                    skill.expected.get(target, 0),
                ),
                empty_text="Not applicable" if ratings else "Not rated yet",
            )
        )
    name = next(d.name for d in framework.dimensions if d.id == dimension_id)
    return SmallMultiples(
        title=f"Growth: {name}",
        y_label="Rating",
        y_min=0,
        y_max=framework.max_rating,
        x_min=span[0] if span else None,
        x_max=last,
        panels=panels,
    )


def _kpi_chart(kpi: Kpi, values: list[tuple[date, float]]) -> TimeChart:
    """A KPI's values (one a date) against its targets: a threshold as a line, a range as a
    band; the y range holds both, padded."""
    values = _one_per_date(values)
    series = [TimeSeries(name=kpi.name, points=[TimePoint(x=d, y=v) for d, v in values])]
    references: list[Reference] = []
    for target in kpi.targets:
        if isinstance(target, ThresholdTarget):
            name = f"Target {target.comparator} {target.value:g}"
            references.append(Reference(name=name, y=target.value))
        elif isinstance(target, RangeTarget):
            name = f"Target range {target.low:g}–{target.high:g}"
            references.append(Reference(name=name, y=target.low, y_high=target.high))
    levels = [v for _d, v in values]
    levels += [v for r in references for v in (r.y, r.y_high) if v is not None]
    low, high = (min(levels), max(levels)) if levels else (0.0, 1.0)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    unit = f" ({kpi.unit})" if kpi.unit else ""
    return TimeChart(
        title=kpi.name,
        y_label=f"Value{unit}",
        y_min=min(0.0, low - pad),
        y_max=high + pad,
        series=series,
        references=references,
        empty_text="No values recorded yet",
    )
