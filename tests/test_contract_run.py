"""`toolgrade contract` end to end: real servers over real stdio, the mock on loopback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, NODE, PYTHON, ROOT, portkey_cmd, run_cli

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "contract-report.schema.json").read_text())


def _contract(tmp_path: Path, *args: str, timeout: float = 240) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = tmp_path / "contract.json"
    proc = run_cli("contract", "--format", "json", "-o", str(out), *args, timeout=timeout)
    report = json.loads(out.read_text()) if out.exists() else {}
    if report:
        jsonschema.validate(report, REPORT_SCHEMA)
    return proc, report


def _tool(report: dict, name: str) -> dict:
    return next(t for t in report["tools"] if t["name"] == name)


def _check(tool: dict, code: str) -> dict:
    return next(c for c in tool["checks"] if c["code"] == code)


@pytest.mark.npm
def test_portkey_admin_mcp_every_tool_exercised_scenarios_pass_pricing_not_testable(tmp_path):
    proc, report = _contract(tmp_path, "--", *portkey_cmd())
    summary = report["summary"]
    assert summary["tools"] == summary["exercised"] == 181, proc.stderr
    assert summary["errors"] == 0 and summary["passed"] > 140
    pricing = _tool(report, "get_model_pricing")
    assert pricing["status"] == "not_testable"
    assert "https://api.portkey.ai/model-configs/pricing" in pricing["reason"]
    assert [s["status"] for s in report["scenarios"]] == ["pass"] * 4
    assert {s["file"] for s in report["scenarios"]} == {
        "invite-lifecycle.yaml", "workspace-membership.yaml", "api-key-rotation.yaml", "config-versions.yaml"}
    # Real defects of 0.12.0 the checks find (each verified by hand against ../shared/portkey):
    assert _check(_tool(report, "archive_deployment"), "CT402")["status"] == "fail"  # DELETE, no destructiveHint
    assert _check(_tool(report, "update_collection"), "CT103")["status"] == "fail"  # omits the required name
    assert _check(_tool(report, "list_configs"), "CT102")["status"] == "fail"  # pages a list that has no paging
    assert _check(_tool(report, "get_user"), "CT302")["status"] == "pass"  # carries the API's 404 reason
    assert proc.returncode == 1  # checks failed
    assert "pk-toolgrade-" not in (tmp_path / "contract.json").read_text()  # the run's API key never shows


def test_demo_server_defects_are_found(tmp_path):
    proc, report = _contract(tmp_path, "--no-scenarios", "--", PYTHON, str(FIXTURES / "demo_server" / "server.py"))
    assert proc.returncode == 1
    get_user = _tool(report, "get_user")
    assert {c["code"] for c in get_user["checks"] if c["status"] == "fail"} == {"CT301", "CT302", "CT303", "CT304", "CT305"}
    failed = _check(_tool(report, "list_users"), "CT102")
    assert failed["status"] == "fail" and "page" in failed["message"] and failed["request"]["method"] == "GET"
    assert _tool(report, "invite_user")["status"] == "pass"
    assert _tool(report, "sync")["status"] == "pass" and _check(_tool(report, "sync"), "CT101")["status"] == "skip"


def test_server_dying_mid_run_keeps_the_partial_report(tmp_path):
    proc, report = _contract(tmp_path, "--no-scenarios", "--", PYTHON, str(FIXTURES / "servers" / "misbehaving.py"),
                             "contract")
    assert proc.returncode == 1, proc.stderr
    status = {t["name"]: t["status"] for t in report["tools"]}
    assert status == {"count_users": "pass", "impossible": "fail", "whoami": "fail", "crash": "error",
                      "after_crash": "error"}
    assert _check(_tool(report, "impossible"), "CT001")["status"] == "fail"  # no valid value; the run went on
    assert _check(_tool(report, "whoami"), "CT501")["status"] == "fail"  # the API key echoed...
    assert "pk-toolgrade-" not in json.dumps(report)  # ...and masked in the report
    assert "not run" in _tool(report, "after_crash")["reason"]


def test_text_report_has_coverage_line_and_failing_evidence():
    proc = run_cli("contract", "--no-scenarios", "--", PYTHON, str(FIXTURES / "demo_server" / "server.py"))
    assert proc.returncode == 1
    assert "coverage: 12 of 12 tools exercised" in proc.stdout
    assert "CT102 query-documented" in proc.stdout and "request: GET /v1/admin/users" in proc.stdout


def test_invalid_scenario_file_names_file_and_line(tmp_path):
    case = tmp_path / "broken.yaml"
    case.write_text("name: broken\napi: portkey\nsteps:\n  - call: invite_user\n    expect:\n      ok: yes-please\n")
    proc = run_cli("contract", "--scenarios", str(tmp_path), "--", PYTHON, str(FIXTURES / "demo_server" / "server.py"))
    assert proc.returncode == 2
    assert f"{case}:6: invalid scenario at steps/0/expect/ok" in proc.stderr and "Traceback" not in proc.stderr


def test_contract_needs_a_server_it_can_start(tmp_path):
    proc = run_cli("contract", str(FIXTURES / "demo_server" / "tools.json"))
    assert proc.returncode == 2 and "starts the server itself" in proc.stderr


def test_server_that_cannot_start_is_exit_2():
    proc = run_cli("contract", "--no-scenarios", "--timeout", "10", "--", PYTHON,
                   str(FIXTURES / "servers" / "misbehaving.py"), "exit")
    assert proc.returncode == 2 and "missing configuration" in proc.stderr


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_node_preload_redirects_the_official_host_and_blocks_others():
    from toolgrade.contract.mock import MockApi, MockServer
    from toolgrade.contract.runner import contract_env

    app = MockApi("portkey")
    with MockServer(app) as server:
        env = {"PATH": "/usr/bin:/bin", **contract_env(app, server.origin)}
        script = (
            "(async () => {"
            "const r = await fetch('https://api.portkey.ai/v1/admin/users', {headers: {'x-portkey-api-key': process.env.PORTKEY_API_KEY}});"
            "console.log('redirected', r.status, (await r.json()).total);"
            "try { await fetch('https://example.org/exfiltrate'); } catch (e) { console.log('blocked', e.message); }"
            "})()")
        proc = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=30, env=env)
    assert "redirected 200 3" in proc.stdout, proc.stderr
    assert "blocked toolgrade blocked a request to https://example.org/exfiltrate" in proc.stdout
    assert [r.egress for r in app.requests if r.egress] == ["https://example.org/exfiltrate"]
    assert [r.path for r in app.requests if not r.egress] == ["/v1/admin/users"]


def test_mock_command_serves_until_stopped_and_moves_off_a_taken_port():
    import socket
    import time

    import httpx2
    from conftest import TOOLGRADE

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.Popen([TOOLGRADE, "mock", "portkey", "--port", str(port), "--key", "k-123456"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            first = proc.stdout.readline()
            assert f"(port {port} was taken)" in first
            origin = first.split(" on ")[1].split(" ")[0]
            deadline = time.monotonic() + 10
            while True:
                try:
                    answer = httpx2.get(f"{origin}/v1/admin/users", headers={"x-portkey-api-key": "k-123456"}, timeout=2)
                    break
                except httpx2.ConnectError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            assert answer.status_code == 200 and answer.json()["total"] == 3
        finally:
            proc.terminate()
            proc.wait(timeout=10)
