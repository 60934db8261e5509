"""Every way a framework file can be wrong gives one precise sentence: file, path and line.

Each bad file is the built-in ladder with exactly one thing changed, so the only
problem the loader can report is the one the test introduced.
"""

from __future__ import annotations

import copy
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.errors import FrameworkError
from app.framework.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS
from app.framework.loader import framework_hash, load_framework_file, load_framework_text
from app.paths import builtin_framework_files
from app.services import Services

BUILTIN = next(p for p in builtin_framework_files() if p.name == "ml-engineer.yaml")
TEXT = BUILTIN.read_text(encoding="utf-8")
DATA: dict[str, Any] = yaml.safe_load(TEXT)
DOCKER = "  - id: docker\n"


def index_of(field: str, item_id: str) -> int:
    """Position of an item in the built-in data, worked out independently of the loader."""
    return [item["id"] for item in DATA[field]].index(item_id)


def at(text: str, anchor: str) -> int:
    """Offset of `anchor`, which must occur exactly once."""
    assert text.count(anchor) == 1, anchor
    return text.index(anchor)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def line_of(text: str, anchor: str) -> int:
    """1-based line of the unique `anchor`."""
    return line_at(text, at(text, anchor))


def change(text: str, anchor: str, old: str, new: str) -> tuple[str, int]:
    """Replace the first `old` at or after the unique `anchor`; return the text and its line."""
    start = text.index(old, at(text, anchor))
    return text[:start] + new + text[start + len(old) :], line_at(text, start)


