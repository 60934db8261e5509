"""Hostile input never crashes the loader: it yields a Framework or a FrameworkError.

Anything else would reach the user as a traceback ("a bug") instead of a sentence,
so these properties feed the loader arbitrary text and bytes and broken variants of
the built-in ladder.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import FrameworkError
from app.framework.loader import framework_hash, load_framework_file, load_framework_text
from app.framework.model import Framework, format_loc
from app.paths import builtin_framework_files

BUILTIN = next(p for p in builtin_framework_files() if p.name == "ml-engineer.yaml")
DATA: dict[str, Any] = yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))

DocPath = tuple[str | int, ...]

# Characters that make YAML and JSON do things, so random text reaches deeper than the scanner.
SYNTAX = st.text(
    alphabet=st.sampled_from(list("{}[]:,-?&*!|>'\"#%@` \n\t0123456789abex._+~=<\\/")),
    max_size=60,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["", "ml-engineer", "critical", "range", "100", "-1", "30d"])
)


def all_paths(node: Any, path: DocPath = ()) -> list[DocPath]:
    """Every path inside `node` (not the root)."""
    paths: list[DocPath] = []
    children: list[tuple[str | int, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    for key, value in children:
        paths.append((*path, key))
        paths.extend(all_paths(value, (*path, key)))
    return paths


PATHS = all_paths(DATA)


def _get(data: Any, path: DocPath) -> Any:
    for part in path:
        data = data[part]
    return data


LEAF_PATHS = [p for p in PATHS if not isinstance(_get(DATA, p), dict | list)]
NUMBER_PATHS = [
    p
    for p in LEAF_PATHS
    if isinstance(_get(DATA, p), int | float) and not isinstance(_get(DATA, p), bool)
]


def check(load: Callable[[], Framework]) -> Framework | None:
    """Run `load`; a FrameworkError is fine, anything else fails the property."""
    message = None
    try:
        framework = load()
    except FrameworkError as exc:
        message = str(exc)
    if message is not None:
        assert message.strip(), "a FrameworkError must say what is wrong"
        return None
    assert isinstance(framework, Framework)
    # Whatever validates must also be storable: canonical JSON and a hash.
    assert len(framework_hash(framework)) == 64
    return framework


def check_data(data: Any, *, as_yaml: bool = False) -> None:
    """Mutated data loads or fails cleanly, as JSON and (slower, with lines) as YAML."""
    json_text = json.dumps(data, ensure_ascii=False)
    from_json = check(lambda: load_framework_text(json_text, "m.json", json_format=True))
    if not as_yaml:
        return
    yaml_text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    from_yaml = check(lambda: load_framework_text(yaml_text, "m.yaml", json_format=False))
    assert (from_yaml is None) == (from_json is None)
    if from_yaml is not None and from_json is not None:
        assert framework_hash(from_yaml) == framework_hash(from_json)


def test_paths_cover_the_ladder() -> None:
    """The mutation strategies below really reach into every part of the file."""
    assert len(PATHS) > 1000
    assert ("kpis", 0, "targets", 0, "low") in LEAF_PATHS
    assert ("skills", 12, "expected", "ml-engineer") in LEAF_PATHS
    assert ("kpis", 0, "targets", 0, "low") in NUMBER_PATHS
    assert ("verdict_bands", 2, "from") in NUMBER_PATHS


@given(st.text())
def test_arbitrary_text_as_yaml(text: str) -> None:
    check(lambda: load_framework_text(text, "t.yaml", json_format=False))


@given(st.text())
def test_arbitrary_text_as_json(text: str) -> None:
    check(lambda: load_framework_text(text, "t.json", json_format=True))


@given(SYNTAX)
def test_syntax_soup_as_yaml(text: str) -> None:
    check(lambda: load_framework_text(text, "t.yaml", json_format=False))


@given(SYNTAX)
def test_syntax_soup_as_json(text: str) -> None:
    check(lambda: load_framework_text(text, "t.json", json_format=True))


@given(st.binary(max_size=200), st.sampled_from([".yaml", ".yml", ".json"]))
def test_arbitrary_bytes_as_a_file(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"f{suffix}"
    path.write_bytes(raw)
    check(lambda: load_framework_file(path))


@given(st.sampled_from(PATHS))
def test_deleting_any_key_or_item(path: DocPath) -> None:
    data = copy.deepcopy(DATA)
    parent = _get(data, path[:-1])
    del parent[path[-1]]
    check_data(data)


@given(st.sampled_from(LEAF_PATHS), SCALARS)
def test_replacing_any_leaf_with_a_scalar(path: DocPath, value: Any) -> None:
    data = copy.deepcopy(DATA)
    _get(data, path[:-1])[path[-1]] = value
    check_data(data)


@given(st.sampled_from(PATHS), SCALARS)
def test_replacing_any_value_with_a_scalar(path: DocPath, value: Any) -> None:
    """Lists and mappings too, where the model expects structure."""
    data = copy.deepcopy(DATA)
    _get(data, path[:-1])[path[-1]] = value
    check_data(data)


@settings(max_examples=20)  # a YAML round trip of the whole ladder costs ~0.15 s
@given(st.sampled_from(PATHS), st.booleans(), SCALARS)
def test_mutations_through_yaml(path: DocPath, delete: bool, value: Any) -> None:
    """Through the YAML reader, whose line map must survive any broken document."""
    data = copy.deepcopy(DATA)
    parent = _get(data, path[:-1])
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    check_data(data, as_yaml=True)


@given(st.sampled_from(NUMBER_PATHS), st.sampled_from([math.nan, math.inf, -math.inf]))
def test_non_finite_numbers_are_refused_where_they_stand(path: DocPath, value: float) -> None:
    """NaN and infinity have no canonical JSON; a ladder holding one could not be hashed."""
    data = copy.deepcopy(DATA)
    _get(data, path[:-1])[path[-1]] = value
    with pytest.raises(FrameworkError) as exc:
        load_framework_text(json.dumps(data), "k.json", json_format=True)
    assert str(exc.value).startswith(f"k.json, {format_loc(path)}: ")
