"""Usage guidelines: when to use the tool, when not, and what to use instead."""

from __future__ import annotations

from toolgrade.rules import finding
from toolgrade.scoring.context import DimensionScore, ToolContext

DIMENSION = "usage_guidelines"


def score(ctx: ToolContext) -> DimensionScore:
    facts = ctx.facts
    t = ctx.rubric.thresholds
    when = facts.has("usage_when")
    when_not = facts.has("usage_when_not")
    prereq = facts.has("prerequisites")
    alternatives = ctx.mentioned_siblings or ctx.mentioned_tool_like
    evidence = []
    if when:
        evidence.append("when: " + ", ".join(when[:3]))
    if prereq:
        evidence.append("prerequisites: " + ", ".join(prereq[:3]))
    if when_not:
        evidence.append("exclusions: " + ", ".join(when_not[:3]))
    if alternatives:
        evidence.append("names other tools: " + ", ".join(alternatives[:4]))
    findings = []
    if facts.word_count <= 1:
        value = 1
        evidence.append("no usable text")
    elif (when or prereq) and (when_not or alternatives) or (when_not and alternatives):
        value = 5
    elif when or prereq or when_not or alternatives:
        value = 4
        findings.append(finding("TG202", ctx.name, "/description",
                                suggestion="Add when not to use it and the alternative, e.g. \"Not for ...; use "
                                + (ctx.siblings.example_for(ctx.name) or "another tool") + " instead.\""))
    elif facts.word_count >= t["implied_usage_words"] or len(facts.sentences) >= 2:
        value = 3
        evidence.append("usage only implied by the purpose")
        findings.append(finding("TG201", ctx.name, "/description"))
    else:
        value = 2
        evidence.append("no guidance on when to use it")
        findings.append(finding("TG201", ctx.name, "/description"))
    step = {
        1: "Write a description first",
        2: "Add a sentence on the situation it is for: \"Use this when ...\"",
        3: "Make the usage explicit: \"Use this when ...\", and what to call first if anything",
        4: "Add when not to use it and name the alternative tool",
    }.get(value)
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)
