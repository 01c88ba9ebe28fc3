"""From six dimension scores to a tool score and tier, and from tools to the server."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from toolgrade.findings import SEVERITY_ORDER, Finding
from toolgrade.model import Catalog, Tool
from toolgrade.rubric import DIMENSIONS, Rubric
from toolgrade.rules.compat import duplicate_names, name_rules, schema_rules
from toolgrade.rules.security import catalog_findings
from toolgrade.scoring import behavior, completeness, conciseness, parameters, purpose, usage_guidelines
from toolgrade.scoring.coherence import score_coherence
from toolgrade.scoring.context import DimensionScore, ToolContext
from toolgrade.scoring.llm import LLMJudge
from toolgrade.scoring.siblings import Siblings
from toolgrade.scoring.gates import NO_DESCRIPTION, apply_gates
from toolgrade.scoring.grade import Grade, ServerGrade, ToolGrade
from toolgrade.scoring.text import TextFacts
from toolgrade.signals import compute_signals, params_of

SCORERS = {
    "purpose": purpose.score,
    "usage_guidelines": usage_guidelines.score,
    "behavior": behavior.score,
    "parameters": parameters.score,
    "conciseness": conciseness.score,
    "completeness": completeness.score,
}


def weighted(scores: dict[str, int], rubric: Rubric, rounded: bool = True) -> float:
    """The tool score: the rubric's weighted sum, to one decimal (or unrounded, for what-if plans)."""
    value = sum(rubric.weights[d] * scores[d] for d in DIMENSIONS)
    return round(value + 1e-9, 1) if rounded else value


def server_rollup(tool_scores: list[float], coherence: float, rubric: Rubric, rounded: bool = True) -> tuple[float, float]:
    """(description quality, overall): quality = mean_weight * mean + min_weight * min of the tool
    scores; overall = quality_weight * quality + coherence_weight * coherence (DESIGN 3.4)."""
    if not tool_scores:
        return 0.0, 0.0
    cfg = rubric.server
    quality = cfg["mean_weight"] * sum(tool_scores) / len(tool_scores) + cfg["min_weight"] * min(tool_scores)
    if rounded:
        quality = round(quality + 1e-9, 1)
    overall = cfg["quality_weight"] * quality + cfg["coherence_weight"] * coherence
    return quality, round(overall + 1e-9, 1) if rounded else overall


def _sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.pointer)))


def tool_context(tool: Tool, siblings: Siblings | Iterable[str], rubric: Rubric) -> ToolContext:
    """What every dimension scorer reads about one tool, computed once."""
    if not isinstance(siblings, Siblings):
        siblings = Siblings([*siblings, tool.name])
    params = params_of(tool)
    return ToolContext(tool=tool, signals=compute_signals(tool, params), params=params, siblings=siblings,
                       facts=TextFacts(tool.description or "", rubric), rubric=rubric)


def grade_tool(tool: Tool, siblings: Siblings | Iterable[str], rubric: Rubric,
               extra: list[Finding] | None = None) -> ToolGrade:
    """Grade one tool. `siblings` is the index of the catalog's names (or any iterable of names)."""
    ctx = tool_context(tool, siblings, rubric)
    signals = ctx.signals
    findings = apply_gates(ctx)
    if NO_DESCRIPTION in ctx.flags:
        dims = {d: DimensionScore(d, 1, ("no description: every dimension scores 1",), (),
                                  "Write a description") for d in DIMENSIONS}
        # Parameters can still be documented without a description; report them all the same.
        findings += list(parameters.score(ctx).findings)
    else:
        dims = ctx.scored
        for d in DIMENSIONS:
            dims[d] = SCORERS[d](ctx)
        for dim in dims.values():
            findings += dim.findings
    findings += name_rules(tool, rubric) + schema_rules(tool) + (extra or [])
    scores = {d: dims[d].score for d in DIMENSIONS}
    score = weighted(scores, rubric)
    return ToolGrade(
        name=tool.name,
        input_hash=signals.input_hash,
        dimensions=dims,
        score=score,
        tier=rubric.tier(score),
        smells=tuple(d for d in DIMENSIONS if scores[d] < rubric.smell_below),
        flags=tuple(ctx.flags),
        signals=signals,
        findings=_sort_findings(findings),
    )


def apply_judge(graded: ToolGrade, tool: Tool, siblings: Siblings, rubric: Rubric, judge: LLMJudge,
                engine: str) -> ToolGrade:
    """Ask the LLM judge; with engine 'llm' its scores lead, with 'both' they ride alongside."""
    verdict = judge.judge(tool, graded.input_hash, [n for n in siblings.names if n != tool.name], rubric)
    llm_score = weighted(verdict.scores, rubric)
    if engine == "both":
        alternate = {"engine": "llm", "scores": verdict.scores, "score": llm_score, "tier": rubric.tier(llm_score),
                     "evidence": verdict.evidence, "cached": verdict.cached}
        return replace(graded, engine="deterministic", alternate=alternate)
    alternate = {"engine": "deterministic", "scores": graded.scores, "score": graded.score, "tier": graded.tier,
                 "evidence": {d: "; ".join(x.evidence) for d, x in graded.dimensions.items()}}
    dims = {d: replace(graded.dimensions[d], score=verdict.scores[d],
                       evidence=(f"LLM judge: {verdict.evidence.get(d, '(no reason given)')}",))
            for d in DIMENSIONS}
    return replace(graded, dimensions=dims, score=llm_score, tier=rubric.tier(llm_score),
                   smells=tuple(d for d in DIMENSIONS if verdict.scores[d] < rubric.smell_below),
                   engine="llm", alternate=alternate)


def grade_catalog(catalog: Catalog, rubric: Rubric, judge: LLMJudge | None = None,
                  engine: str = "deterministic") -> Grade:
    siblings = Siblings(catalog.names())
    duplicates = duplicate_names(catalog)
    security = catalog_findings(catalog)
    coherence = score_coherence(list(catalog.tools), rubric)
    graded = []
    for tool in catalog.tools:
        extra = list(coherence.tool_findings.get(tool.name, []))
        if tool.name in duplicates:
            extra.append(duplicates[tool.name])
        extra += security.get(tool.name, [])
        result = grade_tool(tool, siblings, rubric, extra)
        if judge is not None and engine in ("llm", "both"):
            result = apply_judge(result, tool, siblings, rubric, judge, engine)
        graded.append(result)
    quality, overall = server_rollup([g.score for g in graded], coherence.coherence.score, rubric)
    server = ServerGrade(
        name=catalog.server.name,
        version=catalog.server.version,
        tool_count=len(graded),
        description_quality=quality,
        coherence=coherence.coherence,
        overall=overall,
        tier=rubric.tier(overall) if graded else "F",
        findings=coherence.server_findings,
    )
    return Grade(target=catalog.target, rubric=f"{rubric.name} {rubric.version}", server=server, tools=tuple(graded),
                 engine=engine if judge is not None else "deterministic")
