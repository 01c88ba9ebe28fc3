"""Purpose clarity: a specific verb on a specific resource, told apart from its siblings."""

from __future__ import annotations

from toolgrade.rules import finding
from toolgrade.scoring.context import DimensionScore, ToolContext
from toolgrade.scoring.examples import opening
from toolgrade.scoring.gates import TAUTOLOGY

DIMENSION = "purpose"


def score(ctx: ToolContext) -> DimensionScore:
    facts = ctx.facts
    t = ctx.rubric.thresholds
    verb = facts.leading_verb
    resource = facts.resource_words
    evidence = [f'first sentence: "{facts.first_sentence[:160]}"']
    findings = []
    distinct = ctx.mentioned_siblings or facts.has("contrast")
    if facts.word_count <= 1:
        value, evidence = 1, [*evidence, "a single word cannot state a purpose"]
        findings.append(finding("TG101", ctx.name, "/description", detail="the description is one word",
                                example=opening(ctx)))
    elif verb is None:
        value = 4 if len(resource) >= 3 else 3 if resource else 2
        evidence.append("does not open with an action verb")
        findings.append(finding("TG101", ctx.name, "/description", detail="the description does not open with a verb",
                                example=opening(ctx)))
    elif len(resource) < t["specific_resource_words"]:
        value = 3
        evidence.append(f"verb '{verb}' but the resource is vague ({' '.join(resource) or 'nothing named'})")
        findings.append(finding("TG101", ctx.name, "/description", detail=f"'{verb}' of what? the resource is vague",
                                example=opening(ctx)))
    else:
        value = 4
        evidence.append(f"verb '{verb}' on '{' '.join(resource[:6])}'")
        rich = len(facts.first_sentence.split()) >= t["rich_first_sentence_words"]
        if distinct:
            value = 5
            evidence.append("sets itself apart: " + ", ".join((ctx.mentioned_siblings or facts.has("contrast"))[:3]))
        elif rich:
            value = 5
            evidence.append("first sentence carries the scope")
    # Only a tool that would otherwise score 4-5 can lose a point for confusable siblings.
    similar = ctx.siblings.similar_to(ctx.name) if value >= 4 and not ctx.mentioned_siblings else []
    if similar:
        value = 4
        evidence.append("similar siblings not told apart: " + ", ".join(similar[:3]))
        findings.append(finding("TG102", ctx.name, "/description", others=", ".join(similar[:3]), other_one=similar[0]))
    if TAUTOLOGY in ctx.flags and value > 2:
        value = 2
        evidence.append("capped at 2: the description repeats the name")
    step = {
        1: "Write a full sentence: a verb and the resource it acts on",
        2: "Open with a specific verb and resource: " + opening(ctx) if value == 2 else "",
        3: "Name the exact resource and scope after the verb (which object, one or many, by what key)",
        4: "Say how it differs from its closest sibling" + (f" ({similar[0]})" if similar else "")
           + ", or add its scope to the first sentence",
    }.get(value)
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)
