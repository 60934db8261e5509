"""The calendar Rung accepts: every date given to it lies in 1900-01-01 … 2199-12-31.

Python's dates end at 0001-01-01 and 9999-12-31, and a date near either end
overflows as soon as something is added to it: a milestone's horizon, the next
check-in, a projection. Every date a person or a file gives (the command line,
the app's date fields, the services, bundles, brag documents) is checked here,
so all of that arithmetic stays centuries away from the edge. The check-in
interval is bounded here for the same reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from app.errors import InvalidInputError

_D = TypeVar("_D", bound=date)

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
MIN_INTERVAL_DAYS = 1
MAX_INTERVAL_DAYS = 366


def check_date(value: _D, what: str = "date") -> _D:
    """`value` (a date or a datetime) if it lies in MIN_DATE … MAX_DATE, else one sentence."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInputError(
            f"The {what} {value.isoformat()} is not between {MIN_DATE.isoformat()} "
            f"and {MAX_DATE.isoformat()}."
        )
    return value


def check_interval(days: int) -> int:
    """A check-in interval in days: at least a day, at most a (leap) year."""
    if not MIN_INTERVAL_DAYS <= days <= MAX_INTERVAL_DAYS:
        raise InvalidInputError(
            f"The check-in interval must be between {MIN_INTERVAL_DAYS} and "
            f"{MAX_INTERVAL_DAYS} days."
        )
    return days
