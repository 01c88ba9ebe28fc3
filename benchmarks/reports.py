"""Rendering every report format from one saved results document: milliseconds per format.

    python benchmarks/reports.py [--runs 9] [--results lint.json]

Without --results, the pinned portkey-admin-mcp (181 tools) is linted once with a gate so the
document carries gate failures. Each format is then rendered --runs times in this process
(SARIF searches this repository for tool definitions, as it would in CI). Prints the median and
the fastest run per format, and each output's size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolgrade.report.documents import load_results  # noqa: E402
from toolgrade.report.render import DOCUMENT_FORMATS, render_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--results", help="a saved `toolgrade lint --format json` document")
    args = parser.parse_args()
    path = args.results
    if path is None:
        server = ROOT / "tests" / "npm" / "node_modules" / "portkey-admin-mcp" / "build" / "index.js"
        path = str(Path(tempfile.mkdtemp()) / "lint.json")
        subprocess.run([str(Path(sys.executable).parent / "toolgrade"), "lint", "--fail-under", "4", "--format", "json",
                        "-o", path, "--", "node", str(server)], check=False, capture_output=True, timeout=120)
    results = load_results([path])
    tools = len(results.lint["tools"]) if results.lint else 0
    print(f"results: {path} ({tools} tools, {len(results.gate.get('failures', []))} gate failures)")
    for fmt in DOCUMENT_FORMATS:
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            text = render_document(results, fmt, ROOT)
            times.append(time.perf_counter() - started)
            size = len(text.encode("utf-8"))
        print(f"{fmt:9} median {statistics.median(times) * 1000:7.1f} ms   fastest {min(times) * 1000:7.1f} ms   "
              f"{size / 1024:7.1f} KiB")


if __name__ == "__main__":
    main()
