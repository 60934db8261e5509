"""Evidence: adding, tagging, searching in SQL, and linking to ratings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import InvalidInputError, NotFoundError
from app.services import Services, open_services
from app.services.evidence import EvidenceInfo, Feedback, Impact, Tag

START = date(2026, 1, 5)
TEXT = "<b>Zoë</b> & 李雷 🚀"
SKILL = Tag("skill", "python-ml-engineering")


def _profile(services: Services) -> str:
    return services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=START,
    ).id


def test_an_entry_round_trips_exactly(services: Services) -> None:
    profile_id = _profile(services)
    added = services.evidence.add(
        profile_id,
        day=date(2026, 2, 1),
        title=TEXT,
        description=TEXT + "\nsecond line",
        link="https://example.com/pr/1",
        private=True,
        tags=[SKILL, Tag("milestone", "30d-run-pipeline"), Tag("kpi", "pr-throughput")],
    )
    services.store.close()
    reopened = open_services(services.store.path.parent)
    [entry] = reopened.evidence.search(profile_id)
    assert entry == added
    assert (entry.title, entry.description) == (TEXT, TEXT + "\nsecond line")
    assert entry.private
    assert {t.kind for t in entry.tags} == {"skill", "milestone", "kpi"}
    reopened.close()


def test_entries_are_shared_by_default(services: Services) -> None:
    entry = services.evidence.add(_profile(services), day=START, title="Shipped")
    assert not entry.private


@pytest.mark.parametrize(
    ("title", "tags", "message"),
    [
        ("", [], "title is empty"),
        ("a\nb", [], "control character"),
        ("ok", [Tag("skill", "juggling")], "no skill 'juggling'"),
        ("ok", [Tag("milestone", "python-ml-engineering")], "no milestone"),
        ("ok", [Tag("colour", "red")], "tag kind 'colour'"),
    ],
)
def test_bad_entries_are_refused(
    services: Services, title: str, tags: list[Tag], message: str
) -> None:
    profile_id = _profile(services)
    with pytest.raises(InvalidInputError, match=message):
        services.evidence.add(profile_id, day=START, title=title, tags=tags)
    assert services.evidence.search(profile_id) == []


def test_update_and_delete(services: Services) -> None:
    profile_id = _profile(services)
    entry = services.evidence.add(profile_id, day=START, title="Draft", tags=[SKILL])
    updated = services.evidence.update(
        entry.id,
        day=START + timedelta(days=1),
        title="Final",
        description=TEXT,
        private=True,
        tags=[Tag("kpi", "pr-throughput")],
    )
    assert (updated.title, updated.description, updated.private) == ("Final", TEXT, True)
    assert updated.tags == (Tag("kpi", "pr-throughput"),)
    services.evidence.delete(entry.id)
    assert services.evidence.search(profile_id) == []
    with pytest.raises(NotFoundError):
        services.evidence.get(entry.id)


def test_search_filters_by_text_dates_and_tag(services: Services) -> None:
    profile_id = _profile(services)
    add = services.evidence.add
    add(profile_id, day=date(2026, 1, 10), title="Fixed the 100% bug", tags=[SKILL])
    add(profile_id, day=date(2026, 2, 10), title="Talk", description="about 李雷's work")
    add(profile_id, day=date(2026, 3, 10), title="Pipeline", tags=[SKILL])

    def titles(**filters: object) -> list[str]:
        return [e.title for e in services.evidence.search(profile_id, **filters)]  # type: ignore[arg-type]

    assert titles() == ["Pipeline", "Talk", "Fixed the 100% bug"]
    assert titles(text="李雷") == ["Talk"]
    assert titles(text="100%") == ["Fixed the 100% bug"]
    assert titles(text="%") == ["Fixed the 100% bug"]  # LIKE wildcards are literal
    assert titles(text="pipeLINE") == ["Pipeline"]
    assert titles(start=date(2026, 2, 1), end=date(2026, 2, 28)) == ["Talk"]
    assert titles(tag=SKILL) == ["Pipeline", "Fixed the 100% bug"]
    assert titles(tag=SKILL, start=date(2026, 3, 1)) == ["Pipeline"]


def test_five_thousand_entries_are_searched(services: Services) -> None:
    profile_id = _profile(services)
    entries = [
        EvidenceInfo(
            "",
            profile_id,
            START + timedelta(days=i % 365),
            f"Entry {i}",
            "needle" if i % 500 == 0 else None,
            None,
            False,
            (SKILL,) if i % 2 else (),
        )
        for i in range(5000)
    ]
    assert services.evidence.add_many(profile_id, entries) == 5000
    assert len(services.evidence.search(profile_id)) == 5000
    assert len(services.evidence.search(profile_id, text="needle")) == 10
    assert len(services.evidence.search(profile_id, tag=SKILL)) == 2500
    assert len(services.evidence.search(profile_id, text="Entry 4999", tag=SKILL)) == 1


def test_for_skill_shows_evidence_since_the_last_check_in(services: Services) -> None:
    profile_id = _profile(services)
    services.evidence.add(profile_id, day=date(2026, 1, 20), title="Old", tags=[SKILL])
    services.evidence.add(profile_id, day=date(2026, 2, 20), title="New", tags=[SKILL])
    services.evidence.add(profile_id, day=date(2026, 2, 21), title="Untagged")
    found = services.evidence.for_skill(profile_id, SKILL.ref, since=date(2026, 2, 1))
    assert [e.title for e in found] == ["New"]
    assert len(services.evidence.for_skill(profile_id, SKILL.ref)) == 2
    grouped = services.evidence.by_skill(profile_id, since=date(2026, 2, 1))
    assert {k: [e.title for e in v] for k, v in grouped.items()} == {SKILL.ref: ["New"]}


def test_evidence_links_to_a_rating(services: Services) -> None:
    profile_id = _profile(services)
    entry = services.evidence.add(profile_id, day=START, title="PR", tags=[SKILL])
    draft = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    services.evidence.link(draft.id, SKILL.ref, entry.id)
    services.evidence.link(draft.id, SKILL.ref, entry.id)  # twice is once
    assert [e.id for e in services.evidence.linked(draft.id, SKILL.ref)] == [entry.id]
    assert services.evidence.links(draft.id) == {SKILL.ref: {entry.id}}
    services.checkins.set_rating(draft.id, SKILL.ref, 3)  # rating later keeps the link
    assert [e.id for e in services.evidence.linked(draft.id, SKILL.ref)] == [entry.id]
    services.evidence.unlink(draft.id, SKILL.ref, entry.id)
    assert services.evidence.linked(draft.id, SKILL.ref) == []
    with pytest.raises(InvalidInputError, match="no skill"):
        services.evidence.link(draft.id, "juggling", entry.id)
    services.evidence.link(draft.id, SKILL.ref, entry.id)
    services.evidence.delete(entry.id)  # deleting the evidence removes the link
    assert services.evidence.linked(draft.id, SKILL.ref) == []


def test_impact_and_feedback_round_trip(services: Services) -> None:
    profile_id = _profile(services)
    criterion = Tag("criterion", "own-component-end-to-end")
    work = services.evidence.add(
        profile_id,
        day=START,
        title="Cut p95 latency",
        tags=[criterion],
        impact=Impact(TEXT, "Cached the features", "Checkout is faster", 90, "ms"),
    )
    quote = services.evidence.add(
        profile_id,
        day=START,
        title="From the on-call review",
        description=f"“{TEXT}”",
        feedback=Feedback("Noor", "Staff engineer"),
    )
    services.store.close()
    reopened = open_services(services.store.path.parent)
    assert set(reopened.evidence.search(profile_id)) == {work, quote}
    assert work.impact.line() == "Checkout is faster (90 ms)"
    assert work.tags == (criterion,)
    assert work.feedback is None
    assert quote.feedback == Feedback("Noor", "Staff engineer")
    assert quote.impact == Impact()
    reopened.close()


def test_an_update_can_turn_feedback_back_into_work(services: Services) -> None:
    profile_id = _profile(services)
    entry = services.evidence.add(
        profile_id, day=START, title="Quote", description="Great", feedback=Feedback("Noor")
    )
    updated = services.evidence.update(
        entry.id, day=START, title="Quote", impact=Impact(outcome="Shipped")
    )
    assert updated.feedback is None
    assert services.evidence.get(entry.id).impact == Impact(outcome="Shipped")


@pytest.mark.parametrize(
    ("impact", "feedback", "description", "message"),
    [
        (Impact(metric_value=90), None, None, "needs both its value and its unit"),
        (Impact(metric_unit="ms"), None, None, "needs both its value and its unit"),
        (Impact(metric_value=float("nan"), metric_unit="ms"), None, None, "finite number"),
        (Impact(outcome="a\x00b"), None, None, "NUL character"),
        (Impact(), Feedback("Noor"), None, "needs the quote"),
        (Impact(), Feedback(""), "Great", "name of who gave the feedback is empty"),
    ],
)
def test_bad_impact_or_feedback_is_refused(
    services: Services,
    impact: Impact,
    feedback: Feedback | None,
    description: str | None,
    message: str,
) -> None:
    profile_id = _profile(services)
    with pytest.raises(InvalidInputError, match=message):
        services.evidence.add(
            profile_id,
            day=START,
            title="ok",
            description=description,
            impact=impact,
            feedback=feedback,
        )
    assert services.evidence.search(profile_id) == []
