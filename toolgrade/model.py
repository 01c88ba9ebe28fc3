"""The catalog: what a server's `tools/list` says, as frozen values.

Every source (stdio, HTTP, SSE, a saved file, a client config) ends by calling
`catalog_from_tools_json`, so a tool read from a live server and the same tool read from a
saved file are the same value. The checks here are the ones without which a definition
cannot be graded at all (no name, a schema that is not an object, an unresolvable `$ref`
loop, an absurdly large description); everything that is merely poor is left to scoring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toolgrade.errors import TargetError

#: A description longer than this is refused: no real tool needs it, and it is the
#: shape of a padding attack or a broken generator. The limit keeps scoring linear.
MAX_DESCRIPTION_CHARS = 100_000

#: The fields of a tool definition that belong to the tool itself (and so enter its hash).
TOOL_FIELDS = ("name", "title", "description", "inputSchema", "outputSchema", "annotations")


@dataclass(frozen=True)
class ServerInfo:
    """Who answered: from the initialize result, or from a saved file's `serverInfo`."""

    name: str = ""
    version: str = ""
    title: str | None = None
    instructions: str | None = None
    protocol_version: str | None = None


@dataclass(frozen=True, eq=False)
class Tool:
    """One tool definition as listed by the server.

    `definition` keeps the tool's own fields exactly as received (JSON values), because
    the input hash, the JSON pointers of findings and later drift checks all refer to it.
    """

    name: str
    description: str | None
    title: str | None
    input_schema: Mapping[str, Any]
    output_schema: Mapping[str, Any] | None
    annotations: Mapping[str, Any] | None
    definition: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, eq=False)
class Catalog:
    """Every tool of one server, in the order the server listed them."""

    target: str
    server: ServerInfo
    tools: tuple[Tool, ...]

    def names(self) -> list[str]:
        return [tool.name for tool in self.tools]


def _label(obj: Any, index: int) -> str:
    if isinstance(obj, Mapping) and isinstance(obj.get("name"), str) and obj["name"].strip():
        return f"tool {obj['name']!r}"
    return f"tool #{index + 1}"


def parse_tool(obj: Any, index: int = 0) -> Tool:
    """Build a Tool from one entry of `tools/list`, or raise TargetError saying what is wrong."""
    label = _label(obj, index)
    if not isinstance(obj, Mapping):
        raise TargetError(f"{label} is a JSON {type(obj).__name__}, not an object; each tool must be an object")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise TargetError(f"{label} has no name; every tool needs a non-empty string 'name'")
    description = obj.get("description")
    if description is not None and not isinstance(description, str):
        raise TargetError(f"{label}: 'description' must be a string, not {type(description).__name__}")
    if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
        raise TargetError(
            f"{label}: description is {len(description):,} characters, over the limit of "
            f"{MAX_DESCRIPTION_CHARS:,}; shorten it (agents read every character of it on every turn)"
        )
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise TargetError(f"{label}: 'title' must be a string, not {type(title).__name__}")
    input_schema = obj.get("inputSchema")
    if not isinstance(input_schema, Mapping):
        got = "missing" if input_schema is None else f"a JSON {type(input_schema).__name__}"
        raise TargetError(f"{label}: inputSchema is {got}; it must be a JSON Schema object such as {{\"type\": \"object\"}}")
    check_ref_cycles(input_schema, f"{label}: inputSchema")
    output_schema = obj.get("outputSchema")
    if output_schema is not None:
        if not isinstance(output_schema, Mapping):
            raise TargetError(f"{label}: outputSchema must be a JSON Schema object, not {type(output_schema).__name__}")
        check_ref_cycles(output_schema, f"{label}: outputSchema")
    annotations = obj.get("annotations")
    if annotations is not None and not isinstance(annotations, Mapping):
        raise TargetError(f"{label}: annotations must be an object, not {type(annotations).__name__}")
    definition = {key: obj[key] for key in TOOL_FIELDS if key in obj}
    return Tool(
        name=name,
        description=description,
        title=title,
        input_schema=input_schema,
        output_schema=output_schema,
        annotations=annotations,
        definition=definition,
    )


def pointer_token(key: Any) -> str:
    """One JSON Pointer reference token (RFC 6901): '~' -> '~0', '/' -> '~1'."""
    return str(key).replace("~", "~0").replace("/", "~1")


def resolve_local_ref(root: Mapping[str, Any], ref: str) -> Any:
    """Resolve a same-document `$ref` ('#/$defs/x'); None for remote or broken refs."""
    if not ref.startswith("#"):
        return None
    node: Any = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def check_ref_cycles(schema: Mapping[str, Any], label: str) -> None:
    """Refuse a schema whose `$ref`s point at each other without any structure in between.

    A recursive schema (a tree whose children are trees) is fine and is walked with a
    visited set; what cannot be graded, or validated by any client, is a chain
    `a -> b -> a` of pure references that never reaches a real schema.
    """

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                chain = [ref]
                target = resolve_local_ref(schema, ref)
                while isinstance(target, dict) and isinstance(target.get("$ref"), str) and len(target) == 1:
                    nxt = target["$ref"]
                    if nxt in chain:
                        loop = " -> ".join([*chain, nxt])
                        raise TargetError(f"{label} has a $ref cycle ({loop}); point one of them at a real schema")
                    chain.append(nxt)
                    target = resolve_local_ref(schema, nxt)
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, dict | list):
                    walk(value)

    if "$ref" in canonical_json(schema):  # most schemas have no $ref at all: skip the walk
        walk(schema)


def catalog_from_tools_json(tools: Any, target: str, server: ServerInfo | None = None) -> Catalog:
    """Build a Catalog from the `tools` array of one or more `tools/list` pages."""
    if not isinstance(tools, list):
        raise TargetError(f"{target}: 'tools' must be a JSON array, not {type(tools).__name__}")
    parsed = tuple(parse_tool(obj, i) for i, obj in enumerate(tools))
    return Catalog(target=target, server=server or ServerInfo(), tools=parsed)


def canonical_json(value: Any) -> str:
    """The canonical JSON used for hashing: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
