"""How big a framework file may be, for the YAML and JSON readers alike."""

from __future__ import annotations

from app.errors import FrameworkError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 4_000_000


def text_too_large(count: int, name: str, *, aliases: bool) -> None:
    """Refuse a framework once the characters of its keys and strings pass MAX_TEXT_CHARS."""
    if count > MAX_TEXT_CHARS:
        expanded = " once its aliases are expanded" if aliases else ""
        raise FrameworkError(
            f"{name}: the framework's text adds up to more than "
            f"{MAX_TEXT_CHARS // 1_000_000} MB{expanded}."
        )
