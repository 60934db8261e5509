"""Reading a repository's history: commit metadata and changed paths, never file contents.

pygit2 (libgit2) is imported here only, and only when a repository is read.
The repository is opened for reading: nothing is written to it, no index is
refreshed, no object is fetched. Only the commits of the period are walked
(newest first, stopping at the first commit made before it), so the length of
the whole history does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import InvalidInputError

if TYPE_CHECKING:
    import pygit2

# A commit's changed paths kept for the description and the tags; the topic counts them all.
MAX_PATHS = 500
# Commits a merge is looked into for the user's work (a merge of a years-old branch).
MAX_MERGED = 2000
# Time zones run from -12:00 to +14:00; committer clocks drift a little more.
_SLACK = timedelta(days=2)
_CO_AUTHOR = re.compile(r"^co-authored-by:\s*(?P<who>.*)$", re.IGNORECASE | re.MULTILINE)
_CO_AUTHOR_BYTES = re.compile(rb"^co-authored-by:", re.IGNORECASE | re.MULTILINE)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EMAIL = re.compile(r"<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Commit:
    """What Rung reads of one commit."""

    id: str
    author_name: str
    author_email: str
    when: datetime  # the author date, in the author's own time zone
    subject: str
    body: str
    co_author_emails: tuple[str, ...]
    parent_ids: tuple[str, ...]

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def is_merge(self) -> bool:
        return len(self.parent_ids) > 1

    def by(self, emails: frozenset[str]) -> bool:
        """Authored or co-authored by one of `emails` (lower case)."""
        return self.author_email.lower() in emails or any(
            e in emails for e in self.co_author_emails
        )


@dataclass(frozen=True)
class Changes:
    """The paths a commit changed against its first parent (all of them for a root commit)."""

    paths: tuple[str, ...]  # at most MAX_PATHS
    count: int
    top_folders: tuple[tuple[str, int], ...]  # (top-level folder or "" for the root, paths)


def _maybe_by(raw: pygit2.Commit, emails: frozenset[str], encoded: frozenset[bytes]) -> bool:
    """Whether a commit may be by one of `emails`: its author's, or a `Co-authored-by:`
    trailer (a quick look at the raw bytes; `Commit.by` decides). `encoded` is `emails` in
    UTF-8: an ASCII email is compared as bytes, without decoding it."""
    email = raw.author.raw_email.lower()
    if email in encoded:
        return True
    if not email.isascii() and _decode(raw.author.raw_email).lower() in emails:
        return True
    message = raw.raw_message
    if _CO_AUTHOR_BYTES.search(message) is None:
        return False
    if message.isascii() and all(e.isascii() for e in encoded):
        # Someone's trailer: one of the emails must be in it, as bytes, for it to be theirs.
        lowered = message.lower()
        return any(e in lowered for e in encoded)
    return True


def _decode(raw: bytes, encoding: str | None = None) -> str:
    try:
        return raw.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return raw.decode("utf-8", errors="replace")


def one_line(text: str, limit: int = 200) -> str:
    """Text fit for a one-line name: control characters as spaces, at most `limit` long."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def co_authors(message: str) -> tuple[str, ...]:
    """The lower-case emails of the `Co-authored-by:` trailers."""
    found = []
    for match in _CO_AUTHOR.finditer(message):
        email = _EMAIL.search(match["who"])
        if email:
            found.append(email.group(1).lower())
    return tuple(dict.fromkeys(found))


