"""Write `tests/fixtures/migrations/<REVISION>.sql`: a database fully populated by old code.

    .venv/bin/python scripts/migration_fixture.py COMMIT

COMMIT is the last commit whose newest migration is the revision to capture
(for 0002: the commit before the one that added 0003). Its code is taken with
`git archive` and run from a throwaway folder, so the database is written by
the code of that revision, never by today's models: `rung demo --years 2`
(two years of check-ins with ratings, milestones, KPIs, evidence, goals and
learning items); where that revision has bundles, a second demo imported as
a profile shared with the user; and where it has signed assessments, the
folder's owner identity and their assessment of that profile. Raw SQL for
that schema then fills every table the old code left empty (amendments,
rating evidence, the manager's annotations) and puts hostile text (markup,
emoji, right-to-left) in notes.

The upgrade test (`tests/test_migrations.py`) loads each fixture, checks that
every table holds rows, migrates it to the newest schema and compares every
row and column. Add a fixture for the current head whenever a migration is
added.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "migrations"
HOSTILE = "<b>Zoë</b> & 李雷 🚀 שלום مرحبا"

# Rows for tables that the old code leaves empty, in that schema's own columns.
FILL = {
    "amendments": (
        "INSERT INTO amendments (id, updated_at, checkin_id, at, field, old, new, private) "
        "SELECT 'fixture-amendment', c.updated_at, c.id, c.updated_at, "
        "'rating:python-ml-engineering.value', '1', '2', 0 FROM checkins c "
        "WHERE c.status = 'final' ORDER BY c.date LIMIT 1"
    ),
    "rating_evidence": (
        "INSERT INTO rating_evidence (id, updated_at, rating_id, evidence_id) "
        "SELECT 'fixture-link-' || r.id, r.updated_at, r.id, "
        "(SELECT e.id FROM evidence e WHERE e.profile_id = c.profile_id ORDER BY e.date LIMIT 1) "
        "FROM ratings r JOIN checkins c ON c.id = r.checkin_id WHERE r.value IS NOT NULL "
        "ORDER BY c.date, r.skill_id LIMIT 5"
    ),
    "calibrations": (
        "INSERT INTO calibrations (id, updated_at, profile_id, skill_id, value) "
        "SELECT 'fixture-calibration', p.updated_at, p.id, 'python-ml-engineering', 3 "
        "FROM profiles p WHERE p.origin = 'shared'"
    ),
    "dimension_comments": (
        "INSERT INTO dimension_comments (id, updated_at, profile_id, dimension_id, text) "
        "SELECT 'fixture-comment', p.updated_at, p.id, 'python-engineering', :hostile "
        "FROM profiles p WHERE p.origin = 'shared'"
    ),
    "git_proposals": (
        "INSERT INTO git_proposals (id, updated_at, profile_id, proposal_id, repository, "
        "decision, evidence_id, decided_at) "
        "SELECT 'fixture-proposal-' || e.id, e.updated_at, e.profile_id, "
        "substr('0123456789abcdef' || e.id, 1, 40), '/home/zoë/src/ranker', "
        "CASE WHEN e.rowid % 2 THEN 'accepted' ELSE 'dismissed' END, "
        "CASE WHEN e.rowid % 2 THEN e.id END, e.updated_at "
        "FROM evidence e ORDER BY e.date LIMIT 4"
    ),
    "recommendations": (
        "INSERT INTO recommendations (id, updated_at, profile_id, band, rationale) "
        "SELECT 'fixture-recommendation', p.updated_at, p.id, 'ready', :hostile "
        "FROM profiles p WHERE p.origin = 'shared'"
    ),
}


def rung(source: Path, *args: str) -> str:
    """Run the old code's `rung` command from its own tree."""
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=source,
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def tables(conn: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [row[0] for row in conn.execute(query)]


def build(commit: str, work: Path) -> tuple[str, str]:
    """The revision at `commit` and the SQL dump of a database populated by its code."""
    source = work / "source"
    source.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    data, other = work / "data", work / "other"
    rung(source, "--data-dir", str(data), "demo", "--years", "2")
    if (source / "app" / "bundle" / "importer.py").is_file():  # a profile shared with the user
        shared = rung(source, "--data-dir", str(other), "demo", "--years", "1", "--seed", "7")
        bundle = work / "shared.rung"
        rung(source, "--data-dir", str(other), "bundle", "export", "--profile", shared,
             "--out", str(bundle))  # fmt: skip
        rung(source, "--data-dir", str(data), "bundle", "import", str(bundle))
        if (source / "app" / "services" / "identity.py").is_file():  # signed assessments
            rung(source, "--data-dir", str(data), "whoami", "--name", HOSTILE,
                 "--role", "Engineering manager", "--email", "jordan@example.com")  # fmt: skip
            for command in (
                ["rate", "--skill", "python-ml-engineering", "--value", "3"],
                ["comment", "--dimension", "python-engineering", "--text", HOSTILE],
                ["recommend", "--verdict", "ready", "--rationale", HOSTILE],
            ):
                rung(source, "--data-dir", str(data), "assess", *command, "--profile", shared)
    database = data / "rung.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as conn:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        with conn:
            conn.execute("UPDATE ratings SET note = :h WHERE rowid % 7 = 0", {"h": HOSTILE})
            conn.execute("UPDATE evidence SET description = :h WHERE rowid % 5 = 0", {"h": HOSTILE})
            present = tables(conn)
            for table, statement in FILL.items():
                if table in present and not conn.execute(f"SELECT 1 FROM {table}").fetchone():
                    conn.execute(statement, {"hostile": HOSTILE})
        empty_tables = [
            t for t in tables(conn) if not conn.execute(f"SELECT 1 FROM {t}").fetchone()
        ]
        if empty_tables:
            sys.exit(f"These tables are still empty: {', '.join(empty_tables)}; extend FILL.")
        dump = "\n".join(conn.iterdump()) + "\n"
    return str(revision), dump


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the last commit at the revision to capture")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rung-fixture-") as work:
        revision, dump = build(args.commit, Path(work))
    FIXTURES.mkdir(parents=True, exist_ok=True)
    out = FIXTURES / f"{revision}.sql"
    out.write_text(f"-- Written by the code of {args.commit}: scripts/migration_fixture.py\n{dump}")
    print(f"Wrote {out.relative_to(ROOT)} ({len(dump) // 1024} KiB, schema {revision}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