def error(tmp_path: Path, content: str | bytes, name: str = "ladder.yaml") -> str:
    """The FrameworkError message for a file holding `content`."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    return str(exc.value)


def test_the_unchanged_text_loads(tmp_path: Path) -> None:
    """The base of every case below is valid, so each failure is the one change."""
    path = tmp_path / "ladder.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_framework_file(path).id == "ml-engineer"


def test_unknown_key(tmp_path: Path) -> None:
    text, line = change(TEXT, DOCKER, "    name:", "    colour: blue\n    name:")
    i = index_of("skills", "docker")
    assert f"ladder.yaml, line {line}, skills[{i}].colour: unknown key 'colour'" in error(
        tmp_path, text
    )


def test_missing_required_key(tmp_path: Path) -> None:
    """The line is that of the item the key is missing from."""
    text, _ = change(TEXT, DOCKER, '    name: "Docker fundamentals"\n', "")
    i = index_of("skills", "docker")
    line = line_of(text, DOCKER)
    assert f"ladder.yaml, line {line}, skills[{i}].name: this required key is missing" in error(
        tmp_path, text
    )


def test_duplicate_skill_id(tmp_path: Path) -> None:
    text, line = change(TEXT, DOCKER, DOCKER, "  - id: sql-fundamentals\n")
    i = index_of("skills", "docker")
    first = index_of("skills", "sql-fundamentals")
    assert (
        f"ladder.yaml, line {line}, skills[{i}].id: "
        f"the id 'sql-fundamentals' is already used by skills[{first}]"
    ) in error(tmp_path, text)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    """PyYAML would silently keep the last value; the loader refuses instead."""
    text, line = change(TEXT, DOCKER, "    dimension:", '    name: "Again"\n    dimension:')
    i = index_of("skills", "docker")
    message = error(tmp_path, text)
    assert message == (f"ladder.yaml, line {line}, skills[{i}].name: the key 'name' appears twice.")


def test_reference_to_missing_dimension(tmp_path: Path) -> None:
    text, line = change(TEXT, DOCKER, "dimension: production-mindset", "dimension: devops")
    i = index_of("skills", "docker")
    assert (
        f"ladder.yaml, line {line}, skills[{i}].dimension: no dimension has the id 'devops'"
    ) in error(tmp_path, text)


def test_missing_level_in_expected(tmp_path: Path) -> None:
    text, line = change(
        TEXT, DOCKER, "{junior-ml-engineer: 1, ml-engineer: 2}", "{junior-ml-engineer: 1}"
    )
    i = index_of("skills", "docker")
    assert (
        f"ladder.yaml, line {line}, skills[{i}].expected: "
        "no expected rating for level 'ml-engineer'"
    ) in error(tmp_path, text)


def test_unknown_level_in_expected(tmp_path: Path) -> None:
    text, line = change(TEXT, DOCKER, "ml-engineer: 2}", "ml-engineer: 2, staff-engineer: 3}")
    i = index_of("skills", "docker")
    assert (
        f"ladder.yaml, line {line}, skills[{i}].expected.staff-engineer: "
        "no level has the id 'staff-engineer'"
    ) in error(tmp_path, text)


def test_reference_to_missing_skill_in_promotion_criterion(tmp_path: Path) -> None:
    text, line = change(TEXT, "  - id: mlops-competency\n", " docker,", " dockerr,")
    c = index_of("promotion_criteria", "mlops-competency")
    position = DATA["promotion_criteria"][c]["skills"].index("docker")
    assert (
        f"ladder.yaml, line {line}, promotion_criteria[{c}].skills[{position}]: "
        "no skill has the id 'dockerr'"
    ) in error(tmp_path, text)


def test_dimension_weights_not_summing_to_100(tmp_path: Path) -> None:
    """Reported at the dimensions list, which starts at its first item."""
    text, _ = change(TEXT, "  - id: communication-collaboration\n", "weight: 10", "weight: 5")
    line = line_of(text, "  - id: python-engineering\n")
    assert (
        f"ladder.yaml, line {line}, dimensions: the dimension weights add up to 95, not 100"
    ) in error(tmp_path, text)


def test_expected_rating_above_the_scale(tmp_path: Path) -> None:
    assert index_of("skills", "data-validation") == 12
    text, line = change(TEXT, "  - id: data-validation\n", "ml-engineer: 2}", "ml-engineer: 7}")
    assert (
        f"ladder.yaml, line {line}, skills[12].expected.ml-engineer: "
        "the expected rating 7 is outside the scale 0–4"
    ) in error(tmp_path, text)


def test_expected_rating_above_the_scale_in_dumped_yaml(tmp_path: Path) -> None:
    """Same problem in block style: the line is the rating's own line."""
    data = copy.deepcopy(DATA)
    data["skills"][12]["expected"]["ml-engineer"] = 7
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    start = text.index("  ml-engineer: 7\n", at(text, "- id: data-validation\n"))
    line = line_at(text, start)
    assert (
        f"ladder.yaml, line {line}, skills[12].expected.ml-engineer: "
        "the expected rating 7 is outside the scale 0–4"
    ) in error(tmp_path, text)


def test_negative_expected_rating(tmp_path: Path) -> None:
    text, line = change(TEXT, "  - id: data-validation\n", "ml-engineer: 2}", "ml-engineer: -1}")
    assert (
        f"ladder.yaml, line {line}, skills[12].expected.ml-engineer: "
        "input should be greater than or equal to 0"
    ) in error(tmp_path, text)


def test_verdict_bands_out_of_order(tmp_path: Path) -> None:
    text, _ = change(TEXT, "  - id: approaching\n", "from: 70", "from: 90")
    line = line_of(text, "    from: 85\n")
    assert (
        f"ladder.yaml, line {line}, verdict_bands[2].from: "
        "verdict bands must be listed in increasing order of readiness"
    ) in error(tmp_path, text)


def test_no_ready_band(tmp_path: Path) -> None:
    text, _ = change(TEXT, "  - id: ready\n", "    ready: true\n", "")
    line = line_of(text, "  - id: not-yet\n")
    assert (
        f"ladder.yaml, line {line}, verdict_bands: exactly one verdict band must be ready (found 0)"
    ) in error(tmp_path, text)


def test_two_ready_bands(tmp_path: Path) -> None:
    text, _ = change(
        TEXT, "  - id: approaching\n", "    from: 70\n", "    from: 70\n    ready: true\n"
    )
    line = line_of(text, "  - id: not-yet\n")
    assert (
        f"ladder.yaml, line {line}, verdict_bands: exactly one verdict band must be ready (found 2)"
    ) in error(tmp_path, text)