class Repo:
    """A repository opened for reading."""

    def __init__(self, path: Path) -> None:
        import pygit2

        self._pygit2 = pygit2
        shown = str(path)
        if not path.exists():
            raise InvalidInputError(f"There is no folder '{shown}'.")
        if not path.is_dir():
            raise InvalidInputError(f"'{shown}' is a file, not a git repository.")
        try:
            found = pygit2.discover_repository(str(path))
        except pygit2.GitError:
            found = None
        if not found:
            raise InvalidInputError(f"'{shown}' is not a git repository (nor inside one).")
        try:
            self.repo = pygit2.Repository(found)
        except pygit2.GitError as exc:
            raise InvalidInputError(
                f"The git repository at '{shown}' cannot be read: {exc}."
            ) from None
        if self.repo.head_is_unborn:
            raise InvalidInputError(f"The git repository at '{shown}' has no commits yet.")
        self.path = Path(self.repo.path).resolve()
        self.shallow = bool(getattr(self.repo, "is_shallow", False))
        self.walked = 0  # the commits of the period the last `commits()` walked

    # -- metadata ------------------------------------------------------------------

    def remote_url(self) -> str | None:
        """The URL of `origin`, else of the first remote, else None."""
        remotes = list(self.repo.remotes)
        chosen = next((r for r in remotes if r.name == "origin"), remotes[0] if remotes else None)
        return chosen.url if chosen is not None else None

    def _commit(self, raw: pygit2.Commit) -> Commit:
        author = raw.author
        message = _decode(raw.raw_message, raw.message_encoding)
        subject, _, body = message.strip().partition("\n")
        offset = timezone(timedelta(minutes=author.offset))
        return Commit(
            id=str(raw.id),
            author_name=_decode(author.raw_name),
            author_email=_decode(author.raw_email),
            when=datetime.fromtimestamp(author.time, offset),
            subject=one_line(subject) or "(no message)",
            body=body.strip(),
            co_author_emails=co_authors(body),
            parent_ids=tuple(str(p) for p in raw.parent_ids),
        )

    def commits(
        self,
        since: date,
        until: date,
        *,
        emails: frozenset[str] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Commit]:
        """The commits reachable from HEAD authored from `since` to `until` (the author's own
        dates), newest first; the walk stops at the first commit made before the period.

        With `emails` (lower case), only merges and the commits those emails authored or
        co-authored are yielded: the others are counted in `walked` without being read
        further. `walked` counts every commit of the period; a walk that `cancelled` stops
        (asked every 1000 commits) ends early.
        """
        pygit2 = self._pygit2
        start = datetime.combine(since, time(), UTC) - _SLACK
        stop_before = int(start.timestamp())
        first, last = since.toordinal(), until.toordinal()
        self.walked = 0
        encoded = frozenset(e.encode() for e in emails) if emails is not None else frozenset()
        walked = 0
        try:
            # Git's own order (commit time, newest first) yields as it goes; SortMode.TIME
            # would first read the whole history to sort it.
            walker = self.repo.walk(self.repo.head.target, pygit2.enums.SortMode.NONE)
            for count, raw in enumerate(walker, 1):
                if raw.commit_time < stop_before:
                    return
                if count % 1000 == 0 and cancelled():
                    return
                author = raw.author
                day = _EPOCH_ORDINAL + (author.time + author.offset * 60) // 86_400
                if not first <= day <= last:
                    continue
                walked += 1
                # Someone else's commit, not a merge, is skipped on its raw bytes: the
                # metadata is not even decoded. Inline, as it runs for every commit.
                if emails is not None:
                    email = author.raw_email
                    if email.lower() not in encoded and len(raw.parent_ids) < 2:
                        if email.isascii() and _CO_AUTHOR_BYTES.search(raw.raw_message) is None:
                            continue
                        if not _maybe_by(raw, emails, encoded):
                            continue  # a trailer of someone else's
                yield self._commit(raw)
        except (pygit2.GitError, KeyError) as exc:
            raise InvalidInputError(
                f"The repository at '{self.path}' is missing objects or is damaged ({exc}); "
                "'git fsck' says more."
            ) from None
        finally:
            self.walked = walked

    def merged(self, merge: Commit, emails: frozenset[str] | None = None) -> list[Commit]:
        """The commits a merge brought in (reachable from its other parents, not its first),
        newest first, at most MAX_MERGED.

        With `emails` (lower case), a merge that is not theirs and brought in nothing they may
        have authored or co-authored gives an empty list, its commits left undecoded."""
        git = self._pygit2
        found: list[pygit2.Commit] = []
        try:
            walker = self.repo.walk(merge.parent_ids[1], git.enums.SortMode.TIME)
            walker.hide(merge.parent_ids[0])
            for extra in merge.parent_ids[2:]:
                walker.push(extra)
            for raw in walker:
                found.append(raw)
                if len(found) >= MAX_MERGED:
                    break
        except (git.GitError, KeyError, ValueError):
            pass  # a shallow clone's cut-off branch: what was found is what there is
        if emails is not None and not merge.by(emails):
            encoded = frozenset(e.encode() for e in emails)
            if not any(_maybe_by(raw, emails, encoded) for raw in found):
                return []
        return [self._commit(raw) for raw in found]

    def changes(self, commit_id: str) -> Changes:
        """The paths changed against the first parent: a tree-to-tree comparison of object ids,
        which never reads a file's content."""
        pygit2 = self._pygit2
        try:
            raw = self.repo[commit_id].peel(pygit2.Commit)
            tree = raw.peel(pygit2.Tree)
            parent_tree = None
            if raw.parent_ids:
                try:
                    parent_tree = self.repo[raw.parent_ids[0]].peel(pygit2.Tree)
                except (KeyError, pygit2.GitError, ValueError):
                    parent_tree = None  # a shallow clone's boundary
            if parent_tree is None:
                diff = tree.diff_to_tree(swap=True)
            else:
                diff = parent_tree.diff_to_tree(tree)
            paths: list[str] = []
            folders: dict[str, int] = {}
            count = 0
            for delta in diff.deltas:
                path = delta.new_file.path or delta.old_file.path
                count += 1
                if len(paths) < MAX_PATHS:
                    paths.append(path)
                folder = path.split("/", 1)[0] if "/" in path else ""
                folders[folder] = folders.get(folder, 0) + 1
        except (KeyError, pygit2.GitError, ValueError):
            return Changes((), 0, ())
        ranked = tuple(sorted(folders.items(), key=lambda item: (-item[1], item[0])))
        return Changes(tuple(paths), count, ranked)


def open_repository(path: Path) -> Repo:
    """The repository at `path` (a working copy, a folder inside one, or a bare repository),
    or one sentence saying why not."""
    return Repo(path.expanduser())
