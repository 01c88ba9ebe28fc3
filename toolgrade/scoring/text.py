"""Plain facts about a description's text: sentences, words, the leading verb, cue phrases.

Computed once per tool and shared by the six dimension scorers, so that each scorer is a
few readable comparisons. Everything here is linear in the text length (no backtracking
regexes over user text), which keeps scoring at tens of thousands of tools per second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from toolgrade.lazy import lazy

from toolgrade.rubric import Rubric, tokens_of

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9`\"'(\[])|\n\s*\n|\n\s*[-*•]\s+|\n(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]+\b")
_LEADING_NOISE = re.compile(r"^\s*(?:\[[^\]]{1,40}\]\s*|[#>*\-•]+\s*)*")


def lemma(word: str) -> str:
    """A crude verb lemma: 'Lists' -> 'list', 'Creates' -> 'create', 'Searches' -> 'search'."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass
class TextFacts:
    """What scorers need to know about one description. Lazy: unused facts cost nothing."""

    raw: str
    rubric: Rubric

    @lazy
    def text(self) -> str:
        return normalise(self.raw)

    @lazy
    def sentences(self) -> list[str]:
        parts = [normalise(p) for p in _SENTENCE_END.split(self.raw.strip())]
        return [p for p in parts if p]

    @lazy
    def first_sentence(self) -> str:
        return self.sentences[0] if self.sentences else ""

    @lazy
    def words(self) -> list[str]:
        return _WORD.findall(self.text)

    @lazy
    def word_count(self) -> int:
        return len(self.words)

    @lazy
    def leading_verb(self) -> str | None:
        """The action verb the description opens with, if it opens with one."""
        head = _LEADING_NOISE.sub("", self.first_sentence)
        words = _WORD.findall(head)[:2]
        verbs = self.rubric.words["action_verbs"]
        for word in words[:1]:
            if lemma(word) in verbs or word.lower() in verbs:
                return lemma(word) if lemma(word) in verbs else word.lower()
        return None

    @lazy
    def resource_words(self) -> list[str]:
        """Content words of the first sentence after the verb, minus vague nouns and stop words."""
        words = _WORD.findall(_LEADING_NOISE.sub("", self.first_sentence))
        if self.leading_verb:
            words = words[1:]
        vague = self.rubric.words["vague_nouns"]
        return [w for w in words if w.lower() not in _STOP and w.lower() not in vague and len(w) > 2]

    @lazy
    def tokens(self) -> list[str]:
        return tokens_of(self.raw)

    @lazy
    def token_line(self) -> str:
        return " " + " ".join(self.tokens) + " "

    @lazy
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)

    def has(self, lexicon: str) -> list[str]:
        """Phrases of a rubric word list present in the text (memoised per list)."""
        found = self._found.get(lexicon)
        if found is None:
            found = self._found[lexicon] = self.rubric.phrases[lexicon].find_in(self.token_line, self.token_set)
        return found

    @lazy
    def _found(self) -> dict[str, list[str]]:
        return {}

    @lazy
    def identifier_set(self) -> frozenset[str]:
        return frozenset(self.identifiers())

    def identifiers(self) -> set[str]:
        """snake_case / kebab-case / dotted / camelCase words: how text names other tools or fields."""
        text = self.text
        if "_" not in text and "-" not in text and "." not in text and text.islower():
            return set()
        return set(_IDENTIFIER.findall(text))


_STOP = frozenset(
    "a an the of to for in on at by with and or from into your this that these those its it is are be "
    "as all any one new given specified specific each via using use about over under".split()
)
