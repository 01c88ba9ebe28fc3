"""Behavioral transparency, judged relative to the declared annotations.

Annotations already tell a client whether a tool reads, destroys or repeats safely, so with
them declared the description needs less; what counts is disclosure beyond them: effects,
auth, limits, failure modes.
"""

from __future__ import annotations

from toolgrade.rules import finding
from toolgrade.scoring.context import DimensionScore, ToolContext
from toolgrade.scoring.examples import effect_sentence, suggested_annotations
from toolgrade.scoring.gates import CONTRADICTION

DIMENSION = "behavior"
CATEGORIES = ("behavior_effects", "behavior_safety", "behavior_auth", "behavior_limits", "behavior_errors", "returns")

_IRREVERSIBLE = ("permanent", "permanently", "irreversible", "cannot be undone", "can't be undone",
                 "no longer", "recover", "soft delete", "soft-delete", "trash", "undo")


def disclosures(ctx: ToolContext) -> dict[str, list[str]]:
    """Behavior categories the description discloses, with the phrases that show it."""
    return {c: found for c in CATEGORIES if (found := ctx.facts.has(c))}


def score(ctx: ToolContext) -> DimensionScore:
    s = ctx.signals
    found = disclosures(ctx)
    n = len(found)
    evidence = [f"{c.removeprefix('behavior_')}: {', '.join(v[:3])}" for c, v in found.items()]
    findings = []
    # Disclosure counts when there is room for it: one category in a short sentence is a hint,
    # several in a paragraph are transparency. Declared annotations start the bar one higher.
    words = ctx.facts.word_count
    t = ctx.rubric.thresholds
    detailed, thorough = t["behavior_detail_words"]
    if s.has_annotations:
        evidence.insert(0, "annotations declared: " + ", ".join(
            f"{k}={v}" for k, v in (("readOnly", s.read_only), ("destructive", s.destructive),
                                    ("idempotent", s.idempotent), ("openWorld", s.open_world)) if v is not None))
        value = 3 + (n >= 1 and words >= detailed // 2) + (n >= 2 and words >= detailed)
    else:
        value = 2 + (n >= 2 or (n >= 1 and words >= detailed * 2 // 3)) + (n >= 3 and words >= detailed) \
            + (n >= 4 and words >= thorough)
        findings.append(finding("TG302", ctx.name, "/annotations", suggested=suggested_annotations(ctx)))
    if ctx.facts.word_count <= ctx.rubric.thresholds["fragment_words"]:
        value = min(value, 2 if not s.has_annotations else 3)
    if ctx.is_destructive and not any(k in ctx.facts.text.lower() for k in _IRREVERSIBLE):
        if value > 3:
            value = 3
        evidence.append("destructive, but silent on whether it can be undone")
        findings.append(finding("TG303", ctx.name, "/description"))
    elif ctx.is_mutating and "behavior_effects" not in found and not s.has_annotations:
        value = min(value, 3)
        findings.append(finding("TG301", ctx.name, "/description", verb=ctx.verb or "mutating",
                                example=effect_sentence(ctx)))
    if CONTRADICTION in ctx.flags:
        value = 1
        evidence.append("the description contradicts the annotations")
    if not evidence:
        evidence.append("no behavioral disclosure and no annotations")
    step = {
        1: "Make annotations and description agree",
        2: ("Say whether the deletion is permanent, and declare destructiveHint" if ctx.is_destructive else
            "Declare annotations, or say what the call changes and what it needs (auth, limits)"),
        3: "Add what a caller cannot see in the schema: " + (
            "that the deletion is permanent" if ctx.is_destructive else
            "side effects, required permissions, rate limits or failure cases"),
        4: "Add the remaining disclosure: limits (pagination, rate limits) or failure cases (which errors, when)",
    }.get(value)
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)
