"""What the user asked to grade, before anything is connected.

A Target is plain data: the CLI, the pytest plugin and config files all build one, and
`toolgrade.sources.load_catalog` turns it into a Catalog. Secrets (environment values and
header values) stay inside the Target; `display()` is what may be printed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

TransportKind = Literal["stdio", "http", "sse", "file"]

MASK = "***"


@dataclass(frozen=True)
class Target:
    kind: TransportKind
    command: str | None = None
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None
    label: str | None = None

    @classmethod
    def stdio(cls, command: str, args: tuple[str, ...] | list[str] = (), env: Mapping[str, str] | None = None,
              cwd: str | None = None, label: str | None = None) -> Target:
        return cls(kind="stdio", command=command, args=tuple(args), env=dict(env or {}), cwd=cwd, label=label)

    @classmethod
    def http(cls, url: str, headers: Mapping[str, str] | None = None, sse: bool = False,
             label: str | None = None) -> Target:
        return cls(kind="sse" if sse else "http", url=url, headers=dict(headers or {}), label=label)

    @classmethod
    def file(cls, path: str) -> Target:
        return cls(kind="file", path=path)

    @classmethod
    def guess(cls, argv: list[str] | tuple[str, ...], base: str | None = None,
              env: Mapping[str, str] | None = None) -> Target:
        """What a bare target means: one URL is a server over HTTP, one existing `.json` file a
        saved tools/list, anything else a command. `base` (default: the working directory) is
        where a relative file is looked for and where the command runs."""
        if len(argv) == 1 and argv[0].startswith(("http://", "https://")):
            return cls.http(argv[0])
        if len(argv) == 1 and argv[0].lower().endswith(".json"):
            candidate = Path(base or ".") / argv[0]
            if candidate.is_file():
                return cls.file(str(candidate) if base else argv[0])
        return cls.stdio(argv[0], list(argv[1:]), env=env, cwd=base)

    def display(self) -> str:
        """A printable name for the target; never contains env or header values."""
        if self.label:
            return self.label
        if self.kind == "stdio":
            return " ".join([self.command or "", *self.args]).strip()
        if self.kind in ("http", "sse"):
            return _strip_userinfo(self.url or "")
        return self.path or ""

    def secrets(self) -> list[str]:
        """Values that must never appear in output: env values and header values."""
        values = [*self.env.values(), *self.headers.values()]
        # A header like "Bearer abc" leaks "abc" too: mask its last word on its own.
        values += [v.split()[-1] for v in self.headers.values() if len(v.split()) > 1]
        # Flags and numbers (true, 8080) carry no secret, and masking them would break JSON output.
        return [v for v in values if len(v) >= 4 and not _plain_literal(v)]


def _strip_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = MASK + "@" + authority.rsplit("@", 1)[1]
    return f"{scheme}://{authority}{slash}{tail}"


def mask_secrets(text: str, secrets: list[str]) -> str:
    """Replace every secret value in text by ***, longest first so overlaps mask fully."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def mask_json(data: Any, secrets: list[str]) -> Any:
    """JSON-ready data with every secret value replaced by *** inside its strings (keys too)."""
    if not secrets:
        return data
    if isinstance(data, str):
        return mask_secrets(data, secrets)
    if isinstance(data, dict):
        return {mask_json(k, secrets): mask_json(v, secrets) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [mask_json(v, secrets) for v in data]
    return data


def _plain_literal(value: str) -> bool:
    try:
        json.loads(value)
    except ValueError:
        return False
    return value.strip().lower() in ("true", "false", "null") or value.strip().lstrip("-").replace(".", "", 1).isdigit()
