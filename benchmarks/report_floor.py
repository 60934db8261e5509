"""The report's floor: the same PDF content with `sqlite3` and bare ReportLab, nothing else.

This module gathers what the report prints with one read-only `sqlite3`
connection, the standard library, the loaded framework model and the chart
floors of `floors.py`; `report_floor_pdf.py` lays it out with a plain
`SimpleDocTemplate`, and `report_floor_charts.py` draws the charts with bare
`reportlab.graphics` widgets.

It makes the reports the benchmark asks for, over the default period (role
start to today), for a profile that has final check-ins: the "self" audience
(with or without private text) and the "packet" of a profile shared with a
manager who assessed it. Nothing here imports `app.services`, `app.report` or
`ui`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import floors
import report_floor_pdf

from app.framework.model import Framework

NOTE_TABLES = (  # (label, table, item column, the kind of item)
    ("Rating note", "ratings", "skill_id", "skill"),
    ("Milestone note", "milestone_statuses", "milestone_id", "milestone"),
    ("KPI note", "kpi_values", "kpi_id", "kpi"),
)
CURRENT_MILESTONES = """
SELECT key, status, status_date, day FROM (
    SELECT t.milestone_id AS key, t.status, t.status_date, c.date AS day, ROW_NUMBER() OVER
        (PARTITION BY t.milestone_id ORDER BY c.date DESC, c.finalized_at DESC) AS n
    FROM milestone_statuses t JOIN checkins c ON c.id = t.checkin_id
    WHERE c.profile_id = ? AND c.status = 'final' AND c.date <= ?
) WHERE n = 1
"""
FINAL_RATINGS = """
SELECT c.id, c.date, r.skill_id, r.value, r.not_applicable FROM checkins c
LEFT JOIN ratings r ON r.checkin_id = c.id AND (r.value IS NOT NULL OR r.not_applicable)
WHERE c.profile_id = ? AND c.status = 'final' AND c.date <= ?
ORDER BY c.date, c.finalized_at, c.id
"""
STRONGEST = 3  # evidence entries cited per criterion


@dataclass(frozen=True)
class FloorReport:
    pdf: bytes
    charts: dict[str, Any]  # what each chart was drawn from, to compare with the project's
    headers: list[str]  # the text of every table header row it may repeat on a new page


def report(
    con: sqlite3.Connection, fw: Framework, profile_id: str, private: bool, audience: str = "self"
) -> FloorReport:
    """The report's content in plain queries, laid out with a bare SimpleDocTemplate."""
    data = Gathered(con, fw, profile_id, dt.date.today(), private, audience)
    pdf, headers = report_floor_pdf.render(data)
    charts = {
        "radar": data.radar,
        "growth": data.growth,
        "readiness": data.readiness_series,
        "milestones": data.bars,
    }
    return FloorReport(pdf, charts, headers)


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _kpi_met(kpi: Any, history: list[tuple[dt.date, float]]) -> str:
    """Met, Not met, No value yet or Judged by the reader, as the framework's targets say."""
    if not history:
        return "No value yet"
    day, value = history[-1]
    judged = []
    for target in kpi.targets:
        if target.kind == "threshold":
            compare = {
                "<": value < target.value,
                "<=": value <= target.value,
                ">": value > target.value,
                ">=": value >= target.value,
                "=": value == target.value,
            }
            judged.append(compare[target.comparator])
        elif target.kind == "range":
            judged.append(target.low <= value <= target.high)
        elif target.kind == "trend":
            since = dt.date.min
            if target.window_months:
                index = day.year * 12 + day.month - 1 - target.window_months
                since = floors.month_day(index, day.day)
            window = [(d.toordinal(), v) for d, v in history if d >= since]
            slope = 0.0
            if len({x for x, _ in window}) >= 2:
                mean_x = sum(x for x, _ in window) / len(window)
                mean_y = sum(y for _, y in window) / len(window)
                slope = sum((x - mean_x) * (y - mean_y) for x, y in window)
            judged.append(slope > 0 if target.direction == "up" else slope < 0)
    if not judged:
        return "Judged by the reader"
    words = "Met" if all(judged) else "Not met"
    if len(judged) < len(kpi.targets):
        words += " (the rest is judged by the reader)"
    return words


