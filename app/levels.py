"""What changes between two levels of a framework: "what do I need for promotion?"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from app.framework.model import Framework

Change = Literal["new", "raised", "same", "lowered", "not expected"]


class SkillDiff(BaseModel):
    id: str
    name: str
    dimension: str
    criticality: str
    lower: int  # the expected rating at the first level
    higher: int  # ... and at the second
    change: Change


class Criterion(BaseModel):
    text: str
    skills: list[str]  # skill names
    step: str = ""  # the name of the level the criterion's step leads to


class LevelDiff(BaseModel):
    framework: str
    lower: str  # level names
    higher: str
    skills: list[SkillDiff]  # grouped by dimension, in framework order
    criteria: list[Criterion]  # the criteria of every step from the lower level to the higher

    @property
    def changed(self) -> list[SkillDiff]:
        return [s for s in self.skills if s.change in {"new", "raised", "lowered"}]


def level_diff(framework: Framework, first: str, second: str) -> LevelDiff:
    """Per skill the expectation at each level, and whether it is new, raised or lowered.

    Any two levels compare, in either order: the lower one on the ladder comes first,
    so a change always reads upwards, and the criteria are those of every step between.
    """
    ids = [level.id for level in framework.levels]
    lower, higher = sorted((first, second), key=ids.index)
    dimension_order = {d.id: i for i, d in enumerate(framework.dimensions)}
    names = {s.id: s.name for s in framework.skills}
    rows = []
    for skill in sorted(framework.skills, key=lambda s: dimension_order[s.dimension]):
        before, after = skill.expected.get(lower, 0), skill.expected.get(higher, 0)
        change: Change
        if before == after:
            change = "same" if after else "not expected"
        elif before == 0:
            change = "new"
        else:
            change = "raised" if after > before else "lowered"
        rows.append(
            SkillDiff(
                id=skill.id,
                name=skill.name,
                dimension=next(d.name for d in framework.dimensions if d.id == skill.dimension),
                criticality=framework.criticality(skill.criticality).name,
                lower=before,
                higher=after,
                change=change,
            )
        )
    return LevelDiff(
        framework=framework.ref,
        lower=framework.level(lower).name,
        higher=framework.level(higher).name,
        skills=rows,
        criteria=[
            Criterion(
                text=c.text, skills=[names[s] for s in c.skills], step=framework.level(to).name
            )
            for _from, to in framework.steps(lower, higher)
            for c in framework.criteria_of_step(to)
        ],
    )
