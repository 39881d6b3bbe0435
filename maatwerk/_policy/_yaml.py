# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Safe YAML loading that keeps every node's position and refuses duplicate keys.

Only YAML's safe schema is used (no tags that construct Python objects). Each value's position is
kept in a map from its path (a tuple of keys and indexes) to ``(line, column)``, both 1-based, so
that later checks can report ``file:line:col`` for anything they find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from maatwerk.errors import Problem

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

MAX_POLICY_BYTES = 1_000_000
MAX_DEPTH = 40
SAFE_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})

if TYPE_CHECKING:
    Loader = yaml.SafeLoader | yaml.CSafeLoader

#: libyaml's parser when PyYAML was built with it: the same safe schema, node tree and positions as
#: the pure-Python parser (checked for every bundled pack in the tests), about ten times faster, which
#: was most of the engine's start-up. Syntax errors may be worded differently by the two parsers.
LOADER: type[Loader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatedError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_located(text: str, filename: str) -> tuple[Any, Positions]:
    """Parse ``text``; returns the plain data and the positions of every path in it.

    Raises :class:`ValueError` carrying a list of :class:`Problem` in ``args[0]`` on any problem.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_POLICY_BYTES:
        raise ValueError(
            [Problem(f"{filename}:1:1", "POLICY_TOO_LARGE", f"a policy file may have at most {MAX_POLICY_BYTES} bytes")]
        )
    loader = LOADER(text)
    positions: Positions = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise _LocatedError(Problem(f"{filename}:1:1", "POLICY_EMPTY", "the file is empty"))
        data = _convert(loader, node, (), positions, filename, 0, set())
    except _LocatedError as located:
        raise ValueError([located.problem]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{filename}:{mark.line + 1}:{mark.column + 1}" if mark else f"{filename}:1:1"
        raise ValueError([Problem(where, "POLICY_YAML_SYNTAX", f"{err.problem or err.context}")]) from None
    except yaml.YAMLError as err:
        raise ValueError([Problem(f"{filename}:1:1", "POLICY_YAML_SYNTAX", str(err))]) from None
    except RecursionError:  # the pure-Python parser recurses per level (libyaml stops at 1000 itself)
        raise ValueError(
            [Problem(f"{filename}:1:1", "POLICY_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels")]
        ) from None
    finally:
        loader.dispose()
    return data, positions


def _where(filename: str, node: yaml.Node) -> str:
    return f"{filename}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _convert(
    loader: Loader,
    node: yaml.Node,
    path: Path,
    positions: Positions,
    filename: str,
    depth: int,
    seen: set[int],
) -> Any:
    if id(node) in seen:
        raise _LocatedError(
            Problem(_where(filename, node), "POLICY_YAML_SYNTAX", "anchors and aliases are not allowed")
        )
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _LocatedError(
            Problem(_where(filename, node), "POLICY_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels")
        )
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in SAFE_COLLECTION_TAGS:
        raise _LocatedError(
            Problem(_where(filename, node), "POLICY_YAML_SYNTAX", f"the tag {node.tag!r} is not allowed")
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _LocatedError(
                    Problem(_where(filename, key_node), "POLICY_YAML_SYNTAX", "merge keys (<<) are not allowed")
                )
            raw_key = _convert(loader, key_node, (*path, "<key>"), {}, filename, depth + 1, seen)
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            if key in result:
                raise _LocatedError(
                    Problem(
                        _where(filename, key_node),
                        "POLICY_DUPLICATE_KEY",
                        f"the key {key!r} appears twice in this mapping",
                    )
                )
            result[key] = _convert(loader, value_node, (*path, key), positions, filename, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*path, i), positions, filename, depth + 1, seen)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    raise _LocatedError(
        Problem(_where(filename, node), "POLICY_YAML_SYNTAX", "unsupported YAML node")
    )  # pragma: no cover


def position_of(positions: Positions, path: Path) -> tuple[int, int]:
    """The position of ``path``, or of its nearest ancestor that has one."""
    probe = tuple(path)
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return positions.get((), (1, 1))
