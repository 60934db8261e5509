"""Reading a "brag document" — a CSV or a Markdown list of accomplishments — into rows.

Nothing here touches the database: the result is a preview (rows that can be
imported, and one sentence for each row that cannot), and storing happens only
when the user confirms. A file that cannot be read at all raises
`InvalidInputError`; any other input yields rows and problems, never a crash.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.dates import check_date
from app.errors import InvalidInputError
from app.services.evidence import Feedback, Impact, Tag, check_feedback, check_impact
from app.store.models import TAG_KINDS
from app.text import check_name, check_text

MAX_BYTES = 5_000_000
# Beyond date and title, every column is optional; impact and feedback came with format 2.
CSV_COLUMNS = ("date", "title", "description", "link", "tags", "context", "action", "outcome",
               "metric", "unit", "kind", "from", "role")  # fmt: skip
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ITEM = re.compile(r"^\s*[-*+]\s+(?P<rest>.*)$")
_MD_ENTRY = re.compile(r"^(?P<date>\S+?)\s*:\s*(?P<title>.*?)(?:\s+(?:—|--|–)\s+(?P<desc>.*))?$")


@dataclass(frozen=True)
class BragRow:
    """One accomplishment that can be imported; `row` is where it is in the file."""

    row: int
    date: date
    title: str
    description: str | None = None
    link: str | None = None
    tags: tuple[Tag, ...] = ()
    impact: Impact = field(default_factory=Impact)
    feedback: Feedback | None = None


@dataclass
class BragPreview:
    """What a file would import, and a sentence for each row that cannot be read."""

    rows: list[BragRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _date(text: str, where: str) -> date:
    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            try:
                return check_date(day)
            except InvalidInputError as exc:
                raise InvalidInputError(f"{where}: {_lower_first(str(exc))}") from None
    raise InvalidInputError(f"{where}: the date '{text}' is not a date in the form YYYY-MM-DD")


def _tags(text: str, where: str, known: Collection[Tag] | None) -> tuple[Tag, ...]:
    tags: list[Tag] = []
    for part in re.split(r"[;,]", text):
        part = part.strip()
        if not part:
            continue
        kind, _, ref = part.partition(":")
        kind, ref = kind.strip().lower(), ref.strip()
        if kind not in TAG_KINDS or not ref:
            raise InvalidInputError(
                f"{where}: the tag '{part}' is not in the form KIND:ID "
                f"(KIND is one of {', '.join(TAG_KINDS)})"
            )
        tag = Tag(kind, ref)
        if known is not None and tag not in known:
            raise InvalidInputError(f"{where}: the framework has no {kind} '{ref}'")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _row(
    number: int, where: str, cell: Callable[[str], str | None], known: Collection[Tag] | None
) -> BragRow:
    """A row from its cells by column name (a missing column reads as empty)."""

    def text(name: str) -> str | None:
        return (cell(name) or "").strip() or None

    parsed_date = _date(cell("date") or "", where)
    title = (cell("title") or "").strip()
    try:
        check_name(title, "title")
        description = check_text(text("description"), "description")
        link = text("link")
        if link is not None:
            check_name(link, "link")
        impact = check_impact(
            Impact(
                text("context"),
                text("action"),
                text("outcome"),
                _number(text("metric")),
                text("unit"),
            )
        )
        feedback = _feedback(text("kind"), text("from"), text("role"))
        check_feedback(feedback, description)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{where}: {_lower_first(str(exc))}") from None
    tags = _tags(cell("tags") or "", where, known)
    return BragRow(number, parsed_date, title, description, link, tags, impact, feedback)


def _number(text: str | None) -> float | None:
    """A metric's value, written with a point (4.5), the same in every locale."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInputError(
            f"The metric '{text}' is not a number (write decimals with a point: 4.5)."
        ) from None


def _feedback(kind: str | None, giver: str | None, role: str | None) -> Feedback | None:
    if kind not in (None, "work", "feedback"):
        raise InvalidInputError(f"The kind '{kind}' is not work or feedback.")
    if kind == "feedback" or giver:
        if not giver:
            raise InvalidInputError("Feedback received needs who gave it (the 'from' column).")
        return Feedback(giver, role)
    return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:].rstrip(".")


def parse_csv(text: str, known: Collection[Tag] | None = None) -> BragPreview:
    """Rows of a CSV whose header names `date` and `title` (and maybe description, link,
    tags); rows are counted as a spreadsheet does, the header being row 1."""
    preview = BragPreview()
    records, broken = _csv_records(text)
    if not records:
        if broken:
            raise InvalidInputError(f"The file is not a readable CSV file ({broken}).")
        raise InvalidInputError("The file is empty.")
    header = [name.strip().lower() for name in records[0]]
    missing = [name for name in ("date", "title") if name not in header]
    if missing:
        raise InvalidInputError(
            f"The first row must name the columns; 'date' and 'title' are needed "
            f"(missing: {', '.join(missing)})."
        )
    column = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        where = f"row {number}"

        def cell(name: str, record: list[str] = record) -> str | None:
            index = column.get(name)
            return record[index] if index is not None and index < len(record) else None

        try:
            preview.rows.append(_row(number, where, cell, known))
        except InvalidInputError as exc:
            preview.problems.append(str(exc))
    if broken:
        preview.problems.append(f"row {len(records) + 1}: {broken}")
    return preview


def _csv_records(text: str) -> tuple[list[list[str]], str | None]:
    """The records up to the first that is not valid CSV, and what is wrong with that one.

    Parsed strictly: leniently, a quote that is never closed takes every row after it
    into one cell without a word.
    """
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            records.append(record)
    except csv.Error as exc:
        if "end of data" in str(exc):  # strict mode's only error at the end of the text
            return records, "a quote is never closed; the rows after it cannot be read"
        return records, f"the row is not valid CSV ({exc}); the rows after it were not read"
    return records, None


def parse_markdown(text: str, known: Collection[Tag] | None = None) -> BragPreview:
    """List items `- YYYY-MM-DD: title — description`; other lines (headings, prose)
    are left alone. Rows are numbered by line."""
    preview = BragPreview()
    for number, line in enumerate(text.splitlines(), start=1):
        item = _ITEM.match(line)
        if item is None:
            continue
        where = f"line {number}"
        entry = _MD_ENTRY.match(item.group("rest").strip())
        try:
            if entry is None:
                raise InvalidInputError(
                    f"{where}: the item is not in the form '- YYYY-MM-DD: title — description'"
                )
            fields = {"date": entry.group("date"), "title": entry.group("title"),
                      "description": entry.group("desc")}  # fmt: skip
            preview.rows.append(_row(number, where, fields.get, known))
        except InvalidInputError as exc:
            preview.problems.append(str(exc))
    return preview


def parse_bytes(data: bytes, name: str, known: Collection[Tag] | None = None) -> BragPreview:
    """A brag document's bytes: CSV if `name` ends in .csv, Markdown otherwise."""
    if len(data) > MAX_BYTES:
        raise InvalidInputError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read)."
        ) from None
    if "\x00" in text:
        raise InvalidInputError(f"{name} contains a NUL character; it is not a text file.")
    if name.lower().endswith(".csv"):
        return parse_csv(text, known)
    return parse_markdown(text, known)


def read_file(path: Path, known: Collection[Tag] | None = None) -> BragPreview:
    """Read at most MAX_BYTES + 1 bytes: a larger file is refused without reading it whole."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInputError(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB.")
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # the file may have grown, or be a pipe
    except OSError as exc:
        raise InvalidInputError(f"{path.name} cannot be read ({exc.strerror}).") from None
    return parse_bytes(data, path.name, known)
