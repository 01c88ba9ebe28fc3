"""Valid arguments for a tool, built from its inputSchema alone.

Required properties only (the smallest call the schema admits), each with a value that
satisfies its type, enum, format, bounds and pattern, checked against the schema with
jsonschema before use. Free-text strings get a recognisable marker (`tg-<name>`), so the
runner can see where an argument ended up in the HTTP request (a path segment means it is an
id, and the runner swaps in the id of an object that exists in the mock).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import jsonschema

from toolgrade.contract.store import FIXED_TIME
from toolgrade.resources import schema_error

SENTINEL_PREFIX = "tg-"
#: Markers for arguments named like ids are UUID-shaped (APIs often require the format).
UUID_SENTINEL_PREFIX = "7e570000-0000-4000-8000-"
_MAX_DEPTH = 8


class NoValidArguments(Exception):
    """The inputSchema admits no value this builder can find (or none at all)."""


def build_arguments(schema: dict[str, Any]) -> dict[str, Any]:
    """Arguments valid under `schema` (required properties only), or NoValidArguments with the reason."""
    root = schema if isinstance(schema, dict) else {}
    value = _value(root, root, "arguments", 0)
    if not isinstance(value, dict):
        raise NoValidArguments("the inputSchema does not describe an object")
    problem = schema_error(_validator(root), value, "arguments")
    if problem is not None:
        raise NoValidArguments(f"no value satisfies the inputSchema at {problem[0]}: {problem[1]}")
    return value


def with_optional(schema: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """`args` plus a value for every optional top-level property that keeps the whole valid.

    This second, fuller call exercises the query parameters and body fields that a minimal call
    never sends (a list tool's paging and filters, an update's fields)."""
    root = schema if isinstance(schema, dict) else {}
    validator = _validator(root)
    full = dict(args)
    for name, prop in (root.get("properties") or {}).items():
        if name in full:
            continue
        try:
            candidate = {**full, name: _value(prop, root, name, 1)}
        except NoValidArguments:
            continue
        if validator.is_valid(candidate):
            full = candidate
    return full


def _validator(root: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def is_sentinel(value: Any) -> bool:
    return isinstance(value, str) and value.startswith((SENTINEL_PREFIX, UUID_SENTINEL_PREFIX))


def _id_marker(name: str) -> str:
    return UUID_SENTINEL_PREFIX + hashlib.sha256(name.encode()).hexdigest()[:12]


def _value(schema: Any, root: dict[str, Any], name: str, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise NoValidArguments(f"{name}: the schema nests deeper than {_MAX_DEPTH} levels on required properties")
    if schema is False:
        raise NoValidArguments(f"{name}: the schema is `false`, which admits no value")
    if not isinstance(schema, dict):
        return f"{SENTINEL_PREFIX}{name}"
    if "$ref" in schema:
        return _value(_resolve(schema["$ref"], root), root, name, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        if not schema["enum"]:
            raise NoValidArguments(f"{name}: the enum is empty, so no value is allowed")
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _first_valid(schema[key], root, name, depth)
    if "allOf" in schema:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = _resolve(part["$ref"], root) if isinstance(part, dict) and "$ref" in part else part
            if isinstance(part, dict):
                for k, v in part.items():
                    merged[k] = {**merged.get(k, {}), **v} if k == "properties" else v
        return _value(merged, root, name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    return _BUILDERS.get(kind, _string)(schema, root, name, depth)


def _first_valid(options: list[Any], root: dict[str, Any], name: str, depth: int) -> Any:
    reasons = []
    for option in options:
        if isinstance(option, dict) and option.get("type") == "null" and len(options) > 1:
            continue
        try:
            return _value(option, root, name, depth + 1)
        except NoValidArguments as exc:
            reasons.append(str(exc))
    raise NoValidArguments(reasons[0] if reasons else f"{name}: no alternative admits a value")


def _resolve(ref: str, root: dict[str, Any]) -> Any:
    if not ref.startswith("#"):
        raise NoValidArguments(f"the inputSchema refers to an external schema {ref!r}")
    node: Any = root
    for part in ref.lstrip("#/").split("/") if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise NoValidArguments(f"the inputSchema's $ref {ref!r} does not resolve")
        node = node[part]
    return node


def _object(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    properties = schema.get("properties", {}) or {}
    out: dict[str, Any] = {}
    for key in schema.get("required", []) or []:
        out[key] = _value(properties.get(key, {}), root, key, depth + 1)
    missing = int(schema.get("minProperties", 0) or 0) - len(out)
    for key in [k for k in properties if k not in out][:max(0, missing)]:
        out[key] = _value(properties[key], root, key, depth + 1)
    return out


def _array(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    count = int(schema.get("minItems", 0) or 0)
    if isinstance(schema.get("prefixItems"), list):
        return [_value(s, root, f"{name}[{i}]", depth + 1) for i, s in enumerate(schema["prefixItems"][:max(count, 0)])]
    items = schema.get("items", {})
    values = [_value(items, root, name, depth + 1) for _ in range(count)]
    if schema.get("uniqueItems") and count > 1:
        values = [f"{v}-{i}" if isinstance(v, str) else v for i, v in enumerate(values)]
    return values


def _number(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: float = 1 if low is None else low + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0)
    if high is not None and value > high:
        raise NoValidArguments(f"{name}: the bounds leave no number (minimum {low}, maximum {high})")
    step = schema.get("multipleOf")
    if step:
        value = -(-value // step) * step
    return int(value) if schema.get("type") == "integer" or float(value).is_integer() else value


def _boolean(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    return True


def _null(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    return None


_FORMAT_VALUES = {
    "email": "someone@example.com", "date-time": FIXED_TIME, "date": FIXED_TIME[:10], "time": "17:08:55Z",
    "uri": "https://example.com/", "url": "https://example.com/", "uuid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "ipv4": "192.0.2.1", "hostname": "example.com",
}


def _string(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> Any:
    fmt = schema.get("format")
    lowered = name.lower()
    if fmt in _FORMAT_VALUES:
        candidates = [_FORMAT_VALUES[fmt]]
    elif "email" in lowered:
        candidates = [_FORMAT_VALUES["email"], f"{SENTINEL_PREFIX}{name}"]
    elif lowered.endswith(("_at", "_time")) or "time_" in lowered or lowered.endswith(("_min", "_max")) and "time" in lowered:
        candidates = [FIXED_TIME]
    elif lowered.endswith(("url", "uri")):
        candidates = ["https://example.com/"]
    elif lowered.endswith("_id") or name.endswith("Id"):
        candidates = [_id_marker(name), f"{SENTINEL_PREFIX}{name}"]
    else:
        candidates = [f"{SENTINEL_PREFIX}{name}"]
    low, high = int(schema.get("minLength", 0) or 0), schema.get("maxLength")
    pattern = schema.get("pattern")
    candidates += ["a" * max(low, 1), "1" * max(low, 1), "A" * max(low, 1), "a-1"]
    for candidate in candidates:
        if len(candidate) < low:
            candidate = candidate + "x" * (low - len(candidate))
        if high is not None and len(candidate) > high:
            candidate = candidate[:high]
        if pattern is None or re.search(pattern, candidate):
            return candidate
    raise NoValidArguments(f"{name}: found no string matching the pattern {pattern!r}")


_BUILDERS = {"object": _object, "array": _array, "number": _number, "integer": _number,
             "boolean": _boolean, "null": _null, "string": _string}