def test_rating_scale_not_starting_at_zero(tmp_path: Path) -> None:
    """Dropping the 0 point leaves 1–4, which the scale may not be."""
    start = at(TEXT, "  - value: 0\n")
    end = at(TEXT, "  - value: 1\n")
    text = TEXT[:start] + TEXT[end:]
    line = line_of(text, "  - value: 1\n")
    assert (
        f"ladder.yaml, line {line}, rating_scale: "
        "the rating scale must start at 0 and go up by 1 (found 1, 2, 3, 4)"
    ) in error(tmp_path, text)


def test_range_target_with_low_above_high(tmp_path: Path) -> None:
    """The path is the target in the file, without pydantic's union tag."""
    text, line = change(TEXT, "  - id: pr-throughput\n", "low: 2, high: 6", "low: 8, high: 6")
    k = index_of("kpis", "pr-throughput")
    message = error(tmp_path, text)
    assert (
        f"ladder.yaml, line {line}, kpis[{k}].targets[0]: the range's low (8) is above its high (6)"
    ) in message
    assert ".range" not in message


def test_unknown_key_in_a_target(tmp_path: Path) -> None:
    text, line = change(TEXT, "  - id: pr-throughput\n", "high: 6", "top: 6")
    k = index_of("kpis", "pr-throughput")
    message = error(tmp_path, text)
    assert f"ladder.yaml, line {line}, kpis[{k}].targets[0].top: unknown key 'top'" in message
    assert f"ladder.yaml, line {line}, kpis[{k}].targets[0].high: this required key" in message


def test_infinite_target_value(tmp_path: Path) -> None:
    """Infinity and NaN have no canonical JSON, so such a ladder could never be hashed."""
    text, line = change(TEXT, "  - id: cycle-time\n", "value: 5,", "value: .inf,")
    k = index_of("kpis", "cycle-time")
    assert (
        f"ladder.yaml, line {line}, kpis[{k}].targets[0].value: input should be a finite number"
    ) in error(tmp_path, text)


def test_bad_id_pattern(tmp_path: Path) -> None:
    text, line = change(TEXT, DOCKER, DOCKER, "  - id: Docker\n")
    i = index_of("skills", "docker")
    assert (
        f"ladder.yaml, line {line}, skills[{i}].id: "
        "use lowercase letters, digits, '.', '_' and '-' only"
    ) in error(tmp_path, text)


def test_bad_level_key_in_expected(tmp_path: Path) -> None:
    """A bad dict key is named by its own path, not pydantic's `[key]` marker."""
    text, line = change(TEXT, DOCKER, "ml-engineer: 2}", "ml-engineer: 2, Staff: 3}")
    i = index_of("skills", "docker")
    message = error(tmp_path, text)
    assert f"ladder.yaml, line {line}, skills[{i}].expected.Staff: the key is not valid" in message
    assert "[key]" not in message


def test_wrong_type_for_weight(tmp_path: Path) -> None:
    text, line = change(TEXT, "  - id: python-engineering\n", "weight: 25", 'weight: "heavy"')
    assert (
        f"ladder.yaml, line {line}, dimensions[0].weight: input should be a valid integer"
    ) in error(tmp_path, text)


