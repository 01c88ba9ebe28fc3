"""End to end on a real server: `toolgrade lint` wall time / a bare SDK client's.

    python benchmarks/end_to_end.py [--runs 7] [-- COMMAND ARGS...]

The default server is the pinned portkey-admin-mcp (tests/npm). Both sides run as fresh
processes, interleaved run by run so that machine noise hits both alike:
  bare:      python -c '<spawn the server with the mcp SDK, initialise, list every page, exit>'
  toolgrade: toolgrade lint --format json -- COMMAND ARGS  (output to /dev/null)
Prints each side's median and the ratio of medians (the goal is at most 1.2).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys, anyio
from mcp import Client, StdioServerParameters
from mcp_types import PaginatedRequestParams
async def main():
    params = StdioServerParameters(command=sys.argv[1], args=sys.argv[2:])
    async with Client(params, read_timeout_seconds=30) as client:
        cursor, count = None, 0
        while True:
            page = await client.session.list_tools(params=PaginatedRequestParams(cursor=cursor) if cursor else None)
            count += len(page.tools)
            cursor = page.next_cursor
            if not cursor:
                break
    print(count)
anyio.run(main)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("server", nargs="*", help="server command (default: the pinned portkey-admin-mcp)")
    args = parser.parse_args()
    server = args.server or [shutil.which("node") or "node",
                             str(ROOT / "tests/npm/node_modules/portkey-admin-mcp/build/index.js")]
    toolgrade = str(Path(sys.executable).parent / "toolgrade")
    bare_cmd = [sys.executable, "-c", BARE, *server]
    lint_cmd = [toolgrade, "lint", "--format", "json", "--", *server]
    timed(bare_cmd), timed(lint_cmd)  # warm caches once, untimed
    bare, lint = [], []
    for _ in range(args.runs):
        bare.append(timed(bare_cmd))
        lint.append(timed(lint_cmd))
    b, t = statistics.median(bare), statistics.median(lint)
    print(f"server: {' '.join(server)}")
    print(f"bare SDK client (spawn, initialise, list all, exit): median {b:.3f}s  runs {', '.join(f'{x:.3f}' for x in bare)}")
    print(f"toolgrade lint --format json                       : median {t:.3f}s  runs {', '.join(f'{x:.3f}' for x in lint)}")
    print(f"ratio toolgrade / bare = {t / b:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
