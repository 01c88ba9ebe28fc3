"""How close toolgrade's deterministic scores land to Glama's LLM judge.

    python benchmarks/calibration.py PATH/TO/shared/calibration [--show-worst 10]

Reads Glama's published per-dimension scores from the given folder (never copied into this
project), turns each record into a tool definition (records of one server are siblings),
scores it, and prints per dimension: n, mean absolute error, exact agreement, agreement
within one point, Spearman correlation and a 5x5 confusion matrix (rows Glama, columns
toolgrade); the same for the weighted tool score where all six are known; the seed tools
and the TDQS worked examples; and Glama's disagreement with itself (repeat crawls of one
page, forks with the same text), the ceiling any scorer can reach.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from toolgrade.model import parse_tool
from toolgrade.rubric import DIMENSIONS, load_rubric
from toolgrade.scoring.aggregate import grade_tool
from toolgrade.scoring.siblings import Siblings

#: Issue #3's targets, for every dimension with at least MIN_N scores.
MIN_N, MIN_SPEARMAN, MAX_MAE, MIN_WITHIN1, MIN_SEEDS_EXACT = 30, 0.5, 0.55, 0.9, 16

ANNOTATION_BADGES = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


def record_to_tool(record: dict[str, Any]) -> dict[str, Any]:
    """A tools/list definition from what Glama's page shows (types are not shown, so none)."""
    properties: dict[str, Any] = {}
    required = []
    for param in record.get("params") or []:
        prop: dict[str, Any] = {}
        if param.get("description"):
            prop["description"] = param["description"]
        if param.get("default") is not None:
            prop["default"] = param["default"]
        properties[param["name"]] = prop
        if param.get("required"):
            required.append(param["name"])
    tool: dict[str, Any] = {"name": record["name"], "inputSchema": {"type": "object", "properties": properties,
                                                                       "required": required}}
    if record.get("description"):
        tool["description"] = record["description"]
    badges = record.get("annotations") or {}
    if badges:
        tool["annotations"] = {k: True for k in badges if k in ANNOTATION_BADGES}
    elif record.get("annotations_stated") is True:
        # Declared, but no badge: every declared hint is false.
        tool["annotations"] = {"readOnlyHint": False, "destructiveHint": False}
    if record.get("has_output_schema"):
        tool["outputSchema"] = {"type": "object", "properties": {"result": {"description": "Tool result"}}}
    return tool


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(a: list[float], b: list[float]) -> float:
    if len(a) < 3:
        return float("nan")
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5 if va and vb else float("nan")


def agreement(pairs: list[tuple[float, float]]) -> dict[str, float]:
    if not pairs:
        return {"n": 0}
    truth, ours = [p[0] for p in pairs], [p[1] for p in pairs]
    return {
        "n": len(pairs),
        "mae": statistics.fmean(abs(t - o) for t, o in pairs),
        "exact": sum(1 for t, o in pairs if round(t) == round(o)) / len(pairs),
        "within1": sum(1 for t, o in pairs if abs(t - o) <= 1) / len(pairs),
        "spearman": spearman(truth, ours),
    }


def confusion(pairs: list[tuple[int, int]]) -> list[str]:
    grid = [[0] * 5 for _ in range(5)]
    for truth, ours in pairs:
        grid[int(truth) - 1][int(ours) - 1] += 1
    lines = ["        ours:  1    2    3    4    5"]
    for i, row in enumerate(grid):
        lines.append(f"  glama {i + 1}: " + " ".join(f"{v:4d}" for v in row))
    return lines


def fmt(stats: dict[str, float]) -> str:
    if not stats.get("n"):
        return "n=0"
    return (f"n={stats['n']:<4d} MAE {stats['mae']:.2f}  exact {100 * stats['exact']:5.1f}%  "
            f"within1 {100 * stats['within1']:5.1f}%  Spearman {stats['spearman']:.2f}")


