"""Conciseness and structure: every sentence earns its place, the point comes first.

Short is not the same as concise: a fragment loses points for saying too little, padding
and sprawl lose points for saying too much.
"""

from __future__ import annotations

from toolgrade.rules import finding
from toolgrade.scoring.context import DimensionScore, ToolContext

DIMENSION = "conciseness"


def score(ctx: ToolContext) -> DimensionScore:
    facts = ctx.facts
    t = ctx.rubric.thresholds
    words = facts.word_count
    evidence = [f"{words} words in {len(facts.sentences)} sentence(s)"]
    findings = []
    if words <= 1:
        value = 2
        evidence.append("a single word")
    elif words <= t["fragment_words"]:
        value = 3
        evidence.append("a fragment")
    else:
        value = 5
        padding = facts.has("padding")
        if padding:
            value -= 1 if len(padding) < 3 else 2
            evidence.append("filler: " + ", ".join(padding[:4]))
            findings.append(finding("TG502", ctx.name, "/description", phrases=", ".join(repr(p) for p in padding[:4])))
        over = sum(1 for limit in t["long_words"] if words > limit)
        if over:
            value -= over
            evidence.append(f"longer than {t['long_words'][over - 1]} words")
            findings.append(finding("TG503", ctx.name, "/description", words=words))
        normalised = [s.lower() for s in facts.sentences]
        if len(set(normalised)) < len(normalised):
            value -= 1
            evidence.append("repeats a sentence")
        if facts.leading_verb is None and len(facts.first_sentence.split()) > 25:
            value -= 1
            evidence.append("the first sentence is long and does not lead with the action")
        value = max(value, 2)
    if words <= t["fragment_words"]:
        findings.append(finding("TG501", ctx.name, "/description", words=words))
    step = {
        2: "Write one full sentence instead of a fragment",
        3: "Expand the fragment into a sentence with verb, resource and scope" if words <= t["fragment_words"]
           else "Cut filler and repeated text; lead with the action",
        4: "Cut what does not help an agent choose or call the tool; put the action first",
    }.get(value)
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)
