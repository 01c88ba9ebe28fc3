"""Shared test helpers: where the real servers are, and how to run the real CLI.

Tests run `toolgrade` as a subprocess (the installed console script) and talk to real MCP
servers over real stdio and loopback HTTP; nothing is monkeypatched.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NPM = ROOT / "tests" / "npm" / "node_modules"
FIXTURES = ROOT / "fixtures"
PYTHON = sys.executable
TOOLGRADE = str(Path(sys.executable).parent / "toolgrade")
NODE = shutil.which("node")


def npm_server(package: str, entry: str) -> list[str]:
    """The command that starts a pinned npm server, or skip the test saying how to install it."""
    path = NPM / package / entry
    if NODE is None:
        pytest.skip("node is not installed; the npm MCP servers cannot run")
    if not path.exists():
        pytest.skip(f"{package} is not installed; run `bash scripts/setup-test-servers.sh` (scripts/test.sh does)")
    return [NODE, str(path)]


def portkey_cmd() -> list[str]:
    return npm_server("portkey-admin-mcp", "build/index.js")


def everything_cmd() -> list[str]:
    return npm_server("@modelcontextprotocol/server-everything", "dist/index.js")


def python_server(module_script: str) -> list[str]:
    """A console script of a PyPI server installed in this venv by the [test] extra."""
    path = Path(sys.executable).parent / module_script
    if not path.exists():
        pytest.skip(f"{module_script} is not installed; install toolgrade with the [test] extra (scripts/test.sh does)")
    return [str(path)]


def run_cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TOOLGRADE_DEBUG", "GITHUB_STEP_SUMMARY")}
    full_env.update(env or {})
    return subprocess.run([TOOLGRADE, *args], capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=cwd or ROOT, stdin=subprocess.DEVNULL)


def lint_json(*args: str, **kw) -> dict:
    proc = run_cli("lint", "--format", "json", *args, **kw)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout}s")


def start_everything(mode: str) -> Iterator[int]:
    cmd = everything_cmd()
    port = free_port()
    proc = subprocess.Popen([*cmd, mode], env={**os.environ, "PORT": str(port)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def everything_http() -> Iterator[int]:
    """server-everything in its streamable HTTP mode on a free loopback port."""
    yield from start_everything("streamableHttp")


@pytest.fixture(scope="session")
def everything_sse() -> Iterator[int]:
    """server-everything in its legacy SSE mode on a free loopback port."""
    yield from start_everything("sse")


@pytest.fixture(scope="session")
def lint_report_schema() -> dict:
    return json.loads((ROOT / "schemas" / "lint-report.schema.json").read_text())
