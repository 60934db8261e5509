"""What a report contains: its period, its audience's sections, and its privacy.

The PDF is tested in `test_report.py`; these tests check the content it is laid
out from, so a failure here names the decision that went wrong.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.errors import InvalidInputError
from app.framework.model import Kpi
from app.kpis import evaluate
from app.report.model import AUDIENCE_SECTIONS, ReportOptions
from app.report.service import ReportService
from app.services import Services
from tests.helpers import CANARIES, REPORT_KPIS, SHARED_EVIDENCE, private_profile

TODAY = date(2026, 6, 15)


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    return private_profile(services, tmp_path)


def content_text(services: Services, profile_id: str, **options: object) -> str:
    content = ReportService(services).content(profile_id, ReportOptions(**options), today=TODAY)
    return content.model_dump_json()


def test_no_private_text_is_gathered_unless_included(services: Services, profile_id: str) -> None:
    shared = content_text(services, profile_id)
    assert SHARED_EVIDENCE in shared
    assert [kind for kind, canary in CANARIES.items() if canary in shared] == []


def test_included_private_text_is_all_there_but_amendments(
    services: Services, profile_id: str
) -> None:
    everything = content_text(services, profile_id, include_private=True)
    missing = [kind for kind, canary in CANARIES.items() if canary not in everything]
    # The amendment log is not printed at all; the amended note itself is the current one.
    assert missing == ["rating note"]


def test_counts_count_only_included_evidence(services: Services, profile_id: str) -> None:
    def counts(include_private: bool) -> tuple[int, int]:
        content = ReportService(services).content(
            profile_id, ReportOptions(include_private=include_private), today=TODAY
        )
        row = next(r for g in content.skills for r in g.rows if r.name == "A Critical")
        criterion = content.criteria[0]
        return row.evidence, len(criterion.evidence) + len(criterion.also)

    assert counts(False) == (1, 1)
    assert counts(True) == (2, 2)


@pytest.mark.parametrize("audience", ["self", "1:1", "packet"])
def test_each_audience_gathers_its_sections_only(
    services: Services, profile_id: str, audience: str
) -> None:
    content = ReportService(services).content(
        profile_id, ReportOptions(audience=audience, include_private=True), today=TODAY
    )
    # Your own profile: no manager's assessment (see tests/test_report_manager.py).
    expected = tuple(s for s in AUDIENCE_SECTIONS[audience] if s != "manager")  # type: ignore[index]
    assert content.sections == expected
    present = {
        "charts": content.charts is not None,
        "skills": bool(content.skills),
        "milestones": bool(content.milestones),
        "kpis": bool(content.kpis),
        "criteria": bool(content.criteria),
        "highlights": bool(content.highlights),
        "reflections": bool(content.reflections),
        "evidence": bool(content.evidence),
        "plan": content.plan is not None,
    }
    assert {name for name, there in present.items() if there} == set(content.sections) - {"summary"}


def test_the_period_limits_what_is_shown(services: Services, profile_id: str) -> None:
    options = ReportOptions(start=date(2026, 4, 1), include_private=True)
    content = ReportService(services).content(profile_id, options, today=TODAY)
    assert (content.cover.start, content.cover.end) == (date(2026, 4, 1), TODAY)
    assert [r.date for r in content.reflections] == []  # the March notes are before it
    assert content.evidence == []  # both entries are from February
    rows = {r.name: r for g in content.skills for r in g.rows}
    assert (rows["B Important"].start, rows["B Important"].end, rows["B Important"].delta) == (
        "1",
        "2",
        1,
    )
    assert rows["A Critical"].start == rows["A Critical"].end == "2"


def test_the_default_period_runs_from_the_role_start_to_today(
    services: Services, profile_id: str
) -> None:
    content = ReportService(services).content(profile_id, ReportOptions(), today=TODAY)
    assert (content.cover.start, content.cover.end) == (date(2026, 1, 5), TODAY)
    # The worked example's second check-in: 85 points, held back by the Critical skill.
    [own] = content.decision.readiness
    assert (own.score, own.verdict, own.band, own.gates) == ("85 / 100", "Approaching", "Ready", 1)


def test_readiness_is_read_as_of_the_periods_end(services: Services, profile_id: str) -> None:
    content = ReportService(services).content(
        profile_id, ReportOptions(end=date(2026, 3, 31)), today=TODAY
    )
    summary = content.summary
    assert summary is not None
    assert summary.readiness.readiness == 65  # before B's skill rose to 2 in May
    assert content.decision.readiness[0].verdict == "Not yet"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"start": date(2026, 5, 1), "end": date(2026, 4, 1)}, "start (2026-05-01) is after"),
        ({"end": date(2026, 7, 1)}, "end (2026-07-01) is after today"),
    ],
)
def test_an_impossible_period_is_refused(
    services: Services, profile_id: str, options: dict[str, date], fragment: str
) -> None:
    with pytest.raises(InvalidInputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        ReportService(services).content(profile_id, ReportOptions(**options), today=TODAY)


def test_kpis_are_judged_against_their_targets() -> None:
    kpi = Kpi.model_validate(REPORT_KPIS[0])
    assert evaluate(kpi, []) == (None, "No value yet")
    assert evaluate(kpi, [(date(2026, 1, 1), 3.0)]) == (True, "Met")
    assert evaluate(kpi, [(date(2026, 1, 1), 1.5)]) == (False, "Not met")
    trend = kpi.model_copy(
        update={
            "targets": [
                Kpi.model_validate(
                    {**REPORT_KPIS[0], "targets": [{"kind": "trend", "direction": "down"}]}
                ).targets[0]
            ]
        }
    )
    falling = [(date(2026, 1, 1), 5.0), (date(2026, 2, 1), 4.0), (date(2026, 3, 1), 2.0)]
    assert evaluate(trend, falling)[0] is True
    assert evaluate(trend, falling[:1])[0] is False  # one value is no trend
    qualitative = Kpi.model_validate(
        {**REPORT_KPIS[0], "targets": [{"kind": "qualitative", "text": "Peers agree"}]}
    )
    assert evaluate(qualitative, [(date(2026, 1, 1), 1.0)]) == (None, "Judged by the reader")


def test_notes_are_labelled_with_what_they_are_about(services: Services, profile_id: str) -> None:
    content = ReportService(services).content(
        profile_id, ReportOptions(include_private=True), today=TODAY
    )
    labels = [note.label for entry in content.reflections for note in entry.notes]
    assert labels == [
        "Wins",
        "Blockers",
        "Focus",
        "Rating note: A Critical",
        "Milestone note: Ship a first fix",
        "KPI note: Merged PRs",
    ]


def test_kpi_rows_show_the_last_value_by_the_periods_end(
    services: Services, profile_id: str
) -> None:
    [row] = ReportService(services).content(profile_id, ReportOptions(), today=TODAY).kpis
    assert (row.name, row.value, row.date, row.met, row.met_text) == (
        "Merged PRs",
        "3\xa0PRs/week",  # never broken between the number and its unit
        date(2026, 3, 1),
        True,
        "Met",
    )
    [before] = (
        ReportService(services)
        .content(profile_id, ReportOptions(end=date(2026, 2, 1)), today=TODAY)
        .kpis
    )
    assert (before.value, before.met_text) == ("", "No value yet")
