"""The writes: saving a field as the user types, and finalising a full-ladder check-in.

The project writes through `services.checkins`, as the check-in wizard does. The floors
write the same rows with plain `sqlite3` on a connection of their own, with the
durability the app's connections have (WAL, `synchronous = NORMAL`, foreign keys on),
and nothing else: no validation, no amendment log, no daily backup check.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.framework.model import Framework

TYPED = "Shipped the feature store migration; pairing with Ana on evaluation. "


@dataclass(frozen=True)
class FullCheckIn:
    """Every field of a check-in of the whole ladder, as plain values."""

    day: dt.date
    ratings: list[tuple[str, int, int, str]]  # skill, value, confidence, note
    milestones: list[tuple[str, str, dt.date, str]]  # milestone, status, status date, note
    kpis: list[tuple[str, float, str]]  # KPI, value, note
    reflection: dict[str, str]  # wins, blockers, focus


def full_checkin(fw: Framework, day: dt.date) -> FullCheckIn:
    return FullCheckIn(
        day=day,
        ratings=[
            (s.id, (n % fw.max_rating) + 1, n % 5 + 1, f"Note on {s.name}")
            for n, s in enumerate(fw.skills)
        ],
        milestones=[
            (m.id, ("done", "in-progress")[n % 2], day, f"Note on {m.title}")
            for n, m in enumerate(fw.milestones)
        ],
        kpis=[(k.id, 1.5 * n, f"Note on {k.name}") for n, k in enumerate(fw.kpis)],
        reflection={"wins": TYPED, "blockers": "Flaky CI.", "focus": "Evaluation."},
    )


def writer(path: Path) -> sqlite3.Connection:
    """A connection with the app's durability; transactions are explicit (`with con:`)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA synchronous = NORMAL")
    return con


def save_draft(services: Any, profile_id: str, checkin: FullCheckIn) -> str:
    """The project's draft of `checkin`, saved field by field as the wizard saves it."""
    draft = services.checkins.start_draft(profile_id, checkin.day).id
    for skill, value, confidence, note in checkin.ratings:
        services.checkins.set_rating(draft, skill, value, confidence=confidence, note=note)
    for milestone, status, day, note in checkin.milestones:
        services.checkins.set_milestone(draft, milestone, status, status_date=day, note=note)
    for kpi, amount, note in checkin.kpis:
        services.checkins.set_kpi(draft, kpi, amount, note=note)
    for field, text in checkin.reflection.items():
        services.checkins.set_reflection(draft, field, text)
    return str(draft)


def _id() -> str:
    return str(uuid.uuid4())


