"""A deterministic generator of varied synthetic tool definitions, for benchmarks.

Varies what the scorer looks at: description length and style (fragments, padded, rich,
with usage and behavior sentences, none at all), parameter count and coverage, nesting,
annotations, output schemas, naming conventions.
"""

from __future__ import annotations

import random
from typing import Any

VERBS = ["get", "list", "create", "update", "delete", "search", "send", "run", "export", "archive", "invite", "rotate"]
RESOURCES = ["user", "invite", "workspace", "member", "api_key", "config", "prompt", "version", "log", "report",
             "webhook", "file", "issue", "comment", "deployment", "guardrail", "budget", "team", "project", "label"]
USAGE = ["Use this when you need the {r} id for a later call.", "Use it before update_{r}; for bulk changes use import_{r}s instead.",
         "Do not use it for archived {r}s.", ""]
BEHAVIOR = ["This permanently deletes the {r} and cannot be undone.", "Requires an admin API key; rate limited to 60 calls a minute.",
            "Returns 404 when the {r} does not exist.", "Read-only.", ""]
PADDING = ["This tool allows you to simply", "Basically,", ""]


def make_tool(rng: random.Random, i: int) -> dict[str, Any]:
    verb, resource = rng.choice(VERBS), rng.choice(RESOURCES)
    style = rng.random()
    name = f"{verb}_{resource}_{i}" if style > 0.1 else f"{verb}{resource.title().replace('_', '')}{i}"
    sentences = []
    if rng.random() > 0.05:
        pad = rng.choice(PADDING)
        first = f"{verb} {'one' if rng.random() < 0.5 else 'all'} {resource.replace('_', ' ')}s of the organisation"
        if rng.random() < 0.5:
            first += f" with id, name, status and {rng.choice(['owner', 'timestamps', 'tags'])}"
        sentences.append((pad + " " + first if pad else first.capitalize()) + ".")
        for pool in (USAGE, BEHAVIOR, BEHAVIOR):
            if rng.random() < 0.5:
                sentences.append(rng.choice(pool).format(r=resource))
        if rng.random() < 0.03:
            sentences.append("It has many details about many things. " * rng.randint(20, 90))
    description = " ".join(s for s in sentences if s)
    properties: dict[str, Any] = {}
    for p in range(rng.choice([0, 0, 1, 2, 3, 4, 6, 9])):
        prop: dict[str, Any] = {"type": rng.choice(["string", "integer", "boolean", "array", "object"])}
        if prop["type"] == "object" and rng.random() < 0.5:
            prop["properties"] = {"inner": {"type": "string", "description": "Nested value"}}
        if rng.random() < 0.7:
            prop["description"] = rng.choice(["The id", "Page size, 1-100 (default 20)", "ISO 8601 start date, e.g. 2026-01-01",
                                              "Filter by status", "Free text"])
        if rng.random() < 0.2:
            prop["enum"] = ["a", "b", "c"]
        properties[f"{resource}_param_{p}"] = prop
    tool: dict[str, Any] = {"name": name, "inputSchema": {"type": "object", "properties": properties,
                                                          "required": list(properties)[:1]}}
    if description:
        tool["description"] = description
    if rng.random() < 0.4:
        read = verb in ("get", "list", "search", "export")
        tool["annotations"] = {"readOnlyHint": read, "destructiveHint": verb == "delete", "idempotentHint": read}
    if rng.random() < 0.3:
        tool["outputSchema"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    return tool


def make_catalog(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_tool(rng, i) for i in range(count)]
