"""YAML read with `yaml.safe_load` semantics, keeping the line of every value for error messages.

Anchors and aliases are refused (they are the tool of the "billion laughs" bomb and no
manifest needs them), as are duplicate keys, tags outside plain YAML, and lists or mappings
nested deeper than `MAX_DEPTH` (PyYAML builds nodes recursively and would overflow the stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


MAX_DEPTH = 20  # a manifest needs 6: festival, sessions, a session, speakers, a speaker, a value


@dataclass
class Marked:
    """A value from the YAML file and the 1-based line it starts on."""

    value: Any  # str | int | float | bool | None | list[Marked] | dict[str, Marked]
    line: int


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing collections nested deeper than `MAX_DEPTH`."""

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent, index):
        if self.depth >= MAX_DEPTH:
            line = self.peek_event().start_mark.line + 1
            raise YamlProblem(line, f"lists or mappings are nested more than {MAX_DEPTH} deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_marked(text: str) -> Marked | None:
    """Parse one YAML document into `Marked` values; raise `YamlProblem` with a line if unusable."""
    loader = None
    try:
        loader = _DepthLimitedLoader(text)
        root = loader.get_single_node()
        return None if root is None else _convert(root, loader, set())
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        character = error.character if isinstance(error.character, int) else ord(error.character)
        raise YamlProblem(
            line, f"not valid YAML: character U+{character:04X} is not allowed"
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(line, f"not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(None, f"not valid YAML: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _convert(node: yaml.Node, loader: yaml.SafeLoader, seen: set[int]) -> Marked:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise YamlProblem(line, "YAML anchors and aliases (&name, *name) are not allowed")
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise YamlProblem(line, f"YAML tag {node.tag} is not allowed; write a plain value")
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Marked] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(line, "YAML merge keys (<<) are not allowed")
            key = _convert(key_node, loader, seen)
            if not isinstance(key.value, str):
                raise YamlProblem(key.line, f"key {key.value!r} must be text")
            if key.value in mapping:
                raise YamlProblem(key.line, f"duplicate key '{key.value}'")
            mapping[key.value] = _convert(value_node, loader, seen)
        return Marked(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return Marked([_convert(item, loader, seen) for item in node.value], line)
    if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        # Dates stay text: the manifest layer parses them with its own checks.
        return Marked(node.value, line)
    try:
        return Marked(loader.construct_object(node, deep=True), line)
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        raise YamlProblem(line, f"a number of {len(node.value):,} digits is too long") from None
