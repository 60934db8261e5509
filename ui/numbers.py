"""Numbers typed and shown in the user's locale: "4,5" in German is 4.5, never 45.

Every field that takes a number (a KPI value in the check-in, an evidence
metric) reads it here, so one rule holds for all of them.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

EXAMPLE = 4.5


def number_locale() -> QLocale:
    """The user's locale for numbers, refusing group separators: in German "4.5" is not
    a number (it is neither 4,5 nor 45), so nothing typed changes its value silently."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.RejectGroupSeparator)
    return locale


def show_number(value: float, locale: QLocale | None = None) -> str:
    """`value` as the user writes numbers, without a trailing ".0"."""
    return (locale or number_locale()).toString(value, "g", 12)


def read_number(text: str, locale: QLocale | None = None) -> float | None:
    """The number `text` holds in the user's locale; None if it holds none (or is blank)."""
    value, ok = (locale or number_locale()).toDouble(text.strip())
    return value if ok else None


def example(locale: QLocale | None = None) -> str:
    """A number as the user writes it ("4,5" in German), for hints and messages."""
    return show_number(EXAMPLE, locale)
