"""The data of every growth chart, for the Dashboard and the PDF report alike."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from app.charts import (
    BarChart,
    BarSeries,
    RadarChart,
    RadarSeries,
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
        end = scored[-1].x if scored else date.today()
        if projection.status == "projected" and projection.line_start and projection.date:
            series.append(
                TimeSeries(
                    name="Projection",
                    style="dashed",
                    points=[
                        TimePoint(x=projection.line_start, y=projection.line_start_value or 0),
                        TimePoint(x=projection.date, y=projection.threshold),
                    ],
                )
            )
            end = max(end, projection.date)
        if scored:
            series.append(
                TimeSeries(
                    name="Ready threshold",
                    style="dotted",
                    points=[
                        TimePoint(x=scored[0].x, y=projection.threshold),
                        TimePoint(x=end, y=projection.threshold),
                    ],
                )
            )
        return TimeChart(
            title="Readiness over time",
            y_label="Readiness (0–100)",
            y_min=0,
            y_max=100,
            series=series,
        )

    def radar_chart(
        self, profile_id: str, as_of: date, ratings: dict[str, CurrentRating] | None = None
    ) -> RadarChart:
        """Current rating per dimension against the expectation at the level and the target
        (`ratings` is `current_ratings(as_of)` when the caller already has it)."""
        framework, level, target = self._framework_on(profile_id, as_of)
        weights = {c.id: c.weight for c in framework.criticalities}
        if ratings is None:
            ratings = self._checkins.current_ratings(profile_id, as_of)
        current, at_level, at_target = [], [], []
        for dimension in framework.dimensions:
            skills = [
                s
                for s in framework.skills
                if s.dimension == dimension.id
                and not (ratings.get(s.id) and ratings[s.id].not_applicable)
            ]
            current.append(
                _weighted_mean(
                    [
                        (
                            weights[s.criticality],
                            (ratings[s.id].value or 0) if s.id in ratings else 0,
                        )
                        for s in skills
                    ]
                )
            )
            at_level.append(
                _weighted_mean([(weights[s.criticality], s.expected.get(level, 0)) for s in skills])
            )
            at_target.append(
                _weighted_mean(
                    [(weights[s.criticality], s.expected.get(target, 0)) for s in skills]
                )
            )
        series = [RadarSeries(name="Your ratings", values=current)]
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
            axes=[d.name for d in framework.dimensions],
            max_value=framework.max_rating,
            series=series,
        )

    def growth_chart(
        self,
        profile_id: str,
        dimension_id: str | None = None,
        final_history: FinalHistory | None = None,
    ) -> TimeChart:
        """Mean rating per dimension over time, or each skill of one dimension (drill-down).

        `final_history` is `checkins.final_history()` when the caller already has it.
        """
        framework, _level, _target = self._framework_on(profile_id, date.today())
        if dimension_id is not None:
            skills = [s.id for s in framework.skills if s.dimension == dimension_id]
            history = self._checkins.rating_history(profile_id, skills)
            last = self._checkins.last_final_date(profile_id)
            return self._skill_growth(framework, dimension_id, history, last)
        weights = {c.id: c.weight for c in framework.criticalities}
        sums = CarriedSums(
            [(d.id, d.weight) for d in framework.dimensions],
            {s.id: (s.dimension, weights[s.criticality], 1) for s in framework.skills},
            capped=False,
        )
        series = {d.id: TimeSeries(name=d.name, points=[]) for d in framework.dimensions}
        if final_history is None:
            final_history = self._checkins.final_history(profile_id)
        for checkin, ratings in final_history:
            sums.apply(ratings)
            for dimension in framework.dimensions:
                counted = sums.counted(dimension.id)
                # int / int is correctly rounded, as float(Fraction(num, counted)) is
                value = sums.numerator[dimension.id] / counted if counted else 0.0
                series[dimension.id].points.append(TimePoint(x=checkin.date, y=value))
        return TimeChart(
            title="Growth by dimension",
            y_label="Mean rating",
            y_min=0,
            y_max=framework.max_rating,
            series=list(series.values()),
        )

    def skill_growth_charts(
        self, profile_id: str, final_history: FinalHistory | None = None
    ) -> dict[str, TimeChart]:
        """Every dimension's drill-down, `growth_chart(profile_id, dimension)`, by dimension
        id, from one read of the history (or `final_history`, when the caller has it)."""
        framework, _level, _target = self._framework_on(profile_id, date.today())
        if final_history is None:
            final_history = self._checkins.final_history(profile_id)
        history: dict[str, list[tuple[date, int | None]]] = {s.id: [] for s in framework.skills}
        for checkin, ratings in final_history:
            for skill_id, value, not_applicable in ratings:
                if skill_id in history:
                    history[skill_id].append((checkin.date, None if not_applicable else value))
        last = final_history[-1][0].date if final_history else None
        return {
            d.id: self._skill_growth(framework, d.id, history, last) for d in framework.dimensions
        }

    def _skill_growth(
        self,
        framework: Framework,
        dimension_id: str,
        history: dict[str, list[tuple[date, int | None]]],
        last: date | None,
    ) -> TimeChart:
        """Each skill of a dimension: its ratings, the latest held to the `last` check-in."""
        skills = [s for s in framework.skills if s.dimension == dimension_id]
        series = []
        for skill in skills:
            ratings = history[skill.id]
            if ratings and last and ratings[-1][0] < last:
                ratings = [*ratings, (last, ratings[-1][1])]
            series.append(
                TimeSeries(
                    name=skill.name,
                    step=True,
                    points=[TimePoint(x=d, y=value) for d, value in ratings if value is not None],
                )
            )
        name = next(d.name for d in framework.dimensions if d.id == dimension_id)
        return TimeChart(
            title=f"Growth: {name}",
            y_label="Rating",
            y_min=0,
            y_max=framework.max_rating,
            series=series,
        )

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
                BarSeries(name=name, values=counts[status]) for status, name in MILESTONE_STACKS
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


def _kpi_chart(kpi: Kpi, values: list[tuple[date, float]]) -> TimeChart:
    series = [TimeSeries(name=kpi.name, points=[TimePoint(x=d, y=v) for d, v in values])]
    start = values[0][0] if values else date.today()
    end = values[-1][0] if values else date.today()
    levels: list[float] = [v for _d, v in values]
    for target in kpi.targets:
        lines: list[tuple[str, float]] = []
        if isinstance(target, ThresholdTarget):
            lines = [(f"Target {target.comparator} {target.value:g}", target.value)]
        elif isinstance(target, RangeTarget):
            lines = [
                (f"Target range low {target.low:g}", target.low),
                (f"Target range high {target.high:g}", target.high),
            ]
        for name, level in lines:
            levels.append(level)
            series.append(
                TimeSeries(
                    name=name,
                    style="dashed",
                    points=[TimePoint(x=start, y=level), TimePoint(x=end, y=level)],
                )
            )
    low, high = (min(levels), max(levels)) if levels else (0.0, 1.0)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    unit = f" ({kpi.unit})" if kpi.unit else ""
    return TimeChart(
        title=kpi.name,
        y_label=f"Value{unit}",
        y_min=min(0.0, low - pad),
        y_max=high + pad,
        series=series,
    )
