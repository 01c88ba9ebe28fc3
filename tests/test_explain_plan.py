"""`toolgrade explain` and `toolgrade plan` on the demo server and portkey-admin-mcp."""

from __future__ import annotations

from conftest import FIXTURES, PYTHON, portkey_cmd, run_cli

from toolgrade.model import Catalog, ServerInfo, parse_tool
from toolgrade.rubric import load_rubric
from toolgrade.scoring import grade
from toolgrade.scoring.plan import what_if

DEMO_SERVER = str(FIXTURES / "demo_server" / "server.py")


def test_explain_on_the_demo_server_over_stdio():
    proc = run_cli("explain", "remove_user", "--", PYTHON, DEMO_SERVER)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("remove_user: score")
    for title in ("Purpose clarity", "Usage guidelines", "Behavioral transparency", "Parameter semantics",
                  "Conciseness and structure", "Contextual completeness"):
        assert title in out
    assert out.count("to reach") >= 5
    assert "TG303" in out and "permanent" in out.lower()
    assert all(len(line) <= 80 for line in out.splitlines())


def test_explain_on_portkey_admin_mcp():
    proc = run_cli("explain", "delete_user_invite", "--", *portkey_cmd())
    assert proc.returncode == 0, proc.stderr
    assert "delete_user_invite: score" in proc.stdout and "annotations declared" in proc.stdout


def test_explain_unknown_tool_suggests_names():
    proc = run_cli("explain", "invit", str(FIXTURES / "demo_server" / "tools.json"))
    assert proc.returncode == 2 and "did you mean invite_user" in proc.stderr


def _tool(name: str, description: str) -> dict:
    return {"name": name, "description": description, "inputSchema": {"type": "object"}}


def test_plan_fixes_the_weakest_tool_first():
    good = [_tool(f"get_item_{i}", f"Get item {i} of the catalog by id with its price and stock. Use list_items to "
                                   f"find ids; read-only.") for i in range(6)]
    catalog = Catalog("t", ServerInfo("s"), tuple(parse_tool(t) for t in [*good, _tool("sync", "")]))
    result = grade(catalog, load_rubric())
    steps = what_if(result, load_rubric(), max_steps=20)
    assert steps and steps[0].tool == "sync"
    assert steps[-1].server_overall >= result.server.overall
    assert steps[-1].server_tier <= result.server.tier


def test_plan_command():
    proc = run_cli("plan", str(FIXTURES / "demo_server" / "tools.json"))
    assert proc.returncode == 0, proc.stderr
    assert "Server now: overall" in proc.stdout and " 1. sync:" in proc.stdout.replace("1. sync", " 1. sync")
