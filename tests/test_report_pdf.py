"""The report's PDF layout: what it prints, in which order, and that nothing breaks it.

The content is built by hand here (the real one is tested in
`test_report_content.py`), rendered, and read back with pypdf as a reader would.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from app import __version__
from app.charts import (
    BarChart,
    BarSeries,
    RadarChart,
    RadarSeries,
    SmallMultiples,
    TimeChart,
    TimePoint,
    TimeSeries,
)
from app.framework.model import Framework
from app.readiness import (
    MilestoneState,
    Projection,
    Readiness,
    SkillState,
    compute,
    readiness_text,
)
from app.report.model import (
    AUDIENCE_SECTIONS,
    SECTION_TITLES,
    Charts,
    Cover,
    CriterionRow,
    EvidenceGroup,
    EvidenceItem,
    GoalRow,
    KpiRow,
    LearningRow,
    MilestoneRow,
    Note,
    Plan,
    Reflection,
    ReportContent,
    ReportOptions,
    SkillGroup,
    SkillRow,
    Summary,
)
from app.report.pdf import render
from tests.helpers import two_dims_data, two_dims_skill

TODAY = date(2026, 6, 15)
PROFILE_ID = "profile-5f1e2d"  # in the content's readiness, never on a page
NAME = "Ada Łovelace"
DIMENSIONS = ("Modelling craft", "Delivery", "Collaboration")
LONG_SKILL = " ".join(f"word{i}" for i in range(30))  # far wider than its column
LITERAL = "<b>not bold</b> & <font size=99>"


def _framework() -> Framework:
    """The brief's worked-example ladder, plus a dimension with no skill at the target."""
    data = two_dims_data(
        [
            two_dims_skill("a-critical", "a", "critical", 2, 3),
            two_dims_skill("a-optional", "a", "optional", 1, 2),
            two_dims_skill("b-important", "b", "important", 1, 2),
            two_dims_skill("c-later", "c", "optional", 0, 0),
        ]
    )
    data["dimensions"] = [
        {"id": "a", "name": DIMENSIONS[0], "weight": 50, "source": "test"},
        {"id": "b", "name": DIMENSIONS[1], "weight": 30, "source": "test"},
        {"id": "c", "name": DIMENSIONS[2], "weight": 20, "source": "test"},
    ]
    return Framework.model_validate(data)


def _readiness(*, assessed: bool = True, met: bool = False) -> Readiness:
    """72.5, Approaching; or, when every skill is `met`, 100 held back by an overdue milestone."""
    readiness = compute(
        _framework(),
        profile_id=PROFILE_ID,
        level="junior",
        target="senior",
        role_start=date(2025, 11, 20),
        as_of=TODAY,
        ratings={
            "a-critical": SkillState(3 if met else 2),
            "a-optional": SkillState(2),
            "b-important": SkillState(2 if met else 1),
        },
        milestones={"m90": MilestoneState("in-progress")},
        assessed=assessed,
    )
    projection = Projection(status="projected", date=date(2027, 1, 4), threshold=85)
    return readiness.model_copy(update={"projection": projection})