def _criteria(
    fw: Framework, level: str, target: str, ratings: dict[str, Any]
) -> list[tuple[Any, str, str, list[tuple[Any, int | None, int]]]]:
    """(criterion, its step's upper level, status, [(skill, rating, expected)]) of every step
    from `level` to `target`; `ratings` maps a skill to (value, not applicable, ...)."""
    ids = [lv.id for lv in fw.levels]
    skills = {s.id: s for s in fw.skills}
    found = []
    for upper in ids[ids.index(level) + 1 : ids.index(target) + 1]:
        for criterion in fw.promotion_criteria:
            if (criterion.step or ids[min(1, len(ids) - 1)]) != upper:
                continue
            counted = []
            for skill_id in criterion.skills:
                value, not_applicable = ratings.get(skill_id, (None, False))[:2]
                expected = skills[skill_id].expected.get(upper, 0)
                if expected > 0 and not not_applicable:
                    counted.append((skills[skill_id], value, expected))
            if not counted:
                continue
            at = [v is not None and v >= e for _s, v, e in counted]
            if any(v is None for _s, v, _e in counted):
                status = "not rated yet"
            elif all(at):
                status = "met"
            elif any(at) or all(v >= e - 1 for _s, v, e in counted):
                status = "partly met"
            else:
                status = "not met"
            found.append((criterion, upper, status, counted))
    return found


