"""Proposals from real repositories built in tmp_path: who, how grouped, tags, links, ids."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pygit2
import pytest

from app.errors import InvalidInputError
from app.framework.loader import load_framework_file
from app.gitwork.history import co_authors, open_repository
from app.gitwork.proposals import (
    Forge,
    Proposal,
    Scan,
    check_link_template,
    forge_of,
    propose,
)
from app.gitwork.rules import TagRules, load_rules, parse_rules
from app.paths import data_files_dir
from tests.gitrepo import ALEX, SAM, RepoBuilder

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
ME = frozenset({SAM[1]})
RULES = load_rules("ml-engineer")
KNOWN = load_framework_file(data_files_dir() / "frameworks" / "ml-engineer.yaml").taggable()


def scan(path: Path, emails: frozenset[str] = ME, rules: TagRules = RULES) -> Scan:
    return propose(
        open_repository(path), since=YEAR[0], until=YEAR[1], emails=emails, rules=rules,
        known=KNOWN,
    )  # fmt: skip


def titles(found: Scan) -> list[str]:
    return sorted(p.title for p in found.proposals)


def one(found: Scan, title: str) -> Proposal:
    [proposal] = [p for p in found.proposals if p.title == title]
    return proposal


def test_own_commits_group_by_day_and_topic(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    repo.commit("Start", {"README.md": b"hi"}, author=ALEX, when="2026-02-01T09:00:00+00:00")
    repo.commit("Add loader", {"src/a.py": b"1", "src/b.py": b"1"},
                when="2026-03-02T09:00:00+01:00")  # fmt: skip
    repo.commit("wip", {"src/a.py": b"2"}, when="2026-03-02T17:00:00+01:00")
    repo.commit("Document the loader", {"docs/loader.md": b"1"}, when="2026-03-02T18:00:00+01:00")
    repo.commit("Alex's fix", {"src/c.py": b"1"}, author=ALEX, when="2026-03-02T19:00:00+01:00")
    # 23:30 in Tokyo is still the 3rd there, though it is the 3rd 14:30 in UTC too;
    # 00:30 in New York on the 4th is the 4th, whatever UTC says.
    repo.commit("Tune cache", {"src/a.py": b"3"}, when="2026-03-03T23:30:00+09:00")
    repo.commit("Tune more", {"src/a.py": b"4"}, when="2026-03-04T00:30:00-05:00")
    found = scan(tmp_path / "r")
    assert titles(found) == ["Add loader", "Document the loader", "Tune cache", "Tune more"]
    loader = one(found, "Add loader")
    assert loader.date == date(2026, 3, 2)
    assert [c.subject for c in loader.commits] == ["Add loader", "wip"]
    assert "- Add loader (" in loader.description
    assert "- wip (" in loader.description
    assert "Files changed (2): src/a.py, src/b.py" in loader.description
    assert one(found, "Tune more").date == date(2026, 3, 4)
    assert "Alex" not in repr(found.proposals)


def test_authors_match_without_case_on_author_and_co_author_trailers(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    repo.commit("Mine in capitals", {"a/x.py": b"1"}, author=("Sam", "SAM@Example.COM"))
    repo.commit(
        "Paired on it\n\nBody.\n\nCo-authored-by: Sam Lee <Sam@example.com>",
        {"b/x.py": b"1"}, author=ALEX,
    )  # fmt: skip
    repo.commit("Work laptop", {"c/x.py": b"1"}, author=("Sam", "sam@corp.example"))
    repo.commit("Not mine", {"d/x.py": b"1"}, author=ALEX)
    assert titles(scan(tmp_path / "r")) == ["Mine in capitals", "Paired on it"]
    both = scan(tmp_path / "r", frozenset({"sam@example.com", "sam@corp.example"}))
    assert titles(both) == ["Mine in capitals", "Paired on it", "Work laptop"]
    assert co_authors("x\nco-authored-by: A <A@X.org>\nCo-Authored-By: B b@y") == ("a@x.org",)


def test_emails_outside_ascii_and_others_trailers_are_matched_as_decoded(tmp_path: Path) -> None:
    # The walk skips others' commits on their raw bytes; what it cannot tell that way (an
    # email outside ASCII, a trailer) is decoded and matched as text, without case.
    jorg = ("Jörg", "Jörg@Example.com")
    repo = RepoBuilder(tmp_path / "r")
    repo.commit("Umlaut author", {"a/x.py": b"1"}, author=("Jörg", "JÖRG@example.com"))
    repo.commit("Paired with Jörg\n\nCo-authored-by: J <jÖrg@EXAMPLE.com>", {"b/x.py": b"1"},
                author=ALEX)  # fmt: skip
    repo.commit("Paired with Kim\n\nCo-authored-by: Kim <kim@example.com>", {"c/x.py": b"1"},
                author=ALEX)  # fmt: skip
    repo.commit("Not Jörg's", {"d/x.py": b"1"}, author=("Jörgen", "jörgen@example.com"))
    mine = frozenset({jorg[1].lower()})
    assert titles(scan(tmp_path / "r", mine)) == ["Paired with Jörg", "Umlaut author"]
    assert titles(scan(tmp_path / "r", frozenset({"kim@example.com"}))) == ["Paired with Kim"]
    assert titles(scan(tmp_path / "r", frozenset({"lee@example.com"}))) == []


def test_a_merge_of_others_work_is_not_mine_unless_a_trailer_names_me(tmp_path: Path) -> None:
    repo = _merge_history(tmp_path / "r")
    assert titles(scan(tmp_path / "r", frozenset({"kim@example.com"}))) == []
    side = repo.commit("Pair on the branch\n\nCo-authored-by: Kim <KIM@example.com>",
                       {"docs/pair.md": b"1"}, author=ALEX, branch="feature",
                       when="2026-04-04T10:00:00+00:00")  # fmt: skip
    main = str(repo.repo.references["refs/heads/main"].target)
    repo.commit("Merge pull request #8 from alex/pair", {"docs/pair.md": b"1"}, author=ALEX,
                when="2026-04-05T12:00:00+00:00", parents=[main, side])  # fmt: skip
    [merge] = scan(tmp_path / "r", frozenset({"kim@example.com"})).proposals
    assert merge.title == "Pair on the branch (#8)"
    assert [c.subject for c in merge.commits] == ["Pair on the branch"]


def _merge_history(path: Path) -> RepoBuilder:
    repo = RepoBuilder(path)
    base = repo.commit("Base", {"README.md": b"1"}, author=ALEX, when="2026-01-05T09:00:00+00:00")
    repo.branch("feature", base)
    one_ = repo.commit("Add drift check", {"monitoring/drift.py": b"1"}, branch="feature",
                       when="2026-04-01T10:00:00+02:00")  # fmt: skip
    two = repo.commit("Alert on drift", {"monitoring/alerts.yaml": b"1"}, branch="feature",
                      when="2026-04-02T10:00:00+02:00")  # fmt: skip
    main = repo.commit("Unrelated", {"x.txt": b"1"}, author=ALEX, when="2026-04-02T11:00:00+00:00")
    tree_files = {"monitoring/drift.py": b"1", "monitoring/alerts.yaml": b"1"}
    repo.commit(
        "Merge pull request #7 from sam/drift\n\nDrift monitoring for the ranking model",
        tree_files, author=ALEX, when="2026-04-03T12:00:00+00:00", parents=[main, two],
    )  # fmt: skip
    assert one_ != two
    return repo


def test_a_merge_with_my_commits_is_one_proposal_with_those_commits(tmp_path: Path) -> None:
    repo = _merge_history(tmp_path / "r")
    repo.remote("git@github.com:acme/ranker.git")
    found = scan(tmp_path / "r")
    [merge] = found.proposals
    assert merge.title == "Drift monitoring for the ranking model (#7)"
    assert merge.date == date(2026, 4, 3)
    assert [c.subject for c in merge.commits] == ["Add drift check", "Alert on drift"]
    assert merge.link == "https://github.com/acme/ranker/pull/7"
    assert ("skill", "model-monitoring") in merge.tags
    assert "monitoring/alerts.yaml" in merge.description


def test_a_merge_i_made_of_others_work_is_mine_too(tmp_path: Path) -> None:
    _merge_history(tmp_path / "r")
    found = scan(tmp_path / "r", frozenset({ALEX[1]}))
    merge = one(found, "Drift monitoring for the ranking model (#7)")
    assert [c.subject for c in merge.commits] == ["Add drift check", "Alert on drift"]
    assert titles(found) == ["Base", "Drift monitoring for the ranking model (#7)", "Unrelated"]


def test_squash_merged_pull_requests_stand_alone_with_their_link(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    repo.remote("https://gitlab.com/acme/ml/ranker.git")
    repo.commit("Add Dockerfile (#42)", {"Dockerfile": b"FROM x", "app/main.py": b"1"})
    repo.commit("Query features\n\nSee merge request acme/ml/ranker!9", {"sql/f.sql": b"1"})
    repo.commit("Tidy", {"app/main.py": b"2"})
    found = scan(tmp_path / "r")
    docker = one(found, "Add Dockerfile (#42)")
    assert docker.link == "https://gitlab.com/acme/ml/ranker/-/merge_requests/42"
    assert ("skill", "docker") in docker.tags
    query = one(found, "Query features")
    assert query.link == "https://gitlab.com/acme/ml/ranker/-/merge_requests/9"
    assert ("skill", "sql-fundamentals") in query.tags
    tidy = one(found, "Tidy")
    assert tidy.link is not None
    assert tidy.link.startswith("https://gitlab.com/acme/ml/ranker/-/commit/")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/ranker.git", Forge("github", "https://github.com/acme/ranker")),
        ("git@github.com:acme/ranker.git", Forge("github", "https://github.com/acme/ranker")),
        ("ssh://git@github.com:22/acme/ranker", Forge("github", "https://github.com/acme/ranker")),
        ("git@gitlab.com:g/sub/p.git", Forge("gitlab", "https://gitlab.com/g/sub/p")),
        ("https://user@bitbucket.org/acme/r.git", Forge("bitbucket", "https://bitbucket.org/acme/r")),
        ("https://git.example.com/acme/r.git", None),
        ("/srv/git/r.git", None),
        ("", None),
    ],
)  # fmt: skip
def test_forges_from_https_and_ssh_remotes(url: str, expected: Forge | None) -> None:
    assert forge_of(url) == expected


def test_links_per_forge() -> None:
    gh, gl = Forge("github", "https://github.com/a/b"), Forge("gitlab", "https://gitlab.com/a/b")
    bb = Forge("bitbucket", "https://bitbucket.org/a/b")
    assert gh.commit("c1") == "https://github.com/a/b/commit/c1"
    assert gl.commit("c1") == "https://gitlab.com/a/b/-/commit/c1"
    assert bb.request("3", "c1") == "https://bitbucket.org/a/b/pull-requests/3"


def test_a_link_template_links_every_proposal_to_its_commit_on_another_forge(
    tmp_path: Path,
) -> None:
    repo = _merge_history(tmp_path / "r")
    merge_id = str(repo.repo.references["refs/heads/main"].target)
    repo.remote("ssh://git@git.example.com/acme/ranker.git")  # a forge Rung does not know
    squash = repo.commit("Add Dockerfile (#42)", {"Dockerfile": b"FROM x"})
    repo.commit("Tidy", {"app/main.py": b"2"}, when="2026-06-01T10:00:00+00:00")
    assert all(p.link is None for p in scan(tmp_path / "r").proposals)
    template = "https://git.example.com/acme/ranker/commit/{commit}?tab=files"
    found = propose(
        open_repository(tmp_path / "r"), since=YEAR[0], until=YEAR[1], emails=ME, rules=RULES,
        known=KNOWN, link_template=template,
    )  # fmt: skip
    merge = one(found, "Drift monitoring for the ranking model (#7)")
    assert merge.link == f"https://git.example.com/acme/ranker/commit/{merge_id}?tab=files"
    assert one(found, "Add Dockerfile (#42)").link == template.replace("{commit}", squash)
    tidy = one(found, "Tidy")
    assert tidy.link == template.replace("{commit}", tidy.commits[0].id)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("git.example.com/acme/r/commit/{commit}", "must be a web address"),
        ("ftp://git.example.com/{commit}", "must be a web address"),
        ("https:///{commit}", "must be a web address"),
        ("", "must be a web address"),
        ("https://[::1/{commit}", "must be a web address"),  # urlsplit raises
        ("https://git.example.com:99999/{commit}", "must be a web address"),
        ("https://git.example.com/a b/{commit}", "holds a space or a control character"),
        ("https://git.example.com/\n{commit}", "holds a space or a control character"),
        ("https://git.example.com/{commit}\u200b", "holds a space or a control character"),
        ("https://me:secret@git.example.com/{commit}", "must not hold a user name or password"),
        ("https://{commit}/x", "in its path or query"),
        ("https://git.example.com/acme/r/commit/", "must hold {commit} once"),
        ("https://git.example.com/{commit}/{commit}", "must hold {commit} once"),
        ("https://git.example.com/" + "x" * 160 + "/{commit}", "links of 225 characters"),
    ],
)
def test_a_link_template_that_is_not_one_is_one_sentence(text: str, problem: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        check_link_template(text)
    assert problem in str(raised.value)
    assert str(raised.value).count(". ") == 0  # one sentence
    good = [
        " https://git.example.com/r/-/commit/{commit} ",
        "http://git.local:3000/{commit}",
        "https://git.example.com/r?commit={commit}&tab=%20files",
        "https://gît.example/{commit}",
    ]
    assert [check_link_template(t) for t in good] == [t.strip() for t in good]


def test_ids_are_stable_and_a_bare_clone_with_the_same_remote_proposes_the_same(
    tmp_path: Path,
) -> None:
    repo = _merge_history(tmp_path / "r")
    repo.remote("https://github.com/acme/ranker")
    repo.commit("Own work", {"src/x.py": b"1"})
    first, again = scan(tmp_path / "r"), scan(tmp_path / "r")
    assert [p.id for p in first.proposals] == [p.id for p in again.proposals]
    assert len({p.id for p in first.proposals}) == len(first.proposals) == 2
    clone = pygit2.clone_repository(str(tmp_path / "r"), str(tmp_path / "c.git"), bare=True)
    assert clone.is_bare
    found = scan(tmp_path / "c.git")
    assert titles(found) == titles(first)
    clone.remotes.set_url("origin", "git@github.com:acme/ranker.git")
    assert [p.id for p in scan(tmp_path / "c.git").proposals] == [p.id for p in first.proposals]


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_no_file_content_is_read_and_the_repository_is_not_changed(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    canary = b"CANARY-7f3a secret token; pytest docker alert sql"
    repo.commit("Add config", {"conf/settings.txt": canary, "conf/more.txt": canary})
    before = _tree_digest(tmp_path / "r")
    found = scan(tmp_path / "r")
    assert "CANARY" not in repr(found)
    assert found.proposals[0].tags == ()  # keywords in the file's content suggest nothing
    assert _tree_digest(tmp_path / "r") == before


def test_only_the_period_is_walked(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    for n in range(300):
        repo.commit(
            f"Old {n}",
            {f"old/{n}.txt": b"1"},
            when=f"2024-01-01T{n // 60:02d}:{n % 60:02d}:00+00:00",
        )
    repo.commit("New", {"new/x.txt": b"1"}, when="2026-05-05T10:00:00+00:00")
    found = scan(tmp_path / "r")
    assert titles(found) == ["New"]
    assert found.commits_seen == 1


def test_a_huge_commit_is_summarised(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    repo.commit("Vendor everything", {f"vendor/p{n}/f.py": b"1" for n in range(3000)})
    [proposal] = scan(tmp_path / "r").proposals
    assert "Files changed (500)" in proposal.description
    assert "… and 485 more" in proposal.description
    assert len(proposal.description) < 2000


def test_a_message_that_is_not_utf8_is_read_with_replacement(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    tree = repo._tree(None, {"src/a.py": b"1"})
    raw = (
        f"tree {tree}\n"
        "author Sam Lee <sam@example.com> 1772445600 +0100\n"
        "committer Sam Lee <sam@example.com> 1772445600 +0100\n\n"
    ).encode() + b"Caf\xe9 \xff fix\x1b[31m\n"
    repo.raw_commit(raw)
    [proposal] = scan(tmp_path / "r").proposals
    assert proposal.title == "Caf\ufffd \ufffd fix [31m"


def test_a_repository_without_my_commits_proposes_nothing(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    repo.commit("Theirs", {"a.txt": b"1"}, author=ALEX)
    assert scan(tmp_path / "r").proposals == ()


def test_a_detached_head_is_read(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "r")
    first = repo.commit("First", {"a/x.py": b"1"}, when="2026-03-01T10:00:00+00:00")
    repo.commit("Second", {"b/x.py": b"1"}, when="2026-03-02T10:00:00+00:00")
    repo.repo.set_head(pygit2.Oid(hex=first))
    assert titles(scan(tmp_path / "r")) == ["First"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is not a git repository"),
        (lambda p: None, "There is no folder"),
        (lambda p: p.write_text("x"), "is a file, not a git repository"),
        (lambda p: pygit2.init_repository(str(p)), "has no commits yet"),
    ],
)
def test_what_is_not_a_readable_repository_gets_one_sentence(
    tmp_path: Path, make: object, message: str
) -> None:
    target = tmp_path / "outside" / "target"
    target.parent.mkdir()
    make(target)  # type: ignore[operator]
    with pytest.raises(InvalidInputError, match=message):
        open_repository(target)


# -- tag rules -------------------------------------------------------------------------


def test_the_built_in_rules_name_only_what_the_ladder_has() -> None:
    assert RULES.rules
    for rule in RULES.rules:
        for kind, ref in rule.tags:
            assert ref in KNOWN[kind], f"{kind}:{ref}"


@pytest.mark.parametrize(
    ("path", "subject", "tag"),
    [
        ("tests/test_model.py", "x", ("skill", "software-engineering-basics")),
        ("deploy/Dockerfile", "x", ("skill", "docker")),
        ("warehouse/features.sql", "x", ("skill", "sql-fundamentals")),
        (".github/workflows/ci.yml", "x", ("skill", "mlops-patterns")),
        ("ops/monitoring/x.yaml", "x", ("skill", "model-monitoring")),
        ("x.txt", "Add alert for latency", ("skill", "model-monitoring")),
    ],
)
def test_the_built_in_rules_tag_what_changed(path: str, subject: str, tag: tuple[str, str]) -> None:
    assert tag in RULES.tags_for([path], [subject], KNOWN)


def test_keywords_start_words_and_short_ones_are_whole_words() -> None:
    assert RULES.tags_for(["x.txt"], ["latest restore of circle"], KNOWN) == ()


def test_rules_in_the_data_folder_replace_the_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "gitrules").mkdir()
    (tmp_path / "gitrules" / "ml-engineer.yaml").write_text(
        'rules:\n  - paths: ["*.txt"]\n    tags: ["skill:linux-scripting"]\n', encoding="utf-8"
    )
    mine = load_rules("ml-engineer", tmp_path)
    assert mine.tags_for(["a.txt", "Dockerfile"], [], KNOWN) == (("skill", "linux-scripting"),)
    assert load_rules("no-such-ladder", tmp_path).rules == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "not valid YAML"),
        ("rules:\n  - paths: [x]\n", "rules.0.tags"),
        ('rules:\n  - tags: ["nope"]\n', "KIND:ID"),
        ("rulez: []\n", "rulez"),
    ],
)
def test_a_broken_rules_file_gets_one_sentence(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_rules(text)