def _charts() -> Charts:
    days = [date(2026, 1, 5), date(2026, 3, 2), date(2026, 6, 1)]
    return Charts(
        radar=RadarChart(
            title="Ratings by dimension",
            axes=list(DIMENSIONS),
            max_value=4,
            series=[
                RadarSeries(name="Your ratings", values=[2, 1, 0]),
                RadarSeries(name="Expected: Senior", values=[2.5, 2, 0], style="dashed"),
            ],
        ),
        growth=SmallMultiples(
            title="Growth by dimension",
            y_label="Mean rating",
            y_min=0,
            y_max=4,
            x_min=days[0],
            x_max=days[-1],
            panels=[
                TimeChart(
                    title=name,
                    y_label="Mean rating",
                    y_min=0,
                    y_max=4,
                    series=[
                        TimeSeries(
                            name="Mean rating",
                            points=[TimePoint(x=d, y=i + n) for n, d in enumerate(days)],
                        )
                    ],
                )
                for i, name in enumerate(DIMENSIONS)
            ],
        ),
        readiness=TimeChart(
            title="Readiness over time",
            y_label="Readiness (0–100)",
            y_min=0,
            y_max=100,
            series=[
                TimeSeries(
                    name="Readiness",
                    points=[TimePoint(x=d, y=y) for d, y in zip(days, (40, 55, 65), strict=True)],
                )
            ],
        ),
        milestones=BarChart(
            title="Milestones by horizon",
            y_label="Milestones",
            categories=["30 days", "90 days"],
            stacks=[BarSeries(name="Done", values=[1, 0]), BarSeries(name="Open", values=[0, 1])],
        ),
    )


def _item(title: str, description: str | None = None) -> EvidenceItem:
    return EvidenceItem(
        date=date(2026, 5, 2),
        title=title,
        description=description,
        link="https://example.org/pr/42",
        tags=["A Critical", "Ship the pipeline"],
    )


def _skill(name: str, end: str, expected: int, *, critical: bool = False) -> SkillRow:
    start = "1"
    delta = int(end) - 1 if end.isdigit() else None
    return SkillRow(
        name=name,
        criticality="Critical" if critical else "Important",
        critical=critical,
        start=start,
        end=end,
        expected=expected,
        delta=delta,
        evidence=2,
    )


def _content(**changes: Any) -> ReportContent:
    """A full self report; `changes` replace its fields."""
    readiness = _readiness()
    fields: dict[str, Any] = {
        "options": ReportOptions(include_private=True),
        "sections": AUDIENCE_SECTIONS["self"],
        "author": NAME,
        "cover": Cover(
            title="Promotion-readiness report",
            name=NAME,
            manager="Grace Hopper",
            level="Junior",
            target="Senior",
            framework="Two dimensions",
            framework_version="1.0",
            start=date(2026, 1, 1),
            end=TODAY,
            exported=TODAY,
            verdict=readiness.verdict,
            readiness=readiness_text(readiness),
            includes_private=True,
        ),
        "summary": Summary(
            readiness=readiness, projection="At this pace, Ready around 2027-01-04."
        ),
        "charts": _charts(),
        "skills": [
            SkillGroup(
                dimension=DIMENSIONS[0],
                rows=[
                    _skill("A Critical", "2", 3, critical=True),
                    _skill(LONG_SKILL, "2", 2),
                ],
            ),
            SkillGroup(dimension=DIMENSIONS[1], rows=[_skill("B Important", "—", 2)]),
        ],
        "milestones": [
            MilestoneRow(
                horizon="90 days",
                title="Ship the pipeline",
                due=date(2026, 2, 18),
                status="In progress",
                since=date(2026, 1, 5),
                overdue=True,
            )
        ],
        "kpis": [
            KpiRow(
                name="Model latency",
                unit="ms",
                value=120.5,
                date=date(2026, 6, 1),
                target="at most 100 ms",
                met=False,
                met_text="Not met",
            )
        ],
        "criteria": [
            CriterionRow(
                text="Owns a production model end to end",
                skills=["A Critical"],
                evidence=[_item("Shipped the ranking model")],
                more=2,
            )
        ],
        "reflections": [
            Reflection(
                date=date(2026, 6, 1),
                notes=[Note(label="Wins", text=f"Tried {LITERAL} in a note.\nSecond line.")],
            )
        ],
        "evidence": [
            EvidenceGroup(
                dimension=DIMENSIONS[0],
                items=[_item("Cut p99 latency", "Profiled the service and fixed two hot loops.")],
                more=3,
            )
        ],
        "plan": Plan(
            goals=[
                GoalRow(
                    title="Run an incident review",
                    skills=["B Important"],
                    due=date(2026, 8, 1),
                    status="Active",
                    notes="Booked for July.",
                )
            ],
            learning=[
                LearningRow(
                    title="Causal inference course", quarter="2026-Q3", done=False, notes=None
                )
            ],
        ),
    }
    fields.update(changes)
    return ReportContent(**fields)


