"""Bad targets: each gives one clear line on stderr, exit 2, no traceback, and no hang."""

from __future__ import annotations

import json
import time

import pytest

from conftest import FIXTURES, PYTHON, run_cli

MISBEHAVING = str(FIXTURES / "servers" / "misbehaving.py")


def _assert_clean_failure(proc, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("toolgrade: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_command_that_does_not_exist():
    _assert_clean_failure(run_cli("lint", "--", "no-such-mcp-server-xyz", "--flag"), "command not found", "no-such-mcp-server-xyz")


def test_server_that_exits_at_once_shows_its_stderr():
    _assert_clean_failure(run_cli("lint", "--", PYTHON, MISBEHAVING, "exit"), "closed the connection",
                          "fatal: missing configuration")


def test_server_that_prints_garbage_on_stdout():
    _assert_clean_failure(run_cli("lint", "--", PYTHON, MISBEHAVING, "garbage"), "not JSON-RPC",
                          "Server starting on stdio")


def test_server_that_never_answers_is_bounded_by_timeout():
    start = time.monotonic()
    proc = run_cli("lint", "--timeout", "2", "--", PYTHON, MISBEHAVING, "hang", timeout=60)
    elapsed = time.monotonic() - start
    _assert_clean_failure(proc, "no answer within 2s", "loading a very large model")
    assert elapsed < 30


def test_repeating_next_cursor():
    _assert_clean_failure(run_cli("lint", "--", PYTHON, MISBEHAVING, "repeat-cursor"), "nextCursor", "a second time")


def test_unreachable_url():
    _assert_clean_failure(run_cli("lint", "--timeout", "5", "http://127.0.0.1:9/mcp"), "cannot connect")


def _file(tmp_path, content) -> str:
    path = tmp_path / "tools.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_file_that_is_not_json(tmp_path):
    _assert_clean_failure(run_cli("lint", "--file", _file(tmp_path, "{tools: oops")), "is not JSON", "line 1")


def test_missing_file(tmp_path):
    _assert_clean_failure(run_cli("lint", "--file", str(tmp_path / "nope.json")), "no such file")


@pytest.mark.parametrize("tool, needle", [
    ({"name": "x", "inputSchema": ["not", "an", "object"]}, "inputSchema is a JSON list"),
    ({"name": "x", "inputSchema": "object"}, "inputSchema is a JSON str"),
    ({"name": "x"}, "inputSchema is missing"),
    ({"description": "Get a thing.", "inputSchema": {"type": "object"}}, "has no name"),
    ({"name": "   ", "inputSchema": {"type": "object"}}, "has no name"),
    ({"name": "x", "description": 42, "inputSchema": {"type": "object"}}, "'description' must be a string"),
    ({"name": "cyc", "inputSchema": {"type": "object", "properties": {"a": {"$ref": "#/$defs/one"}},
                                     "$defs": {"one": {"$ref": "#/$defs/two"}, "two": {"$ref": "#/$defs/one"}}}},
     "$ref cycle"),
    ({"name": "huge", "description": "Get a thing. " + "x" * 1_048_576, "inputSchema": {"type": "object"}},
     "over the limit"),
])
def test_broken_tool_definitions(tmp_path, tool, needle):
    good = {"name": "fine", "description": "Get a fine thing.", "inputSchema": {"type": "object"}}
    _assert_clean_failure(run_cli("lint", _file(tmp_path, {"tools": [good, tool]})), needle)


def test_recursive_schema_is_not_a_cycle(tmp_path):
    """A tree whose children are trees is valid JSON Schema and must be graded, not refused."""
    tree = {"name": "put_tree", "description": "Store a tree of nodes.", "inputSchema": {
        "type": "object", "properties": {"root": {"$ref": "#/$defs/node"}},
        "$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}}
    proc = run_cli("lint", "--format", "json", _file(tmp_path, [tree]))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tools"][0]["signals"]["has_nested_objects"] is True


def test_no_target_and_two_targets(tmp_path):
    _assert_clean_failure(run_cli("lint"), "no target")
    _assert_clean_failure(run_cli("lint", "--file", "a.json", "--url", "http://x"), "give one target")


def test_bad_env_pair():
    _assert_clean_failure(run_cli("lint", "--env", "NOEQUALS", "--", PYTHON, MISBEHAVING, "exit"), "KEY=VALUE")


def test_bad_rubric(tmp_path):
    rubric = tmp_path / "r.yaml"
    rubric.write_text("name: x\nversion: 1\n")
    _assert_clean_failure(run_cli("lint", "--rubric", str(rubric), "--file", _file(tmp_path, [])), "rubric key")
    rubric.write_text("name: [unclosed\n")
    _assert_clean_failure(run_cli("lint", "--rubric", str(rubric), "--file", _file(tmp_path, [])), "not valid YAML")


def test_live_server_listing_a_tool_whose_input_schema_is_not_an_object():
    _assert_clean_failure(run_cli("lint", "--timeout", "10", "--", PYTHON, MISBEHAVING, "bad-schema"),
                          "breaks the MCP schema", "inputSchema", "array")


@pytest.mark.parametrize("text, needle", [
    ("nope", "not JSON"),
    ('{"x": 1}', "not a toolgrade results document"),
    ('{"tools": [], "server": {"name": "s"}}', "no contract results in it"),
])
def test_policy_contract_report_that_is_not_one(tmp_path, text, needle):
    report = tmp_path / "contract.json"
    report.write_text(text, encoding="utf-8")
    demo = str(FIXTURES / "demo_server" / "tools.json")
    _assert_clean_failure(run_cli("policy", "--contract", str(report), demo), needle)
