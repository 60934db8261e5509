"""Reading a `.rung` file whole, whatever kind of bundle it holds, and what an import did.

`read_document` refuses, with one sentence, anything that Rung did not write
or that changed since: the size, the encoding, the JSON (duplicate keys,
NaN, integers beyond ±(2⁵³−1), lone surrogates), the format and its version,
the kind, and the checksum. `validate` then reads the document as the model of
its kind. Nothing in the file is ever used as a path. What the content means
is checked by the importer of each kind: profile bundles in
`app.bundle.importer`, assessment bundles in `app.bundle.assessment`.
"""

from __future__ import annotations

import codecs
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar

import rfc8785
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.bundle.export import checksum
from app.bundle.model import (
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    MAX_BYTES,
    READABLE_VERSIONS,
    SAFE_INTEGER,
)
from app.errors import BundleError
from app.framework.model import Loc, format_loc

Action = Literal[
    "created",  # a profile bundle: the profile is new here
    "updated",  # a newer export of a shared profile, or of an assessment of the same day
    "received",  # an assessment of a day not here yet
    "unchanged-same",
    "unchanged-older",
]
_STAMP = "%Y-%m-%dT%H:%M:%SZ"
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class ImportResult:
    """What an import did, to which profile; `summary` says what changed, for a person."""

    profile_id: str
    name: str
    action: Action
    summary: str
    kind: str = "profile"


@dataclass(frozen=True)
class Document:
    """A bundle file read whole and checked as a document, not yet as its kind's model."""

    name: str  # the file's name, for the sentences
    text: str
    kind: str  # "profile" or "assessment"


class _Refused(Exception):
    """Raised by the JSON hooks; its text becomes the sentence."""


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:40]}…"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for index, key in enumerate(keys) if key in keys[:index])
        raise _Refused(f"the key '{_short(twice)}' appears twice in one object")
    return document


def _no_constant(name: str) -> NoReturn:
    raise _Refused(f"it holds {name}, which is not a number a bundle may hold")


def _safe_integer(text: str) -> int:
    if len(text.lstrip("-")) > len(str(SAFE_INTEGER)) or abs(int(text)) > SAFE_INTEGER:
        raise _Refused(f"the integer {_short(text)} is beyond ±(2⁵³−1)")
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"the number {_short(text)} is too large")
    return value


def _strings(document: Any) -> Iterator[tuple[Loc, str]]:
    """Every key and string value with its path (iteratively: the nesting may be deep)."""
    stack: list[tuple[Loc, Any]] = [((), document)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, str):
            yield loc, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield (*loc, key), key
                stack.append(((*loc, key), value))
        elif isinstance(node, list):
            stack.extend(((*loc, index), value) for index, value in enumerate(node))


def _check_characters(document: Any, name: str) -> None:
    """Refuse lone surrogates (from escapes such as `\\ud800`) and NUL characters."""
    dumped = json.dumps(document, ensure_ascii=False)  # one fast pass; the walk names the place
    try:
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        if "\\u0000" not in dumped:
            return
    for loc, text in _strings(document):
        problem = (
            "a NUL character"
            if "\x00" in text
            else "a broken character (a lone surrogate)"
            if any("\ud800" <= ch <= "\udfff" for ch in text)
            else None
        )
        if problem:
            raise BundleError(f"{name}, {format_loc(loc)}: the text holds {problem}.")


def _parse(raw: bytes, name: str, *, keys_unique: bool = False) -> tuple[str, Any]:
    """The text and the parsed document, refusing what JSON parsers disagree on
    (`keys_unique`: the text was written from Python's dicts, so duplicate keys, the
    costliest check, cannot be there)."""
    if not raw.strip():
        raise BundleError(f"{name}: the file is empty.")
    if raw.startswith(codecs.BOM_UTF8):
        raise BundleError(f"{name}: the file starts with a byte-order mark; a bundle has none.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"{name}: the file is not UTF-8 text (byte {exc.start}).") from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=None if keys_unique else _no_duplicates,
            parse_constant=_no_constant,
            parse_int=_safe_integer,
            parse_float=_finite,
        )
    except json.JSONDecodeError as exc:
        raise BundleError(
            f"{name}, line {exc.lineno}, column {exc.colno}: the file is not valid JSON "
            f"({exc.msg})."
        ) from None
    except _Refused as exc:
        raise BundleError(f"{name}: {exc}.") from None
    except RecursionError:
        raise BundleError(f"{name}: the document is nested too deeply.") from None
    _check_characters(document, name)
    return text, document


