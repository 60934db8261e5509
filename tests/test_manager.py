"""The manager's annotations of a shared profile: calibration, comments, recommendation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from app.errors import InvalidInputError
from app.services import Services
from app.store.models import Profile
from tests.helpers import private_profile, sign_as_manager

TODAY = date(2026, 6, 15)


def share(services: Services, profile_id: str) -> None:
    """Mark a profile as imported from its owner's bundle (as the importer does)."""
    with services.store.session() as session:
        session.execute(update(Profile).where(Profile.id == profile_id).values(origin="shared"))


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    sign_as_manager(services)
    return profile_id


def test_annotations_are_kept_apart_and_can_be_changed_and_removed(
    services: Services, profile_id: str
) -> None:
    manager = services.manager
    assert manager.assessment(profile_id).empty
    manager.set_calibration(profile_id, "a-critical", 3)
    manager.set_calibration(profile_id, "a-critical", 4)
    manager.set_calibration(profile_id, "b-important", 1)
    manager.set_comment(profile_id, "a", "<b>Strong</b> & 李雷 🚀")
    manager.set_recommendation(profile_id, "approaching", "Needs one more launch.")
    assessment = manager.assessment(profile_id)
    assert assessment.calibrations == {"a-critical": 4, "b-important": 1}
    assert assessment.comments == {"a": "<b>Strong</b> & 李雷 🚀"}
    assert (assessment.band, assessment.rationale) == ("approaching", "Needs one more launch.")
    manager.set_calibration(profile_id, "b-important", None)
    manager.set_comment(profile_id, "a", "")
    manager.set_recommendation(profile_id, None, None)
    assert manager.assessment(profile_id).calibrations == {"a-critical": 4}
    assert manager.assessment(profile_id).comments == {}
    assert manager.assessment(profile_id).band is None


def test_the_calibration_view_puts_the_largest_disagreements_first(
    services: Services, profile_id: str
) -> None:
    # Self-ratings at TODAY: a-critical 2, a-optional 2, b-important 2.
    services.manager.set_calibration(profile_id, "a-optional", 3, on=TODAY)
    services.manager.set_calibration(profile_id, "b-important", 0, on=TODAY)
    rows = services.manager.calibration(profile_id, TODAY)
    assert [(r.skill_id, r.self_rating, r.manager_rating, r.difference) for r in rows] == [
        ("b-important", 2, 0, -2),
        ("a-optional", 2, 3, 1),
        ("a-critical", 2, None, None),
    ]
    assert [r.expected for r in rows] == [2, 2, 3]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda m, p: m.set_calibration(p, "nope", 2), "no skill 'nope'"),
        (lambda m, p: m.set_calibration(p, "a-critical", 9), "not on the rating scale"),
        (lambda m, p: m.set_comment(p, "z", "text"), "no dimension 'z'"),
        (lambda m, p: m.set_recommendation(p, "great", None), "not a verdict band"),
        (lambda m, p: m.set_recommendation(p, None, "why"), "Choose a verdict"),
    ],
)
def test_bad_annotations_are_refused(
    services: Services, profile_id: str, call: object, fragment: str
) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        call(services.manager, profile_id)  # type: ignore[operator]
    assert services.manager.assessment(profile_id).empty


def test_your_own_profile_cannot_be_annotated(services: Services, tmp_path: Path) -> None:
    own = private_profile(services, tmp_path, name="Me")
    with pytest.raises(InvalidInputError, match="Only a profile shared with you"):
        services.manager.set_calibration(own, "a-critical", 3)
    assert services.manager.assessment(own).empty


def test_an_assessment_is_kept_per_date_and_signed_by_its_assessor(
    services: Services, profile_id: str
) -> None:
    manager = services.manager
    first, later = date(2026, 5, 1), date(2026, 6, 1)
    manager.set_calibration(profile_id, "a-critical", 2, on=first)
    manager.set_recommendation(profile_id, "not-yet", "Early days.", on=first)
    manager.set_calibration(profile_id, "a-critical", 3, on=first)  # the same day: that one
    services.identity.set(role="Director of engineering")  # promoted since
    manager.set_calibration(profile_id, "b-important", 2, on=later)  # a new day carries on
    assessments = manager.assessments(profile_id)
    assert [(a.date, a.calibrations) for a in assessments] == [
        (first, {"a-critical": 3}),
        (later, {"a-critical": 3, "b-important": 2}),
    ]
    assert assessments[1].band == "not-yet"
    assert assessments[0].assessor is not None
    assert assessments[0].assessor.line() == (
        "Jordan Lee — Engineering manager <jordan@example.com>"
    )
    assert assessments[1].assessor is not None
    assert assessments[1].assessor.role == "Director of engineering"
    assert manager.assessment(profile_id, date(2026, 5, 20)).date == first
    assert manager.assessment(profile_id, date(2026, 4, 30)).empty


def test_an_assessment_needs_to_know_who_signs_it(services: Services, tmp_path: Path) -> None:
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    with pytest.raises(InvalidInputError, match="rung whoami --name NAME"):
        services.manager.set_calibration(profile_id, "a-critical", 3)
    assert services.manager.assessments(profile_id) == []
