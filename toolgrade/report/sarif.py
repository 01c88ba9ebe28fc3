"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).

One rule per finding code (TG...) and per contract check (CT...), with the rule's summary, why
and example as help. One result per finding and per failing contract check. Each result has a
stable fingerprint, sha256 of server + tool + code + JSON pointer, so code scanning follows a
finding across runs instead of opening a new alert each time, and a location: the file and line
that define the tool when a search of the repository finds it (`locate.py`), else the fallback
file (the settings file or the saved catalog). Findings silenced by a per-tool ignore are
included with an external suppression and its reason; with a baseline, each result says whether
it is new or unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from toolgrade import __version__
from toolgrade.report.documents import Results, failing_checks
from toolgrade.report.locate import Location, locate_tools

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/toolgrade/toolgrade"


def fingerprint(server: str, tool: str, code: str, pointer: str) -> str:
    return hashlib.sha256("\0".join((server, tool, code, pointer)).encode("utf-8")).hexdigest()


def _rules(codes: set[str]) -> list[dict[str, Any]]:
    from toolgrade.contract.result import check_catalog
    from toolgrade.rules import rules as registry

    catalogue = registry()
    checks = check_catalog()
    out = []
    for code in sorted(codes):
        if code in catalogue:
            rule = catalogue[code]
            help_text = f"{rule.summary}\n\n{rule.why}\n\nBad: {rule.bad}\nGood: {rule.good}"
            out.append({"id": code, "name": rule.name, "shortDescription": {"text": rule.summary},
                        "fullDescription": {"text": rule.why}, "help": {"text": help_text},
                        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "warning")},
                        "properties": {"category": rule.category, "tags": [rule.category, "mcp"],
                                       **({"dimension": rule.dimension} if rule.dimension else {})}})
        elif code in checks:
            check = checks[code]
            out.append({"id": code, "name": check["name"], "shortDescription": {"text": check["summary"]},
                        "fullDescription": {"text": check["summary"]}, "help": {"text": check["summary"]},
                        "defaultConfiguration": {"level": "error"},
                        "properties": {"category": "contract", "tags": ["contract", "mcp"]}})
        else:
            out.append({"id": code, "shortDescription": {"text": code}, "defaultConfiguration": {"level": "warning"}})
    return out


def _location(where: Location | None, tool: str, server: str) -> list[dict[str, Any]]:
    logical = [{"name": tool, "fullyQualifiedName": f"{server}/{tool}", "kind": "function"}]
    if where is None:
        return [{"logicalLocations": logical}]
    return [{"physicalLocation": {"artifactLocation": {"uri": where.path, "uriBaseId": "%SRCROOT%"},
                                  "region": {"startLine": where.line}},
             "logicalLocations": logical}]


def render_sarif(results: Results, root: Path | None = None, fallback: Location | None = None) -> str:
    """The SARIF log of a run. `root` is the repository to search for tool definitions."""
    lint = results.lint or {}
    server = results.server_name
    descriptions = {t["name"]: t.get("description") for t in lint.get("tools", [])}
    contract_tools = [tool["name"] for tool, _ in failing_checks(results.contract or {})]
    for name in contract_tools:
        descriptions.setdefault(name, None)
    found = locate_tools(root, descriptions) if root is not None else {}
    new_keys = {(r.get("subject"), r.get("code"), r.get("pointer")) for r in (results.baseline or {}).get("regressions", [])
                if r.get("gate") == "new-finding"}
    entries: list[tuple[str, str, str, str, str, dict[str, Any]]] = []  # code, level, tool, pointer, text, extra
    for tool in lint.get("tools", []):
        for finding in tool.get("findings", []):
            extra: dict[str, Any] = {}
            if results.baseline is not None:
                extra["baselineState"] = "new" if (tool["name"], finding["code"], finding["pointer"]) in new_keys else "unchanged"
            text = f"{finding['message']}. Fix: {finding['hint']}"
            entries.append((finding["code"], LEVEL.get(finding["severity"], "warning"), tool["name"], finding["pointer"],
                            text, extra))
    for finding in (lint.get("server") or {}).get("findings", []):
        entries.append((finding["code"], LEVEL.get(finding["severity"], "warning"), "", finding["pointer"],
                        f"{finding['message']}. Fix: {finding['hint']}", {}))
    for suppressed in results.gate.get("suppressed", []):
        entries.append((suppressed["code"], "note", suppressed["tool"], suppressed["pointer"],
                        f"ignored for {suppressed['tool']}: {suppressed['reason']}",
                        {"suppressions": [{"kind": "external", "justification": suppressed["reason"]}]}))
    for tool, check in failing_checks(results.contract or {}):
        entries.append((check["code"], "error", tool["name"], "", f"{check['name']}: {check['message']}", {}))
    codes = sorted({e[0] for e in entries})
    index = {code: i for i, code in enumerate(codes)}
    sarif_results = []
    for code, level, tool, pointer, text, extra in entries:
        where = found.get(tool) or fallback
        sarif_results.append({
            "ruleId": code, "ruleIndex": index[code], "level": level, "message": {"text": text or code},
            "locations": _location(where, tool or server, server),
            "partialFingerprints": {"toolgrade/v1": fingerprint(server, tool, code, pointer)},
            "properties": {"tool": tool, "pointer": pointer},
            **extra,
        })
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "toolgrade", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": _rules(set(codes))}},
        "automationDetails": {"id": f"toolgrade/{server}/"},
        "results": sarif_results,
    }
    if root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
