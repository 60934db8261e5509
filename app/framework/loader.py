"""Read framework files (YAML or JSON) into validated models, with errors for people.

YAML goes through a `SafeLoader` that builds only plain data, rejects
duplicate keys and remembers the line of every value, so a problem found
deep in the model can still be reported as "file, line, path" (see
`app.framework.yaml_reader`, loaded only when a YAML file is read: opening
the data folder at every start does not).

What a file may hold is bounded: 5 MiB of file, 4 million characters of text
once YAML aliases are expanded (the built-in ladder has about 34 000), and no
control characters but tab and line feed, which a terminal or a PDF could
otherwise act on.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.canonical import canonical
from app.errors import FrameworkError
from app.framework.limits import MAX_FILE_BYTES, text_too_large
from app.framework.model import Framework, FrameworkProblems, Loc, format_loc

if TYPE_CHECKING:
    from app.framework.yaml_reader import Lines

_ALLOWED_CONTROLS = {"\t", "\n"}


def _strings(data: Any) -> Iterator[tuple[Loc, str]]:
    """Every key and string in parsed data, with its path (iteratively: it may be deep)."""
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, str):
            yield loc, node
        elif isinstance(node, dict):
            for key, value in reversed(node.items()):
                stack.append(((*loc, key), value))
                if isinstance(key, str):
                    stack.append(((*loc, key), key))
        elif isinstance(node, list):
            stack.extend(((*loc, index), item) for index, item in reversed(list(enumerate(node))))


def _check_controls(data: Any, name: str, lines: Lines) -> None:
    """Refuse control characters (Unicode category Cc) other than tab and line feed."""
    for loc, text in _strings(data):
        if text.isprintable():  # the common case, in one fast pass
            continue
        for char in text:
            if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
                raise FrameworkError(
                    f"{_where(name, loc, lines)}: the text holds the control character "
                    f"U+{ord(char):04X}; only tabs and line breaks are allowed."
                )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise FrameworkError(f"the key '{key}' appears twice")
        result[key] = value
    return result


def _read_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise FrameworkError(f"{name}, line {exc.lineno}: {exc.msg}.") from None
    except FrameworkError as exc:
        raise FrameworkError(f"{name}: {exc}.") from None
    except RecursionError:
        raise FrameworkError(f"{name}: the document is nested too deeply.") from None
    except ValueError as exc:  # e.g. an integer longer than Python will convert
        raise FrameworkError(f"{name}: the file cannot be read as JSON ({exc}).") from None


def _describe(error: dict[str, Any]) -> str:
    """A pydantic error in words a framework author understands."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}'"
    if kind == "missing":
        return "this required key is missing"
    message = str(error["msg"])
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = "use lowercase letters, digits, '.', '_' and '-' only"
    return message[:1].lower() + message[1:]


def _line_for(loc: Loc, lines: Lines) -> int | None:
    """The line of `loc`, or of its nearest ancestor that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _where(name: str, loc: Loc, lines: Lines) -> str:
    line = _line_for(loc, lines)
    return f"{name}{f', line {line}' if line else ''}, {format_loc(loc)}"


def _document_loc(loc: Loc, data: Any) -> Loc:
    """Pydantic's path as a path in the document.

    Pydantic puts a discriminated union's tag into the path
    (`kpis[0].targets[0].range.low`) and marks a bad dict key with `[key]`;
    neither is in the file, so both are dropped.
    """
    out: list[str | int] = []
    node = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, dict) and part not in node and node.get("kind") == part:
            continue
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def parse_framework(data: Any, name: str, lines: Lines | None = None) -> Framework:
    """Validate already-parsed data; every error names `name`, the path and the line."""
    lines = lines or {}
    _check_controls(data, name, lines)
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [
            f"{_where(name, _document_loc(tuple(e['loc']), data), lines)}: "
            + ("the key is not valid: " if e["loc"][-1:] == ("[key]",) else "")
            + _describe(dict(e))
            for e in errors[:5]
        ]
        more = f" (and {len(errors) - 5} more problems)" if len(errors) > 5 else ""
        raise FrameworkError("; ".join(problems) + more + ".") from None
    except FrameworkProblems as exc:
        found = exc.problems
        problems = [f"{_where(name, loc, lines)}: {msg}" for loc, msg in found[:5]]
        more = f" (and {len(found) - 5} more problems)" if len(found) > 5 else ""
        raise FrameworkError("; ".join(problems) + more + ".") from None


def load_framework_text(text: str, name: str, *, json_format: bool) -> Framework:
    """Parse and validate the text of a framework file named `name`."""
    if json_format:
        data = _read_json(text, name)
        text_too_large(sum(len(text) for _, text in _strings(data)), name, aliases=False)
        return parse_framework(data, name)
    from app.framework.yaml_reader import read_yaml

    data, lines = read_yaml(text, name)
    return parse_framework(data, name, lines)


def load_framework_file(path: Path) -> Framework:
    """Read a `.yaml`, `.yml` or `.json` framework file."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise FrameworkError(f"{name}: a framework file must end in .yaml, .yml or .json.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FrameworkError(
                f"{name}: the file is larger than 5 MiB, too large for a framework."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FrameworkError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise FrameworkError(f"{path}: this is a folder, not a framework file.") from None
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"{name}: the file is not UTF-8 text (byte {exc.start}).") from None
    return load_framework_text(text, name, json_format=suffix == ".json")


def canonical_json(framework: Framework) -> bytes:
    """RFC 8785 canonical JSON of the validated model (the form that is hashed and stored),
    leaving out every field that holds its default value: a field added to the model
    later, optional, changes no existing ladder's hash."""
    return canonical(framework.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def framework_hash(framework: Framework) -> str:
    """SHA-256 of the canonical JSON: the same ladder in YAML, JSON or a spreadsheet hashes
    the same."""
    return hashlib.sha256(canonical_json(framework)).hexdigest()


def legacy_framework_hash(framework: Framework) -> str:
    """The hash as Rung computed it before schema 0004 (every field of the model as it
    was then, defaults included): only to check a version 1 bundle's frameworks."""
    data = framework.model_dump(mode="json", by_alias=True)
    for criterion in data["promotion_criteria"]:  # fields added since, when not used
        if criterion["step"] is None:
            del criterion["step"]
    return hashlib.sha256(canonical(data)).hexdigest()


def framework_from_snapshot(snapshot: str) -> Framework:
    """Rebuild a framework stored as canonical JSON."""
    return Framework.model_validate_json(snapshot)
