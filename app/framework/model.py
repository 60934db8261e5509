"""The role framework (a career ladder) as a strict pydantic model.

A framework file is validated in two passes: pydantic checks the shape and
types, then `Framework`'s own validator checks what shape alone cannot say
(unique ids, references, weights that sum to 100, ratings inside the scale,
bands in order). Those checks raise `FrameworkProblems`, which keeps the path
of every problem so that the loader can name the file, the path and the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Loc = tuple[str | int, ...]

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=64),
]
Version = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+){0,3}$", max_length=32)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
Horizon = Literal["30d", "60d", "90d", "6m", "12m"]
Category = Literal["must-have", "good-to-have", "advanced", "emerging", "soft"]
Cadence = Literal["weekly", "monthly", "quarterly", "per-release"]
# NaN and infinity have no canonical JSON form, so a framework holding one could not be hashed.
Finite = Annotated[float, Field(allow_inf_nan=False)]

HORIZONS: tuple[Horizon, ...] = ("30d", "60d", "90d", "6m", "12m")


class FrameworkProblems(Exception):
    """Semantic problems found after the shape validated, each with its path.

    Deliberately not a ValueError: pydantic lets it pass through unchanged,
    so the paths survive to the loader.
    """

    def __init__(self, problems: Sequence[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in problems))
        self.problems = list(problems)


def format_loc(loc: Iterable[str | int]) -> str:
    """Render a path the way people read it: `skills[12].expected.ml-engineer`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Model):
    """A rung of the ladder; `levels` lists them from junior to senior."""

    id: Id
    name: Text
    description: Text | None = None


class ScalePoint(_Model):
    """One point of the rating scale with the behaviour that earns it."""

    value: Annotated[int, Field(ge=0, le=100)]
    label: Text
    anchor: Text


class Dimension(_Model):
    """A weighted area of the role (the scorecard's dimensions)."""

    id: Id
    name: Text
    weight: Annotated[int, Field(gt=0, le=100)]
    description: Text | None = None
    source: Text


class Criticality(_Model):
    """How much a skill weighs inside its dimension; `critical` ones gate the verdict."""

    id: Id
    name: Text
    weight: Annotated[int, Field(gt=0, le=1000)]
    critical: bool = False


class VerdictBand(_Model):
    """A verdict that holds from `from_readiness` up to the next band's start."""

    id: Id
    name: Text
    from_readiness: Annotated[float, Field(ge=0, le=100, alias="from")]
    ready: bool = False


class Skill(_Model):
    """A skill with its expected rating at every level (0 = not expected)."""

    id: Id
    name: Text
    dimension: Id
    category: Category
    criticality: Id
    description: Text | None = None
    use: Text | None = None
    examples: list[Text] = []
    why_it_matters: Text | None = None
    on_the_job: Text | None = None
    strong_performance: Text | None = None
    seed_note: Text | None = Field(
        default=None, description="The source's own wording where it was mapped to a field."
    )
    expected: dict[Id, Annotated[int, Field(ge=0)]]
    source: Text


class Responsibility(_Model):
    """What the role does, grouped as in the source; shown for context."""

    id: Id
    group: Text
    title: Text
    text: Text | None = None
    source: Text


class Milestone(_Model):
    """A goal due a fixed time after the role start date."""

    id: Id
    horizon: Horizon
    title: Text
    source: Text


class ThresholdTarget(_Model):
    kind: Literal["threshold"]
    comparator: Literal["<", "<=", ">", ">=", "="]
    value: Finite
    unit: Text | None = None


class RangeTarget(_Model):
    kind: Literal["range"]
    low: Finite
    high: Finite
    unit: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RangeTarget:
        if self.low > self.high:
            raise ValueError(f"the range's low ({self.low:g}) is above its high ({self.high:g})")
        return self


class TrendTarget(_Model):
    kind: Literal["trend"]
    direction: Literal["up", "down"]
    window_months: Annotated[int, Field(gt=0, le=120)] | None = None


class QualitativeTarget(_Model):
    kind: Literal["qualitative"]
    text: Text


Target = Annotated[
    ThresholdTarget | RangeTarget | TrendTarget | QualitativeTarget, Field(discriminator="kind")
]


class Kpi(_Model):
    """A measure with its target as data: all of `targets` apply together."""

    id: Id
    name: Text
    measures: Text
    why: Text
    cadence: Cadence
    unit: Text | None = None
    targets: Annotated[list[Target], Field(min_length=1)]
    target_text: Text = Field(description="The target as the source words it.")
    source: Text


class PromotionCriterion(_Model):
    """A capability needed for a step up, evidenced by the linked skills.

    `step` is the level the step leads to (from the level just below it); left
    out, the criterion belongs to the first step (into the second level), so a
    one-step ladder needs no `step` and its hash does not change.
    """

    id: Id
    text: Text
    skills: Annotated[list[Id], Field(min_length=1)]
    source: Text
    step: Id | None = None


class Caution(_Model):
    """An anti-pattern or red flag: behaviour that argues against readiness."""

    id: Id
    text: Text
    source: Text


