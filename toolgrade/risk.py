"""Risk classes per tool, and the policy a policy proxy in front of the server should apply.

Classes: read, write, destructive, execute, open_world. They come from the annotations, the
name, the description and the schema, and, when a contract run's JSON is given, from what the
tool was seen doing over HTTP, which outranks what it claims (a tool seen sending only GET is a
read, whatever its annotations say; one seen sending DELETE is destructive).

The policy (format: schemas/policy.schema.json): allow reads, rate-limit writes, require
approval for destructive and execute tools; each entry says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolgrade.model import Catalog, Tool
from toolgrade.rules.security import command_parameter, patterns

CLASSES = ("read", "write", "destructive", "execute", "open_world")
_READ_VERBS = re.compile(r"^(get|list|read|search|find|fetch|describe|show|view|query|count|lookup|check|validate|"
                         r"download|export|render|preview|inspect|stat|head|tail|diff|log|status)([_-]|$)", re.I)
_WRITE_VERBS = re.compile(r"(^|[_-])(create|add|update|set|put|post|write|edit|send|insert|upsert|register|invite|"
                          r"rotate|publish|start|cancel|move|rename|copy|upload|commit|push|merge|apply|reset|"
                          r"archive|enable|disable|replace|migrate|promote|resend|make|patch|save|store|append)([_-]|$)",
                          re.I)
DEFAULT_WINDOW = {"requests": 30, "per_seconds": 60}


@dataclass
class Risk:
    tool: str
    classes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def primary(self) -> str:
        for name in ("execute", "destructive", "write", "read"):
            if name in self.classes:
                return name
        return "read"

    def add(self, name: str, reason: str) -> None:
        if name not in self.classes:
            self.classes.append(name)
        self.reasons.append(reason)


def classify(tool: Tool, observed: dict[str, Any] | None = None) -> Risk:
    """The risk classes of one tool; `observed` is its entry of a contract report (optional)."""
    capability = patterns()["capability"]
    risk = Risk(tool.name)
    notes = tool.definition.get("annotations") or {}
    name = tool.name
    methods = set((observed or {}).get("methods", []))
    if notes.get("openWorldHint") is True:
        risk.add("open_world", "annotated openWorldHint")
    if capability["execute_names"].search(name.lower()) or command_parameter(tool):
        risk.add("execute", "its name or a parameter says it runs commands or code")
    if methods:
        if "DELETE" in methods:
            risk.add("destructive", "seen sending DELETE in the contract run")
        if methods & {"POST", "PUT", "PATCH"}:
            risk.add("write", f"seen sending {', '.join(sorted(methods & {'POST', 'PUT', 'PATCH'}))} in the contract run")
        if methods == {"GET"}:
            risk.add("read", "seen sending only GET in the contract run")
        return _finish(risk)
    if notes.get("destructiveHint") is True and notes.get("readOnlyHint") is not True:
        risk.add("destructive", "annotated destructiveHint")
    elif capability["delete_names"].search(name.lower()) and notes.get("readOnlyHint") is not True:
        risk.add("destructive", "its name says it deletes")
    if notes.get("readOnlyHint") is True:
        risk.add("read", "annotated readOnlyHint")
    elif _WRITE_VERBS.search(name) or notes.get("readOnlyHint") is False:
        risk.add("write", "its name is a write verb" if _WRITE_VERBS.search(name) else "annotated readOnlyHint: false")
    elif _READ_VERBS.search(name):
        risk.add("read", "its name is a read verb")
    else:
        risk.add("write", "nothing says it only reads (no readOnlyHint, no read verb)")
    return _finish(risk)


def _finish(risk: Risk) -> Risk:
    if "destructive" in risk.classes and "write" not in risk.classes:
        risk.classes.append("write")
    risk.classes.sort(key=CLASSES.index)
    return risk


def suggest_policy(catalog: Catalog, contract: dict[str, Any] | None = None,
                   window: dict[str, int] | None = None) -> dict[str, Any]:
    """A policy document for a policy proxy: one rule per tool with its action and reason."""
    seen = {t["name"]: t for t in (contract or {}).get("tools", [])}
    limit = dict(window or DEFAULT_WINDOW)
    rules = []
    for tool in catalog.tools:
        risk = classify(tool, seen.get(tool.name))
        primary = risk.primary
        rule: dict[str, Any] = {"tool": tool.name, "class": primary, "classes": risk.classes}
        if primary in ("destructive", "execute"):
            rule["action"] = "require_approval"
        elif primary == "write":
            rule["action"] = "rate_limit"
            rule["rate_limit"] = dict(limit)
        else:
            rule["action"] = "allow"
        rule["reason"] = "; ".join(dict.fromkeys(risk.reasons))
        rules.append(rule)
    counts = {a: sum(1 for r in rules if r["action"] == a) for a in ("allow", "rate_limit", "require_approval")}
    return {"version": 1, "server": catalog.server.name or catalog.target, "default_action": "require_approval",
            "defaults": {"rate_limit": limit}, "summary": counts, "tools": rules}