def _check_header(document: Any, name: str, *, verify_checksum: bool = True) -> None:
    """The format, its version, the kind and the checksum, before the content is trusted."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BundleError(f'{name} is not a Rung bundle (its "format" is not "{FORMAT}").')
    version = document.get("format_version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        if type(version) is int and version > FORMAT_VERSION:
            raise BundleError(
                f"{name} was written by a newer Rung (bundle format version {version}); "
                "update Rung to import it."
            )
        raise BundleError(
            f"{name} has an unknown bundle format version; this Rung reads versions "
            f"{' and '.join(map(str, READABLE_VERSIONS))}."
        )
    kind = document.get("kind", "profile")  # a bundle without a kind is a profile bundle
    if kind not in KINDS:
        shown = f"'{_short(kind)}'" if isinstance(kind, str) else "not a name"
        raise BundleError(
            f"{name} holds a kind of bundle this Rung does not know ({shown}); it reads "
            f"{' and '.join(KINDS)} bundles."
        )
    if not verify_checksum:
        return
    try:
        expected = checksum(document)
    except rfc8785.CanonicalizationError as exc:
        raise BundleError(f"{name}: the checksum cannot be computed ({exc}).") from None
    if document.get("checksum") != expected:
        raise BundleError(
            f"{name}: the checksum does not match the content, so the file was changed or "
            "damaged after it was exported."
        )


def _describe(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "this key is not part of the bundle format"
    if error["type"] == "missing":
        return "this required key is missing"
    message = error["msg"]
    return message[:1].lower() + message[1:]


def exported_time(stamp: str) -> datetime:
    """An export time (`exported_at`) as naive UTC, as the database stores times."""
    return datetime.strptime(stamp, _STAMP)


def validate(model: type[_M], document: Document) -> _M:
    """The document as its kind's model (strictly: no unknown keys, no coercion)."""
    try:
        value = model.model_validate_json(document.text, strict=True)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise BundleError(
            f"{document.name}, {format_loc(error['loc'])}: {_describe(error)}."
        ) from None
    stamp = getattr(value, "exported_at", None)
    try:
        if isinstance(stamp, str):
            exported_time(stamp)
    except ValueError:
        raise BundleError(f"{document.name}, exported_at: the time does not exist.") from None
    return value


def read_document(path: Path) -> Document:
    """Read a bundle file and check it as a document; `BundleError` says what is wrong."""
    name = path.name
    try:
        with path.open("rb") as handle:
            too_large = os.fstat(handle.fileno()).st_size > MAX_BYTES
            raw = b"" if too_large else handle.read(MAX_BYTES + 1)  # it may grow meanwhile
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise BundleError(f"{path}: this is a folder, not a bundle.") from None
    except OSError as exc:
        raise BundleError(f"{path}: the file cannot be read ({exc.strerror}).") from None
    if too_large or len(raw) > MAX_BYTES:
        raise BundleError(f"{name}: the file is larger than {MAX_BYTES >> 20} MiB.")
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str, *, hub_copy: bool = False) -> Document:
    """Check a bundle's bytes as a document (a file's, or a hub's copy); `name` says whose.

    `hub_copy`: this process wrote the text a moment ago from a hub's rows (see
    `app.hub.sync`), from objects Python had decoded, so no key can appear twice, and
    its checksum names the hub's version of the profile rather than sums the text;
    everything else is checked as for a file.
    """
    text, document = _parse(raw, name, keys_unique=hub_copy)
    _check_header(document, name, verify_checksum=not hub_copy)
    return Document(name, text, document.get("kind", "profile"))