def _read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    """The text with every run of whitespace as one space, as a reader would search it."""
    return " ".join(text.split())


def _outline(reader: PdfReader) -> list[Any]:
    """The outline as titles, with a list of children after an entry that has them."""

    def walk(entries: list[Any]) -> list[Any]:
        return [walk(entry) if isinstance(entry, list) else entry.title for entry in entries]

    return walk(reader.outline)


@pytest.fixture(scope="module")
def full() -> PdfReader:
    return _read(render(_content()))


def test_the_cover_and_summary_print_the_verdict_and_its_arithmetic(full: PdfReader) -> None:
    text = _words(_text(full))
    cover = _words(full.pages[0].extract_text())
    for expected in (
        "Promotion-readiness report",
        NAME,
        "Junior → Senior",
        "Two dimensions 1.0",
        "2026-01-01 to 2026-06-15",
        "Grace Hopper",
        "Verdict: Approaching",
        "Readiness: 72.5 / 100 — Approaching",
        "Includes private notes",
    ):
        assert expected in cover
    for dimension in DIMENSIONS:
        assert dimension in text
    assert "no skill expected — counts fully" in text
    assert "Readiness 72.5 / 100" in text
    # The arithmetic: weight, score and contribution of each dimension, then the total.
    assert "Modelling craft 50 75% 37.5 pts" in text
    assert "Delivery 30 50% 15.0 pts" in text
    assert "Readiness 100 72.5 / 100" in text
    assert "Own a component" in text  # the overdue milestone's gate
    assert "B Important Delivery 1 of 2 expected 15.0" in text  # the largest gap
    assert "At this pace, Ready around 2027-01-04." in text
    assert PROFILE_ID not in text


def test_a_held_back_verdict_says_what_the_score_reaches() -> None:
    summary = Summary(readiness=_readiness(met=True), projection="")
    text = _words(_text(_read(render(_content(summary=summary)))))
    assert "Readiness 100 / 100" in text
    assert "The score reaches Ready, but the gates below cap the verdict at Approaching." in text
    assert "Own a component due 2026-02-18, in progress" in text
    assert "No skill loses readiness points." in text


def test_every_page_says_which_of_how_many_it_is(full: PdfReader) -> None:
    total = len(full.pages)
    assert total > 3
    for number, page in enumerate(full.pages, 1):
        assert f"Page {number} of {total}" in page.extract_text()
    header = f"{NAME} Exported 2026-06-15"
    assert not _words(full.pages[0].extract_text()).startswith(header)  # the cover has none
    for page in full.pages[1:]:
        assert _words(page.extract_text()).startswith(header)


def test_metadata_names_the_report_and_outline_opens_with_the_sections(full: PdfReader) -> None:
    content = _content()
    meta = full.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        content.title,
        NAME,
        content.subject,
    )
    assert meta.creator == f"Rung {__version__}"
    assert full.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    titles = [SECTION_TITLES[section] for section in content.sections]
    skills = titles.index("Skills")
    expected: list[Any] = [*titles[: skills + 1], list(DIMENSIONS[:2]), *titles[skills + 1 :]]
    assert _outline(full) == expected


def test_an_omitted_section_has_no_heading_and_no_outline_entry() -> None:
    sections = tuple(s for s in AUDIENCE_SECTIONS["packet"] if s != "skills")
    reader = _read(render(_content(sections=sections)))
    assert _outline(reader) == [SECTION_TITLES[section] for section in sections]
    lines = _text(reader).split("\n")
    assert "Skills" not in lines
    assert "Criticality" not in _text(reader)


