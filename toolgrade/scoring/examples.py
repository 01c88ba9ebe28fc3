"""Concrete example sentences for fix hints, built from the tool's own name and parameters.

A hint that says "add a sentence like: Delete one workspace by workspace_id..." gets fixed;
"improve the description" does not.
"""

from __future__ import annotations

from toolgrade.scoring.context import ToolContext
from toolgrade.scoring.context_tokens import name_tokens


def opening(ctx: ToolContext) -> str:
    """'list_all_users' -> 'List all users ...' ; 'userDelete' -> 'Delete user ...'."""
    tokens = name_tokens(ctx.name)
    verb = ctx.name_verb
    if verb and tokens and tokens[-1] == verb and tokens[0] != verb:
        tokens = [verb, *tokens[:-1]]
    if not tokens:
        return "Describe what the tool does"
    phrase = " ".join(tokens)
    required = [p.name for p in ctx.params if p.required][:2]
    if required:
        phrase += " by " + " and ".join(required)
    return phrase[0].upper() + phrase[1:] + " and return ..."


def effect_sentence(ctx: ToolContext) -> str:
    if ctx.is_destructive:
        return "This permanently deletes ... and cannot be undone."
    if ctx.verb in ("update", "set", "edit", "modify", "patch", "rename"):
        return "Changes only the fields given; the others keep their values."
    if ctx.verb in ("send", "invite", "resend", "notify", "post", "publish"):
        return "Sends ... to ...; calling it again sends again."
    return "Creates ... and returns its id; calling it twice creates two."


def suggested_annotations(ctx: ToolContext) -> str:
    read_only = not ctx.is_mutating
    destructive = ctx.is_destructive
    return (
        '{"readOnlyHint": %s, "destructiveHint": %s, "idempotentHint": %s, "openWorldHint": ...}'
        % (str(read_only).lower(), str(destructive).lower(), str(read_only or destructive).lower())
    )
