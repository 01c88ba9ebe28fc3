"""What every dimension scorer receives and returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from toolgrade.findings import Finding
from toolgrade.model import Tool
from toolgrade.rubric import Rubric
from toolgrade.scoring.text import TextFacts, lemma
from toolgrade.signals import Param, Signals

_NAME_SPLIT = re.compile(r"[_\-.\s/:]+|(?<=[a-z0-9])(?=[A-Z])")


def name_tokens(name: str) -> list[str]:
    """'listAllUsers' / 'list_all_users' / 'list-all.users' -> ['list', 'all', 'users']."""
    return [t.lower() for t in _NAME_SPLIT.split(name) if t]


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
    siblings: tuple[str, ...]
    facts: TextFacts
    rubric: Rubric
    flags: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.tool.name

    @property
    def has_description(self) -> bool:
        return bool((self.tool.description or "").strip())

    @cached_property
    def name_verb(self) -> str | None:
        """The action verb in the tool's name (first token, else last: 'user_delete')."""
        tokens = name_tokens(self.tool.name)
        verbs = self.rubric.words["action_verbs"]
        for token in (tokens[:1] + tokens[-1:]) if tokens else []:
            if lemma(token) in verbs or token in verbs:
                return lemma(token) if lemma(token) in verbs else token
        return None

    @cached_property
    def verb(self) -> str | None:
        """The tool's action: the description's leading verb, else the name's."""
        return self.facts.leading_verb or self.name_verb

    @cached_property
    def is_destructive(self) -> bool:
        if self.signals.destructive is True:
            return True
        if self.signals.read_only is True or self.signals.destructive is False:
            return False
        return self.verb in self.rubric.words["destructive_verbs"] or self.name_verb in self.rubric.words["destructive_verbs"]

    @cached_property
    def is_mutating(self) -> bool:
        if self.signals.read_only is True:
            return False
        if self.signals.read_only is False or self.signals.destructive is True:
            return True
        mutating = self.rubric.words["mutating_verbs"]
        return self.verb in mutating or self.name_verb in mutating

    @cached_property
    def mentioned_siblings(self) -> list[str]:
        """Sibling tool names that appear in the description (how tools point at alternatives)."""
        if not self.has_description or not self.siblings:
            return []
        text = self.facts.text
        found = self.facts.identifiers() & set(self.siblings)
        # Single-word sibling names ("search") only count in backticks or quotes.
        for sibling in self.siblings:
            if sibling not in found and (f"`{sibling}`" in text or f"'{sibling}'" in text or f'"{sibling}"' in text):
                found.add(sibling)
        return sorted(found)

    @cached_property
    def mentioned_tool_like(self) -> list[str]:
        """Identifiers in the text that look like tool names (verb_noun), sibling or not."""
        verbs = self.rubric.words["action_verbs"]
        params = {p.name for p in self.params}
        return sorted(
            ident for ident in self.facts.identifiers()
            if ident != self.tool.name and ident not in params and "_" in ident and name_tokens(ident)[0] in verbs
        )
