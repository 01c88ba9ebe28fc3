"""A whole contract run through a real server and the mock: seconds per run and calls per second.

    python benchmarks/contract.py [--runs 5] [-- COMMAND ARGS...]

The default server is the pinned portkey-admin-mcp (tests/npm), one server process per run,
every tool exercised (all checks, the fuller optional-argument call, five injected faults per
tool) plus the bundled scenarios. Each run is a fresh `toolgrade contract` process, so the
time includes starting Python, the mock and the server. Prints every run, then the medians
(the goal for 181 tools is under 30 seconds).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs="*")
    options = parser.parse_args()
    command = options.command or [shutil.which("node") or "node",
                                  str(ROOT / "tests/npm/node_modules/portkey-admin-mcp/build/index.js")]
    toolgrade = str(Path(sys.executable).parent / "toolgrade")
    walls, calls_per_second, inner = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "contract.json"
        for run in range(1, options.runs + 1):
            started = time.perf_counter()
            proc = subprocess.run([toolgrade, "contract", "--format", "json", "-o", str(out), "--", *command],
                                  capture_output=True, text=True, timeout=600)
            wall = time.perf_counter() - started
            if proc.returncode not in (0, 1):
                sys.exit(f"run {run} failed: {proc.stderr.strip()}")
            summary = json.loads(out.read_text())["summary"]
            walls.append(wall)
            inner.append(summary["seconds"])
            calls_per_second.append(summary["calls"] / summary["seconds"])
            print(f"run {run}: {summary['exercised']}/{summary['tools']} tools, {summary['calls']} calls, "
                  f"{summary['scenarios']} scenarios; run {summary['seconds']:.2f}s, process wall {wall:.2f}s, "
                  f"{calls_per_second[-1]:.0f} calls/s")
    print(f"median over {options.runs} runs: process wall {statistics.median(walls):.2f}s, "
          f"contract run {statistics.median(inner):.2f}s, {statistics.median(calls_per_second):.0f} calls/s")


if __name__ == "__main__":
    main()
