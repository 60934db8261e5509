"""The team at a glance: one row per profile shared with this folder's owner.

A manager opens every shared profile at once, so the rows are read for all of
them together, in a fixed number of queries whatever the size of the team or
the length of its history: every final check-in and rating
(`CheckInService.final_histories`, two queries), the current milestones (one),
and the latest assessment of each profile with its calibrations (two). The
rest is computed in Python by the code every other view uses: the ratings
carried forward through the history read (`carried_ratings`), the one
readiness formula self-assessed and calibrated (`ReadinessService.from_state`,
`with_calibrations`), readiness over time for the trend
(`ReadinessService.over_time`) and the calibration order for the largest
disagreement (`calibration_rows`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import exists, func, select

from app.files import atomic_write, check_output
from app.readiness import Gate, Readiness, format_score
from app.services.checkins import (
    CheckInService,
    CurrentMilestone,
    FinalHistory,
    carried_ratings,
    next_due,
)
from app.services.frameworks import FrameworkService
from app.services.manager import calibration_rows
from app.services.profiles import ProfileInfo, ProfileService
from app.services.readiness import ReadinessService, with_calibrations
from app.store.db import Store
from app.store.models import (
    Assessment,
    AssessmentSend,
    Calibration,
    DimensionComment,
    Recommendation,
)

TREND_DAYS = 365  # the trend covers the last year of check-ins, up to the latest

AssessmentState = Literal["none", "drafted", "exported"]
ASSESSMENT_STATES: tuple[AssessmentState, ...] = ("none", "drafted", "exported")


@dataclass(frozen=True)
class LatestAssessment:
    """The manager's latest assessment of a profile, on or before the day the rows are for."""

    date: date
    updated_at: datetime
    calibrations: dict[str, int]  # skill id → the manager's rating
    band: str | None  # the recommendation, a verdict band id
    has_comments: bool
    exported_at: datetime | None  # when it last went to its owner (a bundle or a hub)

    @property
    def empty(self) -> bool:
        return not (self.calibrations or self.band or self.has_comments)


def assessment_state(latest: LatestAssessment | None) -> AssessmentState:
    """The state: "none" before the manager assessed anything; "exported" once an assessment bundle
    or a team hub carried the latest assessment, unchanged since, to its owner; "drafted"
    otherwise."""
    if latest is None or latest.empty:
        return "none"
    if latest.exported_at is not None and latest.exported_at >= latest.updated_at:
        return "exported"
    return "drafted"


@dataclass(frozen=True)
class Disagreement:
    """The skill where the manager's rating is furthest from the owner's."""

    skill_id: str
    name: str
    self_rating: int | None  # None: never rated by the owner (counts as 0)
    manager_rating: int

    @property
    def difference(self) -> int:
        """Manager − self."""
        return self.manager_rating - (self.self_rating or 0)


@dataclass(frozen=True)
class TeamRow:
    """One person of the team, as of a day."""

    id: str
    name: str
    framework: str
    framework_version: str
    level: str  # ids, as in every JSON output
    target: str
    level_name: str
    target_name: str
    last_checkin: date | None  # the latest final check-in (None before the first)
    checkins: int  # dates with a final check-in
    next_due: date
    bundle_exported_at: datetime | None  # when the owner exported the bundle imported last
    readiness: Readiness  # self-assessed, as of the day
    calibrated: Readiness | None  # by the latest assessment; None without one
    assessment_date: date | None
    trend: tuple[tuple[date, float], ...]  # readiness at each check-in of the last year
    disagreement: Disagreement | None  # None: nothing calibrated, or no disagreement
    calibrated_skills: int  # how many skills the manager rated
    assessment: AssessmentState
    recommendation: str | None  # the recommended verdict band's id
    recommendation_name: str | None  # and its name

    @property
    def gates(self) -> list[Gate]:
        """What holds the self-assessed verdict back."""
        return self.readiness.gates

    @property
    def trend_change(self) -> float | None:
        """Readiness points gained (or lost) over the trend; None with fewer than two points."""
        if len(self.trend) < 2:
            return None
        return self.trend[-1][1] - self.trend[0][1]

    def bundle_age_days(self, today: date) -> int | None:
        """How many days old the latest bundle is (None for a copy with no export time)."""
        if self.bundle_exported_at is None:
            return None
        return max(0, (today - self.bundle_exported_at.date()).days)


