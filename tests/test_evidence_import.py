"""Brag documents: CSV and Markdown read into a preview, with a sentence per bad row;
hostile input yields rows and problems or one clean error, never a crash."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInputError
from app.evidence_import import (
    MAX_BYTES,
    BragPreview,
    parse_bytes,
    parse_csv,
    parse_markdown,
    read_file,
)
from app.services.evidence import Feedback, Impact, Tag

TEXT = "<b>Zoë</b> & 李雷 🚀"
KNOWN = {Tag("skill", "python-ml-engineering"), Tag("kpi", "pr-throughput")}


def test_csv_rows_and_a_bad_row_named_by_number() -> None:
    preview = parse_csv(
        "date,title,description,link,tags\n"
        f"2026-01-05,{TEXT},It shipped,https://x.test/1,skill:python-ml-engineering\n"
        "2026-13-01,Bad date,,,\n"
        "2026-02-01,Two tags,,,skill:python-ml-engineering; kpi:pr-throughput\n"
        ",,,,\n"
        "2026-02-02,,,,\n"
        "2026-02-03,Unknown tag,,,skill:juggling\n",
        KNOWN,
    )
    assert [r.title for r in preview.rows] == [TEXT, "Two tags"]
    assert preview.rows[0].date == date(2026, 1, 5)
    assert preview.rows[0].tags == (Tag("skill", "python-ml-engineering"),)
    assert preview.rows[1].tags == (
        Tag("skill", "python-ml-engineering"),
        Tag("kpi", "pr-throughput"),
    )
    assert preview.problems == [
        "row 3: the date '2026-13-01' is not a date in the form YYYY-MM-DD",
        "row 6: the title is empty",
        "row 7: the framework has no skill 'juggling'",
    ]


def test_csv_without_the_needed_columns_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="'date' and 'title' are needed"):
        parse_csv("when,what\n2026-01-01,x\n")


def test_markdown_items() -> None:
    preview = parse_markdown(
        "# Wins\n\nSome prose.\n"
        f"- 2026-01-05: {TEXT} — with a description\n"
        "* 2026-02-01: Just a title\n"
        "- shipped something, no date\n"
        "- 2026-02-30: Not a day\n"
    )
    assert [(r.row, r.title, r.description) for r in preview.rows] == [
        (4, TEXT, "with a description"),
        (5, "Just a title", None),
    ]
    assert preview.problems == [
        "line 6: the item is not in the form '- YYYY-MM-DD: title — description'",
        "line 7: the date '2026-02-30' is not a date in the form YYYY-MM-DD",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\xff\xfe", "not UTF-8"), (b"a\x00b", "NUL"), (b"", "empty")],
)
def test_unreadable_files_give_one_clean_error(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_bytes(data, "wins.csv")


def _clean(name: str, data: bytes) -> None:
    message = ""
    try:
        preview: BragPreview | None = parse_bytes(data, name, KNOWN)
    except InvalidInputError as exc:
        preview, message = None, str(exc)
    if preview is None:
        assert message  # a sentence for the user, not a traceback
        return
    for problem in preview.problems:
        assert problem.startswith(("row ", "line "))
    for row in preview.rows:
        assert row.title.strip()


@given(st.binary(max_size=400), st.sampled_from(["wins.csv", "wins.md"]))
def test_arbitrary_bytes_never_crash(data: bytes, name: str) -> None:
    _clean(name, data)


LINE = st.text(
    alphabet=st.sampled_from(list("-*+ :,;\"'—–\n\r\t0123456789abkilsp_.\x00\ud800é李🚀")),
    max_size=80,
)


@given(st.lists(LINE, max_size=8), st.sampled_from(["wins.csv", "wins.md"]))
def test_arbitrary_text_never_crashes(lines: list[str], name: str) -> None:
    text = "date,title,description,link,tags\n" if name.endswith(".csv") else ""
    _clean(name, (text + "\n".join(lines)).encode("utf-8", "surrogatepass"))


@given(st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_arbitrary_cells_never_crash(day: str, title: str, tags: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["date", "title", "tags"], [day, title, tags]])
    _clean("wins.csv", out.getvalue().encode("utf-8", "surrogatepass"))
    _clean("wins.md", f"- {day}: {title} — {tags}".encode("utf-8", "surrogatepass"))


# -- bounded input ----------------------------------------------------------------------


def test_an_unclosed_quote_is_a_row_problem_not_a_silent_swallow() -> None:
    """Leniently, the quote would take every row after it into one description."""
    preview = parse_csv(
        "date,title,description\n"
        "2026-01-05,First,fine\n"
        '2026-01-06,Second,"the quote is never closed\n'
        "2026-01-07,Third,would be swallowed\n"
        "2026-01-08,Fourth,would be swallowed\n"
    )
    assert [r.title for r in preview.rows] == ["First"]
    assert preview.problems == ["row 3: a quote is never closed; the rows after it cannot be read"]


def test_a_quoted_cell_with_line_breaks_still_counts_as_one_row() -> None:
    preview = parse_csv(
        'date,title,description\n2026-01-05,First,"two\nlines"\n"2026-01-06",Second,\n'
        '2026-01-07,"Third, ""quoted""",\n'
    )
    assert [(r.row, r.title, r.description) for r in preview.rows] == [
        (2, "First", "two\nlines"),
        (3, "Second", None),
        (4, 'Third, "quoted"', None),
    ]
    assert preview.problems == []


