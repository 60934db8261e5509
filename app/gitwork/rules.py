"""Tag rules: which changed paths and words in commit messages suggest which tags.

Rules are data, kept beside a framework rather than in it (a framework's hash
must not change): `data/gitrules/<framework-id>.yaml` ships with Rung, and the
same file name in the data folder's `gitrules/` replaces it. A framework
without rules gets proposals without tags.

    rules:
      - paths: ["tests", "test_*.py"]   # globs: on the whole path, or on any part of it
        keywords: [pytest]              # starting a word in a subject or a path (4 letters or
                                        # fewer: the whole word), any case
        tags: ["skill:software-engineering-basics", "kpi:test-coverage"]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.errors import InvalidInputError
from app.paths import data_files_dir
from app.store.models import TAG_KINDS

RULES_FOLDER = "gitrules"
MAX_RULES_BYTES = 1_000_000


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    paths: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = Field(min_length=1)

    @field_validator("tags")
    @classmethod
    def _tags_are_kind_and_id(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        for tag in tags:
            kind, sep, ref = tag.partition(":")
            if not sep or not ref or kind not in TAG_KINDS:
                raise ValueError(f"'{tag}' is not KIND:ID with a kind among {', '.join(TAG_KINDS)}")
        return tags


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[_Rule, ...] = ()


@dataclass(frozen=True)
class Rule:
    paths: tuple[str, ...]
    keywords: tuple[re.Pattern[str], ...]
    tags: tuple[tuple[str, str], ...]  # (kind, ref)

    def matches(self, paths: Iterable[str], words: Iterable[str]) -> bool:
        if any(_path_matches(path, glob) for path in paths for glob in self.paths):
            return True
        return any(k.search(text) for text in words for k in self.keywords)


def _path_matches(path: str, glob: str) -> bool:
    """A glob with a slash matches the whole path; without one, any part of it."""
    if "/" in glob:
        return fnmatchcase(path, glob)
    return any(fnmatchcase(part, glob) for part in path.split("/"))


@dataclass(frozen=True)
class TagRules:
    rules: tuple[Rule, ...] = ()
    source: Path | None = None

    def tags_for(
        self, paths: Iterable[str], words: Iterable[str], known: dict[str, set[str]]
    ) -> tuple[tuple[str, str], ...]:
        """The tags of every rule that matches, in rule order, those the framework knows."""
        paths, words = list(paths), list(words)
        found: dict[tuple[str, str], None] = {}
        for rule in self.rules:
            if rule.matches(paths, words):
                for tag in rule.tags:
                    if tag[1] in known.get(tag[0], set()):
                        found[tag] = None
        return tuple(found)


def rules_path(framework_id: str, data_dir: Path | None) -> Path | None:
    """The rules file for a framework: the data folder's own, else the shipped one."""
    name = f"{framework_id}.yaml"
    for folder in (
        (data_dir / RULES_FOLDER) if data_dir else None,
        data_files_dir() / RULES_FOLDER,
    ):
        if folder is not None and (folder / name).is_file():
            return folder / name
    return None


def _keyword(word: str) -> re.Pattern[str]:
    """A keyword starts a word ("alert" finds "alerting"); one of four letters or fewer is a
    whole word ("rest" is not "restore", "ci" is not "circle")."""
    end = r"\b" if len(word) <= 4 else ""
    return re.compile(rf"\b{re.escape(word)}{end}", re.IGNORECASE)


def parse_rules(text: str, source: Path | None = None) -> TagRules:
    import yaml

    where = f"The tag rules in {source}" if source else "The tag rules"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise InvalidInputError(f"{where} are not valid YAML{line}.") from None
    try:
        model = _RulesFile.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "the file"
        raise InvalidInputError(f"{where} are wrong at {loc}: {first['msg']}.") from None
    rules = tuple(
        Rule(
            paths=r.paths,
            keywords=tuple(_keyword(k) for k in r.keywords),
            tags=tuple((t.partition(":")[0], t.partition(":")[2]) for t in r.tags),
        )
        for r in model.rules
    )
    return TagRules(rules, source)


def load_rules(framework_id: str, data_dir: Path | None = None) -> TagRules:
    """The rules for a framework; none (no tags) when it has no rules file."""
    path = rules_path(framework_id, data_dir)
    if path is None:
        return TagRules()
    try:
        if path.stat().st_size > MAX_RULES_BYTES:
            raise InvalidInputError(f"The tag rules file {path} is larger than 1 MB.")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"The tag rules file {path} cannot be read: {exc}.") from None
    return parse_rules(text, path)
