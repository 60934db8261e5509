"""Whether a KPI meets its targets, judged from the values of its check-ins.

All of a KPI's targets apply together. Numbers (thresholds, ranges, trends)
are judged here; a qualitative target is left to the reader, so a KPI whose
only targets are qualitative is never called met or missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.framework.model import Kpi, QualitativeTarget, RangeTarget, Target, ThresholdTarget
from app.milestones import add_months

NO_VALUE = "No value yet"
JUDGED_BY_READER = "Judged by the reader"


def _threshold(target: ThresholdTarget, value: float) -> bool:
    return {
        "<": value < target.value,
        "<=": value <= target.value,
        ">": value > target.value,
        ">=": value >= target.value,
        "=": value == target.value,
    }[target.comparator]


def _trend(direction: str, months: int | None, history: Sequence[tuple[dt.date, float]]) -> bool:
    """The least-squares slope over the window (all values without one) points the right way."""
    last = history[-1][0]
    since = add_months(last, -months) if months else dt.date.min
    window = [(day.toordinal(), value) for day, value in history if day >= since]
    if len({x for x, _ in window}) < 2:
        return False  # one date is no trend
    mean_x = sum(x for x, _ in window) / len(window)
    mean_y = sum(y for _, y in window) / len(window)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in window)
    return slope > 0 if direction == "up" else slope < 0


def _meets(target: Target, history: Sequence[tuple[dt.date, float]]) -> bool | None:
    value = history[-1][1]
    if isinstance(target, ThresholdTarget):
        return _threshold(target, value)
    if isinstance(target, RangeTarget):
        return target.low <= value <= target.high
    if isinstance(target, QualitativeTarget):
        return None
    return _trend(target.direction, target.window_months, history)


def evaluate(kpi: Kpi, history: Sequence[tuple[dt.date, float]]) -> tuple[bool | None, str]:
    """(met, in words) from the KPI's values oldest first, up to the day judged."""
    if not history:
        return None, NO_VALUE
    judged = [met for met in (_meets(t, history) for t in kpi.targets) if met is not None]
    if not judged:
        return None, JUDGED_BY_READER
    met = all(judged)
    words = "Met" if met else "Not met"
    if len(judged) < len(kpi.targets):
        words += " (the rest is judged by the reader)"
    return met, words
