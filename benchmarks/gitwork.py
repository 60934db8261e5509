"""Proposals from git history against a floor of `git log` run as a process and parsed.

    .venv/bin/python benchmarks/gitwork.py [--commits 20000] [--authors 50] [--runs 7]

Makes (once, cached under the system's temporary folder by its parameters) a
synthetic repository with pygit2, the library the project reads it with:
COMMITS commits over three years by AUTHORS authors, a merge of a two-commit
branch every 40 commits, each commit changing one to three files in twelve
top-level folders; then packed with `git repack -ad`, as a clone is. Then, one
after the other and alternating which goes
first, RUNS rounds of

- the project: `app.gitwork` opens the repository and proposes evidence for
  one author over the last year (`propose`: the walk, the changed paths of the
  author's commits, grouping and tags — no database);
- the floor: `git log --author=EMAIL --since=… --until=… --name-only` as a
  process, its output parsed into (commit id, paths) — the same metadata and
  paths, no line counts on either side.

Before timing, both sides must find the same commits of the author. Prints the
median of each side, the median of the per-round ratios and their spread, in wall time
and in CPU time (this process's and the `git` child's).
This is a benchmark, not a test: nothing fails on time. The floor shares no
code with what it measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pygit2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDERS = ("ranker", "features", "tests", "docs", "monitoring", "infra", "api", "web",
           "data", "scripts", "models", ".github")  # fmt: skip
SPAN_DAYS = 3 * 365
UNTIL = dt.date(2026, 6, 30)
SINCE = UNTIL - dt.timedelta(days=365)


def _email(n: int) -> str:
    return f"dev{n:02d}@example.com"


def build(path: Path, commits: int, authors: int) -> None:
    """The synthetic repository: linear `main` with a merged two-commit branch every 40."""
    rng = random.Random(21)
    repo = pygit2.init_repository(str(path), bare=True, initial_head="main")
    repo.remotes.create("origin", "git@github.com:acme/synthetic.git")
    files = [f"{folder}/f{n}.py" for folder in FOLDERS for n in range(20)]
    end = int(dt.datetime(UNTIL.year, UNTIL.month, UNTIL.day, 18, tzinfo=dt.UTC).timestamp())
    start = end - SPAN_DAYS * 86_400
    step = (end - start) // commits
    index = pygit2.Index()
    head: pygit2.Oid | None = None

    def commit(n: int, moment: int, parents: list[pygit2.Oid], who: int) -> pygit2.Oid:
        for name in rng.sample(files, rng.randint(1, 3)):
            blob = repo.create_blob(f"{n} {name}".encode())
            index.add(pygit2.IndexEntry(name, blob, pygit2.enums.FileMode.BLOB))
        tree = index.write_tree(repo)
        sig = pygit2.Signature(f"Dev {who}", _email(who), moment, 0)
        message = f"Change {n} in {name.split('/')[0]}\n\nMore words about change {n}.\n"
        if rng.random() < 0.05:
            message += f"\nCo-authored-by: Dev {(who + 1) % authors} <{_email(who + 1)}>\n"
        return repo.create_commit(None, sig, sig, message, tree, parents)

    n = 0
    while n < commits:
        moment = start + n * step
        if head is not None and n % 40 == 39 and n + 3 <= commits:
            base = head
            one = commit(n, moment, [base], rng.randrange(authors))
            two = commit(n + 1, moment + 60, [one], rng.randrange(authors))
            sig = pygit2.Signature("Merge Bot", "bot@example.com", moment + 120, 0)
            head = repo.create_commit(
                None, sig, sig, f"Merge pull request #{n} from dev/{n}", repo[two].tree_id,
                [base, two],
            )  # fmt: skip
            n += 3
            continue
        head = commit(n, moment, [head] if head is not None else [], rng.randrange(authors))
        n += 1
    assert head is not None
    repo.references.create("refs/heads/main", head, force=True)
    # Packed, as any clone or a repository git has gc'd: loose objects would make both sides
    # measure the file system.
    subprocess.run(["git", "--git-dir", str(path), "repack", "-adq"], check=True)


def floor(path: Path, email: str) -> dict[str, tuple[str, ...]]:
    """`git log` run as a process and parsed: the author's commits and their paths."""
    out = subprocess.run(
        ["git", "--git-dir", str(path), "log", f"--author={email}", "--regexp-ignore-case",
         "--no-merges", f"--since={SINCE.isoformat()}T00:00:00+00:00",
         f"--until={UNTIL.isoformat()}T23:59:59+00:00", "--name-only",
         "--format=%x00%H%x09%an%x09%ae%x09%at%x09%s"],
        check=True, capture_output=True,
    ).stdout.decode("utf-8", errors="replace")  # fmt: skip
    found: dict[str, tuple[str, ...]] = {}
    for record in out.split("\x00")[1:]:
        head, _, rest = record.partition("\n")
        commit_id = head.split("\t", 1)[0]
        found[commit_id] = tuple(line for line in rest.splitlines() if line)
    return found


def project(path: Path, email: str) -> dict[str, tuple[str, ...]]:
    """`app.gitwork`: the proposals for the author, as (commit id, paths)."""
    from app.gitwork.history import open_repository
    from app.gitwork.proposals import propose
    from app.gitwork.rules import TagRules

    repo = open_repository(path)
    scan = propose(
        repo, since=SINCE, until=UNTIL, emails=frozenset({email}), rules=TagRules(()), known={}
    )
    return {c.id: c.files for p in scan.proposals for c in p.commits}


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the floor's `git`): less
    moved than wall time by other work on shared cores."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    name = f"rung-bench-git-packed-{args.commits}-{args.authors}.git"
    path = Path(tempfile.gettempdir()) / name
    if not (path / "HEAD").exists():
        began = time.perf_counter()
        build(path, args.commits, args.authors)
        print(f"built {path} in {time.perf_counter() - began:.1f} s")
    email = _email(7)
    mine, theirs = project(path, email), floor(path, email)
    # The floor has the commits authored by the email; the project also counts co-authored
    # ones, as it should. The authored ones must agree, paths included.
    authored = {k: v for k, v in mine.items() if k in theirs}
    assert set(theirs) <= set(mine), f"{len(set(theirs) - set(mine))} commits missed"
    assert authored == theirs, "the paths differ"
    print(f"{len(theirs)} commits authored, {len(mine) - len(theirs)} co-authored, in the year")
    times: dict[str, list[float]] = {"project": [], "floor": []}
    cpu: dict[str, list[float]] = {"project": [], "floor": []}
    ratios, cpu_ratios = [], []
    for n in range(args.runs):
        order = [("project", project), ("floor", floor)]
        if n % 2:
            order.reverse()
        took, used = {}, {}
        for name, run in order:
            began, began_cpu = time.perf_counter(), _cpu()
            run(path, email)
            took[name] = time.perf_counter() - began
            used[name] = _cpu() - began_cpu
            times[name].append(took[name])
            cpu[name].append(used[name])
        ratios.append(took["project"] / took["floor"])
        cpu_ratios.append(used["project"] / used["floor"])
    for label, spent, spread in (("wall", times, ratios), ("CPU", cpu, cpu_ratios)):
        quartiles = statistics.quantiles(spread, n=4) if len(spread) > 1 else spread * 3
        print(
            f"{label}: project {statistics.median(spent['project']) * 1000:.0f} ms, "
            f"floor {statistics.median(spent['floor']) * 1000:.0f} ms, "
            f"median ratio {statistics.median(spread):.2f}× "
            f"(IQR {quartiles[0]:.2f}–{quartiles[2]:.2f}, "
            f"min–max {min(spread):.2f}–{max(spread):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
