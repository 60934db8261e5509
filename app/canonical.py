"""RFC 8785 (JSON Canonicalization Scheme) bytes, fast for the JSON Rung hashes.

Checksums, digests and framework hashes are SHA-256 of the RFC 8785 form. The
`rfc8785` library is pure Python and serialises about ten times slower than
the standard library's C encoder; at a hub's scale that is most of a pull (each
profile's bundle checksum, its framework's hash) and a third of a publish (a
digest per record). For the values Rung hashes the two give the same bytes:
`json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` escapes
strings exactly as RFC 8785 does and writes a float as `repr`, which is RFC
8785's form for every float without an exponent or a trailing `.0`. So the C
encoder is used when a walk finds only plain dicts with ASCII keys (whose order
is the same by code point as by UTF-16), lists, strings, booleans, None,
integers within JSON's exact range and such floats, whole floats written as the
integers RFC 8785 makes them; anything else — and a string that is not valid
Unicode — goes to `rfc8785`, which also raises its errors as before.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_INT_MIN, _INT_MAX = -(2**53) + 1, 2**53 - 1
_encode = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
).encode


class _Slow(Exception):
    """A value whose RFC 8785 form the C encoder does not give: `rfc8785` serialises it."""


def _prepared(value: Any) -> Any:
    """`value` with each whole float (`2.0`) as an int, as RFC 8785 writes it; the same
    object where nothing changes. Raises `_Slow` for anything the module's note excludes."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is dict:
        out = None
        for key, child in value.items():
            if type(key) is not str or not key.isascii():
                raise _Slow
            new = _prepared(child)
            if new is not child:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if kind is list or kind is tuple:
        items = None
        for index, child in enumerate(value):
            new = _prepared(child)
            if new is not child:
                if items is None:
                    items = list(value)
                items[index] = new
        return value if items is None else items
    if kind is int:
        if not _INT_MIN <= value <= _INT_MAX:
            raise _Slow
        return value
    if kind is float:
        text = repr(value)
        if "e" in text or "n" in text:  # an exponent, inf, nan
            raise _Slow
        if text.endswith(".0"):  # whole: exact as an int within JSON's exact range
            if not _INT_MIN <= value <= _INT_MAX:
                raise _Slow
            return int(value)
        return value
    raise _Slow


def canonical(value: Any) -> bytes:
    """The RFC 8785 form of a JSON value, byte for byte what `rfc8785.dumps` gives."""
    try:
        return _encode(_prepared(value)).encode("utf-8")
    except (_Slow, RecursionError, UnicodeEncodeError):  # the last: a lone surrogate
        return rfc8785.dumps(value)
