"""Pinning tool definitions: `toolgrade lock` writes them, `toolgrade lint --locked` compares.

A rug pull is a trusted definition changed after it was approved. The lock file keeps, per tool,
the input hash (sha256 of the canonical JSON of its definition) and the definition itself, so a
later run can say exactly what was added, removed or changed, with a readable diff.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolgrade.jsondoc import read_document, write_document
from toolgrade.model import Catalog
from toolgrade.signals import input_hash

LOCK_VERSION = 1
DEFAULT_LOCK = "toolgrade.lock"


@dataclass(frozen=True)
class Change:
    tool: str
    kind: str  # added | removed | changed
    diff: str = ""


def lock_document(catalog: Catalog) -> dict[str, Any]:
    from toolgrade import __version__

    tools = {}
    for tool in catalog.tools:
        tools[tool.name] = {"input_hash": input_hash(tool), "definition": dict(tool.definition)}
    return {"toolgrade": __version__, "lock_version": LOCK_VERSION, "target": catalog.target,
            "server": {"name": catalog.server.name, "version": catalog.server.version}, "tools": tools}


def write_lock(catalog: Catalog, path: Path) -> None:
    write_document(lock_document(catalog), path)


def read_lock(path: Path) -> dict[str, Any]:
    return read_document(path, "lock file", "lock_version", LOCK_VERSION, "toolgrade lock")


def compare(catalog: Catalog, locked: dict[str, Any]) -> list[Change]:
    """What changed since the lock: added, removed and changed tools, in a stable order."""
    now = lock_document(catalog)["tools"]
    before = locked["tools"]
    changes = [Change(name, "added", _diff(None, now[name]["definition"], name))
               for name in sorted(set(now) - set(before))]
    changes += [Change(name, "removed") for name in sorted(set(before) - set(now))]
    for name in sorted(set(now) & set(before)):
        if now[name]["input_hash"] != before[name].get("input_hash"):
            changes.append(Change(name, "changed", _diff(before[name].get("definition", {}), now[name]["definition"], name)))
    return changes


def _diff(before: Any, after: Any, name: str) -> str:
    """A unified diff of two definitions (before None: the whole new definition as added lines)."""
    old = [] if before is None else json.dumps(before, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    new = json.dumps(after, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    return "\n".join(difflib.unified_diff(old, new, f"locked/{name}", f"now/{name}", lineterm="", n=2))