class Gathered:
    """Everything the report prints, read with plain queries and put in its words."""

    def __init__(
        self,
        con: sqlite3.Connection,
        fw: Framework,
        profile_id: str,
        today: dt.date,
        private: bool,
        audience: str,
    ) -> None:
        self.fw, self.private, self.audience = fw, private, audience
        name, self.manager, role_start, origin, exported, first = con.execute(
            "SELECT name, manager, role_start, origin, shared_exported_at, (SELECT min(date)"
            " FROM checkins WHERE profile_id = p.id AND status = 'final') FROM profiles p"
            " WHERE id = ?",
            (profile_id,),
        ).fetchone()
        self.name = name
        words = name.split()
        self.short = words[0] if len(words) > 1 else name.strip()
        self.whose = self.short + ("'" if self.short.endswith("s") else "'s")
        self.role_start = dt.date.fromisoformat(role_start)
        self.start = min(self.role_start, dt.date.fromisoformat(first or role_start))
        self.end = today
        self.data_as_of = f"Data as of {self.end.isoformat()}"
        if origin == "shared" and exported:
            whose = name + ("'" if name.endswith("s") else "'s")
            self.data_as_of = f"Data as of {whose} export of {exported[:10]}"
        self.level, self.target = floors.stage(con, profile_id, self.end)
        self.names = {("skill", s.id): s.name for s in fw.skills}
        self.names.update({("milestone", m.id): m.title for m in fw.milestones})
        self.names.update({("kpi", k.id): k.name for k in fw.kpis})
        self.names.update({("criterion", c.id): c.text for c in fw.promotion_criteria})
        period = (profile_id, self.start.isoformat(), self.end.isoformat())

        def current(query: str, day: dt.date) -> dict[str, Any]:
            return {key: rest for key, *rest in con.execute(query, (profile_id, day.isoformat()))}

        self.ratings = current(floors.CURRENT_RATINGS, self.end)
        self.ratings_before = current(floors.CURRENT_RATINGS, self.start - dt.timedelta(days=1))
        self.milestones = current(CURRENT_MILESTONES, self.end)
        self.assessment = self._assessment(con, profile_id) if origin == "shared" else None
        calibrations = self.assessment["calibrations"] if self.assessment else {}

        # Readiness: self-assessed, and with the manager's calibrations where they gave one.
        self.readiness = self._readiness(self.ratings)
        self.calibrated = None
        if calibrations:
            merged = self.ratings | {k: (v, 0, None) for k, v in calibrations.items()}
            self.calibrated = self._readiness(merged)
        points = [
            (day, value)
            for _id, day, value in floors.readiness_points(con, fw, profile_id)
            if value is not None and self.start <= day <= self.end
        ]
        self.readiness_series = floors.readiness_series(fw, points)
        self.projection = self._projection(points)
        gates = list(self.readiness["gates"])
        gates += [g for g in (self.calibrated or {"gates": []})["gates"] if g not in gates]
        self.gates = [self._gate(*gate, calibrations) for gate in gates]

        self.evidence = self._evidence(con, period)
        self.rated: dict[str, set[str]] = {}  # evidence → the skills whose ratings it backs
        for evidence_id, skill_id in con.execute(
            "SELECT e.evidence_id, r.skill_id FROM rating_evidence e"
            " JOIN ratings r ON r.id = e.rating_id JOIN checkins c ON c.id = r.checkin_id"
            " WHERE c.profile_id = ? AND c.status = 'final' AND c.date BETWEEN ? AND ?",
            period,
        ):
            self.rated.setdefault(evidence_id, set()).add(skill_id)
        self.quoted: dict[str, int] = {}  # feedback → the criterion it is quoted under
        self.criteria = self._criteria(con, profile_id, calibrations)

        self.kpi_history: dict[str, list[tuple[dt.date, float]]] = {k.id: [] for k in fw.kpis}
        for kpi_id, day, value in con.execute(
            "SELECT k.kpi_id, c.date, k.value FROM kpi_values k JOIN checkins c"
            " ON c.id = k.checkin_id WHERE c.profile_id = ? AND c.status = 'final'"
            " AND c.date <= ? ORDER BY c.date, c.finalized_at",
            (profile_id, self.end.isoformat()),
        ):
            self.kpi_history.setdefault(kpi_id, []).append((dt.date.fromisoformat(day), value))
        self.kpi_met = {k.id: _kpi_met(k, self.kpi_history[k.id]) for k in fw.kpis}
        self.notes = self._notes(con, period) if private else []
        self.goals, self.learning = self._plan(con, profile_id)

        self.growth = [
            (name, [(d, v) for d, v in series if self.start <= d <= self.end])
            for name, series in floors.growth_chart(con, fw, profile_id)
        ]
        self.expected = floors.growth_expectations(con, fw, profile_id, self.end)
        own, *expected = floors.radar_chart(con, fw, profile_id, self.end)
        self.radar = [(f"{self.whose} ratings", own[1])]
        if calibrations:
            self.radar.append(("Calibrated by the manager", self._radar_calibrated(calibrations)))
        self.radar += expected
        self.bars = floors.milestone_chart(con, fw, profile_id, self.end)

    def _assessment(self, con: sqlite3.Connection, profile_id: str) -> dict[str, Any] | None:
        """The manager's latest assessment on or before the end, for their packet."""
        if self.audience != "packet":
            return None
        row = con.execute(
            "SELECT a.id, a.date, a.assessor_name, a.assessor_role, r.band, r.rationale"
            " FROM assessments a LEFT JOIN recommendations r ON r.assessment_id = a.id"
            " WHERE a.profile_id = ? AND a.date <= ? ORDER BY a.date DESC, a.origin DESC"
            " LIMIT 1",
            (profile_id, self.end.isoformat()),
        ).fetchone()
        if row is None:
            return None
        assessment_id, day, assessor, role, band, rationale = row
        calibrations = dict(
            con.execute(
                "SELECT skill_id, value FROM calibrations WHERE assessment_id = ?",
                (assessment_id,),
            )
        )
        comments = dict(
            con.execute(
                "SELECT dimension_id, text FROM dimension_comments WHERE assessment_id = ?",
                (assessment_id,),
            )
        )
        if not (calibrations or comments or band or rationale):
            return None
        bands = {b.id: b.name for b in self.fw.verdict_bands}
        rows = []  # the calibrated skills, the largest disagreements first
        for order, skill in enumerate(self.fw.skills):
            if skill.id in calibrations:
                value, not_applicable = self.ratings.get(skill.id, (None, 0))[:2]
                theirs = calibrations[skill.id]
                difference = None if not_applicable else theirs - (value or 0)
                mine = "n/a" if not_applicable else "—" if value is None else str(value)
                dimension = next(d.name for d in self.fw.dimensions if d.id == skill.dimension)
                rows.append((difference is None, -abs(difference or 0), order))
                rows[-1] += (skill.name, dimension, mine, theirs, difference)
        return {
            "date": dt.date.fromisoformat(day),
            "assessor": assessor,
            "role": role,
            "band": bands.get(band, band) if band else None,
            "rationale": rationale,
            "calibrations": calibrations,
            "rows": [row[3:] for row in sorted(rows)],
            "comments": [(d.name, comments[d.id]) for d in self.fw.dimensions if d.id in comments],
        }

    def _readiness(self, ratings: dict[str, Any]) -> dict[str, Any]:
        return floors.readiness_summary(
            self.fw, self.target, ratings, self.milestones, self.role_start, self.end
        )

    def _projection(self, points: list[tuple[dt.date, float]]) -> str:
        """The projection in the project's words, the gates named if any."""
        status, line = floors.projection(points, floors.ready_threshold(self.fw))
        gates = [name for _kind, _id, name in self.readiness["gates"]]
        held_by = " and ".join(gates)
        if len(gates) > 2:
            more = len(gates) - 2
            held_by = f"{gates[0]}, {gates[1]} and {more} more gate" + ("s" if more > 1 else "")
        if line is not None:
            when = line[2].isoformat()
            if line[2] <= self.end:
                return f"The trend line crossed Ready on {when}; the latest readiness is below it."
            if gates:
                return (
                    f"At this pace, the score reaches Ready around {when}; the verdict waits "
                    f"for {held_by} too."
                )
            return f"At this pace, Ready around {when}."
        if status == "reached" and gates:
            hold = "holds" if len(gates) == 1 else "hold"
            verdict = self.readiness["verdict"]
            return f"The score is at the Ready threshold, but {held_by} {hold} the verdict at " + (
                f"{verdict}."
            )
        return {
            "reached": "The Ready threshold is reached.",
            "not-projected": "Not projected: readiness is not rising.",
            "too-few-points": "Not projected yet: it needs check-ins on three dates.",
        }[status]

    def _gate(
        self, kind: str, ref: str, name: str, calibrations: dict[str, int]
    ) -> tuple[str, str]:
        """A gate and where it stands, in words."""
        if kind == "overdue-milestone":
            milestone = next(m for m in self.fw.milestones if m.id == ref)
            due = floors.due(self.role_start, milestone.horizon)
            status = self.milestones.get(ref, ("not-started",))[0]
            months = _months(due, self.end)
            late = f"{months} month" + ("s" if months > 1 else "")
            if months < 1:
                days = (self.end - due).days
                late = f"{days} day" + ("s" if days > 1 else "")
            status_name = dict(floors.STATUSES)[status].lower()
            return name, f"overdue by {late} (due {due.isoformat()}, {status_name})"
        expected = self.fw.skill(ref).expected.get(self.target, 0)
        value = self.ratings.get(ref, [None])[0]
        state = f"Critical skill rated {value} by {self.short}, expected {expected}"
        if value is None:
            state = f"Critical skill, expected {expected}, not rated yet by {self.short}"
        calibration = calibrations.get(ref)
        if calibration == expected:
            state += "; calibrated at expectation by the manager"
        elif calibration is not None and calibration > expected:
            state += f"; calibrated above expectation ({calibration}) by the manager"
        elif calibration is not None:
            state += f"; calibrated {calibration} by the manager"
        return name, state

    def _criteria(
        self, con: sqlite3.Connection, profile_id: str, calibrations: dict[str, int]
    ) -> list[dict[str, Any]]:
        """Each criterion: its status (and as calibrated), since when it has been met at every
        final check-in, its skills, and the evidence that backs it most strongly: tagged to
        it, linked to a rating of one of its skills, tagged to one of them, newest first
        within each. Feedback is quoted under the first criterion it backs."""
        fw, level, target = self.fw, self.level, self.target
        theirs = None
        if calibrations:
            merged = self.ratings | {k: (v, 0) for k, v in calibrations.items()}
            theirs = [status for _c, _u, status, _s in _criteria(fw, level, target, merged)]
        met: dict[str, list[tuple[str, bool]]] = {}
        carried: dict[str, tuple[int | None, int]] = {}
        rows = con.execute(FINAL_RATINGS, (profile_id, self.end.isoformat()))
        for (_checkin_id, day), ratings in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
            for _c, _d, skill_id, value, not_applicable in ratings:
                if skill_id is not None:
                    carried[skill_id] = (value, not_applicable)
            for criterion, _u, status, _s in _criteria(fw, level, target, carried):
                met.setdefault(criterion.id, []).append((day, status == "met"))
        found = []
        for number, (criterion, upper, status, skills) in enumerate(
            _criteria(fw, level, target, self.ratings), 1
        ):
            since = None
            for day, holds in met[criterion.id] if status == "met" else []:
                since = (since or dt.date.fromisoformat(day)) if holds else None
            ids = {skill.id for skill, _v, _e in skills}
            tiers: list[list[dict[str, Any]]] = [[], [], []]
            for entry in self.evidence:
                if ("criterion", criterion.id) in entry["tags"]:
                    tiers[0].append(entry)
                elif self.rated.get(entry["id"], set()) & ids:
                    tiers[1].append(entry)
                elif any(k == "skill" and r in ids for k, r in entry["tags"]):
                    tiers[2].append(entry)
            backing = tiers[0] + tiers[1] + tiers[2]
            work = [e for e in backing if e["feedback"] is None]
            feedback = [e for e in backing if e["feedback"] is not None]
            quotes = [e for e in feedback if e["id"] not in self.quoted]
            found.append(
                {
                    "number": number,
                    "text": criterion.text,
                    "upper": upper,
                    "status": status,
                    "calibrated": theirs[number - 1] if theirs else None,
                    "since": since,
                    "months": _months(since, self.end) if since else None,
                    "skills": [
                        (skill.name, value, expected, calibrations.get(skill.id))
                        for skill, value, expected in skills
                    ],
                    "evidence": work[:STRONGEST],
                    "also": sorted(e["number"] for e in work[STRONGEST:]),
                    "quotes": quotes,
                    "above": sorted(e["number"] for e in feedback if e["id"] in self.quoted),
                }
            )
            self.quoted |= {e["id"]: number for e in quotes}
        return found

    def _evidence(self, con: sqlite3.Connection, period: tuple[str, ...]) -> list[dict[str, Any]]:
        """The period's evidence the report may show, newest first, numbered oldest first, each
        with its tags as (kind, ref) sorted."""
        where = "profile_id = ? AND date >= ? AND date <= ?"
        if not self.private:
            where += " AND NOT private"
        tags: dict[str, list[tuple[str, str]]] = {}
        for evidence_id, kind, ref in con.execute(
            f"SELECT evidence_id, kind, ref FROM evidence_tags WHERE evidence_id IN"
            f" (SELECT id FROM evidence WHERE {where}) ORDER BY kind, ref",
            period,
        ):
            tags.setdefault(evidence_id, []).append((kind, ref))
        entries = []
        for row in con.execute(
            "SELECT id, date, title, description, link, context, action, outcome, metric_value,"
            " metric_unit, kind, feedback_from, feedback_role FROM evidence"
            f" WHERE {where} ORDER BY date DESC, created_at DESC, id",
            period,
        ):
            id_, day, title, description, link, context, action, outcome, value, unit = row[:10]
            kind, giver, role = row[10:]
            metric = f"{value:g} {unit}" if value is not None and unit else None
            lead = outcome or action or context
            entries.append(
                {
                    "id": id_,
                    "date": dt.date.fromisoformat(day),
                    "title": title,
                    "description": description,
                    "link": link,
                    "tags": tags.get(id_, []),
                    "context": context,
                    "action": action,
                    "outcome": outcome,
                    "metric": metric,
                    "impact": f"{lead} ({metric})" if lead and metric else lead or metric,
                    "feedback": (giver or "") + (f", {role}" if role else "")
                    if kind == "feedback"
                    else None,
                }
            )
        for number, entry in enumerate(reversed(entries), 1):
            entry["number"] = number
        return entries

    def _radar_calibrated(self, calibrations: dict[str, int]) -> list[float]:
        """Per dimension, the weighted mean rating with the manager's where they gave one."""
        weight = {c.id: c.weight for c in self.fw.criticalities}
        values = []
        for dimension in self.fw.dimensions:
            pairs = [
                (weight[s.criticality], calibrations.get(s.id, self.ratings.get(s.id, [0])[0] or 0))
                for s in self.fw.skills
                if s.dimension == dimension.id and not self.ratings.get(s.id, (0, 0))[1]
            ]
            total = sum(w for w, _ in pairs)
            values.append(float(Fraction(sum(w * v for w, v in pairs), total)) if total else 0.0)
        return values

    def _notes(self, con: sqlite3.Connection, period: tuple[str, ...]) -> list[Any]:
        """Each final check-in of the period with its reflection and notes, oldest first."""
        in_period = "c.profile_id = ? AND c.status = 'final' AND c.date >= ? AND c.date <= ?"
        found: dict[str, tuple[dt.date, list[tuple[str, str]]]] = {}
        for checkin_id, day, *reflection in con.execute(
            f"SELECT c.id, c.date, c.wins, c.blockers, c.focus FROM checkins c WHERE {in_period}"
            " ORDER BY c.date, c.finalized_at",
            period,
        ):
            labelled = zip(("Wins", "Blockers", "Focus"), reflection, strict=True)
            found[checkin_id] = (dt.date.fromisoformat(day), [(k, v) for k, v in labelled if v])
        for label, table, item, kind in NOTE_TABLES:
            for checkin_id, ref, text in con.execute(
                f"SELECT t.checkin_id, t.{item}, t.note FROM {table} t JOIN checkins c"
                f" ON c.id = t.checkin_id WHERE {in_period} AND t.note IS NOT NULL"
                f" ORDER BY c.date, c.finalized_at, t.{item}",
                period,
            ):
                if text:
                    name = self.names.get((kind, ref), ref)
                    found[checkin_id][1].append((f"{label}: {name}", text))
        return [entry for entry in found.values() if entry[1]]

    def _plan(self, con: sqlite3.Connection, profile_id: str) -> tuple[list[Any], list[Any]]:
        skills: dict[str, list[str]] = {}
        for goal_id, skill_id in con.execute(
            "SELECT goal_id, skill_id FROM goal_skills WHERE goal_id IN"
            " (SELECT id FROM goals WHERE profile_id = ?) ORDER BY rowid",
            (profile_id,),
        ):
            skills.setdefault(goal_id, []).append(self.names.get(("skill", skill_id), skill_id))
        goals = []
        for goal_id, title, due, status, notes in con.execute(
            "SELECT id, title, due, status, notes FROM goals WHERE profile_id = ?", (profile_id,)
        ):
            day = dt.date.fromisoformat(due) if due else None
            open_ = status in ("planned", "active")
            if open_ or (day is not None and self.start <= day <= self.end):
                goals.append((not open_, day is None, day or dt.date.max, title, status, notes))
                goals[-1] += (skills.get(goal_id, []),)
        goals.sort(key=lambda g: (g[0], g[1], g[2], g[3].casefold()))
        first = f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        learning = sorted(
            con.execute(
                "SELECT target_quarter, done, title, notes FROM learning_items"
                " WHERE profile_id = ? AND target_quarter >= ?",
                (profile_id, first),
            ),
            key=lambda i: (i[0], i[1], i[2].casefold()),
        )
        return goals, learning