def test_json_errors_name_the_path_without_a_line(tmp_path: Path) -> None:
    """JSON keeps no line map; the path alone still finds the problem."""
    data = copy.deepcopy(DATA)
    i = index_of("skills", "docker")
    data["skills"][i]["dimension"] = "devops"
    message = error(tmp_path, json.dumps(data, indent=2), name="ladder.json")
    assert message == f"ladder.json, skills[{i}].dimension: no dimension has the id 'devops'."


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        (
            'name: "ML Engineer ladder"',
            'name: !!python/object/apply:os.system ["touch {marker}"]',
            "python/object/apply:os.system",
        ),
        (
            'examples: ["Airflow", "Prefect", "Dagster"]',
            'examples: !!python/object/apply:os.system ["touch {marker}"]',
            "python/object/apply:os.system",
        ),
        ('name: "ML Engineer ladder"', "name: !!python/name:os.system ''", "python/name:os.system"),
    ],
)
def test_python_tags_are_refused_and_run_nothing(
    tmp_path: Path, old: str, new: str, tag: str
) -> None:
    """A ladder from someone else must never run code, nor lose a tag silently."""
    marker = tmp_path / "pwned"
    text, line = change(TEXT, old, old, new.format(marker=marker))
    message = error(tmp_path, text)
    assert message.startswith(f"ladder.yaml, line {line}")
    assert f"tag:yaml.org,2002:{tag}'" in message
    assert not marker.exists()


def test_python_tag_on_the_whole_document(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    message = error(tmp_path, f'!!python/object/apply:os.system ["touch {marker}"]\n')
    assert message == (
        "ladder.yaml, line 1, (top level): the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in a framework file."
    )
    assert not marker.exists()


def test_invalid_utf8(tmp_path: Path) -> None:
    raw = TEXT.encode("utf-8")
    offset = raw.index(b'name: "ML Engineer ladder"')
    message = error(tmp_path, raw[:offset] + b"\xff" + raw[offset:])
    assert message == f"ladder.yaml: the file is not UTF-8 text (byte {offset})."


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ladder.yaml", "", "ladder.yaml: the file is empty."),
        ("ladder.yaml", "# only a comment\n\n", "ladder.yaml: the file is empty."),
        ("ladder.json", "", "ladder.json, line 1: Expecting value."),
    ],
)
def test_empty_file(tmp_path: Path, name: str, content: str, expected: str) -> None:
    assert error(tmp_path, content, name=name) == expected


def test_folder(tmp_path: Path) -> None:
    path = tmp_path / "ladder.yaml"
    path.mkdir()
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    assert str(exc.value) == f"{path}: this is a folder, not a framework file."


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    assert str(exc.value) == f"{path}: no such file."


def test_wrong_extension(tmp_path: Path) -> None:
    """Checked before reading, even when the content is a valid ladder."""
    assert error(tmp_path, TEXT, name="ladder.txt") == (
        "ladder.txt: a framework file must end in .yaml, .yml or .json."
    )


@pytest.mark.parametrize("name", ["ladder.yml", "LADDER.YAML", "ladder.JSON"])
def test_accepted_extensions(tmp_path: Path, name: str) -> None:
    """The extension check is not stricter than it says."""
    path = tmp_path / name
    content = json.dumps(DATA) if name.lower().endswith(".json") else TEXT
    path.write_text(content, encoding="utf-8")
    assert framework_hash(load_framework_file(path)) == framework_hash(load_framework_file(BUILTIN))


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    text = json.dumps(DATA, ensure_ascii=False, indent=2)
    text, _ = change(text, '  "version": "1.0",\n', '"1.0",', '"1.0"')
    line = line_of(text, '  "name": "ML Engineer ladder"')
    message = error(tmp_path, text, name="ladder.json")
    assert message == f"ladder.json, line {line}: Expecting ',' delimiter."


def test_json_duplicate_keys(tmp_path: Path) -> None:
    """json.loads would keep the last value silently."""
    text = json.dumps(DATA, indent=2)
    text, _ = change(text, '{\n  "id": "ml-engineer",\n', '  "id"', '  "id": "other",\n  "id"')
    assert error(tmp_path, text, name="ladder.json") == "ladder.json: the key 'id' appears twice."


