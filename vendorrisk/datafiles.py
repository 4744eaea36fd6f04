"""YAML loading for vendorrisk's own data files, with line numbers and no YAML 1.1 surprises.

Why not ``yaml.safe_load``: it forgets where a value came from, so an error could not say
"file:line", it silently keeps the last of two duplicate keys, and it follows YAML 1.1,
where a bare ``yes``/``no``/``on``/``off`` becomes a boolean. Questionnaires are full of
yes/no answers, so :class:`DataLoader` resolves only ``true``/``false`` as booleans (as YAML
1.2 does); ``yes`` and ``no`` stay strings. Answer validation accepts both spellings anyway.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from vendorrisk import textfiles
from vendorrisk.errors import ConfigError

_BOOL_TAG = "tag:yaml.org,2002:bool"

MAX_DATA_FILE_BYTES = 2_000_000
"""Largest data file (catalog, rule file, questionnaire template, trust anchor...) read; the
biggest shipped one is about 32 kB."""
MAX_YAML_DEPTH = 40
"""Deepest nesting of mappings and lists in a YAML data file (the shipped ones use 6)."""
MAX_YAML_NODES = 200_000
"""Most values a YAML data file may hold once its aliases are expanded: an alias bomb
("billion laughs") is refused before it is built."""


class MarkedDict(dict[Any, Any]):
    """A mapping that remembers its own line and each key's line (1-based)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class MarkedList(list[Any]):
    """A sequence that remembers its own line and each item's line (1-based)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class DataLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, line marks, duplicate-key errors and bounds:
    :data:`MAX_YAML_DEPTH` levels, :data:`MAX_YAML_NODES` values with aliases expanded, and
    a value a constructor cannot make (``2026-13-45``, an integer of 5,000 digits) an error
    at its line."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH and not self.check_event(AliasEvent):
                raise ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep",
                                    self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None:
            _expanded_size(node, {}, set())
        return node

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as e:
            raise ConstructorError(None, None, f"{_one_line(repr(node.value), 80)} is not a "
                                   f"valid {node.tag.rsplit(':', 1)[-1]} ({_one_line(str(e))})",
                                   node.start_mark) from e


def _expanded_size(node: Node, sizes: dict[int, int], open_: set[int]) -> int:
    """How many values ``node`` holds with every alias expanded; a ComposerError beyond
    :data:`MAX_YAML_NODES` or for an alias inside the node it names (a cycle)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise ComposerError(None, None, "an alias refers to a value that contains it",
                            node.start_mark)
    open_.add(key)
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, open_)
        if total > MAX_YAML_NODES:
            raise ComposerError(None, None, f"expands to more than {MAX_YAML_NODES:,} values "
                                "through aliases (an alias bomb?)", node.start_mark)
    open_.discard(key)
    sizes[key] = total
    return total


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DataLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader: DataLoader, node: MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    result = MarkedDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise ConstructorError(None, None, "a mapping key must be a plain value",
                                   key_node.start_mark)
        if key in result:
            raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: DataLoader, node: SequenceNode) -> MarkedList:
    result = MarkedList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


DataLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
DataLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read_text(path: Path, *, what: str = "file", limit: int = MAX_DATA_FILE_BYTES) -> str:
    """A data file's text (see :func:`vendorrisk.textfiles.read_text`)."""
    return textfiles.read_text(path, what=what, limit=limit)


def load_yaml(path: Path, *, what: str = "file", invalid: str | None = None) -> Any:
    """Parse one YAML file; any read or syntax problem becomes a ConfigError naming file and line.

    ``what`` names the file in a read error (``cannot read provider catalog: ...``);
    ``invalid``, when given, introduces a syntax error (``not valid YAML: ...``). Problems
    with the content (a duplicate key, an unknown tag) are told as they are. The work is
    bounded: at most :data:`MAX_DATA_FILE_BYTES`, :data:`MAX_YAML_DEPTH` levels and
    :data:`MAX_YAML_NODES` values once aliases are expanded (no "billion laughs").
    """
    text = read_text(path, what=what)
    try:
        return yaml.load(text, Loader=DataLoader)  # DataLoader is a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = e.problem or e.context or "invalid YAML"
        if e.problem and e.context and e.context_mark is not None:
            problem += f" ({e.context} at line {e.context_mark.line + 1})"
        if invalid and not isinstance(e, ConstructorError):
            problem = f"{invalid}: {problem}"
        raise ConfigError(f"{where}: {_one_line(problem)}") from e
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, max(e.position, 0)) + 1
        char = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise ConfigError(f"{path}:{line}: {invalid or 'invalid YAML'}: unacceptable character "
                          f"{char} ({_one_line(e.reason)})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: {invalid or 'invalid YAML'}: {_one_line(str(e))}") from e


def _one_line(text: str, limit: int = 300) -> str:
    """``text`` with every run of white space (new lines too) one space, cut to ``limit``."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def plain(value: Any) -> Any:
    """``value`` with every MarkedDict and MarkedList turned into a plain dict and list."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def line_of(container: Any, key: Any = None) -> int:
    """Best-known line of ``container[key]`` (or of the container itself)."""
    if key is not None and isinstance(container, MarkedDict | MarkedList):
        return container.line_of(key)
    return int(getattr(container, "line", 0))


class Problems:
    """Collects every problem in one file, so a user sees them all in one error (octodns)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        rest = self.items[1:]
        hint = f"{len(rest)} more: " + "; ".join(rest) if rest else None
        error = ConfigError(self.items[0], hint)
        error.problems = list(self.items)  # type: ignore[attr-defined]
        raise error
