"""YAML framework files to plain data, with the line of every value.

A `SafeLoader` builds only plain data (no tags), duplicate keys are refused,
and every value's line is remembered so that a problem found deep in the model
can still be reported as "file, line, path". The size is bounded while the
file is parsed: the text of every key and scalar counts each time it is used,
an alias as the text it stands for, so a small file whose aliases would expand
to a huge framework is refused after a few of them.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.errors import FrameworkError
from app.framework.limits import text_too_large
from app.framework.model import Loc, format_loc

MAX_NODES = 200_000

Lines = dict[Loc, int]

_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Loader(yaml.SafeLoader):
    """A `SafeLoader` that counts the framework's text as it composes the document."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)  # checks every character up front
        self.name = name
        self.text = 0  # characters of every key and scalar, aliases counted as expanded
        self._anchored: dict[str, int] = {}  # the expanded text under each anchor

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]  # (stubs)
        start = self.text
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.AliasEvent):
            # An alias inside its own anchor is not counted; it recurses and is refused later.
            self.text += self._anchored.get(str(event.anchor), 0)
        elif isinstance(event, yaml.NodeEvent):
            if isinstance(node, yaml.ScalarNode):
                self.text += len(node.value)
            if event.anchor is not None:
                self._anchored[event.anchor] = self.text - start
        text_too_large(self.text, self.name, aliases=True)
        return node


class _Reader:
    """Builds plain Python data from a YAML node tree, recording lines by path."""

    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: Lines = {}
        self.nodes = 0

    def build(self, node: yaml.Node, path: Loc) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FrameworkError(f"{self.name}: the document is too large or too deeply aliased.")
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
            # Built by hand below, so a tag here (e.g. `!!python/object/apply`) would be dropped.
            raise FrameworkError(
                f"{self.name}, line {self.lines[path]}, {format_loc(path)}: "
                f"the tag '{node.tag}' is not allowed in a framework file."
            )
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._construct(key_node, path)
                line = key_node.start_mark.line + 1
                if not isinstance(key, str):
                    raise FrameworkError(f"{self.name}, line {line}: the key {key!r} is not text.")
                if key in result:
                    raise FrameworkError(
                        f"{self.name}, line {line}, {format_loc((*path, key))}: "
                        f"the key '{key}' appears twice."
                    )
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._construct(node, path)

    def _construct(self, node: yaml.Node, path: Loc) -> Any:
        """A scalar (or key); PyYAML raises a bare ValueError for e.g. `2021-02-30`."""
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError as exc:
            line = node.start_mark.line + 1
            raise FrameworkError(
                f"{self.name}, line {line}, {format_loc(path)}: the value cannot be read ({exc})."
            ) from None


def read_yaml(text: str, name: str) -> tuple[Any, Lines]:
    try:
        loader = _Loader(text, name)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise FrameworkError(
            f"{name}, line {line}: the character U+{exc.character:04X} is not allowed in YAML."
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise FrameworkError(f"{name}: the file is empty.")
        reader = _Reader(loader, name)
        return reader.build(node, ()), reader.lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "it is not valid YAML"
        raise FrameworkError(f"{name}{where}: {problem}.") from None
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{name}: the file is not valid YAML ({exc}).") from None
    except RecursionError:
        raise FrameworkError(
            f"{name}: the document is nested too deeply (or an alias refers to itself)."
        ) from None
    finally:
        loader.dispose()
