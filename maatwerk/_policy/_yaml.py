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
STR_TAG = "tag:yaml.org,2002:str"

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


def load_located(text: str, filename: str, *, keys: Positions | None = None) -> tuple[Any, Positions]:
    """Parse ``text``; returns the plain data and the positions of every path in it.

    ``keys``, when given, is filled with the position of each mapping key, by the path of its value
    (a value's own position is where the value starts, which for an unknown key is one step too far).
    Raises :class:`ValueError` carrying a list of :class:`Problem` in ``args[0]`` on any problem; a
    syntax error is explained in plain words (:func:`explain_syntax_error`).
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_POLICY_BYTES:
        raise ValueError(
            [Problem(f"{filename}:1:1", "POLICY_TOO_LARGE", f"a policy file may have at most {MAX_POLICY_BYTES} bytes")]
        )
    loader = LOADER(text)
    positions: Positions = {}
    key_positions: Positions = {} if keys is None else keys
    try:
        node = loader.get_single_node()
        if node is None:
            raise _LocatedError(Problem(f"{filename}:1:1", "POLICY_EMPTY", "the file is empty"))
        data = _convert(loader, node, (), positions, key_positions, filename, 0, set())
    except _LocatedError as located:
        raise ValueError([located.problem]) from None
    except yaml.MarkedYAMLError as err:
        (line, col), message = explain_syntax_error(err, text)
        raise ValueError([Problem(f"{filename}:{line}:{col}", "POLICY_YAML_SYNTAX", message)]) from None
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
    keys: Positions,
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
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _LocatedError(
                    Problem(_where(filename, key_node), "POLICY_YAML_SYNTAX", "merge keys (<<) are not allowed")
                )
            raw_key = _convert(loader, key_node, (*path, "<key>"), {}, {}, filename, depth + 1, seen)
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            if key in result:
                raise _LocatedError(
                    Problem(
                        _where(filename, key_node),
                        "POLICY_DUPLICATE_KEY",
                        f"the key {key!r} appears twice in this mapping (first on line {first_line[key]}): "
                        "keep one of them",
                    )
                )
            first_line[key] = key_node.start_mark.line + 1
            keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(loader, value_node, (*path, key), positions, keys, filename, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*path, i), positions, keys, filename, depth + 1, seen)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR_TAG:
            # What the safe constructor makes of a string scalar (``construct_yaml_str``: its value),
            # without its dispatch: most of a pack's scalars are strings.
            return node.value
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


# --- syntax errors in plain words -------------------------------------------------------------------

_CLOSERS = {"flow mapping": ("{", "}"), "flow sequence": ("[", "]")}


def _line_of(text: str, line: int) -> str:
    """Line ``line`` (0-based) of ``text``, or '' past its end."""
    lines = text.splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content_line(text: str, line: int) -> str:
    """The nearest line before ``line`` (0-based) that holds more than a comment or spaces."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return lines[number]
    return ""


def _plain(err: yaml.MarkedYAMLError, text: str) -> tuple[yaml.Mark | None, str] | None:
    """A plain explanation of a parser message and the mark it belongs at, or None if unknown.

    Both PyYAML parsers (libyaml's and the pure-Python one) are covered: they word the same mistake
    differently, so the explanation also looks at the text where the parser stopped.
    """
    problem = err.problem or ""
    context = err.context or ""
    mark, opened = err.problem_mark, err.context_mark
    line_text = _line_of(text, mark.line) if mark else ""
    char = line_text[mark.column] if mark and mark.column < len(line_text) else ""
    if "tab" in problem or char == "\t":
        return mark, "a tab character is used here; YAML indents with spaces only: replace the tab by spaces"
    if "cannot start any token" in problem:
        return mark, f"a value cannot start with {char!r} in YAML: put the whole value in quotes"
    if "undefined alias" in problem:
        return mark, "'*' at the start of a value refers to an anchor in YAML: put the whole value in quotes"
    if "unknown escape character" in problem:
        return mark, "a backslash in double quotes starts an escape such as \\n: use single quotes, or write \\\\"
    if "quoted scalar" in context and "end of stream" in problem:
        quote = _line_of(text, opened.line)[opened.column : opened.column + 1] if opened else "'"
        where = f"on line {opened.line + 1} " if opened else ""
        return opened or mark, f"the quote {quote} opened {where}is never closed: end the text with {quote}"
    for kind, (opener, closer) in _CLOSERS.items():
        if kind in context and opened is not None:
            return opened, (
                f"the {opener!r} opened on line {opened.line + 1} is not closed where it should be: end it with "
                f"{closer!r} and separate its items with commas (a value with ',' or ':' in it goes in quotes)"
            )
    if "could not find expected ':'" in problem and opened is not None:
        return opened, f"line {opened.line + 1} has a key without ':' after it: write 'key: value'"
    if "mapping values are not allowed" in problem and mark is not None:
        before = line_text[: mark.column]
        if ": " in before or before.rstrip().endswith(":"):
            return mark, "this value contains ': ', which YAML reads as a new key: put the whole value in quotes"
        above = _previous_content_line(text, mark.line)
        if above and _indent(line_text) > _indent(above) and not above.rstrip().endswith(":"):
            return mark, (
                "this line is indented further than the line above it: keys of one mapping start at the same "
                "column, and the line above needs a ':' if this line belongs under it"
            )
        return mark, "the line above has a key without ':' after it: write 'key: value'"
    if "block" in context and mark is not None:
        in_list = "collection" in context or "sequence" in context
        start = f" (the {'list' if in_list else 'mapping'} starting on line {opened.line + 1})" if opened else ""
        if char in ("]", "}"):
            return mark, f"there is a closing {char!r} here without an opening one: remove it"
        if line_text[: mark.column].strip():
            return mark, "there is more text after this value: put the whole value in quotes"
        if char == "-" and not in_list and opened is not None and opened.column == mark.column:
            return mark, (
                f"a list item stands among the keys of a mapping{start}: indent the list under the key it belongs to"
            )
        if in_list or char == "-":
            return mark, (
                f"this line is indented differently from the items above it{start if in_list else ''}: list items "
                "start with "
                "'- ' at the same indentation"
            )
        return mark, (
            f"this line is indented differently from the keys above it{start}: keys of one mapping start at the "
            "same column"
        )
    if "constructor for the tag" in problem:
        return mark, "a tag ('!' before a value) is not allowed here: remove it, or quote the value"
    if "single document" in context:
        return mark, "a second YAML document starts here ('---'): a file holds one document; remove the '---'"
    return None


def explain_syntax_error(err: yaml.MarkedYAMLError, text: str) -> tuple[tuple[int, int], str]:
    """The 1-based ``(line, column)`` and a plain message for a YAML syntax error in ``text``.

    The message explains the common mistakes (indentation, tabs, a missing ':', an unclosed quote or
    bracket, a value that needs quotes) in plain words and keeps the parser's own text after it, as
    ``(parser: ...)``, so nothing is lost.
    """
    parser = err.problem or err.context or "invalid YAML"
    if err.problem and err.context:
        parser = f"{err.problem}, {err.context}"
    if err.problem_mark is not None:
        parser += f" at line {err.problem_mark.line + 1}, column {err.problem_mark.column + 1}"
    found = _plain(err, text)
    mark = (found[0] if found else None) or err.problem_mark or err.context_mark
    position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if found is None:
        return position, parser
    return position, f"{found[1]} (parser: {parser})"