def self_disagreement(records: list[dict[str, Any]]) -> tuple[dict[str, list[tuple[int, int]]], int, int]:
    """Pairs of Glama scores for the same text: repeat crawls of a page, and forks."""
    def text_key(r: dict[str, Any]) -> str:
        return json.dumps([r["description"], sorted((p["name"], p.get("description")) for p in r.get("params") or [])])

    by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_url[r["url"]].append(r)
        if r.get("description"):
            by_text[text_key(r)].append(r)
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    crawl_groups = [g for g in by_url.values() if len(g) > 1]
    fork_groups = [g for g in by_text.values() if len({r["url"] for r in g}) > 1]
    for group in crawl_groups + fork_groups:
        for a, b in combinations(group, 2):
            if a["url"] == b["url"] and group not in crawl_groups:
                continue
            for dim in DIMENSIONS:
                if a["scores"].get(dim) is not None and b["scores"].get(dim) is not None:
                    pairs[dim].append((a["scores"][dim], b["scores"][dim]))
    return pairs, len(crawl_groups), len(fork_groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="the calibration folder (../shared/calibration)")
    parser.add_argument("--show-worst", type=int, default=0, help="print the N records we miss by most, per dimension")
    args = parser.parse_args()
    folder = Path(args.data)
    if not (folder / "glama_scores.jsonl").is_file():
        sys.exit(f"{folder}: no glama_scores.jsonl here; pass the calibration folder")
    rubric = load_rubric()
    records = [json.loads(line) for line in (folder / "glama_scores.jsonl").read_text().splitlines() if line.strip()]
    by_server: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_server[r["server"]].append(r["name"])

    per_dim: dict[str, list[tuple[int, int, dict]]] = defaultdict(list)
    for r in records:
        graded = grade_tool(parse_tool(record_to_tool(r)), Siblings(by_server[r["server"]]), rubric)
        for dim in DIMENSIONS:
            if r["scores"].get(dim) is not None:
                per_dim[dim].append((r["scores"][dim], graded.scores[dim], r))

    print(f"Glama calibration records: {len(records)} tools from {len(by_server)} servers ({folder})")
    print("\nPer dimension (Glama vs toolgrade):")
    ours = {dim: agreement([(t, o) for t, o, _ in per_dim[dim]]) for dim in DIMENSIONS}
    for dim in DIMENSIONS:
        print(f"  {dim:<17} {fmt(ours[dim])}")
    for dim in DIMENSIONS:
        pairs = [(t, o) for t, o, _ in per_dim[dim]]
        if len(pairs) >= MIN_N:
            print(f"\n  {dim} confusion matrix:")
            print("\n".join("  " + line for line in confusion(pairs)))
    baseline = {}
    for dim in DIMENSIONS:
        truths = [t for t, _, _ in per_dim[dim]]
        if truths:
            mode = statistics.mode(truths)
            baseline[dim] = agreement([(t, mode) for t in truths])
    print("\nBaseline, always guessing Glama's most common score per dimension:")
    for dim, stats in baseline.items():
        print(f"  {dim:<17} MAE {stats['mae']:.2f}  within1 {100 * stats['within1']:5.1f}%")

    crawl_pairs, crawls, forks = self_disagreement(records)
    print(f"\nCeiling: Glama against itself ({crawls} pages crawled twice, {forks} texts published by several servers):")
    for dim in DIMENSIONS:
        if crawl_pairs.get(dim):
            print(f"  {dim:<17} {fmt(agreement(crawl_pairs[dim]))}")

    seeds_exact, seeds_total, examples_ok = seeds_and_examples(folder, rubric)
    print(f"\nTargets (issue #3): Spearman >= {MIN_SPEARMAN}, MAE <= {MAX_MAE}, within one >= {MIN_WITHIN1:.0%} "
          f"for each dimension with n >= {MIN_N}")
    for dim in DIMENSIONS:
        got = ours[dim]
        if got["n"] < MIN_N:
            continue
        misses = [f"{label} {value:.2f}" for label, value, ok in (
            ("Spearman", got["spearman"], got["spearman"] >= MIN_SPEARMAN), ("MAE", got["mae"], got["mae"] <= MAX_MAE),
            ("within1", got["within1"], got["within1"] >= MIN_WITHIN1)) if not ok]
        print(f"  {dim:<17} {'met' if not misses else 'NOT met: ' + ', '.join(misses)}")
    print(f"  seeds exact       {'met' if seeds_exact >= MIN_SEEDS_EXACT else 'NOT met'} ({seeds_exact}/{seeds_total})")
    print(f"  worked examples   {'met' if examples_ok else 'NOT met'}")
    if args.show_worst:
        for dim in DIMENSIONS:
            worst = sorted(per_dim[dim], key=lambda x: -abs(x[0] - x[1]))[: args.show_worst]
            print(f"\nWorst {dim}:")
            for truth, ours, r in worst:
                print(f"  glama {truth} ours {ours}  {r['name']}: {(r['description'] or '')[:140]!r}")


def seeds_and_examples(folder: Path, rubric: Any) -> tuple[int, int, bool]:
    """Print the seed tools and worked examples; return (seed scores exact, seed scores, every
    example within one point with its flags)."""
    tool_pairs = []
    examples_ok = True
    exact = total = 0
    print("\nSeed tools (all six scores published):")
    for line in (folder / "seed_tools.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        seed = json.loads(line)
        siblings = seed["siblings"] if isinstance(seed["siblings"], list) else \
            [w.strip(",") for w in seed["siblings"].split() if "_" in w]
        graded = grade_tool(parse_tool(seed["tool"]), [*siblings, seed["tool"]["name"]], rubric)
        hits = sum(1 for d, v in seed["scores"].items() if graded.scores[d] == v)
        exact += hits
        total += len(seed["scores"])
        truth_score = round(sum(rubric.weights[d] * v for d, v in seed["scores"].items()), 1)
        tool_pairs.append((truth_score, graded.score))
        misses = ", ".join(f"{d} {v}->{graded.scores[d]}" for d, v in seed["scores"].items() if graded.scores[d] != v)
        print(f"  {seed['tool']['name']:<18} {hits}/6 exact  tool score glama {truth_score} ours {graded.score}"
              + (f"  (misses: {misses})" if misses else ""))
    print(f"  seed dimension scores exact: {exact}/{total} (target >= {MIN_SEEDS_EXACT}/{total})")
    print("\nTDQS worked examples (every given score within one point; contradiction flagged):")
    for line in (folder / "tdqs_examples.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        example = json.loads(line)
        graded = grade_tool(parse_tool(example["tool"]), [*example["siblings"], example["tool"]["name"]], rubric)
        within = all(abs(graded.scores[d] - v) <= 1 for d, v in example["scores"].items())
        flags_ok = all(f in graded.flags for f in example.get("flags", []))
        examples_ok = examples_ok and within and flags_ok
        if len(example["scores"]) == 6:
            tool_pairs.append((round(sum(rubric.weights[d] * v for d, v in example["scores"].items()), 1), graded.score))
        print(f"  {example['source'][:48]:<48} within one: {'yes' if within else 'NO'}"
              + (f"  flags {list(graded.flags)} {'ok' if flags_ok else 'MISSING'}" if example.get("flags") else "")
              + "  " + " ".join(f"{d[:3]} {v}/{graded.scores[d]}" for d, v in example["scores"].items()))
    print(f"\nTool score (weighted), where all six Glama scores are known: {fmt(agreement(tool_pairs))}")
    return exact, total, examples_ok


if __name__ == "__main__":
    main()