def write_final(con: sqlite3.Connection, profile_id: str, checkin: FullCheckIn) -> str:
    """The floor: the whole final check-in written in one transaction."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    checkin_id = _id()
    with con:
        con.execute(
            "INSERT INTO checkins (id, profile_id, date, status, finalized_at, wins, blockers,"
            " focus, created_at, updated_at, public_updated_at)"
            " VALUES (?, ?, ?, 'final', ?, ?, ?, ?, ?, ?, ?)",
            (
                checkin_id,
                profile_id,
                checkin.day.isoformat(),
                now,
                checkin.reflection["wins"],
                checkin.reflection["blockers"],
                checkin.reflection["focus"],
                now,
                now,
                now,
            ),
        )
        con.executemany(
            "INSERT INTO ratings (id, checkin_id, skill_id, value, not_applicable, confidence,"
            " note, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
            [(_id(), checkin_id, *row, now) for row in checkin.ratings],
        )
        con.executemany(
            "INSERT INTO milestone_statuses (id, checkin_id, milestone_id, status, status_date,"
            " note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (_id(), checkin_id, milestone, status, day.isoformat(), note, now)
                for milestone, status, day, note in checkin.milestones
            ],
        )
        con.executemany(
            "INSERT INTO kpi_values (id, checkin_id, kpi_id, value, note, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(_id(), checkin_id, *row, now) for row in checkin.kpis],
        )
    return checkin_id


def stored(con: sqlite3.Connection, checkin_id: str) -> tuple[Any, ...]:
    """A check-in as it is in the database, without ids and timestamps, to compare."""

    def rows(query: str) -> list[Any]:
        return sorted(con.execute(query, (checkin_id,)).fetchall())

    return (
        con.execute(
            "SELECT date, status, finalized_at IS NOT NULL, wins, blockers, focus"
            " FROM checkins WHERE id = ?",
            (checkin_id,),
        ).fetchone(),
        rows(
            "SELECT skill_id, value, not_applicable, confidence, note FROM ratings"
            " WHERE checkin_id = ?"
        ),
        rows(
            "SELECT milestone_id, status, status_date, note FROM milestone_statuses"
            " WHERE checkin_id = ?"
        ),
        rows("SELECT kpi_id, value, note FROM kpi_values WHERE checkin_id = ?"),
        rows("SELECT count(*) FROM amendments WHERE checkin_id = ?"),
    )


def delete(con: sqlite3.Connection, checkin_id: str) -> None:
    with con:
        con.execute("DELETE FROM checkins WHERE id = ?", (checkin_id,))


# -- typing -------------------------------------------------------------------------------

Keystroke = tuple[str, str, str]  # (field kind, item id, the field's text after the key)


def keystrokes(checkin: FullCheckIn, count: int) -> list[Keystroke]:
    """`count` keys typed into a rating note, the wins, and a KPI value, in turn."""
    skill = checkin.ratings[0][0]
    kpi = checkin.kpis[0][0]
    fields = itertools.cycle((("rating", skill), ("reflection", "wins"), ("kpi", kpi)))
    typed: dict[tuple[str, str], int] = {}
    strokes = []
    for kind, item in itertools.islice(fields, count):
        length = typed.get((kind, item), 0) + 1
        typed[kind, item] = length
        text = str(length) if kind == "kpi" else (TYPED * (length // len(TYPED) + 1))[:length]
        strokes.append((kind, item, text))
    return strokes


def type_project(services: Any, checkin: FullCheckIn, draft: str, key: Keystroke) -> None:
    """The save the wizard's autosave makes for this key."""
    kind, item, text = key
    if kind == "rating":
        _skill, value, confidence, _note = next(r for r in checkin.ratings if r[0] == item)
        services.checkins.set_rating(draft, item, value, confidence=confidence, note=text)
    elif kind == "reflection":
        services.checkins.set_reflection(draft, item, text)
    else:
        note = next(k[2] for k in checkin.kpis if k[0] == item)
        services.checkins.set_kpi(draft, item, float(text), note=note)


def typed_text(con: sqlite3.Connection, draft: str, kind: str, item: str) -> str:
    """What the database holds for a typed field (a KPI's value as typed: an integer)."""
    if kind == "rating":
        query = "SELECT note FROM ratings WHERE checkin_id = ? AND skill_id = ?"
    elif kind == "kpi":
        query = "SELECT CAST(value AS INTEGER) FROM kpi_values WHERE checkin_id = ? AND kpi_id = ?"
    else:
        return str(con.execute(f"SELECT {item} FROM checkins WHERE id = ?", (draft,)).fetchone()[0])
    return str(con.execute(query, (draft, item)).fetchone()[0])


def type_floor(con: sqlite3.Connection, draft: str, key: Keystroke) -> None:
    """The same field stored with one UPDATE in a transaction of its own."""
    kind, item, text = key
    with con:
        if kind == "rating":
            con.execute(
                "UPDATE ratings SET note = ? WHERE checkin_id = ? AND skill_id = ?",
                (text, draft, item),
            )
        elif kind == "reflection":
            con.execute(f"UPDATE checkins SET {item} = ? WHERE id = ?", (text, draft))
        else:
            con.execute(
                "UPDATE kpi_values SET value = ? WHERE checkin_id = ? AND kpi_id = ?",
                (float(text), draft, item),
            )
