"""Proposed evidence from a repository: one entry per unit of the user's work.

A merge that the user made, or that brought in their commits, is one unit; so
is a squash-merged pull request (recognised from its message); the user's
other commits are grouped by their author date (the author's local time) and
their topic, the top-level folder a commit changed most. Each proposal has a
stable id made of the repository and its first commit, so running again over
the same period proposes the same entries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from app.errors import InvalidInputError
from app.gitwork.history import Changes, Commit, Repo, one_line
from app.gitwork.rules import TagRules
from app.text import NAME_MAX

# A squash-merged pull request: GitHub's "Title (#12)", Bitbucket's "Merged in x (pull
# request #12)", GitLab's "See merge request group/project!12" in the body.
_GITHUB_SQUASH = re.compile(r"\(#(?P<n>\d+)\)\s*$")
_BITBUCKET = re.compile(r"\(pull request #(?P<n>\d+)\)", re.IGNORECASE)
_GITLAB = re.compile(r"See merge request [^\s!]+!(?P<n>\d+)", re.IGNORECASE)
_GITHUB_MERGE = re.compile(r"^Merge pull request #(?P<n>\d+)\b", re.IGNORECASE)
_TRAILER = re.compile(r"^[A-Za-z-]+:\s")
_DULL = re.compile(r"^(fixup!|squash!|wip\b|merge\b)", re.IGNORECASE)
MAX_SUBJECTS = 12
MAX_FILES = 15


@dataclass(frozen=True)
class Forge:
    """Where a repository's commits and pull requests can be seen in a browser."""

    kind: str  # "github", "gitlab", "bitbucket", or "template": the user's link template
    base: str  # https://host/owner/name, or the template (see `check_link_template`)

    def commit(self, commit_id: str) -> str:
        if self.kind == "template":
            return self.base.replace(COMMIT_FIELD, commit_id)
        middle = {"github": "commit", "gitlab": "-/commit", "bitbucket": "commits"}[self.kind]
        return f"{self.base}/{middle}/{commit_id}"

    def request(self, number: str, commit_id: str) -> str:
        """A pull or merge request's page; a template knows commits only, so it links the
        commit that merged it (`commit_id`)."""
        if self.kind == "template":
            return self.commit(commit_id)
        middle = {"github": "pull", "gitlab": "-/merge_requests", "bitbucket": "pull-requests"}
        return f"{self.base}/{middle[self.kind]}/{number}"


COMMIT_FIELD = "{commit}"
COMMIT_ID_LENGTH = 40  # a SHA-1 commit id in hex, as nearly every repository has
LINK_TEMPLATE_EXAMPLE = "https://git.example.com/team/app/commit/{commit}"


def check_link_template(text: str) -> str:
    """A link template for a forge Rung does not know: a web address with `{commit}` where
    a commit's id goes. One sentence when it is not one."""
    template = text.strip()
    such_as = f"such as {LINK_TEMPLATE_EXAMPLE}"
    if any(ch.isspace() or not ch.isprintable() for ch in template):
        raise InvalidInputError(
            "The link template holds a space or a control character; write it as one web "
            f"address, {such_as}."
        )
    try:
        parts = urlsplit(template)
        parts.port  # noqa: B018 -- a port out of range raises here
    except ValueError:  # a broken IPv6 host, a port that is not one
        parts = None
    if parts is None or parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise InvalidInputError(
            f"The link template must be a web address starting with http:// or https://, {such_as}."
        )
    if "@" in parts.netloc:
        raise InvalidInputError(
            "The link template must not hold a user name or password: links travel with your "
            "evidence, in reports and bundles."
        )
    if COMMIT_FIELD in parts.netloc or template.count(COMMIT_FIELD) != 1:
        raise InvalidInputError(
            f"The link template must hold {COMMIT_FIELD} once, in its path or query, where a "
            f"commit's id goes, {such_as}."
        )
    longest = len(template) - len(COMMIT_FIELD) + COMMIT_ID_LENGTH
    if longest > NAME_MAX:
        raise InvalidInputError(
            f"The link template makes links of {longest} characters with a commit's id, and "
            f"an evidence link holds at most {NAME_MAX}."
        )
    return template


def forge_of(url: str | None) -> Forge | None:
    """The forge of a remote URL (https, ssh:// or scp-like `git@host:owner/name.git`)."""
    if not url:
        return None
    if "://" in url:
        parts = urlsplit(url)
        host, path = (parts.hostname or ""), parts.path
    else:
        match = re.match(r"^(?:[^@/:]+@)?(?P<host>[^:/]+):(?P<path>.+)$", url)
        if match is None:
            return None
        host, path = match["host"], match["path"]
    host = host.lower()
    path = path.strip("/")
    path = path.removesuffix(".git")
    if not path or "/" not in path:
        return None
    for kind, marker in (("github", "github"), ("gitlab", "gitlab"), ("bitbucket", "bitbucket")):
        if marker in host:
            return Forge(kind, f"https://{host}/{path}")
    return None


@dataclass(frozen=True)
class ProposedCommit:
    id: str
    date: date
    author: str
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """An evidence entry proposed from a unit of work."""

    id: str
    date: date
    title: str
    description: str
    link: str | None
    tags: tuple[tuple[str, str], ...]  # (kind, ref)
    commits: tuple[ProposedCommit, ...]


@dataclass(frozen=True)
class Scan:
    """What a repository proposes for a period, and what the reader should know."""

    repository: Path
    proposals: tuple[Proposal, ...]
    commits_seen: int
    notes: tuple[str, ...] = ()


