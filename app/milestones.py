"""Milestone due dates: horizons count from the role start date."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from app.framework.model import Horizon

_DAYS = {"30d": 30, "60d": 60, "90d": 90}
_MONTHS = {"6m": 6, "12m": 12}


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end (31 Aug + 6 m → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_date(start: date, horizon: Horizon) -> date:
    if horizon in _DAYS:
        return start + timedelta(days=_DAYS[horizon])
    return add_months(start, _MONTHS[horizon])
