"""Catalogs from real servers over real transports, through the CLI and the library."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import FIXTURES, PYTHON, everything_cmd, lint_json, portkey_cmd, python_server, run_cli
from toolgrade import Target, load_catalog

DIMENSIONS = {"purpose", "usage_guidelines", "behavior", "parameters", "conciseness", "completeness"}


def _check_report(report: dict, schema: dict, tools: int | None = None) -> None:
    jsonschema.Draft202012Validator(schema).validate(report)
    if tools is not None:
        assert report["server"]["tool_count"] == tools == len(report["tools"])
    for tool in report["tools"]:
        assert set(tool["scores"]) == DIMENSIONS
        assert all(1 <= v <= 5 for v in tool["scores"].values())


def test_portkey_admin_mcp_all_181_tools_over_stdio(lint_report_schema):
    report = lint_json("--", *portkey_cmd())
    _check_report(report, lint_report_schema, tools=181)
    assert report["server"]["name"] == "portkey-admin-mcp"
    assert report["server"]["version"] == "0.12.0"
    names = [t["name"] for t in report["tools"]]
    assert len(set(names)) == 181 and "invite_user" in names and "get_model_pricing" in names


def test_portkey_text_report_lists_every_tool_and_the_rollup():
    proc = run_cli("lint", "--", *portkey_cmd())
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert any(line.startswith("Server  overall") for line in lines)
    assert "181 tools:" in lines[-1]


def test_server_everything_over_stdio(lint_report_schema):
    report = lint_json("--", *everything_cmd(), "stdio")
    _check_report(report, lint_report_schema)
    assert report["server"]["tool_count"] >= 5
    assert "echo" in {t["name"] for t in report["tools"]}


def test_mcp_server_time_from_pypi_over_stdio(lint_report_schema):
    report = lint_json("--", *python_server("mcp-server-time"))
    _check_report(report, lint_report_schema)
    assert {"get_current_time", "convert_time"} <= {t["name"] for t in report["tools"]}


def test_streamable_http(everything_http, lint_report_schema):
    report = lint_json(f"http://127.0.0.1:{everything_http}/mcp")
    _check_report(report, lint_report_schema)
    stdio = lint_json("--", *everything_cmd(), "stdio")
    # The same server over two transports gives the same definitions, hence the same hashes.
    assert {t["name"]: t["input_hash"] for t in report["tools"]} == {t["name"]: t["input_hash"] for t in stdio["tools"]}


def test_legacy_sse(everything_sse, lint_report_schema):
    report = lint_json("--transport", "sse", f"http://127.0.0.1:{everything_sse}/sse")
    _check_report(report, lint_report_schema)
    assert "echo" in {t["name"] for t in report["tools"]}


def test_demo_server_pages_are_followed_to_the_end():
    defined = json.loads((FIXTURES / "demo_server" / "tools.json").read_text())["tools"]
    script = str(FIXTURES / "demo_server" / "server.py")
    for page_size in ("1", "5", "100"):
        catalog = load_catalog(Target.stdio(PYTHON, [script], env={"DEMO_PAGE_SIZE": page_size}))
        assert catalog.names() == [t["name"] for t in defined]


def test_demo_command_runs_the_demo_server():
    proc = run_cli("demo")
    assert proc.returncode == 0, proc.stderr
    assert "acme-admin-demo" in proc.stdout and "Server  overall" in proc.stdout
    assert "sync" in proc.stdout and "TG001" in proc.stdout
    assert "coverage: 12 of 12 tools exercised" in proc.stdout and "FAIL get_user" in proc.stdout


def test_saved_file_equals_live_server(tmp_path):
    live = load_catalog(Target.stdio(PYTHON, [str(FIXTURES / "demo_server" / "server.py")]))
    saved = tmp_path / "tools.json"
    saved.write_text(json.dumps({"tools": [dict(t.definition) for t in live.tools]}))
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([dict(t.definition) for t in live.tools]))
    from_file = lint_json(str(saved))
    from_bare = lint_json("--file", str(bare))
    from_live = lint_json("--", PYTHON, str(FIXTURES / "demo_server" / "server.py"))
    for report in (from_file, from_bare):
        assert [(t["name"], t["input_hash"], t["scores"]) for t in report["tools"]] == \
               [(t["name"], t["input_hash"], t["scores"]) for t in from_live["tools"]]


def test_config_source_passes_env_and_masks_it(tmp_path):
    secret = "sk-test-0123456789abcdef"
    config = tmp_path / "mcp.json"
    config.write_text(json.dumps({"mcpServers": {
        "leaky": {"command": PYTHON, "args": [str(FIXTURES / "servers" / "misbehaving.py"), "echo-env", "LEAK"],
                  "env": {"LEAK": secret}},
        "demo": {"command": PYTHON, "args": [str(FIXTURES / "demo_server" / "server.py")]},
    }}))
    for fmt in ("json", "text"):
        proc = run_cli("lint", "--format", fmt, "--config", str(config), "--server", "leaky")
        assert proc.returncode == 0, proc.stderr
        assert secret not in proc.stdout + proc.stderr
        assert "***" in proc.stdout or fmt == "text"
    report = lint_json("--config", str(config), "--server", "demo")
    assert report["server"]["name"] == "acme-admin-demo"
    missing = run_cli("lint", "--config", str(config))
    assert missing.returncode == 2 and "--server" in missing.stderr


@pytest.mark.parametrize("flag", ["--env", "--header"])
def test_cli_secrets_never_printed(flag, tmp_path):
    secret = "pk-live-SECRET-42424242"
    value = f"LEAK={secret}" if flag == "--env" else f"Authorization: Bearer {secret}"
    args = ["--", PYTHON, str(FIXTURES / "servers" / "misbehaving.py"), "echo-env", "LEAK"]
    if flag == "--header":
        args = ["http://127.0.0.1:9/mcp"]
    proc = run_cli("lint", "--timeout", "5", flag, value, *args)
    assert secret not in proc.stdout + proc.stderr
