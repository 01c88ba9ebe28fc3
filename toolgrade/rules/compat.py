"""Client-compatibility rules: what some clients refuse, whatever the description says."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from toolgrade.findings import Finding
from toolgrade.model import Catalog, Tool, pointer_token
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


_NOT_SCHEMAS = frozenset({"enum", "const", "default", "examples", "required", "description", "title"})
_BOOLEAN_OK = ("additionalProperties", "uniqueItems", "readOnly", "writeOnly", "deprecated", "exclusiveMinimum",
               "exclusiveMaximum", "nullable")


def schema_rules(tool: Tool) -> list[Finding]:
    """Type arrays and boolean subschemas; one finding per kind, at its first place."""
    type_array = boolean = None
    stack: list[tuple[str, Any]] = [("/inputSchema", tool.input_schema)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if type_array is None and isinstance(node.get("type"), list):
                type_array = pointer + "/type"
            for key, value in node.items():
                if key in _NOT_SCHEMAS:
                    continue
                if isinstance(value, bool):
                    if boolean is None and key not in _BOOLEAN_OK:
                        boolean = f"{pointer}/{pointer_token(key)}"
                elif isinstance(value, dict | list):
                    stack.append((f"{pointer}/{pointer_token(key)}", value))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, bool):
                    if boolean is None:
                        boolean = f"{pointer}/{i}"
                elif isinstance(value, dict | list):
                    stack.append((f"{pointer}/{i}", value))
    found = []
    if type_array:
        found.append(finding("TG703", tool.name, type_array, detail=f"a type array at {type_array}"))
    if boolean:
        found.append(finding("TG703", tool.name, boolean, detail=f"a boolean subschema at {boolean}"))
    return found


def duplicate_names(catalog: Catalog) -> dict[str, Finding]:
    counts = Counter(catalog.names())
    return {name: finding("TG704", name, "/name", count=n) for name, n in counts.items() if n > 1}
