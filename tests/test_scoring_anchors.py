"""Scorer unit tests: definitions we wrote to hit each anchor of each dimension (DESIGN 3.3)."""

from __future__ import annotations

import pytest

from toolgrade.model import parse_tool
from toolgrade.rubric import load_rubric
from toolgrade.scoring import completeness
from toolgrade.scoring.aggregate import grade_tool, tool_context

RUBRIC = load_rubric()


def tool(name: str, description: str | None, properties: dict | None = None, required=(), annotations=None,
         output_schema=None, title=None) -> dict:
    data = {"name": name, "inputSchema": {"type": "object", "properties": properties or {}, "required": list(required)}}
    if description is not None:
        data["description"] = description
    if annotations is not None:
        data["annotations"] = annotations
    if output_schema is not None:
        data["outputSchema"] = output_schema
    if title is not None:
        data["title"] = title
    return data


def graded(definition: dict, siblings=()):
    return grade_tool(parse_tool(definition), tuple(siblings), RUBRIC)


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


DESCRIBED = {"user_id": {"type": "string", "description": "The user's id, from list_users"}}


# --- gates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("description", [None, "", "   \n\t"])
def test_no_description_scores_one_everywhere(description):
    result = graded(tool("get_user", description, DESCRIBED))
    assert set(result.scores.values()) == {1}
    assert result.flags == ("No Description",)
    assert result.score == 1.0 and result.tier == "D"
    assert "TG001" in codes(result)


@pytest.mark.parametrize("description", ["get_user", "Get user", "GET USER.", "Fetch the profile"])
def test_tautology_caps_purpose_at_two(description):
    result = graded(tool("get_user", description, DESCRIBED, title="Fetch the profile"))
    assert "Tautological Description" in result.flags
    assert result.scores["purpose"] <= 2
    assert "TG002" in codes(result)


def test_not_a_tautology_when_it_says_more():
    result = graded(tool("get_user", "Get one user by id with their email and role.", DESCRIBED))
    assert "Tautological Description" not in result.flags


def test_annotation_contradiction_sets_behavior_to_one():
    result = graded(tool("create_record", "Creates a new record in the database.",
                         {"table": {"type": "string", "description": "Table name"}}, annotations={"readOnlyHint": True}))
    assert result.flags == ("Annotation Contradiction",)
    assert result.scores["behavior"] == 1
    assert "TG003" in codes(result)


def test_mentioning_a_write_tool_is_not_a_contradiction():
    result = graded(tool("list_users", "List users. Use this to find the id before delete_user.", {},
                         annotations={"readOnlyHint": True}), siblings=["delete_user"])
    assert "Annotation Contradiction" not in result.flags
    assert result.scores["behavior"] >= 3


def test_read_only_and_destructive_together_is_a_contradiction():
    result = graded(tool("get_thing", "Get a thing by id.", {}, annotations={"readOnlyHint": True, "destructiveHint": True}))
    assert result.scores["behavior"] == 1


# --- purpose -------------------------------------------------------------------------------

def test_purpose_one_word_is_one():
    assert graded(tool("process", "Process", {"input": {"type": "string"}})).scores["purpose"] == 1


def test_purpose_vague_resource_is_three():
    result = graded(tool("handle", "Handle the data.", {}))
    assert result.scores["purpose"] == 3
    assert "TG101" in codes(result)


def test_purpose_specific_verb_and_resource_is_four():
    assert graded(tool("update_drive", "Update shared drive settings.", {})).scores["purpose"] == 4


def test_purpose_sibling_distinction_is_five():
    result = graded(tool("get_calls", "List all calls in a date range. To filter by user, use search_calls instead.", {}),
                    siblings=["search_calls"])
    assert result.scores["purpose"] == 5


def test_purpose_similar_siblings_not_told_apart_caps_at_four():
    result = graded(tool("get_users", "Get users of the organisation together with their roles and their last login.", {}),
                    siblings=["get_user", "get_user_roles"])
    assert result.scores["purpose"] == 4
    assert "TG102" in codes(result)


# --- usage guidelines ----------------------------------------------------------------------

def test_usage_none_is_two():
    result = graded(tool("rotate_key", "Rotates an API key.", {}))
    assert result.scores["usage_guidelines"] == 2
    assert "TG201" in codes(result)


def test_usage_implied_is_three():
    result = graded(tool("invite_user", "Invite a new user to your organization with specific workspace access "
                                        "and API key permissions", {}))
    assert result.scores["usage_guidelines"] == 3


def test_usage_when_without_exclusions_is_four():
    result = graded(tool("get_invite", "Get one invite by id. Use this to check whether an invite is still pending.", {}))
    assert result.scores["usage_guidelines"] == 4
    assert "TG202" in codes(result)


def test_usage_when_and_when_not_with_named_alternative_is_five():
    result = graded(tool("get_invite", "Get one invite by id. Use this for pending invites only; "
                                       "do not use it for accepted users, use get_user instead.", {}),
                    siblings=["get_user"])
    assert result.scores["usage_guidelines"] == 5


