"""Model parsing, signals (DESIGN 3.1) and coherence on definitions we wrote."""

from __future__ import annotations

import hashlib
import json

from toolgrade.model import Catalog, ServerInfo, canonical_json, parse_tool
from toolgrade.rubric import load_rubric
from toolgrade.scoring import grade
from toolgrade.scoring.coherence import confusable_pairs, naming_style
from toolgrade.signals import compute_signals


def test_signals_of_a_mixed_schema():
    tool = parse_tool({
        "name": "invite_user", "title": "Invite a user",
        "description": "Invite a user.",
        "inputSchema": {"type": "object", "required": ["email", "role"], "properties": {
            "email": {"type": "string", "description": "Email"},
            "role": {"type": "string", "enum": ["admin", "member"], "description": "Role"},
            "workspaces": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
        }},
        "outputSchema": {"type": "object", "properties": {"id": {"type": "string"}}},
        "annotations": {"readOnlyHint": False, "openWorldHint": True},
    })
    s = compute_signals(tool)
    assert (s.param_count, s.required_count, s.described_count, s.enum_count) == (3, 2, 2, 1)
    assert s.schema_description_coverage == 67
    assert s.has_nested_objects and s.has_output_schema and s.has_annotations
    assert (s.read_only, s.destructive, s.idempotent, s.open_world) == (False, None, None, True)
    assert s.title_meaningful


def test_signals_of_an_empty_tool():
    s = compute_signals(parse_tool({"name": "ping", "inputSchema": {"type": "object"}, "outputSchema": {"type": "object"}}))
    assert s.param_count == 0 and s.schema_description_coverage == 100
    assert not s.has_output_schema and not s.has_annotations and not s.title_meaningful
    assert s.read_only is None


def test_input_hash_is_sha256_of_canonical_json_of_the_tools_own_fields():
    definition = {"name": "t", "description": "Get ü.", "inputSchema": {"type": "object", "properties": {"b": {}, "a": {}}}}
    tool = parse_tool({**definition, "_meta": {"ignored": True}, "execution": {"taskSupport": "forbidden"}})
    expected = hashlib.sha256(canonical_json(definition).encode()).hexdigest()[:16]
    assert compute_signals(tool).input_hash == expected
    reordered = parse_tool(json.loads(json.dumps(definition, sort_keys=True)))
    assert compute_signals(reordered).input_hash == expected
    changed = parse_tool({**definition, "description": "Get u."})
    assert compute_signals(changed).input_hash != expected


def test_ref_parameters_are_resolved():
    tool = parse_tool({"name": "t", "inputSchema": {"$ref": "#/$defs/args", "$defs": {"args": {
        "type": "object", "properties": {"q": {"$ref": "#/$defs/q"}}}, "q": {"type": "string", "description": "Query"}}}})
    s = compute_signals(tool)
    assert s.param_count == 1 and s.described_count == 1


def _catalog(tools: list[dict]) -> Catalog:
    return Catalog("test", ServerInfo("s"), tuple(parse_tool(t) for t in tools))


def _t(name: str, description: str) -> dict:
    return {"name": name, "description": description, "inputSchema": {"type": "object"}}


def test_confusable_pairs_are_found_and_distinct_ones_are_not():
    tools = [_t("get_user", "Get a user by id."), _t("fetch_user", "Get a user by id!"),
             _t("list_users", "List all users of the organisation page by page.")]
    pairs, involved = confusable_pairs(list(_catalog(tools).tools), 0.8)
    assert [(a, b) for a, b, _ in pairs] == [("get_user", "fetch_user")]
    assert involved == {"get_user", "fetch_user"}
    same, _ = confusable_pairs(list(_catalog([_t("a_x", "Get a user."), _t("b_x", "get user")]).tools), 0.8)
    assert same == [("a_x", "b_x", 1.0)]


def test_naming_styles():
    assert [naming_style(n) for n in ("list_users", "listUsers", "list-users", "ListUsers", "list", "users.list", "List Users")] == \
        ["snake_case", "camelCase", "kebab-case", "PascalCase", "neutral", "dotted.case", "mixed"]


def test_coherence_on_a_small_server():
    tools = [_t("create_webhook", "Create a webhook for an event and return its id."),
             _t("list_webhooks", "List the webhooks with their events and target URLs."),
             _t("getWebhook", "Get one webhook by id with its delivery history."),
             _t("create_report", "Create a usage report for a month and return its id.")]
    result = grade(_catalog(tools), load_rubric())
    c = result.server.coherence
    assert c.tool_count == 5
    assert c.naming_consistency < 5
    assert any(f.code == "TG802" for f in result.tool("getWebhook").findings)
    gaps = [f.message for f in result.server.findings if f.code == "TG804"]
    assert any("'webhook'" in g and "delete" in g for g in gaps) and any("'report'" in g for g in gaps)
    assert c.score == round((c.disambiguation + c.naming_consistency + c.tool_count + c.completeness) / 4, 1)


def test_server_rollup_follows_the_formula():
    tools = [_t("get_user", "Get one user by id with email and role."), _t("sync", "")]
    result = grade(_catalog(tools), load_rubric())
    scores = [t.score for t in result.tools]
    quality = round(0.6 * sum(scores) / len(scores) + 0.4 * min(scores), 1)
    assert result.server.description_quality == quality
    assert result.server.overall == round(0.7 * quality + 0.3 * result.server.coherence.score, 1)


def test_duplicate_names_are_reported():
    result = grade(_catalog([_t("search", "Search files by name."), _t("search", "Search issues by title.")]), load_rubric())
    assert all(any(f.code == "TG704" for f in t.findings) for t in result.tools)
