"""The progress line: drawn on a terminal (a real pseudo-terminal here), absent from pipes."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

from conftest import FIXTURES, PYTHON, TOOLGRADE, run_cli

CONTRACT = ["contract", "--no-scenarios", "--", PYTHON, str(FIXTURES / "demo_server" / "server.py")]


def _run_on_a_terminal(args: list[str], env: dict[str, str], timeout: float = 120) -> bytes:
    """Run the CLI with stderr on a pseudo-terminal; return everything written to it."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([TOOLGRADE, *args], stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL,
                            env={**os.environ, **env})
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=30)
    return seen


def test_progress_bar_on_a_terminal_and_erased_at_the_end():
    seen = _run_on_a_terminal(CONTRACT, {"TOOLGRADE_PROGRESS_DELAY": "0"})
    assert b"\r\x1b[K[" in seen  # a bar, redrawn in place
    assert b"/12 contract" in seen  # 12 tools of the demo server
    assert seen.rstrip(b"\r\n").endswith(b"\r\x1b[K") or b"\r\x1b[K" in seen.splitlines()[-1]


def test_no_progress_when_quick_or_piped():
    quick = _run_on_a_terminal(["lint", str(FIXTURES / "demo_server" / "tools.json")], {})
    assert b"\x1b[K" not in quick  # under a second: nothing drawn
    piped = run_cli(*CONTRACT, env={"TOOLGRADE_PROGRESS_DELAY": "0"})
    assert "\r" not in piped.stderr and "\x1b" not in piped.stderr