# --- behavior ------------------------------------------------------------------------------

def test_behavior_nothing_disclosed_without_annotations_is_two():
    result = graded(tool("make_move", "Make a move in a board game.", {}))
    assert result.scores["behavior"] == 2
    assert "TG302" in codes(result)


def test_behavior_annotations_lower_the_bar():
    bare = graded(tool("get_usage", "Get this month's usage statistics for the account.", {}))
    annotated = graded(tool("get_usage", "Get this month's usage statistics for the account.", {},
                            annotations={"readOnlyHint": True, "idempotentHint": True}))
    assert annotated.scores["behavior"] > bare.scores["behavior"]


def test_behavior_rich_disclosure_is_five():
    text = ("Email the invoice PDF to the customer and mark it sent. Requires the billing scope; rate limited to "
            "10 calls a minute. Fails with 409 if the invoice was already sent. This permanently records the send.")
    annotated = graded(tool("send_invoice", text, {}, annotations={"readOnlyHint": False, "destructiveHint": False}))
    bare = graded(tool("send_invoice", text, {}))
    assert annotated.scores["behavior"] == 5
    assert bare.scores["behavior"] == 4


def test_behavior_destructive_without_permanence_is_capped_and_flagged():
    silent = graded(tool("delete_workspace", "Delete a workspace. Requires the admin role; rate limited; fails "
                                             "with 404 when missing.", {}, annotations={"destructiveHint": True}))
    told = graded(tool("delete_workspace", "Delete a workspace. Requires the admin role; rate limited; this "
                                           "permanently deletes it and cannot be undone.", {},
                       annotations={"destructiveHint": True}))
    assert silent.scores["behavior"] <= 3 and "TG303" in codes(silent)
    assert told.scores["behavior"] > silent.scores["behavior"] and "TG303" not in codes(told)


def test_behavior_mutation_without_effects_is_flagged():
    assert "TG301" in codes(graded(tool("add_member", "Add a member to a workspace.", {})))


# --- parameters ----------------------------------------------------------------------------

def test_parameters_zero_is_baseline_four():
    assert graded(tool("get_status", "Get the service status.", {})).scores["parameters"] == 4


def test_parameters_zero_percent_coverage():
    many = graded(tool("process", "Process an input with options.",
                       {"input": {"type": "string"}, "mode": {"type": "string"}, "options": {"type": "object"}}))
    one = graded(tool("compress", "Compress source code.", {"code": {"type": "string"}}))
    assert many.scores["parameters"] == 1 and one.scores["parameters"] == 2
    assert sum(1 for f in many.findings if f.code == "TG401") == 3
    assert {f.pointer for f in many.findings if f.code == "TG401"} == {
        "/inputSchema/properties/input/description", "/inputSchema/properties/mode/description",
        "/inputSchema/properties/options/description"}


def test_parameters_full_coverage_is_baseline_three():
    result = graded(tool("get_calls", "List calls in a date range.",
                         {"from_date": {"type": "string", "description": "Start (ISO 8601)"},
                          "to_date": {"type": "string", "description": "End (ISO 8601)"}}))
    assert result.scores["parameters"] == 3


def test_parameters_meaning_beyond_schema_raises_the_score():
    result = graded(tool("get_calls", "List calls between from_date and to_date (inclusive, at most 31 days apart).",
                         {"from_date": {"type": "string", "description": "Start (ISO 8601)"},
                          "to_date": {"type": "string", "description": "End (ISO 8601)"}}))
    assert result.scores["parameters"] == 5


def test_parameters_documented_in_description_text_count():
    result = graded(tool("create_container", "Create a container. Args: image - the image to use; command - the "
                                             "command to run; extra - more keyword arguments.",
                         {"image": {"type": "string"}, "command": {"type": "string"}, "extra": {"type": "object"}}))
    assert result.scores["parameters"] == 3
    assert "TG401" not in codes(result)


# --- conciseness ---------------------------------------------------------------------------

def test_conciseness_fragment_and_single_word():
    assert graded(tool("process", "Process", {})).scores["conciseness"] == 2
    result = graded(tool("weather", "Weather tool", {}))
    assert result.scores["conciseness"] == 3 and "TG501" in codes(result)


def test_conciseness_tight_sentence_is_five():
    assert graded(tool("get_forecast", "Get the hourly forecast for a city for the next 48 hours.", {})).scores["conciseness"] == 5


def test_conciseness_padding_and_sprawl_lose_points():
    padded = graded(tool("list_users", "This tool allows you to simply get the list of users, basically.", {}))
    assert padded.scores["conciseness"] <= 3 and "TG502" in codes(padded)
    sprawl = graded(tool("get_report", "Get the report. " + "It has many details about things. " * 70, {}))
    assert sprawl.scores["conciseness"] <= 3 and "TG503" in codes(sprawl)