def test_sections_print_in_the_order_of_the_content() -> None:
    sections = AUDIENCE_SECTIONS["packet"]
    text = _text(_read(render(_content(sections=sections))))
    lines = text.split("\n")
    positions = [lines.index(SECTION_TITLES[section]) for section in sections]
    assert positions == sorted(positions)


def test_a_100_000_character_note_prints_whole_across_pages(full: PdfReader) -> None:
    words = [f"w{i}" for i in range(20_000)]
    words[0], words[-1] = "Firstword", "Lastword"
    long_text = " ".join(words)[:100_000]
    assert len(long_text) == 100_000
    reflection = Reflection(date=TODAY, notes=[Note(label="Focus", text=long_text)])
    reader = _read(render(_content(reflections=[reflection])))
    text = _words(_text(reader))
    assert len(reader.pages) > len(full.pages) + 10
    assert "Firstword" in text
    assert long_text.rsplit(" ", 1)[-1] in text
    # Every word is there, in order: nothing is cut at a page break.
    printed = re.findall(r"\bw\d+\b", text)
    assert printed == re.findall(r"\bw\d+\b", long_text)


def test_a_long_skill_name_wraps_in_its_cell(full: PdfReader) -> None:
    lines = _text(full).split("\n")
    wrapped = [line for line in lines if "word0" in line or "word29" in line]
    assert len(wrapped) == 2  # first and last words on different lines
    assert _words(_text(full)).count(LONG_SKILL) == 1


def test_a_dimension_longer_than_a_page_repeats_the_header_and_its_name() -> None:
    rows = [_skill(f"Skill {i}", "3", 2) for i in range(120)]
    content = _content(skills=[SkillGroup(dimension="Huge", rows=rows)], sections=("skills",))
    reader = _read(render(content))
    pages = [_words(page.extract_text()) for page in reader.pages[1:]]
    assert len(pages) >= 3
    for page in pages:
        assert "Skill Criticality Start End Expected Change Evidence Huge" in page
    assert "Skill 119" in pages[-1]
    assert _outline(reader) == ["Skills", ["Huge"]]


def test_markup_in_user_text_prints_literally(full: PdfReader) -> None:
    assert f"Tried {LITERAL} in a note." in _words(_text(full))


def test_links_print_as_text_and_are_never_clickable(full: PdfReader) -> None:
    assert "Link: https://example.org/pr/42" in _words(_text(full))
    assert not any("/Annots" in page for page in full.pages)


def test_more_entries_are_counted() -> None:
    text = _words(_text(_read(render(_content()))))
    assert "… and 2 more entries in this period." in text
    assert "… and 3 more entries in this period." in text


def test_empty_lists_and_an_unassessed_profile_read_sensibly() -> None:
    content = _content(
        cover=_content().cover.model_copy(
            update={
                "verdict": "Not assessable",
                "readiness": "not assessable yet: finalise a check-in to see it",
                "manager": None,
                "includes_private": False,
            }
        ),
        summary=Summary(readiness=_readiness(assessed=False), projection=""),
        skills=[],
        milestones=[],
        kpis=[],
        criteria=[],
        reflections=[],
        reflections_withheld=True,
        evidence=[],
        plan=Plan(goals=[], learning=[]),
    )
    reader = _read(render(content))
    text = _words(_text(reader))
    assert "Not assessable" in text
    assert "Verdict: Not assessable Readiness: not assessable yet" in text
    assert "Gates" not in text  # no verdict to hold back,
    assert "Largest gaps" not in text  # no score to lose points from
    assert "Includes private notes" not in text
    assert "Manager" not in text
    for expected in (
        "No skills to show.",
        "No milestones.",
        "No KPIs.",
        "No promotion criteria.",
        "Private reflections and notes were left out of this report.",
        "No evidence to show.",
        "No goals or learning items.",
    ):
        assert expected in text
    assert _outline(reader) == [SECTION_TITLES[s] for s in content.sections]
