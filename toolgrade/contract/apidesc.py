"""Read an API description (`toolgrade/contract/apis/<name>.yaml`) into routes and schemas.

The description is ours and compact (see the header of `apis/portkey.yaml`); this module turns
it into what the mock serves and the checks compare against: one `Endpoint` per method and
path template, with the JSON Schema of its request body, the query parameters it documents,
the resources its path parameters point at, and the JSON Schema of its success reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from toolgrade.errors import UsageError
from toolgrade.resources import load_yaml

APIS_DIR = Path(__file__).resolve().parent / "apis"

_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "num": {"type": "number"},
    "bool": {"type": "boolean"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "time": {"type": "string", "format": "date-time"},
    "url": {"type": "string", "format": "uri"},
    "obj": {"type": "object"},
    "any": {},
}
#: Reply tokens that stand for a value of the record being answered about.
RECORD_TOKENS = frozenset({"id", "slug", "version", "secret"})


def is_type_expr(value: Any) -> bool:
    """True for a type expression of the description's mini-language (`str`, `[obj]`, `a|b`...)."""
    if not isinstance(value, str) or not value:
        return False
    text = value[:-1] if value.endswith("?") else value
    if text.startswith("[") and text.endswith("]"):
        return is_type_expr(text[1:-1])
    return text in _SCALARS or "|" in text or text.startswith("=")


def type_schema(expr: str) -> dict[str, Any]:
    """JSON Schema for one type expression."""
    nullable = expr.endswith("?")
    text = expr[:-1] if nullable else expr
    if text.startswith("[") and text.endswith("]"):
        schema: dict[str, Any] = {"type": "array", "items": type_schema(text[1:-1])}
    elif "|" in text or text.startswith("="):
        schema = {"type": "string", "enum": text.lstrip("=").split("|")}
    else:
        schema = dict(_SCALARS[text])
    if nullable:
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
    return schema


