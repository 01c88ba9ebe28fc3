"""The other tools of a server, indexed once per catalog.

Scorers ask two questions of the siblings of every tool: which of them does the
description name, and which have confusably similar names. Asked naively that is
quadratic in the catalog size; this index answers both in time proportional to the
tool's own text and name (similar names through prefix filtering on rare name tokens).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from toolgrade.scoring.context_tokens import name_tokens

_QUOTED = re.compile(r"[`'\"]([A-Za-z0-9_.\-]{2,64})[`'\"]")
_BUCKET_CAP = 8
_SIMILAR = 0.5


class Siblings:
    """All tool names of one catalog; `for_tool` answers excluding the tool itself."""

    def __init__(self, names: Iterable[str]):
        self.names = tuple(dict.fromkeys(names))
        self.name_set = frozenset(self.names)
        self._tokens = {name: frozenset(t.rstrip("s") for t in name_tokens(name)) for name in self.names}
        self._first = {name: (name_tokens(name) or [""])[0] for name in self.names}
        self._frequency = Counter(t for tokens in self._tokens.values() for t in tokens)
        self._index: dict[str, list[str]] = defaultdict(list)
        for name, tokens in self._tokens.items():
            for token in self._prefix(tokens):
                self._index[self._first[name] + " " + token].append(name)

    def _prefix(self, tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=lambda t: (self._frequency[t], t))
        return ordered[: len(ordered) - math.ceil(_SIMILAR * len(ordered)) + 1]

    def count_for(self, name: str) -> int:
        return len(self.name_set - {name})

    def example_for(self, name: str) -> str | None:
        return next((n for n in self.names if n != name), None)

    def mentioned(self, name: str, text: str, identifiers: frozenset[str]) -> list[str]:
        """Sibling names the text contains: identifier-like words, or quoted single words."""
        found = identifiers & self.name_set
        if "'" in text or '"' in text or "`" in text:
            found = found | (set(_QUOTED.findall(text)) & self.name_set)
        return sorted(found - {name})

    def similar_to(self, name: str) -> list[str]:
        """Siblings with the same leading word and mostly the same name words (get_user ~ get_users)."""
        mine = self._tokens.get(name) or frozenset(t.rstrip("s") for t in name_tokens(name))
        first = self._first.get(name) or (name_tokens(name) or [""])[0]
        if not mine:
            return []
        similar = []
        checked = 0
        for token in self._prefix(mine):
            for other in self._index.get(first + " " + token, ()):
                if checked >= _BUCKET_CAP:
                    return similar
                if other == name or other in similar:
                    continue
                checked += 1
                theirs = self._tokens[other]
                if len(mine & theirs) >= _SIMILAR * len(mine | theirs):
                    similar.append(other)
        return similar
