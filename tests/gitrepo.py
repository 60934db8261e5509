"""Real git repositories for tests, built with pygit2 (no `git` executable needed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygit2

SAM = ("Sam Lee", "sam@example.com")
ALEX = ("Alex Kim", "alex@example.com")


class RepoBuilder:
    """Commits on `main` (or any branch) with chosen authors, dates and files."""

    def __init__(self, path: Path, *, bare: bool = False) -> None:
        self.repo = pygit2.init_repository(str(path), bare=bare, initial_head="main")
        self.path = path

    def _tree(self, base: str | None, files: dict[str, bytes | None]) -> pygit2.Oid:
        index = pygit2.Index()
        if base is not None:
            index.read_tree(self.repo[base].peel(pygit2.Tree))
        for name, content in files.items():
            if content is None:
                index.remove(name)
            else:
                blob = self.repo.create_blob(content)
                index.add(pygit2.IndexEntry(name, blob, pygit2.enums.FileMode.BLOB))
        return index.write_tree(self.repo)

    def commit(
        self,
        message: str,
        files: dict[str, bytes | None] | None = None,
        *,
        author: tuple[str, str] = SAM,
        when: str = "2026-03-02T10:00:00+01:00",
        branch: str = "main",
        parents: list[str] | None = None,
    ) -> str:
        ref = f"refs/heads/{branch}"
        if parents is None:
            parents = [str(self.repo.references[ref].target)] if ref in self.repo.references else []
        moment = datetime.fromisoformat(when)
        offset = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
        signature = pygit2.Signature(author[0], author[1], int(moment.timestamp()), offset)
        tree = self._tree(parents[0] if parents else None, files or {f"{branch}.txt": b"x"})
        oid = self.repo.create_commit(ref, signature, signature, message, tree, parents)
        return str(oid)

    def branch(self, name: str, at: str) -> None:
        self.repo.references.create(f"refs/heads/{name}", at, force=True)

    def remote(self, url: str, name: str = "origin") -> None:
        self.repo.remotes.create(name, url)

    def raw_commit(self, raw: bytes, branch: str = "main") -> str:
        """Write a commit object exactly as given (e.g. a message that is not UTF-8)."""
        oid = self.repo.odb.write(pygit2.enums.ObjectType.COMMIT, raw)
        self.repo.references.create(f"refs/heads/{branch}", oid, force=True)
        return str(oid)
