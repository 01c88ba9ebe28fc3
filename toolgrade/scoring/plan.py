"""What to fix first: a greedy what-if plan that lifts the server's score and tier.

Server description quality is 0.6 * mean + 0.4 * min of the tool scores, so the weakest tool
weighs far more than its share: raising it one point on a heavy dimension often does more
than polishing ten good tools. The plan simulates single-point raises (using each
dimension's `next_step` as the change to make) and picks, step by step, the raise that lifts
the server overall most, until the tier improves or the step budget is spent.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolgrade.rubric import DIMENSIONS, Rubric
from toolgrade.scoring.aggregate import server_rollup, weighted
from toolgrade.scoring.grade import Grade


@dataclass(frozen=True)
class PlanStep:
    tool: str
    dimension: str
    before: int
    after: int
    change: str
    tool_score: float
    server_overall: float
    server_tier: str


def _server(scores: dict[str, dict[str, int]], grade: Grade, rubric: Rubric) -> tuple[float, float]:
    """(overall as reported, overall unrounded): the plan ranks raises by the unrounded value,
    so that steps which only move the server after rounding are still ordered sensibly."""
    coherence = grade.server.coherence.score
    _, reported = server_rollup([weighted(s, rubric) for s in scores.values()], coherence, rubric)
    _, raw = server_rollup([weighted(s, rubric, rounded=False) for s in scores.values()], coherence, rubric,
                           rounded=False)
    return reported, raw


def what_if(grade: Grade, rubric: Rubric, max_steps: int = 15) -> list[PlanStep]:
    """Steps in order; stops once the server tier is above where it started (or nothing helps)."""
    if not grade.tools:
        return []
    scores = {t.name: dict(t.scores) for t in grade.tools}
    steps_by_tool = {t.name: {d: dim.next_step for d, dim in t.dimensions.items()} for t in grade.tools}
    start_tier = grade.server.tier
    current, _ = _server(scores, grade, rubric)
    plan: list[PlanStep] = []
    used: set[tuple[str, str]] = set()  # one raise per tool and dimension: its next step is the change
    for _ in range(max_steps):
        best = None
        for name, dims in scores.items():
            for dim in DIMENSIONS:
                if dims[dim] >= 5 or (name, dim) in used:
                    continue
                dims[dim] += 1
                overall, raw = _server(scores, grade, rubric)
                tool_score = weighted(dims, rubric)
                dims[dim] -= 1
                # Prefer the biggest server gain, then the heavier dimension, then the weaker tool.
                key = (raw, rubric.weights[dim], -tool_score)
                if best is None or key > best[0]:
                    best = (key, name, dim, overall, tool_score)
        if best is None:
            break
        _, name, dim, overall, tool_score = best
        scores[name][dim] += 1
        used.add((name, dim))
        plan.append(PlanStep(name, dim, scores[name][dim] - 1, scores[name][dim],
                             steps_by_tool[name].get(dim) or "raise this dimension", tool_score, overall,
                             rubric.tier(overall)))
        current = overall
        if rubric.tier(current) < start_tier:  # tiers are letters: A is best
            break
    return plan
