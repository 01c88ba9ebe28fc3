"""What every dimension scorer receives and returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from toolgrade.lazy import lazy

from toolgrade.findings import Finding
from toolgrade.model import Tool
from toolgrade.rubric import Rubric
from toolgrade.scoring.context_tokens import name_tokens
from toolgrade.scoring.siblings import Siblings
from toolgrade.scoring.text import TextFacts, lemma
from toolgrade.signals import Param, Signals

#: Words the text sets out as parameter names: `name`, name:, name -, name =, name (
_SET_OUT = re.compile(r"`([\w-]+)`|(?<![\w-])([\w-]+)\s*(?::|\s-\s|\s–\s|=|\()")


@dataclass(frozen=True)
class DimensionScore:
    """One dimension's 1-5 score, the evidence it rests on, and the next step up."""

    dimension: str
    score: int
    evidence: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    next_step: str | None = None


@dataclass
class ToolContext:
    tool: Tool
    signals: Signals
    params: list[Param]
    siblings: Siblings
    facts: TextFacts
    rubric: Rubric
    flags: list[str] = field(default_factory=list)
    #: The dimensions scored so far, in the rubric's order: a scorer may build on earlier ones
    #: (completeness reuses behavior and parameters).
    scored: dict[str, DimensionScore] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.tool.name

    @property
    def has_description(self) -> bool:
        return bool((self.tool.description or "").strip())

    @lazy
    def name_verb(self) -> str | None:
        """The action verb in the tool's name (first token, else last: 'user_delete')."""
        tokens = name_tokens(self.tool.name)
        verbs = self.rubric.words["action_verbs"]
        for token in (tokens[:1] + tokens[-1:]) if tokens else []:
            if lemma(token) in verbs or token in verbs:
                return lemma(token) if lemma(token) in verbs else token
        return None

    @lazy
    def verb(self) -> str | None:
        """The tool's action: the description's leading verb, else the name's."""
        return self.facts.leading_verb or self.name_verb

    @lazy
    def is_destructive(self) -> bool:
        if self.signals.destructive is True:
            return True
        if self.signals.read_only is True or self.signals.destructive is False:
            return False
        return self.verb in self.rubric.words["destructive_verbs"] or self.name_verb in self.rubric.words["destructive_verbs"]

    @lazy
    def is_mutating(self) -> bool:
        if self.signals.read_only is True:
            return False
        if self.signals.read_only is False or self.signals.destructive is True:
            return True
        mutating = self.rubric.words["mutating_verbs"]
        return self.verb in mutating or self.name_verb in mutating

    @lazy
    def mentioned_siblings(self) -> list[str]:
        """Sibling tool names that appear in the description (how tools point at alternatives)."""
        if not self.has_description:
            return []
        return self.siblings.mentioned(self.name, self.facts.text, self.facts.identifier_set)

    @lazy
    def params_in_text(self) -> frozenset[str]:
        """Parameters the description text documents.

        An identifier-like name (`user_id`, `pageSize`) counts wherever it appears; a plain word
        (`input`, `name`) only where the text sets it out as a parameter: `name`, name:, name -, name (.
        """
        if not self.params or not self.has_description:
            return frozenset()
        text = self.facts.text
        set_out = {a or b for a, b in _SET_OUT.findall(text)}
        found = set()
        for p in self.params:
            name = p.name
            if len(name) < 2:
                continue
            if "_" in name or "-" in name or any(c.isupper() for c in name[1:]):
                if name in text and re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
                    found.add(name)
            elif name in set_out:
                found.add(name)
        return frozenset(found)

    @lazy
    def mentioned_tool_like(self) -> list[str]:
        """Identifiers in the text that look like tool names (verb_noun), sibling or not."""
        verbs = self.rubric.words["action_verbs"]
        params = {p.name for p in self.params}
        return sorted(
            ident for ident in self.facts.identifier_set
            if ident != self.tool.name and ident not in params and "_" in ident and name_tokens(ident)[0] in verbs
        )


__all__ = ["DimensionScore", "Siblings", "ToolContext", "name_tokens"]
