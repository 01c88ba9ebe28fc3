"""Client-compatibility rules: what some clients refuse, whatever the description says."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from toolgrade.findings import Finding
from toolgrade.model import Catalog, Tool
from toolgrade.rubric import Rubric
from toolgrade.rules import finding

_CLIENT_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def name_rules(tool: Tool, rubric: Rubric) -> list[Finding]:
    found = []
    if not _CLIENT_NAME.match(tool.name):
        suggestion = re.sub(r"[^a-zA-Z0-9_-]+", "_", tool.name).strip("_")[:64] or "tool"
        found.append(finding("TG701", tool.name, "/name", suggestion=repr(suggestion)))
    elif len(tool.name) > rubric.thresholds["prefixed_name_budget"]:
        found.append(finding("TG702", tool.name, "/name", length=len(tool.name),
                             budget=rubric.thresholds["prefixed_name_budget"]))
    return found


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            if isinstance(value, Mapping | list | bool) and key not in ("enum", "const", "default", "examples", "required"):
                yield from _walk(value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{i}")


def schema_rules(tool: Tool) -> list[Finding]:
    """Type arrays and boolean subschemas; one finding per kind, at its first place."""
    type_array = boolean = None
    for pointer, node in _walk(tool.input_schema, "/inputSchema"):
        if isinstance(node, Mapping) and isinstance(node.get("type"), list) and type_array is None:
            type_array = pointer + "/type"
        if isinstance(node, bool) and boolean is None and not pointer.endswith(("additionalProperties", "uniqueItems")):
            boolean = pointer
    found = []
    if type_array:
        found.append(finding("TG703", tool.name, type_array, detail=f"a type array at {type_array}"))
    if boolean:
        found.append(finding("TG703", tool.name, boolean, detail=f"a boolean subschema at {boolean}"))
    return found


def duplicate_names(catalog: Catalog) -> dict[str, Finding]:
    counts = Counter(catalog.names())
    return {name: finding("TG704", name, "/name", count=n) for name, n in counts.items() if n > 1}
