"""pygit2 against dulwich on the job `rung evidence from-git` gives a git library.

    .venv/bin/pip install dulwich   # not a dependency of Rung: only this comparison needs it
    .venv/bin/python benchmarks/git_libraries.py [--commits 20000] [--authors 50] [--runs 5]

The issue asked to measure both libraries on a large history before choosing one.
On the synthetic repository of `gitwork.py` (built, or reused from its cache), each
library does the same bare job, with no Rung code around it: walk `main` from its
head in the library's own order until the commits are older than the period, keep
the commits (not merges) whose author's email is the one asked for, and list the
paths each changed against its first parent, comparing trees by object id.
`git log --author --since --until --name-only` (the floor of `gitwork.py`) must
find the same commits with the same paths; then the rounds alternate which side
goes first (`git log` itself timed too, for scale), and the medians are printed in
wall and CPU time (the `git` child's CPU is not counted).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gitwork  # the synthetic repository and the `git log` floor

Found = dict[str, tuple[str, ...]]
START = int(
    datetime(gitwork.SINCE.year, gitwork.SINCE.month, gitwork.SINCE.day, tzinfo=UTC).timestamp()
)
END = int(
    (datetime(gitwork.UNTIL.year, gitwork.UNTIL.month, gitwork.UNTIL.day, tzinfo=UTC)
     + timedelta(days=1)).timestamp()
)  # fmt: skip


def with_pygit2(path: Path, email: str) -> Found:
    import pygit2

    repo = pygit2.Repository(str(path))
    wanted = email.encode()
    found: Found = {}
    for commit in repo.walk(repo.head.target, pygit2.enums.SortMode.NONE):
        if commit.commit_time < START:
            break
        if commit.commit_time >= END or len(commit.parent_ids) != 1:
            continue
        if commit.author.raw_email.lower() != wanted:
            continue
        diff = commit.parents[0].tree.diff_to_tree(commit.tree)
        found[str(commit.id)] = tuple(d.new_file.path or d.old_file.path for d in diff.deltas)
    return found


def with_dulwich(path: Path, email: str) -> Found:
    from dulwich.diff_tree import tree_changes
    from dulwich.repo import Repo

    repo = Repo(str(path))
    store = repo.object_store
    wanted = f"<{email}>".encode()
    found: Found = {}
    for entry in repo.get_walker(include=[repo.head()], since=START, until=END - 1):
        commit = entry.commit
        if len(commit.parents) != 1 or wanted not in commit.author.lower():
            continue
        parent = store[commit.parents[0]]
        found[commit.id.decode()] = tuple(
            (change.new.path or change.old.path).decode()
            for change in tree_changes(store, parent.tree, commit.tree)
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = Path(tempfile.gettempdir()) / f"rung-bench-git-packed-{args.commits}-{args.authors}.git"
    if not (path / "HEAD").exists():
        gitwork.build(path, args.commits, args.authors)
    email = gitwork._email(7)
    expected = gitwork.floor(path, email)
    sides: dict[str, Callable[[Path, str], Found]] = {
        "pygit2": with_pygit2,
        "dulwich": with_dulwich,
    }
    for name, side in sides.items():
        found = side(path, email)
        assert found == expected, f"{name} finds other commits or paths than git log"
    print(f"{len(expected)} commits of {email} in the year, the same on every side")
    sides["git log"] = gitwork.floor  # for scale: the floor `gitwork.py` holds Rung to
    wall: dict[str, list[float]] = {name: [] for name in sides}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    for n in range(args.runs):
        order = list(sides.items())
        if n % 2:
            order.reverse()
        for name, side in order:
            began, began_cpu = time.perf_counter(), time.process_time()
            side(path, email)
            wall[name].append(time.perf_counter() - began)
            cpu[name].append(time.process_time() - began_cpu)
    for name in sides:
        print(
            f"{name}: wall {statistics.median(wall[name]) * 1000:.0f} ms, "
            f"CPU {statistics.median(cpu[name]) * 1000:.0f} ms (median of {args.runs})"
        )
    pygit2 = statistics.median(wall["pygit2"])
    print(f"dulwich / pygit2: {statistics.median(wall['dulwich']) / pygit2:.1f}× wall")
    print(f"pygit2 / git log: {pygit2 / statistics.median(wall['git log']):.2f}× wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
