"""Does the completeness blend generalise beyond the records it was chosen on?

    python benchmarks/completeness_holdout.py PATH/TO/shared/calibration [--splits 5]

Completeness is 0.5 coverage + 0.25 behavior + 0.25 parameters (rubric
`thresholds.completeness_blend`), weights picked on Glama's calibration records. Picked on
all of them, they could fit those records and fail on others. This splits the servers in two
at random, picks the best weights on one half from a coarse grid, and measures the mean
absolute error on the other half, next to coverage alone and the rubric's weights; then the
other way round. Prints one line per split and the means.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import record_to_tool  # noqa: E402

from toolgrade.model import parse_tool  # noqa: E402
from toolgrade.rubric import load_rubric  # noqa: E402
from toolgrade.scoring import completeness  # noqa: E402
from toolgrade.scoring.aggregate import grade_tool, tool_context  # noqa: E402
from toolgrade.scoring.context import DimensionScore  # noqa: E402

GRID = [(b, p) for b in (0, 0.1, 0.2, 0.25, 0.3, 0.4) for p in (0, 0.1, 0.2, 0.25, 0.3, 0.4) if b + p <= 0.6]

Row = tuple[str, int, DimensionScore, dict[str, DimensionScore]]  # server, Glama's score, coverage, the others


def mae(rows: list[Row], weights: tuple[float, float]) -> float:
    """Mean absolute error of the library's blend (`completeness.combine`) with these weights."""
    behavior, parameters = weights
    blend = {"coverage": 1 - behavior - parameters, "behavior": behavior, "parameters": parameters}
    return statistics.fmean(abs(truth - completeness.combine(covered, others, blend).score)
                            for _, truth, covered, others in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="the calibration folder (../shared/calibration)")
    parser.add_argument("--splits", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.data) / "glama_scores.jsonl"
    if not path.is_file():
        sys.exit(f"{args.data}: no glama_scores.jsonl here; pass the calibration folder")
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rubric = load_rubric()
    siblings: dict[str, list[str]] = defaultdict(list)
    for r in records:
        siblings[r["server"]].append(r["name"])
    rows: list[Row] = []
    for r in records:
        if r["scores"].get("completeness") is None:
            continue
        tool = parse_tool(record_to_tool(r))
        graded = grade_tool(tool, siblings[r["server"]], rubric)
        covered = completeness.coverage(tool_context(tool, siblings[r["server"]], rubric))
        rows.append((r["server"], r["scores"]["completeness"], covered, graded.dimensions))
    blend = rubric.thresholds["completeness_blend"]
    ours = (blend.get("behavior", 0.0), blend.get("parameters", 0.0))
    servers = sorted({row[0] for row in rows})
    fitted, alone, fixed = [], [], []
    print(f"{len(rows)} records with a completeness score, {len(servers)} servers; grid of {len(GRID)} weight pairs")
    for seed in range(args.splits):
        shuffled = servers[:]
        random.Random(seed).shuffle(shuffled)
        half = set(shuffled[: len(shuffled) // 2])
        a = [row for row in rows if row[0] in half]
        b = [row for row in rows if row[0] not in half]
        for fit, test, label in ((a, b, "A->B"), (b, a, "B->A")):
            best = min(GRID, key=lambda w: mae(fit, w))
            fitted.append(mae(test, best))
            alone.append(mae(test, (0.0, 0.0)))
            fixed.append(mae(test, ours))
            print(f"  split {seed} {label}: best on fit half {best} -> held-out MAE {fitted[-1]:.3f}; "
                  f"coverage alone {alone[-1]:.3f}; rubric weights {ours} {fixed[-1]:.3f}")
    print(f"mean held-out MAE: weights fitted on the other half {statistics.fmean(fitted):.3f}, "
          f"coverage alone {statistics.fmean(alone):.3f}, rubric weights {statistics.fmean(fixed):.3f}")


if __name__ == "__main__":
    main()
