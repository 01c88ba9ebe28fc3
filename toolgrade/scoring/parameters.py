"""Parameter semantics, relative to what the schema already documents.

Baseline 3 when schema descriptions cover the parameters; more only for meaning beyond the
schema (formats, examples, ranges, how parameters interact). Parameters the description
text explains ("Args: path - ...") count as documented.
"""

from __future__ import annotations

import math

from toolgrade.rules import finding
from toolgrade.scoring.context import DimensionScore, ToolContext

DIMENSION = "parameters"

_SCHEMA_SEMANTICS = ("enum", "format", "pattern", "minimum", "maximum", "examples", "default", "const",
                     "minLength", "maxLength", "exclusiveMinimum", "exclusiveMaximum")


def score(ctx: ToolContext) -> DimensionScore:
    params = ctx.params
    t = ctx.rubric.thresholds
    if not params:
        return DimensionScore(DIMENSION, 4, ("no parameters: baseline 4",), (),
                              "Nothing to add unless the tool takes hidden inputs (config, env): name them")
    in_text = ctx.params_in_text
    undocumented = [p for p in params if not p.described and p.name not in in_text]
    coverage = ctx.signals.schema_description_coverage
    effective = round(100 * (len(params) - len(undocumented)) / len(params))
    # Meaning beyond the schema lives in the description text: parameters it explains,
    # and how they combine. Rich schema descriptions are the baseline, not a bonus.
    explained = sorted(p.name for p in params if p.name in in_text)
    evidence = [f"schema description coverage {coverage}% ({ctx.signals.described_count}/{len(params)})"]
    if explained:
        evidence.append(f"the description text explains {', '.join(explained[:5])}")
    if effective != coverage:
        evidence.append(f"effective coverage {effective}% counting the description text")
    if effective >= t["coverage_baseline"]:
        value = 3
        if explained and coverage >= t["coverage_baseline"]:
            value = 4
            if len(explained) >= max(2, math.ceil(len(params) / 2)):
                value = 5
    elif effective >= t["coverage_some"]:
        value = 3 if len(params) <= 4 else 2
    elif effective > 0:
        value = 2
    else:
        value = 1 if len(params) >= 3 else 2
    findings = [finding("TG401", ctx.name, p.pointer + "/description", param=repr(p.name)) for p in undocumented]
    findings += [finding("TG402", ctx.name, p.pointer, param=repr(p.name)) for p in params
                 if not any(k in p.schema for k in ("type", "enum", "const", "$ref", "anyOf", "oneOf", "allOf"))]
    step = {
        1: "Describe each parameter: " + ", ".join(p.name for p in undocumented[:4]),
        2: "Describe the undocumented parameters: " + ", ".join(p.name for p in undocumented[:4]),
        3: "Add meaning beyond the schema to the key parameters: a format, an example, a default or how they combine",
        4: "Give every parameter a format, example or range, and say how they interact",
    }.get(value)
    return DimensionScore(DIMENSION, value, tuple(evidence), tuple(findings), step)
