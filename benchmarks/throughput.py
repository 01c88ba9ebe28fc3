"""Scoring throughput: tools per second on one core over a synthetic catalog.

    python benchmarks/throughput.py [--tools 100000] [--repeats 3]

Prints, for the per-tool scorer alone and for the whole grade (with server coherence over
all pairs of tools), the median wall time of the repeats and tools per second. Parsing the
JSON definitions into a Catalog is timed separately: it is the source's work, not scoring.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_catalog  # noqa: E402

from toolgrade.model import ServerInfo, catalog_from_tools_json  # noqa: E402
from toolgrade.rubric import load_rubric  # noqa: E402
from toolgrade.scoring import grade, grade_tool  # noqa: E402
from toolgrade.scoring.siblings import Siblings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the issue asks
    rubric = load_rubric()
    definitions = make_catalog(args.tools)
    start = time.perf_counter()
    catalog = catalog_from_tools_json(definitions, "synthetic", ServerInfo("synthetic"))
    parse_seconds = time.perf_counter() - start
    siblings = Siblings(catalog.names())  # built once per catalog, as grade() does

    per_tool, whole = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for tool in catalog.tools:
            grade_tool(tool, siblings, rubric)
        per_tool.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = grade(catalog, rubric)
        whole.append(time.perf_counter() - start)
    n = len(catalog.tools)
    tiers = {t: sum(1 for g in result.tools if g.tier == t) for t in "ABCDF"}
    print(f"synthetic catalog: {n} tools (tiers {tiers}); parse into Catalog {parse_seconds:.2f}s")
    print(f"per-tool scoring : median {statistics.median(per_tool):.2f}s over {args.repeats} runs "
          f"-> {n / statistics.median(per_tool):,.0f} tools/s  (runs: {', '.join(f'{s:.2f}' for s in per_tool)})")
    print(f"whole grade      : median {statistics.median(whole):.2f}s over {args.repeats} runs "
          f"-> {n / statistics.median(whole):,.0f} tools/s  (with coherence; runs: {', '.join(f'{s:.2f}' for s in whole)})")


if __name__ == "__main__":
    main()