class Framework(_Model):
    """A versioned role framework; see the README for the file format."""

    id: Id
    version: Version
    name: Text
    description: Text | None = None
    source: Text | None = None
    levels: Annotated[list[Level], Field(min_length=1)]
    rating_scale: Annotated[list[ScalePoint], Field(min_length=2)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    criticalities: Annotated[list[Criticality], Field(min_length=1)]
    verdict_bands: Annotated[list[VerdictBand], Field(min_length=2)]
    skills: Annotated[list[Skill], Field(min_length=1)]
    responsibilities: list[Responsibility] = []
    milestones: list[Milestone] = []
    kpis: list[Kpi] = []
    promotion_criteria: list[PromotionCriterion] = []
    anti_patterns: list[Caution] = []
    red_flags: list[Caution] = []

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        problems = list(_semantic_problems(self))
        if problems:
            raise FrameworkProblems(problems)
        return self

    @property
    def ref(self) -> str:
        """`ID@VERSION`, the name of this exact version."""
        return f"{self.id}@{self.version}"

    @property
    def max_rating(self) -> int:
        return self.rating_scale[-1].value

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def skill(self, skill_id: str) -> Skill:
        return next(skill for skill in self.skills if skill.id == skill_id)

    def criticality(self, criticality_id: str) -> Criticality:
        return next(c for c in self.criticalities if c.id == criticality_id)

    def is_critical(self, skill: Skill) -> bool:
        return self.criticality(skill.criticality).critical

    def criterion_step(self, criterion: PromotionCriterion) -> str:
        """The level a criterion's step leads to."""
        return criterion.step or self.levels[min(1, len(self.levels) - 1)].id

    def steps(self, level: str, target: str) -> list[tuple[str, str]]:
        """The steps from `level` up to `target`, as (from, to) level ids, lowest first."""
        ids = [lvl.id for lvl in self.levels]
        start, end = ids.index(level), ids.index(target)
        return [(ids[i], ids[i + 1]) for i in range(start, end)]

    def taggable(self) -> dict[str, set[str]]:
        """The ids evidence can be tagged to, by kind."""
        return {
            "skill": {s.id for s in self.skills},
            "milestone": {m.id for m in self.milestones},
            "kpi": {k.id for k in self.kpis},
            "criterion": {c.id for c in self.promotion_criteria},
        }

    def criteria_of_step(self, to_level: str) -> list[PromotionCriterion]:
        return [c for c in self.promotion_criteria if self.criterion_step(c) == to_level]


def _semantic_problems(fw: Framework) -> Iterator[tuple[Loc, str]]:
    """Everything the shape cannot say, as (path, message) pairs."""
    for field in (
        "levels",
        "dimensions",
        "criticalities",
        "verdict_bands",
        "skills",
        "responsibilities",
        "milestones",
        "kpis",
        "promotion_criteria",
        "anti_patterns",
        "red_flags",
    ):
        items = getattr(fw, field)
        first_seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first_seen:
                yield (
                    (field, index, "id"),
                    (f"the id '{item.id}' is already used by {field}[{first_seen[item.id]}]"),
                )
            else:
                first_seen[item.id] = index

    values = [point.value for point in fw.rating_scale]
    if values != list(range(len(values))):
        yield (
            ("rating_scale",),
            (
                "the rating scale must start at 0 and go up by 1 "
                f"(found {', '.join(map(str, values))})"
            ),
        )
    top = values[-1]

    total = sum(d.weight for d in fw.dimensions)
    if total != 100:
        yield ("dimensions",), f"the dimension weights add up to {total}, not 100"

    levels = [level.id for level in fw.levels]
    dimensions = {d.id for d in fw.dimensions}
    criticalities = {c.id for c in fw.criticalities}
    for index, skill in enumerate(fw.skills):
        if skill.dimension not in dimensions:
            yield ("skills", index, "dimension"), f"no dimension has the id '{skill.dimension}'"
        if skill.criticality not in criticalities:
            yield (
                ("skills", index, "criticality"),
                (f"no criticality has the id '{skill.criticality}'"),
            )
        for level_id, rating in skill.expected.items():
            if level_id not in levels:
                yield ("skills", index, "expected", level_id), f"no level has the id '{level_id}'"
            elif rating > top:
                yield (
                    ("skills", index, "expected", level_id),
                    (f"the expected rating {rating} is outside the scale 0–{top}"),
                )
        for level_id in levels:
            if level_id not in skill.expected:
                yield ("skills", index, "expected"), f"no expected rating for level '{level_id}'"

    skills = {skill.id for skill in fw.skills}
    for index, criterion in enumerate(fw.promotion_criteria):
        if criterion.step is not None and criterion.step not in levels[1:]:
            yield (
                ("promotion_criteria", index, "step"),
                (
                    f"the step must be a level above the first ({', '.join(levels[1:])}); "
                    f"'{criterion.step}' is not"
                ),
            )
        for position, skill_id in enumerate(criterion.skills):
            if skill_id not in skills:
                yield (
                    ("promotion_criteria", index, "skills", position),
                    (f"no skill has the id '{skill_id}'"),
                )

    bands = fw.verdict_bands
    if bands[0].from_readiness != 0:
        yield ("verdict_bands", 0, "from"), "the first verdict band must start at 0"
    for index in range(1, len(bands)):
        if bands[index].from_readiness <= bands[index - 1].from_readiness:
            yield (
                ("verdict_bands", index, "from"),
                ("verdict bands must be listed in increasing order of readiness"),
            )
    ready = [index for index, band in enumerate(bands) if band.ready]
    if len(ready) != 1:
        yield ("verdict_bands",), f"exactly one verdict band must be ready (found {len(ready)})"
    elif ready[0] == 0:
        yield ("verdict_bands", 0, "ready"), "the ready band cannot be the lowest one"
