"""Checks on user text: stored exactly as typed, but never unstorable or absurd."""

from __future__ import annotations

import unicodedata

from app.errors import InvalidInputError

NAME_MAX = 200
TEXT_MAX = 100_000


def _check_storable(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"The {what} contains a broken character (a lone surrogate)."
        ) from None
    if "\x00" in value:
        raise InvalidInputError(f"The {what} contains a NUL character.")


def check_name(value: str, what: str = "name") -> str:
    """A one-line name: not blank, no control characters, at most 200 characters."""
    _check_storable(value, what)
    if not value.strip():
        raise InvalidInputError(f"The {what} is empty.")
    if len(value) > NAME_MAX:
        raise InvalidInputError(f"The {what} is longer than {NAME_MAX} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise InvalidInputError(f"The {what} contains a control character such as a line break.")
    return value


def check_text(value: str | None, what: str) -> str | None:
    """Free text (notes, reflections): any script and line breaks; empty means none."""
    if value is None or value == "":
        return None
    _check_storable(value, what)
    if len(value) > TEXT_MAX:
        raise InvalidInputError(f"The {what} is longer than {TEXT_MAX:,} characters.")
    return value


def same_text(a: str, b: str) -> bool:
    """Compare names as people see them (Unicode NFC), not by code points."""
    return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
