"""Contextual completeness, relative to the tool's complexity.

A zero-parameter read needs a sentence; a tool with nested inputs that changes state needs
its returns, effects and usage. An output schema lifts the duty to describe returns.

The rubric's completeness covers results, effects and inputs. `coverage` judges the first: how
much the description says for the tool's complexity, capped when the result or the
parameters go unexplained. Effects and inputs already have their own judgements (behavior,
parameters, scored before this dimension), so `score` blends those in with the rubric's
weights rather than judging the same text twice with different rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from toolgrade.rules import finding
from toolgrade.scoring.behavior import disclosures
from toolgrade.scoring.context import DimensionScore, ToolContext

DIMENSION = "completeness"

#: Verbs whose result is evident from the purpose itself: 'List users' returns users.
_SELF_EVIDENT_RETURNS = frozenset({"list", "get", "search", "find", "fetch", "retrieve", "read", "query",
                                   "lookup", "show", "view", "count", "describe", "check", "validate", "compare"})


def score(ctx: ToolContext) -> DimensionScore:
    """The rubric's blend of `coverage` with the dimensions it names, already in `ctx.scored`."""
    return combine(coverage(ctx), ctx.scored, ctx.rubric.thresholds["completeness_blend"])


def coverage(ctx: ToolContext) -> DimensionScore:
    """How much the description says for the tool's complexity."""
    facts = ctx.facts
    s = ctx.signals
    t = ctx.rubric.thresholds
    words = facts.word_count
    evidence = []
    findings = []
    if words <= 1:
        return DimensionScore(DIMENSION, 1, ("one word cannot be complete",), (), "Write a full description")
    returns = facts.has("returns")
    if s.has_output_schema:
        evidence.append("output schema declared")
    elif returns:
        evidence.append("describes the result: " + ", ".join(returns[:3]))
    elif ctx.verb in _SELF_EVIDENT_RETURNS and len(facts.resource_words) >= 2:
        evidence.append(f"result evident from '{ctx.verb} {' '.join(facts.resource_words[:3])}'")
    else:
        findings.append(finding("TG601", ctx.name, "/description"))
    returns_known = len(findings) == 0
    context = bool(disclosures(ctx)) or bool(facts.has("usage_when")) or bool(ctx.mentioned_siblings)
    if context:
        evidence.append("gives behavior or usage context")
    documented = len(ctx.params) - sum(1 for p in ctx.params if not p.described and p.name not in ctx.params_in_text)
    params_ok = not ctx.params or 100 * documented / len(ctx.params) >= t["coverage_baseline"]
    if params_ok:
        evidence.append("parameters documented" if ctx.params else "no parameters to explain")
    # Complete for the tool's complexity: a zero-parameter read is complete in a sentence; a
    # tool with many or nested inputs that changes state needs a paragraph. The words the
    # description has, over the words its complexity asks for, sets the score; missing
    # results or parameters cap it.
    c = t["completeness_words"]
    needed = c["base"] + c["per_param"] * s.param_count + c["nested"] * s.has_nested_objects \
        + c["mutating"] * ctx.is_mutating
    ratio = words / needed
    bands = c["ratio_bands"]
    value = 2 + sum(1 for band in bands if ratio >= band)
    evidence.insert(0, f"{words} words for a tool that needs about {needed} ({s.param_count} parameters"
                       f"{', nested' if s.has_nested_objects else ''}{', changes state' if ctx.is_mutating else ''})")
    if value > 3 and not returns_known:
        value = 3
        evidence.append("capped at 3: the result is not described")
    if value > 3 and not params_ok:
        value = 3
        evidence.append("capped at 3: parameters undocumented")
    if value < 5 and (s.has_annotations or s.has_output_schema) and context and ratio >= bands[0]:
        value += 1
        evidence.append("annotations or output schema add context")
    if value >= 5:
        step = None
    elif not returns_known:
        step = "Describe the result (or add an outputSchema)"
    elif not params_ok:
        step = "Document the undocumented parameters"
    elif ratio < bands[-1]:
        step = (f"Cover what this tool's complexity asks for: about {round(needed * bands[min(value - 1, 2)])} words "
                f"(it has {words}) on results, effects and how the inputs combine")
    else:
        step = "Add usage or behavior context: when to use it, what it changes"
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)


def combine(covered: DimensionScore, others: Mapping[str, DimensionScore], blend: Mapping[str, float]) -> DimensionScore:
    """Completeness as the weighted blend of the coverage judgement (`covered`) and the
    dimensions named in `blend` (behavior for effects, parameters for inputs)."""
    if covered.score == 1:
        return covered  # nothing an agent could act on: what else is right cannot make up for it
    terms = _terms(tuple(blend.items()))
    parts = [covered if key == "coverage" else others[key] for key, _, _ in terms]
    value = sum(weight * part.score for (_, weight, _), part in zip(terms, parts))
    rounded = min(5, max(1, math.floor(value + 0.5)))
    mix = ", ".join(f"{key} {part.score} x {label}" for (key, _, label), part in zip(terms, parts))
    step = None
    if rounded < 5:
        # The heaviest part that still has room (terms are heaviest first): its next point lifts
        # the blend most, so if any single point reaches the next score, this one does.
        for (key, _, _), part in zip(terms, parts):
            if part.score < 5 and part.next_step:
                step = part.next_step if key == "coverage" else f"{part.next_step} ({key})"
                break
    return DimensionScore(DIMENSION, rounded, (*covered.evidence, f"blend of {mix}: {value:.2f}"), covered.findings,
                          step)


@lru_cache(maxsize=16)
def _terms(blend: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float, str], ...]:
    """(part, weight, weight as printed), heaviest first: worked out once per rubric, not per tool."""
    return tuple((key, weight, f"{weight:g}") for key, weight in sorted(blend, key=lambda kv: -kv[1]))
