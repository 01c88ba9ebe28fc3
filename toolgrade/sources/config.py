"""Targets from an `mcpServers` config file, the format desktop and IDE clients share.

    {"mcpServers": {"NAME": {"command": "npx", "args": [...], "env": {...}}}}
    {"mcpServers": {"NAME": {"url": "https://...", "headers": {...}, "type": "sse"}}}
"""

from __future__ import annotations

from typing import Any

from toolgrade.errors import TargetError
from toolgrade.sources.file import read_json
from toolgrade.sources.target import Target

_HTTP_TYPES = {"http", "streamable-http", "streamablehttp", "streamable_http"}


def target_from_config(path: str, server: str | None) -> Target:
    data = read_json(path, "an mcpServers config file")
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict) or not servers:
        raise TargetError(f"{path}: no 'mcpServers' object; expected {{\"mcpServers\": {{\"NAME\": {{...}}}}}}")
    if server is None:
        if len(servers) != 1:
            raise TargetError(f"{path} defines {len(servers)} servers ({', '.join(sorted(servers))}); pick one with --server NAME")
        server = next(iter(servers))
    entry = servers.get(server)
    if entry is None:
        raise TargetError(f"{path}: no server named {server!r}; it defines: {', '.join(sorted(servers))}")
    return _entry_to_target(entry, f"{path}#{server}", label=f"{server} ({path})")


def _string_map(value: Any, what: str, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise TargetError(f"{where}: '{what}' must be an object of string values")
    return dict(value)


def _entry_to_target(entry: Any, where: str, label: str) -> Target:
    if not isinstance(entry, dict):
        raise TargetError(f"{where}: the server entry must be an object")
    kind = str(entry.get("type") or entry.get("transport") or "").lower()
    if "url" in entry or kind in _HTTP_TYPES or kind == "sse":
        url = entry.get("url")
        if not isinstance(url, str) or not url:
            raise TargetError(f"{where}: an HTTP server entry needs a 'url' string")
        return Target.http(url, headers=_string_map(entry.get("headers"), "headers", where), sse=kind == "sse",
                           label=label)
    command = entry.get("command")
    if not isinstance(command, str) or not command:
        raise TargetError(f"{where}: the entry needs either 'command' (stdio) or 'url' (HTTP)")
    args = entry.get("args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise TargetError(f"{where}: 'args' must be a list of strings")
    cwd = entry.get("cwd")
    return Target.stdio(command, args, env=_string_map(entry.get("env"), "env", where),
                        cwd=cwd if isinstance(cwd, str) else None, label=label)
