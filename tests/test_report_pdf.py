"""The report's PDF layout: what it prints, in which order, and that nothing breaks it.

The content is built by hand here (the real one is tested in
`test_report_content.py`), rendered, and read back with pypdf as a reader would.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
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
)
from app.report.model import (
    AUDIENCE_SECTIONS,
    SECTION_TITLES,
    CalibrationLine,
    Charts,
    Cover,
    CriterionBlock,
    CriterionLine,
    CriterionSkill,
    Decision,
    DimensionComment,
    EvidenceCite,
    EvidenceEntry,
    GateLine,
    GoalRow,
    KpiRow,
    LearningRow,
    ManagerAssessment,
    MilestoneRow,
    Note,
    Plan,
    Quote,
    Readout,
    Recommendation,
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
                RadarSeries(name="Ada's ratings", values=[2, 1, 0]),
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


DESCRIPTION = "Profiled the service and fixed two hot loops."
QUOTE = "Ada's review caught the leak before launch."
RATIONALE = "Owns the ranking pipeline end to end and leads its on-call."


def _cite(number: int, title: str, link: str | None = "https://example.org/pr/42") -> EvidenceCite:
    return EvidenceCite(
        number=number,
        date=date(2026, 5, number),
        title=title,
        impact="p99 latency down (220 → 90 ms)" if number == 2 else None,
        link=link,
        feedback=None,
    )


def _entry(number: int, title: str, **fields: Any) -> EvidenceEntry:
    values: dict[str, Any] = {
        "number": number,
        "date": date(2026, 5, number),
        "title": title,
        "description": None,
        "link": None,
        "tags": ["A Critical"],
        "context": None,
        "action": None,
        "outcome": None,
        "metric": None,
        "feedback": None,
        "quoted_under": None,
    }
    values.update(fields)
    return EvidenceEntry(**values)


def _criterion(number: int, text: str, status: str = "partly met") -> CriterionLine:
    return CriterionLine(
        number=number,
        text=text,
        step="Junior → Senior",
        status=status,
        calibrated="met",
        sustained_since=date(2026, 3, 2) if status == "met" else None,
        sustained_months=3 if status == "met" else None,
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


RECOMMENDATION = Recommendation(
    band="Ready",
    rationale=RATIONALE,
    assessor="Grace Hopper",
    role="Engineering manager",
    date=date(2026, 6, 1),
)


def _decision(readiness: Readiness, **changes: Any) -> Decision:
    fields: dict[str, Any] = {
        "recommendation": RECOMMENDATION,
        "readiness": [
            Readout(
                label="Self-assessed",
                score="72.5 / 100",
                verdict=readiness.verdict,
                band=None,
                gates=len(readiness.gates),
            ),
            Readout(
                label="Calibrated by the manager",
                score="85 / 100",
                verdict="Approaching",
                band="Ready",
                gates=1,
            ),
        ],
        "gates": [
            GateLine(
                name="A Critical",
                state="Critical skill rated 2 by Ada, expected 3",
                calibrated="calibrated at expectation by the manager",
            ),
            GateLine(name="Own a component", state="overdue by 3 months", calibrated=None),
        ],
        "steps": ["Junior → Senior"],
        "criteria": [
            _criterion(1, "Owns a production model end to end", "met"),
            _criterion(2, "Leads an incident review"),
        ],
        "not_rated": None,
    }
    fields.update(changes)
    return Decision(**fields)


def _content(**changes: Any) -> ReportContent:
    """A full packet; `changes` replace its fields."""
    readiness = _readiness()
    decision = _decision(readiness)
    fields: dict[str, Any] = {
        "options": ReportOptions(include_private=True, audience="packet"),
        "sections": AUDIENCE_SECTIONS["packet"],
        "author": NAME,
        "cover": Cover(
            title="Promotion packet",
            name=NAME,
            short_name="Ada",
            manager="Grace Hopper",
            level="Junior",
            target="Senior",
            framework="Two dimensions",
            framework_version="1.0",
            start=date(2026, 1, 1),
            end=TODAY,
            exported=TODAY,
            data_as_of="Data as of Ada Łovelace's export of 2026-06-14",
            includes_private=True,
        ),
        "decision": decision,
        "summary": Summary(
            readiness=readiness, projection="At this pace, Ready around 2027-01-04."
        ),
        "manager": ManagerAssessment(
            recommendation=RECOMMENDATION,
            comments=[DimensionComment(dimension=DIMENSIONS[0], text=f"Solid. {LITERAL}")],
            calibrations=[
                CalibrationLine(
                    skill="A Critical",
                    dimension=DIMENSIONS[0],
                    self_rating="2",
                    manager_rating=3,
                    difference=1,
                )
            ],
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
                value="120.5\xa0modules/quarter",
                date=date(2026, 6, 1),
                target="at most 100",
                met=False,
                met_text="Not met",
            )
        ],
        "criteria": [
            CriterionBlock(
                line=line,
                level="Senior",
                skills=[
                    CriterionSkill(name="A Critical", self_rating="2", manager="3", expected=3)
                ],
                evidence=[_cite(2, "Cut p99 latency"), _cite(3, "Shipped", "javascript:alert(1)")],
                also=[4, 5],
                quotes=(
                    [Quote(number=1, text=QUOTE, giver="Noor, Staff engineer", date=TODAY)]
                    if line.number == 1
                    else []
                ),
                quoted_above=[1] if line.number == 2 else [],
            )
            for line in decision.criteria
        ],
        "reflections": [
            Reflection(
                date=date(2026, 6, 1),
                notes=[Note(label="Wins", text=f"Tried {LITERAL} in a note.\nSecond line.")],
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
        "evidence": [
            _entry(1, "Review feedback", feedback="Noor, Staff engineer", quoted_under=1),
            _entry(
                2,
                "Cut p99 latency",
                description=DESCRIPTION,
                context="Checkout was slow",
                action="Profiled the service",
                outcome="p99 latency down",
                metric="90 ms",
                link="https://example.org/pr/42",
            ),
            _entry(3, "Shipped", link="javascript:alert(1)"),
            _entry(4, "Fourth"),
            _entry(5, "Fifth"),
        ],
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


def _page_of(reader: PdfReader, title: str) -> int:
    """The page number (from 1) of the outline entry `title`."""

    def walk(entries: list[Any]) -> Iterator[Any]:
        for entry in entries:
            yield from walk(entry) if isinstance(entry, list) else [entry]

    entry = next(e for e in walk(reader.outline) if e.title == title)
    return reader.get_destination_page_number(entry) + 1


def test_page_one_makes_the_case(full: PdfReader) -> None:
    cover = _words(full.pages[0].extract_text())
    for expected in (
        "Promotion packet",
        NAME,
        "Junior → Senior · Two dimensions 1.0 · 2026-01-01 to 2026-06-15",
        "Data as of Ada Łovelace's export of 2026-06-14 · Manager: Grace Hopper",
        "Recommended: Ready",
        "by Grace Hopper, Engineering manager, on 2026-06-01",
        RATIONALE,
        "Self-assessed 72.5 / 100 Approaching",
        "Calibrated by the manager 85 / 100 Approaching The score reaches Ready; 1 gate holds "
        "it back.",
        "Gates (2)",
        "A Critical Critical skill rated 2 by Ada, expected 3; calibrated at expectation by the "
        "manager",
        "Own a component overdue by 3 months",
        "Promotion criteria (2): 1 met · 1 partly met",
        "1 Owns a production model end to end ● met ● met 2026-03 (3 months)",
        "2 Leads an incident review ◐ partly met ● met",
        "Includes private notes",
    ):
        assert expected in cover, expected
    assert "Promotion criteria" in _words(full.pages[1].extract_text())  # page 2: the criteria


def test_page_one_holds_any_amount_of_anything_on_one_page() -> None:
    long = "Łong " * 400
    gates = [GateLine(name=f"Gate {i} {long}", state=long, calibrated=long) for i in range(40)]
    steps = [f"Step {i} {long}" for i in range(3)]
    criteria = [
        _criterion(i + 1, f"Criterion {i} {long}").model_copy(update={"step": steps[i % 3]})
        for i in range(30)
    ]
    criteria.sort(key=lambda c: steps.index(c.step))
    decision = _decision(
        _readiness(),
        recommendation=RECOMMENDATION.model_copy(
            update={"rationale": long * 10, "assessor": long, "role": long}
        ),
        gates=gates,
        steps=steps,
        criteria=criteria,
        not_rated=long,
    )
    cover = _content().cover.model_copy(update={"name": long, "data_as_of": long})
    reader = _read(render(_content(decision=decision, cover=cover)))
    first = _words(reader.pages[0].extract_text())
    assert "Page 1 of" in first
    assert "Promotion criteria" in _words(reader.pages[1].extract_text())
    readiness, criteria_page = _page_of(reader, "Readiness"), _page_of(reader, "Promotion criteria")
    assert f"… and 34 more gates, page {readiness}" in first
    assert f"… and 22 more criteria, page {criteria_page}" in first
    assert "Gate 5" in first
    assert "Gate 6" not in first
    assert "Step 0" in first


def test_the_summary_prints_the_verdict_and_its_arithmetic(full: PdfReader) -> None:
    text = _words(_text(full))
    for dimension in DIMENSIONS:
        assert dimension in text
    assert "no skill expected — counts fully" in text
    assert "Self-assessed: 72.5 / 100" in text
    # The arithmetic: weight, score and contribution of each dimension, then the total.
    assert "Modelling craft 50 75% 37.5 pts" in text
    assert "Delivery 30 50% 15.0 pts" in text
    assert "Readiness 100 72.5 / 100" in text
    assert "B Important Delivery 1 of 2 expected 15.0" in text  # the largest gap
    assert "At this pace, Ready around 2027-01-04." in text
    assert PROFILE_ID not in text


def test_a_held_back_verdict_says_what_the_score_reaches() -> None:
    summary = Summary(readiness=_readiness(met=True), projection="")
    text = _words(_text(_read(render(_content(summary=summary)))))
    assert "Self-assessed: 100 / 100" in text
    assert "The score reaches Ready, but the gates below cap the verdict at Approaching." in text
    assert "No skill loses readiness points." in text


def test_a_criterion_says_its_status_how_long_and_what_backs_it(full: PdfReader) -> None:
    text = _words(_text(full))
    assert (
        "1. Owns a production model end to end ● Met by Ada's ratings; ● met as calibrated by "
        "the manager. Operating at Senior level on this criterion since 2026-03, 3 months."
    ) in text
    assert "Skill Ada Manager Expected A Critical 2 ▼ 3 3" in text  # ▼: below expectation
    assert "E2 · 2026-05-02 · Cut p99 latency p99 latency down (220 → 90 ms)" in text
    assert "Also backed by E4, E5." in text
    assert f"“{QUOTE}” — Noor, Staff engineer, 2026-06-15 (E1)" in text
    assert "Feedback quoted above: E1." in text


def test_every_description_is_printed_once_in_the_evidence(full: PdfReader) -> None:
    text = _words(_text(full))
    assert text.count(DESCRIPTION) == 1
    assert text.count(QUOTE) == 1  # under its criterion; the evidence says where
    assert "E1 · 2026-05-01 · Review feedback Feedback from Noor, Staff engineer" in text
    assert "Quoted in full under criterion 1." in text
    evidence = text[text.index("E2 · 2026-05-02 · Cut p99 latency Context") :]
    assert evidence.startswith(
        "E2 · 2026-05-02 · Cut p99 latency Context — Checkout was slow What Ada did — Profiled "
        f"the service Outcome — p99 latency down Metric — 90 ms {DESCRIPTION}"
    )


def test_every_page_says_which_of_how_many_it_is(full: PdfReader) -> None:
    total = len(full.pages)
    assert total > 3
    for number, page in enumerate(full.pages, 1):
        assert f"Page {number} of {total}" in page.extract_text()
    header = f"{NAME} Exported 2026-06-15"
    assert not _words(full.pages[0].extract_text()).startswith(header)  # the cover has none
    for page in full.pages[1:]:
        assert _words(page.extract_text()).startswith(header)


def test_metadata_names_the_report_and_the_outline_nests(full: PdfReader) -> None:
    content = _content()
    meta = full.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (content.title, NAME, content.subject)
    assert meta.creator == f"Rung {__version__}"
    assert full.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    charts = ["Ratings by dimension", "Growth by dimension", "Readiness over time"]
    assert _outline(full) == [
        "Promotion packet",
        "Promotion criteria",
        ["1. Owns a production model end to end", "2. Leads an incident review"],
        "Manager's assessment",
        ["Recommendation", "Calibration", "Comments by dimension"],
        "Readiness",
        ["Gates", "Largest gaps", "Projection"],
        "Skills",
        list(DIMENSIONS[:2]),
        "Milestones",
        "KPIs",
        "Growth charts",
        [*charts, "Milestones by horizon"],
        "Reflections",
        "Growth plan",
        ["Goals", "Learning"],
        "Evidence",
    ]


def test_an_omitted_section_has_no_heading_and_no_outline_entry() -> None:
    sections = tuple(s for s in AUDIENCE_SECTIONS["packet"] if s != "skills")
    reader = _read(render(_content(sections=sections)))
    titles = [t for t in _outline(reader) if isinstance(t, str)]
    assert titles == ["Promotion packet", *(SECTION_TITLES[section] for section in sections)]
    lines = _text(reader).split("\n")
    assert "Skills" not in lines
    assert "Criticality" not in _text(reader)


def test_sections_print_in_the_order_of_the_content() -> None:
    sections = AUDIENCE_SECTIONS["self"]
    reader = _read(render(_content(sections=sections)))
    titles = [t for t in _outline(reader) if isinstance(t, str)]
    assert titles == ["Promotion packet", *(SECTION_TITLES[section] for section in sections)]
    pages = [_page_of(reader, title) for title in titles]
    assert pages == sorted(pages)


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
    assert _outline(reader) == ["Promotion packet", "Skills", ["Huge"]]


def test_markup_in_user_text_prints_literally(full: PdfReader) -> None:
    text = _words(_text(full))
    assert f"Tried {LITERAL} in a note." in text
    assert f"Solid. {LITERAL}" in text


def test_web_links_are_clickable_and_nothing_else_is(full: PdfReader) -> None:
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in full.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
        and "/URI" in annotation.get_object().get("/A", {})
    ]
    assert set(uris) == {"https://example.org/pr/42"}
    assert len(uris) == 3  # two criteria cite it, and the evidence prints it
    text = _words(_text(full))
    assert "Link: https://example.org/pr/42" in text
    assert "Link: javascript:alert(1)" in text  # printed, never a link


def test_a_unit_is_never_broken_from_its_value(full: PdfReader) -> None:
    assert any("120.5 modules/quarter" in line for line in _text(full).split("\n"))


def test_an_unassessed_profile_with_nothing_yet_reads_sensibly() -> None:
    readiness = _readiness(assessed=False)
    decision = Decision(
        recommendation=None,
        readiness=[
            Readout(label="Self-assessed", score=None, verdict="Not assessable", band=None, gates=0)
        ],
        gates=[],
        steps=[],
        criteria=[],
        not_rated=None,
    )
    cover = _content().cover.model_copy(update={"manager": None, "includes_private": False})
    content = _content(
        cover=cover,
        decision=decision,
        summary=Summary(readiness=readiness, projection=""),
        sections=("summary",),
    )
    reader = _read(render(content))
    text = _words(_text(reader))
    assert "Self-assessed Not assessable yet Not assessable" in text
    assert "Verdict: Not assessable Readiness: not assessable yet" in text
    for absent in ("Gates", "Largest gaps", "Includes private notes", "Manager", "Recommended"):
        assert absent not in text
    assert _outline(reader) == ["Promotion packet", "Readiness"]