def test_a_quote_in_the_middle_of_a_cell_is_named() -> None:
    preview = parse_csv('date,title\n2026-01-05,First\n2026-01-06,"Sec"ond\n2026-01-07,Third\n')
    assert [r.title for r in preview.rows] == ["First"]
    assert preview.problems == [
        "row 3: the row is not valid CSV (',' expected after '\"'); the rows after it were not read"
    ]


def test_an_unclosed_quote_in_the_header_refuses_the_file() -> None:
    with pytest.raises(InvalidInputError, match="a quote is never closed"):
        parse_csv('date,"title\n2026-01-05,First\n')


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_dates_outside_the_calendar_are_row_problems(day: str) -> None:
    csv_preview = parse_csv(f"date,title\n{day},Far away\n1900-01-01,First day\n")
    md_preview = parse_markdown(f"- {day}: Far away\n- 2199-12-31: Last day\n")
    assert [r.title for r in csv_preview.rows] == ["First day"]
    assert [r.title for r in md_preview.rows] == ["Last day"]
    problem = f"the date {day} is not between 1900-01-01 and 2199-12-31"
    assert csv_preview.problems == [f"row 2: {problem}"]
    assert md_preview.problems == [f"line 1: {problem}"]


def test_a_huge_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sparse 3 GB file: the size is checked first, and nothing is read whole."""
    huge = tmp_path / "wins.csv"
    with huge.open("wb") as file:
        file.truncate(3 * 1024**3)

    def never(_self: Path) -> bytes:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(InvalidInputError, match=r"^wins\.csv is larger than 5 MB\.$"):
        read_file(huge)


def test_at_most_one_byte_past_the_limit_is_read(tmp_path: Path) -> None:
    """The limit itself is read; a file that reports no size (a device, a pipe) is read only
    up to one byte past it."""
    exact = tmp_path / "wins.md"
    exact.write_bytes(b"-" * MAX_BYTES)
    assert read_file(exact).rows == []
    with exact.open("ab") as file:
        file.write(b"-")
    with pytest.raises(InvalidInputError, match="larger than 5 MB"):
        read_file(exact)
    endless = Path("/dev/zero")
    if endless.exists():
        with pytest.raises(InvalidInputError, match=r"^zero is larger than 5 MB\.$"):
            read_file(endless)


def test_csv_impact_and_feedback_columns() -> None:
    preview = parse_csv(
        "date,title,description,context,action,outcome,metric,unit,kind,from,role\n"
        f"2026-01-05,Cut latency,,Slow checkout,{TEXT},Faster,90,ms,,,\n"
        "2026-01-06,Review,“Clear and kind”,,,,,,feedback,Noor,Staff engineer\n"
        "2026-01-07,No unit,,,,,90,,,,\n"
        '2026-01-08,Comma,,,,,"4,5",ms,,,\n'
        "2026-01-09,Who,Great,,,,,,feedback,,\n"
        "2026-01-10,Odd,,,,,,,praise,,\n"
    )
    [work, feedback] = preview.rows
    assert work.impact == Impact("Slow checkout", TEXT, "Faster", 90.0, "ms")
    assert work.feedback is None
    assert feedback.feedback == Feedback("Noor", "Staff engineer")
    assert feedback.description == "“Clear and kind”"
    assert preview.problems == [
        "row 4: a metric needs both its value and its unit (90 and ms)",
        "row 5: the metric '4,5' is not a number (write decimals with a point: 4.5)",
        "row 6: feedback received needs who gave it (the 'from' column)",
        "row 7: the kind 'praise' is not work or feedback",
    ]