def repository_key(repo: Repo) -> str:
    """What names the repository in a proposal's id: its forge address when it has one (the
    same for every clone), else its folder."""
    forge = forge_of(repo.remote_url())
    return forge.base.lower() if forge else str(repo.path)


def proposal_id(repo_key: str, first_commit: str) -> str:
    return "git-" + hashlib.sha256(f"{repo_key}\n{first_commit}".encode()).hexdigest()[:24]


def _request_number(commit: Commit) -> str | None:
    for pattern, text in ((_GITHUB_MERGE, commit.subject), (_GITHUB_SQUASH, commit.subject),
                          (_BITBUCKET, commit.subject), (_GITLAB, commit.body)):  # fmt: skip
        match = pattern.search(text)
        if match:
            return match["n"]
    return None


def _first_body_line(commit: Commit) -> str | None:
    for line in commit.body.splitlines():
        line = line.strip()
        if line and not _TRAILER.match(line) and not _GITLAB.search(line):
            return one_line(line)
    return None


def _telling(commits: list[Commit], changes: dict[str, Changes]) -> str:
    """The subject that says most: a non-trivial one, from the commit that changed most."""
    ranked = sorted(
        commits,
        key=lambda c: (bool(_DULL.match(c.subject)), -changes[c.id].count, c.when),
    )
    return ranked[0].subject


def _topic(changes: Changes) -> str:
    return changes.top_folders[0][0] if changes.top_folders else ""


def _describe(commits: list[Commit], changes: dict[str, Changes]) -> str:
    lines = [f"- {c.subject} ({c.id[:7]})" for c in commits[:MAX_SUBJECTS]]
    if len(commits) > MAX_SUBJECTS:
        lines.append(f"- … and {len(commits) - MAX_SUBJECTS} more commits")
    files: dict[str, None] = {}
    total = 0
    for c in commits:
        files.update(dict.fromkeys(changes[c.id].paths))
        total = max(total, len(files))
    shown = list(files)[:MAX_FILES]
    if shown:
        more = len(files) - len(shown)
        tail = f", … and {more} more" if more > 0 else ""
        lines.append("")
        lines.append(f"Files changed ({len(files)}): {', '.join(shown)}{tail}")
    return "\n".join(lines)


def propose(
    repo: Repo,
    *,
    since: date,
    until: date,
    emails: frozenset[str],
    rules: TagRules,
    known: dict[str, set[str]],
    cancelled: Callable[[], bool] = lambda: False,
    link_template: str | None = None,
) -> Scan:
    """The proposals for the user's work (`emails`, lower case) from `since` to `until`;
    links from `link_template` (checked, see `check_link_template`) when given, else from
    the remote's forge when Rung knows it."""
    forge = Forge("template", link_template) if link_template else forge_of(repo.remote_url())
    key = repository_key(repo)
    mine: list[Commit] = []
    merges: list[Commit] = []
    for commit in repo.commits(since, until, emails=emails, cancelled=cancelled):
        if commit.is_merge:
            merges.append(commit)
        elif commit.by(emails):
            mine.append(commit)
    seen = repo.walked

    changes: dict[str, Changes] = {}

    def changed(commit: Commit) -> Changes:
        if commit.id not in changes:
            changes[commit.id] = repo.changes(commit.id)
        return changes[commit.id]

    proposals: list[Proposal] = []
    taken: set[str] = set()

    def add(first: Commit, title: str, link: str | None, commits: list[Commit]) -> None:
        for c in commits:
            changed(c)
        paths = [p for c in commits for p in changes[c.id].paths]
        words = [c.subject for c in commits] + [first.subject]
        proposals.append(
            Proposal(
                id=proposal_id(key, first.id),
                date=first.day,
                title=one_line(title),
                description=_describe(commits, changes),
                link=link,
                tags=rules.tags_for(paths, words, known),
                commits=tuple(
                    ProposedCommit(c.id, c.day, c.author_name, c.subject, changes[c.id].paths)
                    for c in commits
                ),
            )
        )

    for merge in merges:
        if cancelled():
            break
        brought = repo.merged(merge, emails)
        theirs = [c for c in brought if c.by(emails)]
        if not theirs and not merge.by(emails):
            continue
        commits = theirs or brought or [merge]
        number = _request_number(merge)
        title = _first_body_line(merge) or (
            _telling(commits, {c.id: changed(c) for c in commits}) if brought else merge.subject
        )
        if number and not title.endswith(f"#{number})"):
            title = f"{title} (#{number})"
        link = None
        if forge is not None:
            link = forge.request(number, merge.id) if number else forge.commit(merge.id)
        add(merge, title, link, sorted(commits, key=lambda c: c.when))
        taken.update(c.id for c in brought)

    groups: dict[tuple[date, str], list[Commit]] = {}
    for commit in mine:
        if commit.id in taken:
            continue
        number = _request_number(commit)
        if number is not None:  # a squash-merged pull request
            link = forge.request(number, commit.id) if forge is not None else None
            add(commit, commit.subject, link, [commit])
            continue
        groups.setdefault((commit.day, _topic(changed(commit))), []).append(commit)

    for (_day, _topic_name), commits in groups.items():
        commits.sort(key=lambda c: c.when)
        first = commits[0]
        link = forge.commit(first.id) if forge is not None else None
        add(first, _telling(commits, changes), link, commits)

    notes: list[str] = []
    if repo.shallow:
        notes.append("This is a shallow clone: history before its cut-off is not there to read.")
    proposals.sort(key=lambda p: (p.date, p.id), reverse=True)
    return Scan(repo.path, tuple(proposals), seen, tuple(notes))
