"""The manager's assessment in the report: only in the packet of a shared, annotated profile.

The annotations belong to the manager who imported the profile; the packet they
export prints them beside the owner's own ratings, attributed, and no other
report (nor the packet of an own or unannotated profile) says a word of them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.report.model import (
    SECTION_TITLES,
    CalibrationLine,
    DimensionComment,
    Recommendation,
    ReportOptions,
)
from app.report.service import ReportService
from app.services import Services
from tests.helpers import MANAGER_NAME, MANAGER_ROLE, private_profile, sign_as_manager
from tests.test_manager import share
from tests.test_report import every_object, outline_titles, pdf, text_of

TODAY = date(2026, 6, 15)
COMMENT = "<b>Strong</b> & steady on call"
RATIONALE = "Needs one more launch MANAGERrationale."


def annotate(services: Services, profile_id: str) -> None:
    """Two calibrations (the owner rated all three skills 2), two comments, a recommendation."""
    manager = services.manager
    manager.set_calibration(profile_id, "a-optional", 3, on=TODAY)
    manager.set_calibration(profile_id, "b-important", 0, on=TODAY)
    manager.set_comment(profile_id, "b", "Quiet in reviews.", on=TODAY)
    manager.set_comment(profile_id, "a", COMMENT, on=TODAY)
    manager.set_recommendation(profile_id, "approaching", RATIONALE, on=TODAY)


@pytest.fixture
def shared_id(services: Services, tmp_path: Path) -> str:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    sign_as_manager(services)
    return profile_id


def test_the_packet_of_an_annotated_shared_profile_has_the_assessment_after_the_criteria(
    services: Services, shared_id: str
) -> None:
    annotate(services, shared_id)
    content = ReportService(services).content(
        shared_id, ReportOptions(audience="packet"), today=TODAY
    )
    assert content.sections[:3] == ("criteria", "manager", "summary")
    manager = content.manager
    assert manager is not None
    assert manager.recommendation == Recommendation(
        band="Approaching", rationale=RATIONALE, assessor=MANAGER_NAME, role=MANAGER_ROLE,
        date=TODAY,
    )  # fmt: skip
    assert content.decision.recommendation == manager.recommendation
    assert manager.comments == [  # in the framework's order, by name
        DimensionComment(dimension="A", text=COMMENT),
        DimensionComment(dimension="B", text="Quiet in reviews."),
    ]
    assert manager.calibrations == [  # only the skills the manager rated, largest gap first
        CalibrationLine(
            skill="B Important", dimension="B", self_rating="2", manager_rating=0, difference=-2
        ),
        CalibrationLine(
            skill="A Optional", dimension="A", self_rating="2", manager_rating=3, difference=1
        ),
    ]


def test_the_packet_prints_both_assessments_attributed(services: Services, shared_id: str) -> None:
    annotate(services, shared_id)
    data = pdf(services, shared_id, audience="packet")
    titles = outline_titles(data)
    assert titles.index(SECTION_TITLES["manager"]) == titles.index(SECTION_TITLES["criteria"]) + 1
    text = text_of(data)
    assert (
        f"By {MANAGER_NAME}, {MANAGER_ROLE} on 2026-06-15. The ratings elsewhere are Zoë's own"
        in text
    )
    assert "Recommended verdict: Approaching" in text
    assert RATIONALE in text
    assert COMMENT in text  # exactly as typed: the markup-like text is not markup
    assert "B Important B 2 0 −2" in text  # the manager's ratings beside the owner's
    assert "A Optional A 2 3 +1" in text
    assert "A Critical CRITICAL Critical — 2 ▼ 3" in text  # the owner's own ratings too


def test_no_other_report_says_a_word_of_the_assessment(services: Services, shared_id: str) -> None:
    annotate(services, shared_id)
    for audience in ("self", "1:1"):
        content = ReportService(services).content(
            shared_id, ReportOptions(audience=audience), today=TODAY
        )
        assert "manager" not in content.sections
        assert content.manager is None
        data = pdf(services, shared_id, audience=audience, include_private=True)
        assert SECTION_TITLES["manager"] not in outline_titles(data)
        assert "MANAGERrationale" not in every_object(data)


def test_an_unannotated_shared_profile_or_your_own_has_no_manager_section(
    services: Services, shared_id: str
) -> None:
    own = services.profiles.create(
        name="Ada", framework="two-dims", level="junior", target="senior", started=TODAY
    )
    for profile_id in (shared_id, own.id):
        content = ReportService(services).content(
            profile_id, ReportOptions(audience="packet"), today=TODAY
        )
        assert "manager" not in content.sections
        assert content.manager is None
        assert SECTION_TITLES["manager"] not in outline_titles(
            pdf(services, profile_id, audience="packet")
        )
