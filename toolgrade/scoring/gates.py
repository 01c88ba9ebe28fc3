"""The TDQS gates: conditions that fix or cap scores before any nuance (DESIGN 3.2)."""

from __future__ import annotations

import re

from toolgrade.rules import finding
from toolgrade.findings import Finding
from toolgrade.scoring.context import ToolContext
from toolgrade.scoring.context_tokens import name_tokens

NO_DESCRIPTION = "No Description"
TAUTOLOGY = "Tautological Description"
CONTRADICTION = "Annotation Contradiction"

_TRIM = re.compile(r"[\s.!:;]+$")


def is_tautology(ctx: ToolContext) -> bool:
    text = _TRIM.sub("", (ctx.tool.description or "").strip().lower())
    candidates = {ctx.name.lower(), " ".join(name_tokens(ctx.name))}
    if ctx.tool.title:
        candidates.add(ctx.tool.title.strip().lower())
    return text in candidates


def contradiction(ctx: ToolContext) -> tuple[str, str] | None:
    """(what contradicts, how to fix) when the text and the annotations disagree."""
    s = ctx.signals
    verb = ctx.facts.leading_verb
    words = ctx.rubric.words
    if s.read_only is True and s.destructive is True:
        return ("declares both readOnlyHint and destructiveHint", "a read-only tool cannot be destructive")
    if s.read_only is True and verb in words["contradicts_read_only"]:
        return (f"the description opens with '{verb}' but the tool declares readOnlyHint: true",
                "set readOnlyHint to false, or fix the description if it really only reads")
    if s.destructive is True and ctx.facts.has("behavior_safety") and verb not in words["destructive_verbs"]:
        claim = ctx.facts.has("behavior_safety")[0]
        return (f"the description says '{claim}' but the tool declares destructiveHint: true",
                "set destructiveHint to false, or say what the tool destroys")
    return None


def apply_gates(ctx: ToolContext) -> list[Finding]:
    """Record the gate flags on ctx and return their findings; scorers read ctx.flags."""
    if not ctx.has_description:
        ctx.flags.append(NO_DESCRIPTION)
        from toolgrade.scoring.examples import opening

        return [finding("TG001", ctx.name, "/description", example=opening(ctx))]
    found = []
    if is_tautology(ctx):
        ctx.flags.append(TAUTOLOGY)
        found.append(finding("TG002", ctx.name, "/description"))
    clash = contradiction(ctx)
    if clash:
        ctx.flags.append(CONTRADICTION)
        found.append(finding("TG003", ctx.name, "/annotations", detail=clash[0], fix=clash[1]))
    return found