def test_file_over_5_mib(tmp_path: Path) -> None:
    """Exactly 5 MiB is read; one byte more is refused before reading."""
    assert MAX_FILE_BYTES == 5 * 1024 * 1024
    text = json.dumps(DATA)
    padded = text + " " * (MAX_FILE_BYTES - len(text.encode("utf-8")))
    path = tmp_path / "ladder.json"
    path.write_text(padded, encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_framework_file(path).id == "ml-engineer"
    assert error(tmp_path, padded + " ", name="ladder.json") == (
        "ladder.json: the file is larger than 5 MiB, too large for a framework."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: ml\x01engineer\n", "x.yaml, line 1: the character U+0001 is not allowed in YAML."),
        ("id: a\nversion: 2021-02-30\n", "x.yaml, line 2, version: the value cannot be read"),
        ("id: a\nversion: 0b_\n", "x.yaml, line 2, version: the value cannot be read"),
        ("levels: &x [*x]\n", "x.yaml: the document is nested too deeply"),
        ("levels: " + "[" * 2000, "x.yaml: the document is nested too deeply"),
        ("weight: " + "9" * 5000, "x.yaml, line 1, weight: the value cannot be read"),
    ],
)
def test_hostile_yaml(text: str, expected: str) -> None:
    """Inputs on which PyYAML raises ReaderError, ValueError or RecursionError."""
    with pytest.raises(FrameworkError) as exc:
        load_framework_text(text, "x.yaml", json_format=False)
    assert str(exc.value).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000, "x.json: the document is nested too deeply."),
        ('{"id": ' + "9" * 5000 + "}", "x.json: the file cannot be read as JSON"),
    ],
)
def test_hostile_json(text: str, expected: str) -> None:
    """Inputs on which json.loads raises RecursionError or a bare ValueError."""
    with pytest.raises(FrameworkError) as exc:
        load_framework_text(text, "x.json", json_format=True)
    assert str(exc.value).startswith(expected)


EXAMPLES = 'examples: ["Airflow", "Prefect", "Dagster"]'  # of the one skill below
ORCHESTRATION = "workflow-orchestration"


