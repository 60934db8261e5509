"""Promotion criteria: each one's status as of a date, and how long it has been met.

The brief's rules, for the criteria of every step from the current level up
to the target (grouped by step):

1. leave out linked skills marked not applicable, or expected 0 at the step's
   upper level; if none is left, the criterion is not shown;
2. if any remaining skill has never been rated: *not rated yet*;
3. if every one is at or above its expected rating: *met*;
4. if at least one is, or every one is within one point: *partly*;
5. otherwise *not met*.

*Sustained since* is the earliest date from which the criterion has been met
at every finalised check-in up to the date (self-assessed only), with its
length in whole months; none when it is not met on the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.framework.model import Framework, PromotionCriterion
from app.readiness import SkillState

Status = Literal["met", "partly", "not-met", "not-rated"]
STATUS_WORDS: dict[Status, str] = {
    "met": "met",
    "partly": "partly met",
    "not-met": "not met",
    "not-rated": "not rated yet",
}


@dataclass(frozen=True)
class CriterionSkill:
    id: str
    name: str
    rating: int | None  # None: never rated
    expected: int  # at the step's upper level


@dataclass(frozen=True)
class CriterionStatus:
    id: str
    text: str
    step: tuple[str, str]  # (from level, to level)
    status: Status
    skills: tuple[CriterionSkill, ...]
    sustained_since: dt.date | None = None
    sustained_months: int | None = None

    @property
    def words(self) -> str:
        return STATUS_WORDS[self.status]


def _counted(
    framework: Framework, criterion: PromotionCriterion, ratings: Mapping[str, SkillState]
) -> list[CriterionSkill]:
    upper = framework.criterion_step(criterion)
    skills = []
    for skill_id in criterion.skills:
        skill = framework.skill(skill_id)
        expected = skill.expected.get(upper, 0)
        state = ratings.get(skill_id)
        if expected <= 0 or (state is not None and state.not_applicable):
            continue
        skills.append(
            CriterionSkill(skill.id, skill.name, state.value if state else None, expected)
        )
    return skills


def status_of(skills: Sequence[CriterionSkill]) -> Status:
    """Rules 2 to 5 on the skills left after rule 1 (there is at least one)."""
    if any(s.rating is None for s in skills):
        return "not-rated"
    at = [s.rating is not None and s.rating >= s.expected for s in skills]
    if all(at):
        return "met"
    if any(at) or all(s.rating is not None and s.rating >= s.expected - 1 for s in skills):
        return "partly"
    return "not-met"


def statuses(
    framework: Framework, level: str, target: str, ratings: Mapping[str, SkillState]
) -> list[CriterionStatus]:
    """Every shown criterion of the steps from `level` to `target`, step by step."""
    result = []
    for step in framework.steps(level, target):
        for criterion in framework.criteria_of_step(step[1]):
            skills = _counted(framework, criterion, ratings)
            if skills:
                result.append(
                    CriterionStatus(
                        criterion.id, criterion.text, step, status_of(skills), tuple(skills)
                    )
                )
    return result


def sustained_since(days: Iterable[tuple[dt.date, bool]], as_of: dt.date) -> dt.date | None:
    """The earliest date from which every check-in date up to `as_of` holds (True)."""
    since: dt.date | None = None
    for day, holds in days:
        if day > as_of:
            break
        if not holds:
            since = None
        elif since is None:
            since = day
    return since


def whole_months(start: dt.date, end: dt.date) -> int:
    """Calendar months from `start` to `end`, rounded down (31 Jan → 28 Feb is 0)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)