def body_schema(fields: dict[str, str]) -> dict[str, Any]:
    """An object schema from `{name: type}`; a leading `!` marks a required field."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for raw_name, expr in fields.items():
        name = raw_name.lstrip("!")
        if raw_name.startswith("!"):
            required.append(name)
        properties[name] = type_schema(expr)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


@dataclass(frozen=True)
class Resource:
    """A kind of object the mock keeps state for (users, workspaces, prompts...)."""

    name: str
    path: str
    param: str
    object: str
    fields: dict[str, str]
    base: str = "v1"
    parent: str | None = None
    slug_prefix: str | None = None
    unique: str | None = None
    secret: str | None = None
    key_from: str | None = None
    versioned: bool = False
    wrap_get: bool = False
    list_shape: str = "list"
    defaults: dict[str, Any] = field(default_factory=dict)
    seed: tuple[dict[str, Any], ...] = ()

    def address(self, record: dict[str, Any]) -> str:
        """What a path names this record by: its slug where the API addresses by slug, else its id."""
        return record["slug"] if self.param == "slug" and record.get("slug") else record["id"]

    def record_schema(self) -> dict[str, Any]:
        properties = {name: type_schema(expr) for name, expr in self.fields.items()}
        properties["id"] = {"type": "string"}
        properties["object"] = {"type": "string", "enum": [self.object]}
        if self.slug_prefix:
            properties["slug"] = {"type": "string"}
        return {"type": "object", "properties": properties, "required": ["id", "object"]}


@dataclass(frozen=True, eq=False)
class Endpoint:
    """One documented method + path template, and what the mock does for it."""

    method: str
    prefix: str  # where the endpoint's base lives on the mock: /v1, /v2, or "" (public)
    template: str
    query: tuple[str, ...]
    body: dict[str, Any] | None
    body_required: bool
    resource: str | None
    action: str
    reply: Any
    effect: str | None = None
    param_resources: tuple[tuple[str, str | None], ...] = ()
    path_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    require: tuple[tuple[str, Any], ...] = ()
    fill_from_path: tuple[tuple[str, str], ...] = ()
    response_schema: dict[str, Any] = field(default_factory=dict)

    @property
    def full_template(self) -> str:
        return f"{self.prefix}{self.template}"

    @property
    def key(self) -> str:
        return f"{self.method} {self.full_template}"

    @cached_property
    def segments(self) -> tuple[tuple[str, bool], ...]:
        """(text, is_parameter) per path segment; computed once, read on every request."""
        return tuple((s[1:-1], True) if _PARAM.match(s) else (s, False)
                     for s in self.full_template.split("/") if s)

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """The path parameters if `parts` (a request path's segments) fit this template."""
        if len(parts) != len(self.segments):
            return None
        values: dict[str, str] = {}
        for (text, is_param), got in zip(self.segments, parts, strict=True):
            if is_param:
                values[text] = got
            elif text != got:
                return None
        return values


_PARAM = re.compile(r"^\{([^}]+)\}$")


@dataclass(frozen=True, eq=False)
class Api:
    """A whole API description: resources, endpoints, the profile for pointing servers at it."""

    name: str
    title: str
    auth_header: str
    error_codes: dict[int, str]
    profile_env: dict[str, str]
    official_bases: dict[str, str]
    paging: dict[str, tuple[str, ...]]
    resources: dict[str, Resource]
    endpoints: tuple[Endpoint, ...]

    @cached_property
    def by_key(self) -> dict[str, Endpoint]:
        return {e.key: e for e in self.endpoints}

    @cached_property
    def _by_specificity(self) -> tuple[Endpoint, ...]:
        """Literal segments win over parameters (/users/invites before /users/{userId})."""
        return tuple(sorted(self.endpoints, key=lambda e: tuple(is_param for _, is_param in e.segments)))

    def match(self, method: str, path: str) -> tuple[Endpoint | None, dict[str, str]]:
        """The documented endpoint for a request, and its path parameters."""
        parts = [p for p in path.split("/") if p]
        for endpoint in self._by_specificity:
            if endpoint.method == method:
                values = endpoint.match(parts)
                if values is not None:
                    return endpoint, values
        return None, {}


def available_apis() -> list[str]:
    return sorted(p.stem for p in APIS_DIR.glob("*.yaml"))


@cache
def load_api(name: str) -> Api:
    """Load and expand a bundled API description by name (`portkey`)."""
    path = APIS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UsageError(f"unknown API {name!r}; toolgrade can mock: {', '.join(available_apis())}")
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return _build(raw)


def _build(raw: dict[str, Any]) -> Api:
    bases = dict(raw["bases"])
    paging = {k: tuple(v) for k, v in raw.get("paging", {}).items()}
    resources = {name: _resource(name, spec) for name, spec in raw["resources"].items()}
    endpoints: list[Endpoint] = []
    for name, spec in raw["resources"].items():
        endpoints.extend(_resource_endpoints(resources[name], spec, resources, paging, bases))
    for spec in raw.get("endpoints", []):
        endpoints.append(_fixed_endpoint(spec, paging, bases))
    profile = raw.get("profile", {})
    return Api(
        name=raw["name"], title=raw.get("title", raw["name"]), auth_header=raw["auth_header"],
        error_codes={int(k): v for k, v in raw["errors"]["codes"].items()},
        profile_env=dict(profile.get("env", {})), official_bases=dict(profile.get("official", {})),
        paging=paging, resources=resources, endpoints=tuple(endpoints),
    )


def _resource(name: str, spec: dict[str, Any]) -> Resource:
    return Resource(
        name=name, path=spec["path"], param=spec["param"], object=spec["object"], fields=dict(spec["fields"]),
        base=spec.get("base", "v1"), parent=spec.get("parent"), slug_prefix=spec.get("slug"),
        unique=spec.get("unique"), secret=spec.get("secret"), key_from=spec.get("key_from"),
        versioned=bool(spec.get("versioned")), wrap_get=bool(spec.get("wrap_get")),
        list_shape=spec.get("list_shape", "list"), defaults=dict(spec.get("defaults", {})), seed=tuple(spec.get("seed", [])),
    )


def collection_path(resource: Resource, resources: dict[str, Resource]) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """The collection path of a resource, nested under its parents, and the parents' params."""
    if resource.parent is None:
        return resource.path, ()
    parent = resources[resource.parent]
    parent_path, parent_params = collection_path(parent, resources)
    return f"{parent_path}/{{{parent.param}}}{resource.path}", (*parent_params, (parent.param, parent.name))


def _resource_endpoints(res: Resource, spec: dict[str, Any], resources: dict[str, Resource],
                        paging: dict[str, tuple[str, ...]], bases: dict[str, str]) -> list[Endpoint]:
    base_path, parent_params = collection_path(res, resources)
    item_path = f"{base_path}/{{{res.param}}}"
    item_params = (*parent_params, (res.param, res.name))
    record = res.record_schema()
    out: list[Endpoint] = []

    def add(method: str, action: str, path: str, params: tuple[tuple[str, str | None], ...], op: dict[str, Any],
            reply: Any, effect: str | None = None) -> None:
        body_fields = op.get("body")
        body = body_schema(body_fields) if body_fields else ({} if op.get("body_any") else None)
        query = tuple(op.get("query", ())) + paging.get(op.get("paging", ""), ())
        out.append(Endpoint(
            method=method, prefix=bases[res.base], template=path, query=query, body=body,
            body_required=bool(body_fields and any(k.startswith("!") for k in body_fields)) or bool(op.get("body_any")),
            resource=res.name, action=action, reply=op.get("reply", reply), effect=op.get("effect", effect),
            param_resources=params,
            path_values=tuple((k, tuple(v)) for k, v in op.get("path_values", {}).items()),
            require=tuple(op.get("require", {}).items()),
            fill_from_path=tuple(op.get("fill_from_path", {}).items()),
            response_schema=reply_schema(op.get("reply", reply), res, record),
        ))

    if "list" in spec:
        add("GET", "list", base_path, parent_params, spec["list"], "list")
    if "create" in spec:
        op = spec["create"]
        extra = op.get("path", "")
        extra_params = tuple((p, None) for p in re.findall(r"\{([^}]+)\}", extra))
        add("POST", "create", base_path + extra, (*parent_params, *extra_params), op, "record")
    if "get" in spec:
        add("GET", "get", item_path, item_params, spec["get"], "record")
    if "update" in spec:
        add("PUT", "update", item_path, item_params, spec["update"], {})
    if "delete" in spec:
        add("DELETE", "delete", item_path, item_params, spec["delete"], {})
    for action in spec.get("actions", []):
        sub = action["path"]
        sub_params = tuple((p, _sub_resource(p, res)) for p in re.findall(r"\{([^}]+)\}", sub))
        add(action["method"], "action", item_path + sub, (*item_params, *sub_params), action, {})
    return out


def _sub_resource(param: str, res: Resource) -> str | None:
    """What a parameter below an item path refers to: a version of a versioned record, an MCP server."""
    if param == "versionId" and res.versioned:
        return f"{res.name}#version"
    if param == "mcp_server_id":
        return "mcp_server"
    return None


def _fixed_endpoint(spec: dict[str, Any], paging: dict[str, tuple[str, ...]], bases: dict[str, str]) -> Endpoint:
    body_fields = spec.get("body")
    params = tuple((p, None) for p in re.findall(r"\{([^}]+)\}", spec["path"]))
    query = tuple(spec.get("query", ())) + paging.get(spec.get("paging", ""), ()) + tuple(spec.get("extra_query", ()))
    return Endpoint(
        method=spec["method"], prefix=bases[spec.get("base", "v1")], template=spec["path"], query=query,
        body=body_schema(body_fields) if body_fields else None,
        body_required=bool(body_fields and any(k.startswith("!") for k in body_fields)),
        resource=None, action="fixed", reply=spec["reply"], param_resources=params,
        response_schema=reply_schema(spec["reply"], None, None),
    )


_LIST = {"type": "object", "properties": {"object": {"type": "string"}, "total": {"type": "integer"},
                                          "data": {"type": "array"}}, "required": ["total", "data"]}
_NAMED_REPLIES: dict[str, dict[str, Any]] = {
    "graph": {"type": "object", "required": ["object", "summary", "data_points"],
              "properties": {"object": {"enum": ["analytics-graph"]}, "summary": {"type": "object"},
                             "data_points": {"type": "array"}}},
    "group": {"type": "object", "required": ["object", "total", "data"],
              "properties": {"object": {"enum": ["list"]}, "total": {"type": "integer"},
                             "data": {"type": "array"}}},
    "versions": _LIST,
    "log": {"type": "object", "required": ["_id", "request", "response", "organisation_id", "created_at"]},
}


def reply_schema(reply: Any, res: Resource | None, record: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON Schema a reply template promises; the mock's tests hold every answer to it."""
    if reply == "record" or reply == "version":
        return record or {"type": "object"}
    if reply == "list":
        assert record is not None and res is not None
        items = {"type": "array", "items": record}
        if res.list_shape == "mappings":
            return {"type": "object", "properties": {"mappings": items, "total_count": {"type": "integer"}},
                    "required": ["mappings", "total_count"]}
        schema = {"type": "object", "properties": {"object": {"enum": ["list"]}, "total": {"type": "integer"},
                                                   "data": items}, "required": ["object", "total", "data"]}
        if res.list_shape == "has_more":
            schema["properties"]["has_more"] = {"type": "boolean"}
        return schema
    if isinstance(reply, dict) and set(reply) == {"graph"}:
        return {**_NAMED_REPLIES["graph"], "properties": {**_NAMED_REPLIES["graph"]["properties"],
                                                          "summary": _template_schema(reply["graph"])}}
    if isinstance(reply, str) and reply in _NAMED_REPLIES:
        return _NAMED_REPLIES[reply]
    return _template_schema(reply)


def _template_schema(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: _template_schema(v) for k, v in value.items()},
                "required": sorted(value)}
    if isinstance(value, list):
        return {"type": "array", "items": _template_schema(value[0]) if value else {}}
    if isinstance(value, str) and value in RECORD_TOKENS:
        return {"type": "string"}
    if is_type_expr(value):
        return type_schema(value)
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int | float):
        return {"type": "number"}
    return {"type": "string"}