def test_an_alias_bomb_is_refused_by_its_expanded_size(tmp_path: Path) -> None:
    """A 229 KB file whose one 10 000-character string is referenced 57 000 times would be a
    570 MB framework: refused as it is read, without building it."""
    aliases = ", *a" * 57_000
    text, _ = change(TEXT, EXAMPLES, EXAMPLES, f'examples: [&a "{"x" * 10_000}"{aliases}]')
    assert len(text.encode("utf-8")) < 300_000
    tracemalloc.start()
    try:
        message = error(tmp_path, text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == (
        "ladder.yaml: the framework's text adds up to more than 4 MB once its aliases are expanded."
    )
    assert peak < 16 * 1024 * 1024


def test_text_just_under_the_limit_loads_and_the_builtin_ladder_is_far_below_it(
    tmp_path: Path,
) -> None:
    """The limit counts every key and string once per use; the built-in ladder uses ~1%."""
    assert MAX_TEXT_CHARS == 4_000_000
    count = 0
    stack: list[Any] = [DATA]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            count += len(node)
        elif isinstance(node, dict):
            count += sum(len(key) for key in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert count < MAX_TEXT_CHARS // 50
    uses = (MAX_TEXT_CHARS - count) // 10_000 - 1  # leaves room for the anchor's own use
    aliases = ", *a" * uses
    text, _ = change(TEXT, EXAMPLES, EXAMPLES, f'examples: [&a "{"x" * 10_000}"{aliases}]')
    path = tmp_path / "ladder.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_framework_file(path).id == "ml-engineer"


def test_json_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    """JSON has no aliases, but a file under 5 MiB can still hold more text than a ladder."""
    data = copy.deepcopy(DATA)
    data["skills"][0]["examples"] = ["x" * 10_000] * (MAX_TEXT_CHARS // 10_000 + 1)
    text = json.dumps(data)
    assert len(text.encode("utf-8")) < MAX_FILE_BYTES
    assert error(tmp_path, text, name="ladder.json") == (
        "ladder.json: the framework's text adds up to more than 4 MB."
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [
        ('name: "ML Engineer ladder"', r'name: "ML \e[31mEngineer ladder"', "name", "001B"),
        (EXAMPLES, r'examples: ["Airflow", "Pre\u0007fect"]', "examples[1]", "0007"),
        (EXAMPLES, r'examples: ["Airflow\r"]', "examples[0]", "000D"),
        (EXAMPLES, r'examples: ["Airflow\x85"]', "examples[0]", "0085"),
        (EXAMPLES, r'examples: ["Airflow\x7f"]', "examples[0]", "007F"),
    ],
    ids=["escape in the name", "bell", "carriage return", "C1 next line", "delete"],
)
def test_control_characters_are_refused_with_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, code: str
) -> None:
    """Escapes in double-quoted YAML can write any character; only tab and line feed pass."""
    text, line = change(TEXT, old, old, new)
    where = field if old != EXAMPLES else f"skills[{index_of('skills', ORCHESTRATION)}].{field}"
    assert error(tmp_path, text) == (
        f"ladder.yaml, line {line}, {where}: the text holds the control character U+{code}; "
        "only tabs and line breaks are allowed."
    )


def test_a_control_character_in_a_key_is_refused(tmp_path: Path) -> None:
    text, line = change(TEXT, EXAMPLES, EXAMPLES, r'"\e[2J": []')
    i = index_of("skills", ORCHESTRATION)
    assert error(tmp_path, text) == (
        f"ladder.yaml, line {line}, skills[{i}].\x1b[2J: the text holds the control character "
        "U+001B; only tabs and line breaks are allowed."
    )


def test_control_characters_in_json_are_refused_with_the_field(tmp_path: Path) -> None:
    data = copy.deepcopy(DATA)
    i = index_of("skills", "docker")
    data["skills"][i]["description"] = "Containers \x1b]0;pwned\x07"
    assert error(tmp_path, json.dumps(data), name="ladder.json") == (
        f"ladder.json, skills[{i}].description: the text holds the control character U+001B; "
        "only tabs and line breaks are allowed."
    )


def test_tabs_and_line_breaks_are_allowed(tmp_path: Path) -> None:
    text, _ = change(TEXT, EXAMPLES, EXAMPLES, r'examples: ["Air\tflow", "Pre\nfect"]')
    path = tmp_path / "ladder.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_framework_file(path).skill(ORCHESTRATION).examples == ["Air\tflow", "Pre\nfect"]


def test_import_of_changed_ladder_under_the_same_version_is_refused(
    services: Services, tmp_path: Path
) -> None:
    """Two ladders may not share ID@VERSION, or old check-ins would change meaning."""
    before = services.frameworks.all()
    stored_hash = framework_hash(services.frameworks.load("ml-engineer@1.0"))
    text, _ = change(TEXT, 'name: "ML Engineer ladder"', '"ML', '"Renamed ML')
    path = tmp_path / "ladder.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match="bump the version") as exc:
        services.frameworks.import_file(path)
    assert "ml-engineer@1.0" in str(exc.value)
    assert services.frameworks.all() == before
    assert framework_hash(services.frameworks.load("ml-engineer@1.0")) == stored_hash


def test_import_of_bumped_version_is_stored(services: Services, tmp_path: Path) -> None:
    """The advice in the refusal works."""
    text, _ = change(TEXT, 'name: "ML Engineer ladder"', '"ML', '"Renamed ML')
    text, _ = change(text, 'version: "1.0"', '"1.0"', '"1.9"')
    path = tmp_path / "ladder.yaml"
    path.write_text(text, encoding="utf-8")
    info, created = services.frameworks.import_file(path)
    assert created is True
    assert info.ref == "ml-engineer@1.9"
    assert [i.ref for i in services.frameworks.all()] == [
        "ml-engineer@1.0",
        "ml-engineer@1.1",
        "ml-engineer@1.9",
        "software-engineer@1.0",
    ]


def test_import_of_identical_ladder_is_not_new(services: Services, tmp_path: Path) -> None:
    """The same content, even reformatted as JSON, is the stored version."""
    before = services.frameworks.all()
    for name, content in (("same.yaml", TEXT), ("same.json", json.dumps(DATA))):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        info, created = services.frameworks.import_file(path)
        assert created is False
        assert info.ref == "ml-engineer@1.0"
        assert info.builtin is True
    assert services.frameworks.all() == before