class TeamService:
    """The rows of the Team section and of `rung team list`."""

    def __init__(
        self,
        store: Store,
        frameworks: FrameworkService,
        profiles: ProfileService,
        checkins: CheckInService,
        readiness: ReadinessService,
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins
        self._readiness = readiness

    def export_csv(self, path: Path, today: date, rows: list[TeamRow] | None = None) -> Path:
        """Write the rows (`rows`, or read now) as CSV to `path`, atomically and owner-only;
        a path inside the data folder (or not a regular file) is refused first."""
        check_output(path, self._store.data_dir)
        data = team_csv(self.rows(today) if rows is None else rows, today)
        atomic_write(path, data, data_dir=self._store.data_dir)
        return path

    def rows(self, today: date | None = None) -> list[TeamRow]:
        """Every shared profile as of `today` (default today), by name."""
        day = today or date.today()
        profiles = [p for p in self._profiles.all() if p.shared]
        ids = [p.id for p in profiles]
        histories = self._checkins.final_histories(ids)
        milestones = self._checkins.current_milestones_of(ids, day)
        latest = self._latest_assessments(ids, day)
        rows = [
            self._row(profile, day, histories[profile.id], milestones[profile.id], latest)
            for profile in profiles
        ]
        return sorted(rows, key=lambda r: (r.name.casefold(), r.id))

    def _row(
        self,
        profile: ProfileInfo,
        day: date,
        history: FinalHistory,
        milestones: Mapping[str, CurrentMilestone],
        latest_of: Mapping[str, LatestAssessment],
    ) -> TeamRow:
        stage = profile.stage_on(day)
        framework = self._frameworks.get(stage.framework, stage.framework_version)
        ratings = carried_ratings(history, day)
        has_final = bool(history) and history[0][0].date <= day
        readiness = self._readiness.from_state(
            profile, day, ratings, milestones, assessed=has_final
        )
        points = self._readiness.over_time(profile.id, history, profile=profile)
        latest = latest_of.get(profile.id)
        calibrated = disagreement = None
        if latest is not None:
            merged = with_calibrations(ratings, latest.calibrations, day)
            calibrated = self._readiness.from_state(
                profile, day, merged, milestones, assessed=bool(merged) or has_final
            )
            largest = calibration_rows(framework, stage.target, ratings, latest.calibrations)[0]
            if largest.difference and largest.manager_rating is not None:
                disagreement = Disagreement(
                    largest.skill_id, largest.name, largest.self_rating, largest.manager_rating
                )
        last = history[-1][0].date if history else None
        band = latest.band if latest else None
        bands = {b.id: b.name for b in framework.verdict_bands}
        return TeamRow(
            id=profile.id,
            name=profile.name,
            framework=stage.framework,
            framework_version=stage.framework_version,
            level=stage.level,
            target=stage.target,
            level_name=framework.level(stage.level).name,
            target_name=framework.level(stage.target).name,
            last_checkin=last,
            checkins=len(history),
            next_due=next_due(last, profile.role_start, profile.checkin_interval_days),
            bundle_exported_at=profile.shared_exported_at,
            readiness=readiness,
            calibrated=calibrated,
            assessment_date=latest.date if latest else None,
            trend=_trend(
                [(p.date, p.readiness) for p in points if p.readiness is not None and p.date <= day]
            ),
            disagreement=disagreement,
            calibrated_skills=len(latest.calibrations) if latest else 0,
            assessment=assessment_state(latest),
            recommendation=band,
            recommendation_name=bands.get(band, band) if band else None,
        )

    def _latest_assessments(self, ids: list[str], day: date) -> dict[str, LatestAssessment]:
        """Each profile's latest own assessment on or before `day`, with its calibrations:
        two queries for the whole team."""
        rank = (
            func.row_number()
            .over(partition_by=Assessment.profile_id, order_by=Assessment.date.desc())
            .label("rank")
        )
        has_comments = (
            exists()
            .where(DimensionComment.assessment_id == Assessment.id)
            .correlate(Assessment)
            .label("has_comments")
        )
        ranked = (
            select(
                Assessment.id,
                Assessment.profile_id,
                Assessment.date,
                Assessment.updated_at,
                Recommendation.band,
                has_comments,
                AssessmentSend.sent_at.label("exported_at"),
                rank,
            )
            .outerjoin(Recommendation, Recommendation.assessment_id == Assessment.id)
            .outerjoin(AssessmentSend, AssessmentSend.assessment_id == Assessment.id)
            .where(
                Assessment.profile_id.in_(ids),
                Assessment.origin == "own",
                Assessment.date <= day,
            )
            .subquery()
        )
        with self._store.session() as session:
            connection = session.connection()
            heads = connection.execute(select(ranked).where(ranked.c.rank == 1)).all()
            calibrations = connection.execute(
                select(Calibration.assessment_id, Calibration.skill_id, Calibration.value).where(
                    Calibration.assessment_id.in_([head.id for head in heads])
                )
            ).all()
        values: dict[str, dict[str, int]] = {head.id: {} for head in heads}
        for assessment_id, skill_id, value in calibrations:
            values[assessment_id][skill_id] = value
        return {
            head.profile_id: LatestAssessment(
                date=head.date,
                updated_at=head.updated_at,
                calibrations=values[head.id],
                band=head.band,
                has_comments=bool(head.has_comments),
                exported_at=head.exported_at,
            )
            for head in heads
        }


def _utc(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def team_record(row: TeamRow, today: date) -> dict[str, Any]:
    """One person as JSON (`rung team list --json`): ids for the framework and the levels,
    ISO dates, readiness 0–100 as computed (null when not assessable)."""
    calibrated = row.calibrated
    disagreement = row.disagreement
    return {
        "id": row.id,
        "name": row.name,
        "framework": row.framework,
        "framework_version": row.framework_version,
        "level": row.level,
        "target": row.target,
        "last_checkin": _day(row.last_checkin),
        "checkins": row.checkins,
        "next_checkin_due": row.next_due.isoformat(),
        "shared_exported_at": _utc(row.bundle_exported_at),
        "bundle_age_days": row.bundle_age_days(today),
        "readiness": row.readiness.readiness,
        "verdict": row.readiness.verdict,
        "held_back": row.readiness.held_back,
        "gates": [gate.model_dump(mode="json") for gate in row.gates],
        "calibrated_readiness": calibrated.readiness if calibrated else None,
        "calibrated_verdict": calibrated.verdict if calibrated else None,
        "assessment_date": _day(row.assessment_date),
        "calibrated_skills": row.calibrated_skills,
        "largest_disagreement": (
            {
                "skill": disagreement.skill_id,
                "name": disagreement.name,
                "self": disagreement.self_rating,
                "manager": disagreement.manager_rating,
                "difference": disagreement.difference,
            }
            if disagreement
            else None
        ),
        "assessment": row.assessment,
        "recommendation": row.recommendation,
        "trend": [{"date": day.isoformat(), "readiness": value} for day, value in row.trend],
        "trend_change": row.trend_change,
    }


CSV_COLUMNS = (
    "id",
    "name",
    "level",
    "target",
    "last_checkin",
    "bundle_exported",
    "bundle_age_days",
    "next_checkin_due",
    "readiness",
    "verdict",
    "calibrated_readiness",
    "calibrated_verdict",
    "assessment_date",
    "gates",
    "gate_names",
    "disagreement_skill",
    "disagreement_self",
    "disagreement_manager",
    "assessment",
    "recommendation",
    "trend_change",
)
# A cell a spreadsheet would read as a formula starts with one of these; such text is
# written after an apostrophe, which spreadsheets show as text (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str | None) -> str:
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _score(value: float | None) -> str:
    return "" if value is None else format_score(value)


def _rating(value: int | None) -> str:
    """A rating, or "not rated" for one never given (never shown as 0)."""
    return "not rated" if value is None else str(value)


def team_csv(rows: list[TeamRow], today: date) -> bytes:
    """The rows as CSV (UTF-8 with a byte-order mark, so spreadsheets read any script): a
    header row, then one row per person; readiness as shown in the app (one decimal,
    truncated), levels and verdicts by name, empty cells for what does not apply."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        calibrated, disagreement = row.calibrated, row.disagreement
        age = row.bundle_age_days(today)
        change = row.trend_change
        writer.writerow(
            [
                row.id,
                _text_cell(row.name),
                _text_cell(row.level_name),
                _text_cell(row.target_name),
                _day(row.last_checkin) or "",
                _utc(row.bundle_exported_at) or "",
                "" if age is None else age,
                row.next_due.isoformat(),
                _score(row.readiness.readiness),
                row.readiness.verdict,
                _score(calibrated.readiness if calibrated else None),
                calibrated.verdict if calibrated else "",
                _day(row.assessment_date) or "",
                len(row.gates),
                _text_cell("; ".join(gate.name for gate in row.gates)),
                _text_cell(disagreement.name if disagreement else None),
                _rating(disagreement.self_rating) if disagreement else "",
                "" if disagreement is None else disagreement.manager_rating,
                row.assessment,
                _text_cell(row.recommendation_name),
                "" if change is None else f"{change:.1f}",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _trend(points: list[tuple[date, float]]) -> tuple[tuple[date, float], ...]:
    """The points of the last TREND_DAYS up to the latest one."""
    if not points:
        return ()
    start = points[-1][0] - timedelta(days=TREND_DAYS)
    return tuple(p for p in points if p[0] > start)
