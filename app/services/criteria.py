"""Promotion criteria of a profile as of a date: statuses, and how long each has been met."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.criteria import CriterionStatus, statuses, sustained_since, whole_months
from app.readiness import SkillState
from app.services.checkins import CheckInService
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService


class CriteriaService:
    def __init__(
        self, frameworks: FrameworkService, profiles: ProfileService, checkins: CheckInService
    ) -> None:
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins

    def statuses(
        self, profile_id: str, as_of: date, *, calibrations: dict[str, int] | None = None
    ) -> list[CriterionStatus]:
        """The criteria of every step from the level to the target on `as_of`, each with its
        status; self-assessed ones also say since when they have been met. With
        `calibrations` (an assessment's), the assessor's rating replaces the owner's
        wherever there is one, and there is no "since" (calibrations have no history)."""
        stage = self._profiles.get(profile_id).stage_on(as_of)
        framework = self._frameworks.get(stage.framework, stage.framework_version)
        ratings = {
            skill_id: SkillState(rating.value, rating.not_applicable)
            for skill_id, rating in self._checkins.current_ratings(profile_id, as_of).items()
        }
        if calibrations is not None:
            ratings |= {skill_id: SkillState(value) for skill_id, value in calibrations.items()}
            return statuses(framework, stage.level, stage.target, ratings)
        met: dict[str, list[tuple[date, bool]]] = {}
        carried: dict[str, SkillState] = {}
        for checkin, changes in self._checkins.final_history(profile_id):
            if checkin.date > as_of:
                break
            for skill_id, value, not_applicable in changes:
                carried[skill_id] = SkillState(value, not_applicable)
            for status in statuses(framework, stage.level, stage.target, carried):
                met.setdefault(status.id, []).append((checkin.date, status.status == "met"))
        result = []
        for status in statuses(framework, stage.level, stage.target, ratings):
            met_on = met.get(status.id, [])
            since = sustained_since(met_on, as_of) if status.status == "met" else None
            result.append(
                dataclasses.replace(
                    status,
                    sustained_since=since,
                    sustained_months=whole_months(since, as_of) if since else None,
                )
            )
        return result
