"""Deterministic facts about one tool definition (DESIGN 3.1).

Signals are what scoring reads from the schema and annotations; they are also printed in the
JSON report so that a score can be traced to the facts under it. Nothing here judges text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from toolgrade.model import Tool, canonical_json, pointer_token, resolve_local_ref

ANNOTATION_KEYS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


@dataclass(frozen=True)
class Param:
    """One top-level input parameter, with its JSON pointer into the definition."""

    name: str
    pointer: str
    schema: Mapping[str, Any]
    required: bool
    description: str

    @property
    def described(self) -> bool:
        return bool(self.description.strip())


@dataclass(frozen=True)
class Signals:
    param_count: int
    required_count: int
    described_count: int
    enum_count: int
    schema_description_coverage: int
    has_nested_objects: bool
    has_output_schema: bool
    has_annotations: bool
    read_only: bool | None
    destructive: bool | None
    idempotent: bool | None
    open_world: bool | None
    title_meaningful: bool
    input_hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def input_hash(tool: Tool) -> str:
    """First 16 hex digits of sha256 over the canonical JSON of the tool's own fields."""
    return hashlib.sha256(canonical_json(dict(tool.definition)).encode("utf-8")).hexdigest()[:16]


def _deref(schema: Any, root: Mapping[str, Any]) -> Any:
    """Follow local `$ref`s a bounded number of times (cycles were refused when parsing)."""
    for _ in range(32):
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            target = resolve_local_ref(root, schema["$ref"])
            if target is None:
                return schema
            schema = target
        else:
            break
    return schema


def params_of(tool: Tool) -> list[Param]:
    """The top-level properties of the input schema, in declaration order."""
    root = tool.input_schema
    schema = _deref(root, root)
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return []
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    params = []
    for name, sub in props.items():
        sub = _deref(sub, root) if isinstance(sub, dict) else {}
        description = sub.get("description") if isinstance(sub, dict) else None
        params.append(Param(
            name=str(name),
            pointer="/inputSchema/properties/" + pointer_token(name),
            schema=sub if isinstance(sub, dict) else {},
            required=name in required,
            description=description if isinstance(description, str) else "",
        ))
    return params


def _is_object_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in schema


def _has_nested(params: list[Param], root: Mapping[str, Any]) -> bool:
    for param in params:
        schema = param.schema
        if _is_object_schema(schema):
            return True
        items = _deref(schema.get("items"), root) if isinstance(schema, dict) else None
        if _is_object_schema(items):
            return True
    return False


def _non_empty_schema(schema: Mapping[str, Any] | None) -> bool:
    if not schema:
        return False
    return any(key not in ("$schema", "type") for key in schema) or schema.get("type") not in (None, "object")


def compute_signals(tool: Tool, params: list[Param] | None = None) -> Signals:
    params = params_of(tool) if params is None else params
    annotations = tool.annotations or {}
    described = sum(1 for p in params if p.described)
    coverage = 100 if not params else round(100 * described / len(params))

    def hint(key: str) -> bool | None:
        value = annotations.get(key)
        return value if isinstance(value, bool) else None

    title = (tool.title or (annotations.get("title") if isinstance(annotations.get("title"), str) else None) or "").strip()
    return Signals(
        param_count=len(params),
        required_count=sum(1 for p in params if p.required),
        described_count=described,
        enum_count=sum(1 for p in params if isinstance(p.schema.get("enum"), list)),
        schema_description_coverage=coverage,
        has_nested_objects=_has_nested(params, tool.input_schema),
        has_output_schema=_non_empty_schema(tool.output_schema),
        has_annotations=any(hint(k) is not None for k in ANNOTATION_KEYS),
        read_only=hint("readOnlyHint"),
        destructive=hint("destructiveHint"),
        idempotent=hint("idempotentHint"),
        open_world=hint("openWorldHint"),
        title_meaningful=bool(title) and title != tool.name and len(title) > len(tool.name),
        input_hash=input_hash(tool),
    )