# --- completeness --------------------------------------------------------------------------

def test_completeness_output_schema_lifts_the_duty_to_describe_returns():
    base = tool("compute_quote", "Compute a shipping quote for a parcel sent from the warehouse to a destination "
                                 "country, by road or air, for the parcel's weight.",
                {"weight": {"type": "number", "description": "kg"}})
    with_output = {**base, "outputSchema": {"type": "object", "properties": {"price": {"type": "number"}}}}
    without, with_schema = graded(base), graded(with_output)
    assert "TG601" in codes(without) and "TG601" not in codes(with_schema)
    # The coverage judgement rises by a point; the dimension blends it with behavior and
    # parameters (unchanged here), so half a point of it may vanish in the rounding.
    coverage = [completeness.coverage(tool_context(parse_tool(d), (), RUBRIC)).score for d in (base, with_output)]
    assert coverage[1] == coverage[0] + 1
    assert with_schema.scores["completeness"] >= without.scores["completeness"]


def test_completeness_blends_coverage_with_behavior_and_parameters():
    text = "Cancel a parcel that has not left the warehouse and return its refund amount."
    names = ("parcel_id", "reason", "notify")
    bare = tool("cancel_parcel", text, {n: {"type": "string"} for n in names})
    described = tool("cancel_parcel", text, {n: {"type": "string", "description": f"The {n} of the cancellation"}
                                             for n in names})
    coverage = [completeness.coverage(tool_context(parse_tool(d), (), RUBRIC)).score for d in (bare, described)]
    low, high = graded(bare), graded(described)
    # Same coverage judgement; only the parameters differ, and completeness follows them.
    assert coverage[0] == coverage[1]
    assert low.scores["parameters"] < high.scores["parameters"]
    assert low.scores["completeness"] < high.scores["completeness"]
    assert any(e.startswith("blend of coverage") for e in high.dimensions["completeness"].evidence)


def test_completeness_complex_tool_with_short_description_is_two():
    result = graded(tool("update_drive", "Update shared drive settings including name, color, and restrictions.",
                         {"drive_id": {"type": "string", "description": "ID"}, "name": {"type": "string"},
                          "color": {"type": "string"}, "restrictions": {"type": "object"}}))
    assert result.scores["completeness"] == 2


def test_completeness_one_word_is_one():
    assert graded(tool("process", "Process", {})).scores["completeness"] == 1


# --- aggregate -----------------------------------------------------------------------------

def test_weighted_score_tier_and_smells():
    result = graded(tool("update_drive", "Update shared drive settings including name, color, and restrictions.",
                         {"drive_id": {"type": "string", "description": "ID of the shared drive"},
                          "name": {"type": "string", "description": "New name of the drive"},
                          "color": {"type": "string"}, "restrictions": {"type": "object"}}, required=["drive_id"]))
    expected = round(sum(RUBRIC.weights[d] * s for d, s in result.scores.items()), 1)
    assert result.score == expected
    assert result.tier == RUBRIC.tier(expected)
    assert set(result.smells) == {d for d, s in result.scores.items() if s < 3}


def test_every_dimension_has_evidence_and_findings_have_hints():
    result = graded(tool("remove_user", "Removes a user.", {"user_id": {"type": "string"}}))
    assert all(d.evidence for d in result.dimensions.values())
    for finding in result.findings:
        assert finding.code.startswith("TG") and finding.hint and finding.message
        assert finding.pointer.startswith("/") or finding.pointer == ""


def test_client_compatibility_rules():
    long_name = "retrieve_all_workspace_members_with_their_roles_and_status_x"
    assert "TG701" in codes(graded(tool("weather.get forecast", "Get the forecast.", {})))
    assert "TG702" in codes(graded(tool(long_name, "Get members.", {})))
    typed = graded(tool("add_note", "Add a note.", {"note": {"type": ["string", "null"], "description": "Text"}}))
    assert {f.pointer for f in typed.findings if f.code == "TG703"} == {"/inputSchema/properties/note/type"}
    assert "TG703" not in codes(graded(tool("add_note", "Add a note.", {"note": {"type": "string"}})))


def test_completeness_combine_rounds_the_blend_and_names_the_part_to_raise():
    from toolgrade.scoring.context import DimensionScore

    def part(dimension, value):
        return DimensionScore(dimension, value, (), (), f"raise {dimension}")

    blend = RUBRIC.thresholds["completeness_blend"]
    others = {"behavior": part("behavior", 4), "parameters": part("parameters", 3)}
    full = completeness.combine(part("completeness", 5), others, blend)
    assert full.score == 4  # 0.5*5 + 0.25*4 + 0.25*3 = 4.25
    assert full.next_step == "raise behavior (behavior)"  # coverage has no room left
    lower = completeness.combine(part("completeness", 3), others, blend)
    assert lower.score == 3 and lower.next_step == "raise completeness"  # 3.25; coverage lifts most
    assert completeness.combine(part("completeness", 1), others, blend).score == 1
