"""`rung evidence from-git`: a dry run lists, --json prints exactly the fields, --add stores
each proposal once, dismissals are remembered, and bad input changes nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.services import Services
from app.services.evidence import Tag
from app.services.gitwork import ProposalEdit
from tests.conftest import folder_digest
from tests.gitrepo import ALEX, SAM, RepoBuilder
from tests.helpers import Run, assert_failed, assert_ok, create_profile

FIELDS = {"id", "date", "title", "description", "link", "tags", "commits"}
PERIOD = ("--since", "2026-01-01", "--until", "2026-12-31")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    builder = RepoBuilder(tmp_path / "repo")
    builder.remote("git@github.com:acme/ranker.git")
    builder.commit("Add tests for the loader", {"tests/test_loader.py": b"CANARY-51"},
                   when="2026-03-02T10:00:00+01:00")  # fmt: skip
    builder.commit("Ship the Dockerfile (#12)", {"Dockerfile": b"FROM CANARY-51"},
                   when="2026-03-03T10:00:00+01:00")  # fmt: skip
    builder.commit("Theirs", {"x.txt": b"1"}, author=ALEX, when="2026-03-04T10:00:00+01:00")
    return tmp_path / "repo"


@pytest.fixture
def folder(rung: Run, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    create_profile(rung, data, "Zoë", "--started", "2026-01-05")
    return data


def from_git(rung: Run, folder: Path, repo: Path, *extra: str):  # type: ignore[no-untyped-def]
    return rung("--data-dir", folder, "evidence", "from-git", "--profile", "Zoë",
                "--repo", repo, *PERIOD, *extra)  # fmt: skip


def test_json_prints_exactly_the_fields_and_no_file_content(
    rung: Run, folder: Path, repo: Path
) -> None:
    before = folder_digest(folder)
    result = from_git(rung, folder, repo, "--author", SAM[1].upper(), "--json")
    assert_ok(result)
    assert "CANARY" not in result.out
    proposals = json.loads(result.out)
    assert [set(p) for p in proposals] == [FIELDS, FIELDS]
    docker, tests = proposals
    assert docker["title"] == "Ship the Dockerfile (#12)"
    assert docker["link"] == "https://github.com/acme/ranker/pull/12"
    assert {"kind": "skill", "ref": "docker"} in docker["tags"]
    assert {"kind": "skill", "ref": "software-engineering-basics"} in tests["tags"]
    assert tests["commits"][0]["files"] == ["tests/test_loader.py"]
    assert set(tests["commits"][0]) == {"id", "date", "author", "subject", "files"}
    assert folder_digest(folder) == before  # a dry run writes nothing


def test_add_stores_each_proposal_once(rung: Run, folder: Path, repo: Path) -> None:
    first = from_git(rung, folder, repo, "--author", SAM[1], "--add")
    assert_ok(first)
    assert "Added 2 evidence entries to Zoë." in first.out
    again = from_git(rung, folder, repo, "--author", SAM[1], "--add")
    assert_ok(again)
    assert "Added 0 evidence entries to Zoë (2 already accepted or dismissed)." in again.out
    listed = json.loads(
        rung("--data-dir", folder, "evidence", "list", "--profile", "Zoë", "--json").out
    )
    assert sorted(e["title"] for e in listed) == ["Add tests for the loader",
                                                  "Ship the Dockerfile (#12)"]  # fmt: skip
    assert {"kind": "skill", "ref": "docker"} in listed[0]["tags"]


def test_the_owner_identity_email_is_used(rung: Run, folder: Path, repo: Path) -> None:
    assert_ok(rung("--data-dir", folder, "whoami", "--name", "Sam", "--email", SAM[1]))
    result = from_git(rung, folder, repo)
    assert_ok(result)
    assert "2 proposals; add them with --add." in result.out


def test_a_link_template_gives_links_on_another_forge(
    rung: Run, folder: Path, tmp_path: Path
) -> None:
    builder = RepoBuilder(tmp_path / "gitea")
    builder.remote("https://git.example.com/acme/ranker.git")
    made = builder.commit("Ship the Dockerfile (#12)", {"Dockerfile": b"FROM x"},
                          when="2026-03-03T10:00:00+01:00")  # fmt: skip
    plain = json.loads(from_git(rung, folder, tmp_path / "gitea", "--author", SAM[1], "--json").out)
    assert [p["link"] for p in plain] == [None]
    template = "https://git.example.com/acme/ranker/commit/{commit}"
    linked = from_git(rung, folder, tmp_path / "gitea", "--author", SAM[1], "--add",
                      "--link-template", template)  # fmt: skip
    assert_ok(linked)
    assert f"https://git.example.com/acme/ranker/commit/{made}" in linked.out
    listed = json.loads(
        rung("--data-dir", folder, "evidence", "list", "--profile", "Zoë", "--json").out
    )
    assert [e["link"] for e in listed] == [f"https://git.example.com/acme/ranker/commit/{made}"]


@pytest.mark.parametrize(
    ("extra", "code", "fragment"),
    [
        ((), 1, "give '--author EMAIL'"),
        (("--author", "not-an-email"), 1, "is not an email address"),
        (("--author", SAM[1], "--since", "2026-02-30"), 2, "is not a date"),
        (("--author", SAM[1], "--since", "2026-05-01", "--until", "2026-04-01"), 1, "is after"),
        (("--author", SAM[1], "--link-template", "git.example.com/{commit}"), 1, "web address"),
        (("--author", SAM[1], "--link-template", "https://git.example.com/c/"), 1, "{commit}"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    rung: Run, folder: Path, repo: Path, extra: tuple[str, ...], code: int, fragment: str
) -> None:
    before = folder_digest(folder)
    assert_failed(from_git(rung, folder, repo, *extra, "--add"), code, fragment)
    assert folder_digest(folder) == before


def test_a_folder_that_is_not_a_repository(rung: Run, folder: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    before = folder_digest(folder)
    result = from_git(rung, folder, tmp_path / "plain", "--author", SAM[1], "--add")
    assert_failed(result, 1, "is not a git repository")
    assert folder_digest(folder) == before


def test_dismissed_proposals_do_not_come_back_and_edits_are_kept(
    services: Services, repo: Path
) -> None:
    profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer",
        started=date(2026, 1, 5),
    )  # fmt: skip
    found = services.gitwork.scan(profile.id, repo, since=date(2026, 1, 1),
                                  until=date(2026, 12, 31), authors=[SAM[1]])  # fmt: skip
    docker, tests = found.new
    assert services.gitwork.dismiss(profile.id, found.repository, [docker.id]) == 1
    edit = ProposalEdit(title="Loader tests", tags=(Tag("skill", "python-ml-engineering"),))
    added = services.gitwork.accept(profile.id, found.repository, [tests], {tests.id: edit})
    assert added == 1
    again = services.gitwork.scan(profile.id, repo, since=date(2026, 1, 1),
                                  until=date(2026, 12, 31), authors=[SAM[1]])  # fmt: skip
    assert again.new == []
    assert again.decided == {docker.id: "dismissed", tests.id: "accepted"}
    [entry] = services.evidence.search(profile.id)
    assert (entry.title, entry.tags) == ("Loader tests", (Tag("skill", "python-ml-engineering"),))
    assert services.gitwork.accept(profile.id, found.repository, [docker, tests]) == 0
