"""The `toolgrade` CLI end to end: formats, gates, exit codes, safe output."""

from __future__ import annotations

import json

import jsonschema

from conftest import FIXTURES, PYTHON, ROOT, run_cli

DEMO = str(FIXTURES / "demo_server" / "tools.json")
MISBEHAVING = str(FIXTURES / "servers" / "misbehaving.py")


def test_json_output_validates_against_the_documented_schema(lint_report_schema):
    proc = run_cli("lint", "--format", "json", DEMO)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(lint_report_schema).validate(report)
    assert report["toolgrade"] and report["target"] == DEMO
    assert {"disambiguation", "naming_consistency", "tool_count", "completeness", "score"} <= set(report["server"]["coherence"])
    sync = next(t for t in report["tools"] if t["name"] == "sync")
    assert sync["flags"] == ["No Description"] and sync["tier"] == "D"


def test_text_output_fits_80_columns_and_has_no_colour_when_piped():
    proc = run_cli("lint", DEMO)
    assert proc.returncode == 0
    assert all(len(line) <= 80 for line in proc.stdout.splitlines())
    assert "\x1b[" not in proc.stdout
    table = proc.stdout.split("Server  overall")[0]
    assert "list_users" in table and "Score Tier" in table
    findings = proc.stdout.split("Findings (worst tools first)")[1]
    # Worst tools first: 'sync' (no description) comes before the well-described ones.
    assert findings.index("sync  1.0 D") < findings.index("delete_user_invite")


def test_output_file_and_summary_line(tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("lint", "--format", "json", "--output", str(out), DEMO)
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(out.read_text())["server"]["tool_count"] == 12
    assert proc.stderr.startswith(f"wrote {out}")


def test_fail_under_gates_exit_one_and_name_the_tools():
    low = run_cli("lint", "--fail-under", "3.0", DEMO)
    assert low.returncode == 1
    assert "gate failed: tool 'sync' scores 1.0 (tier D), under the minimum score 3" in low.stderr
    assert run_cli("lint", "--fail-under", "1.0", DEMO).returncode == 0
    server = run_cli("lint", "--fail-under-server", "4.5", DEMO)
    assert server.returncode == 1 and "server scores" in server.stderr
    assert run_cli("lint", "--fail-under-server", "1", DEMO).returncode == 0


def test_terminal_escapes_in_tool_text_never_reach_the_terminal():
    proc = run_cli("lint", "--", PYTHON, MISBEHAVING, "escapes")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout and "\u202e" not in proc.stdout
    assert "eviltool" in proc.stdout


def test_escapes_in_a_file_are_shown_not_applied(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"name": "x\u202etool", "description": "Get a thing.\x1b[31m", "inputSchema": {"type": "object"}}]))
    proc = run_cli("lint", str(path))
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "x<U+202E>tool" in proc.stdout


def test_rules_lists_every_code_and_shows_one():
    listing = run_cli("rules")
    assert listing.returncode == 0
    codes = [line.split()[0] for line in listing.stdout.splitlines()]
    assert codes == sorted(codes) and len(codes) == len(set(codes)) >= 20
    one = run_cli("rules", "TG201")
    assert one.returncode == 0 and "Bad:" in one.stdout and "Good:" in one.stdout
    assert run_cli("rules", "TG999").returncode == 2


def test_every_emitted_code_is_documented():
    report = json.loads(run_cli("lint", "--format", "json", DEMO).stdout)
    documented = {line.split()[0] for line in run_cli("rules").stdout.splitlines()}
    emitted = {f["code"] for t in report["tools"] for f in t["findings"]} | {f["code"] for f in report["server"]["findings"]}
    assert emitted and emitted <= documented


def test_custom_rubric_changes_the_weights(tmp_path):
    import yaml

    rubric = yaml.safe_load((ROOT / "rubrics" / "tdqs.yaml").read_text())
    for dim in rubric["dimensions"].values():
        dim["weight"] = 0.0
    rubric["dimensions"]["conciseness"]["weight"] = 1.0
    path = tmp_path / "concise.yaml"
    path.write_text(yaml.safe_dump(rubric))
    report = json.loads(run_cli("lint", "--format", "json", "--rubric", str(path), DEMO).stdout)
    for tool in report["tools"]:
        assert tool["score"] == tool["scores"]["conciseness"]
    rubric["dimensions"]["purpose"]["weight"] = 0.5
    path.write_text(yaml.safe_dump(rubric))
    bad = run_cli("lint", "--rubric", str(path), DEMO)
    assert bad.returncode == 2 and "add up to 1.5" in bad.stderr


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("toolgrade, version")
    help_text = run_cli("lint", "--help").stdout
    for option in ("--env", "--header", "--transport", "--config", "--server", "--timeout", "--fail-under"):
        assert option in help_text


def test_output_is_identical_across_hash_seeds():
    """Deterministic means byte-for-byte: set iteration order must never leak into reports."""
    outputs = {run_cli("lint", "--format", "json", DEMO, env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1


def test_env_flags_do_not_break_json_output_and_real_secrets_stay_masked():
    secret = "sk-test-abcdef0123456789"
    proc = run_cli("lint", "--format", "json", "--env", "DEBUG=true", "--env", "PORT=8080", "--env", f"KEY={secret}",
                   "--", PYTHON, str(FIXTURES / "servers" / "misbehaving.py"), "echo-env", "KEY")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # "true" and "8080" are not secrets, so the JSON stays JSON
    assert secret not in proc.stdout and "***" in json.dumps(report)


def test_a_bare_target_is_a_url_a_saved_file_or_a_command(tmp_path):
    from toolgrade.sources import Target

    (tmp_path / "tools.json").write_text("[]", encoding="utf-8")
    assert Target.guess(["https://example.test/mcp"]).kind == "http"
    saved = Target.guess(["tools.json"], base=str(tmp_path))
    assert saved.kind == "file" and saved.path == str(tmp_path / "tools.json")
    missing = Target.guess(["other.json"], base=str(tmp_path))  # not a file: run it as a command
    assert missing.kind == "stdio" and missing.command == "other.json"
    command = Target.guess(["node", "build/index.js"], base=str(tmp_path), env={"K": "V"})
    assert (command.kind, command.args, command.cwd, command.env) == ("stdio", ("build/index.js",), str(tmp_path), {"K": "V"})
