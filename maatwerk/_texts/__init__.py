# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The interface words: one message catalogue (``ui.yaml``, package data), in Dutch and English.

Where words live: legal and advice texts are in the packs (``policies/``), as templates over their
parameters; the words of the interface (headings, labels, the report's names, the OpenAPI summaries)
are in ``ui.yaml`` beside this module, keyed by a message id. Python names a message and never types
its words::

    say("advice.title", "nl")  # "Advies"

Every id is written out where it is used, as a string literal in a call of :func:`say`, so that
``tests/test_texts.py`` can check that every id used exists in both languages and every id in the
catalogue is used: a missing message is a failing test, not an error at run time.

The catalogue is read once, on the first :func:`say` (``import maatwerk`` does not read it), and
checked as it is read: each message has exactly the two languages, each a non-empty string, and
each id starts with a namespace that names its reader. A duplicate id is refused, not overwritten.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["LANGUAGES", "Catalogue", "Language", "catalogue", "namespace", "parse", "say"]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
FILE = "ui.yaml"
#: A message id: a namespace and one or more lowercase, dotted names (``report.csv.record``).
MESSAGE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Catalogue:
    """The messages (id -> language -> words) and who reads each namespace."""

    messages: Mapping[str, Mapping[Language, str]]
    readers: Mapping[str, str]


def namespace(message: str) -> str:
    """The namespace of a message id: its first name (``advice`` of ``advice.title``)."""
    return message.split(".", 1)[0]


def _compose(text: str) -> Any:
    """The YAML as plain data; a mapping with a key twice is an error (PyYAML would keep the last)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise ValueError(f"{FILE}:{key_node.start_mark.line + 1}: {key!r} is given twice")
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return yaml.load(text, Loader=Loader)  # a SafeLoader: no tags that build objects


def parse(text: str) -> Catalogue:
    """A catalogue from the text of ``ui.yaml``, checked; every problem at once in one :class:`ValueError`."""
    data = _compose(text)
    if not isinstance(data, dict) or set(data) != {"readers", "messages"}:
        raise ValueError(f"{FILE}: holds exactly two mappings, readers and messages")
    readers, messages = data["readers"], data["messages"]
    if not isinstance(readers, dict) or not isinstance(messages, dict):
        raise ValueError(f"{FILE}: readers and messages are mappings")
    problems: list[str] = []
    checked: dict[str, Mapping[Language, str]] = {}
    for message, words in messages.items():
        if not isinstance(message, str) or not MESSAGE_ID.match(message):
            problems.append(f"{message!r}: an id is lowercase and dotted, a namespace first (advice.title)")
            continue
        if namespace(message) not in readers:
            problems.append(f"{message}: the namespace {namespace(message)!r} is not under readers")
        if not isinstance(words, dict) or set(words) != set(LANGUAGES):
            have = sorted(words) if isinstance(words, dict) else type(words).__name__
            problems.append(f"{message}: needs exactly {' and '.join(LANGUAGES)}, has {have}")
            continue
        bad = [lang for lang in LANGUAGES if not isinstance(words[lang], str) or not words[lang].strip()]
        if bad:
            problems.append(f"{message}: {', '.join(bad)} is not a text (quote yes, no, on and off)")
            continue
        checked[message] = MappingProxyType({lang: words[lang] for lang in LANGUAGES})
    if problems:
        raise ValueError(f"{FILE}: " + "; ".join(problems))
    return Catalogue(MappingProxyType(checked), MappingProxyType({str(k): str(v) for k, v in readers.items()}))


@functools.cache
def catalogue() -> Catalogue:
    """The package's catalogue, read and checked once."""
    return parse(resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8"))


def say(message: str, lang: Language) -> str:
    """The words of ``message`` in ``lang`` ("nl" or "en"). An id the catalogue lacks is a
    :class:`LookupError` naming it (``tests/test_texts.py`` keeps that from happening)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no words in {lang!r}: the languages are {', '.join(LANGUAGES)}")
    words = catalogue().messages.get(message)
    if words is None:
        raise LookupError(f"the message {message!r} is not in maatwerk/_texts/{FILE}")
    return words[lang]
