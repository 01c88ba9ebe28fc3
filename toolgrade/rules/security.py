"""Security rules (TG901-TG910): tool text is something an agent obeys, so it is attack surface.

Every text field of a tool is read (description, title, parameter descriptions and titles,
string defaults, examples, enum values), matched against the patterns in
`rubrics/security.yaml`, and never evaluated. Precision matters as much as recall: each
pattern needs a directive or an address to fire, not a single word, and the benign real
catalogs in the tests must stay free of error-severity findings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolgrade.findings import Finding
from toolgrade.model import Catalog, Tool
from toolgrade.resources import data_dir, load_yaml
from toolgrade.rules import finding

#: Latin look-alikes in other scripts (Cyrillic, Greek) that make a name read as another.
_CONFUSABLE = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})


@dataclass(frozen=True)
class Patterns:
    hidden: tuple[re.Pattern[str], ...]
    invisible: re.Pattern[str]
    padding: re.Pattern[str]
    other_tools: re.Pattern[str]
    directive: re.Pattern[str]
    send: re.Pattern[str]
    sensitive: re.Pattern[str]
    sensitive_directive: re.Pattern[str]
    secrets: tuple[tuple[str, re.Pattern[str]], ...]
    coercive: re.Pattern[str]
    promotional: re.Pattern[str]
    execute_names: re.Pattern[str]
    execute_params: re.Pattern[str]
    delete_names: re.Pattern[str]
    warnings: re.Pattern[str]


def _compile(spec: Any) -> re.Pattern[str]:
    if isinstance(spec, dict):
        return re.compile(spec["pattern"], 0 if spec.get("case") else re.IGNORECASE)
    return re.compile(spec, re.IGNORECASE)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    raw = load_yaml((data_dir("rubrics") / "security.yaml").read_text(encoding="utf-8"))
    hidden = raw["hidden_instructions"]
    return Patterns(
        hidden=tuple(_compile(v) for v in hidden.values()),
        invisible=re.compile(raw["invisible"]["characters"]),
        padding=re.compile(raw["padding"]["run"]),
        other_tools=_compile(raw["shadowing"]["other_tools"]),
        directive=_compile(raw["shadowing"]["directive"]),
        send=_compile(raw["exfiltration"]["send"]),
        sensitive=re.compile(raw["sensitive"]["objects"], re.IGNORECASE),
        sensitive_directive=_compile(raw["sensitive"]["directives"]),
        secrets=tuple((kind, re.compile(p)) for kind, p in raw["secrets"].items()),
        coercive=_compile(raw["gaming"]["coercive"]),
        promotional=_compile(raw["gaming"]["promotional"]),
        execute_names=_compile(raw["capability"]["execute_names"]),
        execute_params=_compile(raw["capability"]["execute_params"]),
        delete_names=_compile(raw["capability"]["delete_names"]),
        warnings=_compile(raw["capability"]["warnings"]),
    )


def text_fields(tool: Tool) -> Iterator[tuple[str, str, str]]:
    """(JSON pointer, human label, text) for every string an agent may read."""
    yield "/description", "the description", tool.description or ""
    title = tool.definition.get("title") or (tool.definition.get("annotations") or {}).get("title")
    if isinstance(title, str):
        yield "/title", "the title", title
    stack: list[tuple[str, str, Any]] = [("/inputSchema", "", tool.input_schema)]
    while stack:
        pointer, name, node = stack.pop()
        if isinstance(node, dict):
            for key in ("description", "title", "default", "const"):
                if isinstance(node.get(key), str):
                    yield f"{pointer}/{key}", f"the {key} of {name or 'the input'}", node[key]
            for key in ("examples", "enum"):
                for i, value in enumerate(node.get(key) or [] if isinstance(node.get(key), list) else []):
                    if isinstance(value, str):
                        yield f"{pointer}/{key}/{i}", f"an {key[:-1]} of {name or 'the input'}", value
            for prop, sub in (node.get("properties") or {}).items() if isinstance(node.get("properties"), dict) else []:
                stack.append((f"{pointer}/properties/{prop}", f"parameter {prop}", sub))
            for key in ("items", "additionalProperties"):
                if isinstance(node.get(key), dict):
                    stack.append((f"{pointer}/{key}", name, node[key]))
            for key in ("anyOf", "oneOf", "allOf"):
                for i, sub in enumerate(node.get(key) or []):
                    stack.append((f"{pointer}/{key}/{i}", name, sub))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _quote(text: str, match: re.Match[str], width: int = 100) -> str:
    """The matched words with a little context, cut at word boundaries ("..." where cut)."""
    start = text.rfind(" ", 0, max(0, match.start() - 15)) + 1
    end = text.find(" ", min(len(text), match.end() + 15))
    end = len(text) if end < 0 else end
    snippet = " ".join(text[start:end].split())
    if len(snippet) > width:
        snippet = snippet[:width].rsplit(" ", 1)[0]
    return repr(("..." if start > 0 else "") + snippet + ("..." if end < len(text) else ""))


def tool_findings(tool: Tool, others: list[str]) -> list[Finding]:
    """All security findings of one tool; `others` are the names of the other tools."""
    p = patterns()
    found: list[Finding] = []
    other_names = [n for n in others if n != tool.name and len(n) > 2]
    mention = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(other_names, key=len, reverse=True))
                         + r")(?![\w-])") if other_names else None
    for pointer, where, text in text_fields(tool):
        if not text:
            continue
        for rx in p.hidden:
            match = rx.search(text)
            if match:
                found.append(finding("TG901", tool.name, pointer, where=where, evidence=_quote(text, match)))
                break
        invisible = p.invisible.findall(text)
        if invisible:
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in invisible}))
            found.append(finding("TG902", tool.name, pointer, where=where, count=len(invisible), names=names))
        padded = p.padding.search(text)
        if padded:
            found.append(finding("TG903", tool.name, pointer, where=where, length=len(padded.group(0))))
        found += _shadowing(tool, pointer, where, text, mention)
        send = p.send.search(text)
        if send:
            found.append(finding("TG906", tool.name, pointer, where=where, destination=send.group(3)[:60],
                                 evidence=_quote(text, send)))
        found += _sensitive(tool, pointer, where, text)
        for kind, rx in p.secrets:
            match = rx.search(text)
            if match:
                secret = match.group(0)
                found.append(finding("TG908", tool.name, pointer, where=where, kind=kind,
                                     masked=f"{secret[:4]}…{len(secret)} chars"))
                break
        coercive = p.coercive.search(text)
        if coercive:
            found.append(_with_severity(finding("TG909", tool.name, pointer, where=where, kind="coerces the agent",
                                                evidence=_quote(text, coercive)), "error"))
        elif (promo := p.promotional.search(text)) is not None:
            found.append(finding("TG909", tool.name, pointer, where=where, kind="advertises itself",
                                 evidence=_quote(text, promo)))
    found += _name_findings(tool, others)
    capability = _undisclosed(tool)
    if capability:
        found.append(capability)
    return found


def _with_severity(item: Finding, severity: str) -> Finding:
    from dataclasses import replace

    return replace(item, severity=severity)


def _shadowing(tool: Tool, pointer: str, where: str, text: str, mention: re.Pattern[str] | None) -> list[Finding]:
    p = patterns()
    for sentence in _sentences(text):
        named = mention.search(sentence) if mention else None
        other = named.group(1) if named else None
        if other is None:
            general = p.other_tools.search(sentence)
            other = general.group(0) if general else None
        if other is None:
            continue
        directive = p.directive.search(sentence)
        if directive:
            return [finding("TG905", tool.name, pointer, where=where, other=other, evidence=_quote(sentence, directive))]
    return []


def _sensitive(tool: Tool, pointer: str, where: str, text: str) -> list[Finding]:
    p = patterns()
    for sentence in _sentences(text):
        match = p.sensitive.search(sentence)
        if not match:
            continue
        ordered = p.sensitive_directive.search(sentence)
        if ordered and ordered.start() < match.start():
            return [_with_severity(finding("TG907", tool.name, pointer, where=where, kind="tells the agent to handle",
                                           evidence=_quote(sentence, match)), "error")]
        return [finding("TG907", tool.name, pointer, where=where, kind="gives access to",
                        evidence=_quote(sentence, match))]
    return []


def _name_findings(tool: Tool, others: list[str]) -> list[Finding]:
    name = tool.name
    if name.isascii():
        return []
    folded = name.translate(_CONFUSABLE)
    scripts = sorted({unicodedata.name(c, "?").split()[0] for c in name if c.isalpha()})
    twin = next((o for o in others if o != name and o == folded), None)
    if twin:
        detail = f"the name reads as {twin!r}, another tool's name, but uses {', '.join(scripts)} letters"
    elif folded.isascii():
        detail = f"the name mixes scripts ({', '.join(scripts)}); it reads as {folded!r}"
    else:
        detail = f"the name uses non-ASCII letters ({', '.join(scripts)})"
    return [finding("TG904", name, "/name", detail=detail)]


def _undisclosed(tool: Tool) -> Finding | None:
    p = patterns()
    notes = tool.definition.get("annotations") or {}
    if notes.get("destructiveHint") is True or p.warnings.search(tool.description or ""):
        return None
    lowered = tool.name.lower()
    params = list((tool.input_schema.get("properties") or {}) if isinstance(tool.input_schema, dict) else {})
    if p.execute_names.search(lowered):
        return finding("TG910", tool.name, "/annotations", capability="it runs commands or code",
                       evidence=f"name {tool.name!r}")
    command_param = next((q for q in params if p.execute_params.match(q)), None)
    if command_param and notes.get("readOnlyHint") is not True:
        return finding("TG910", tool.name, "/annotations", capability="it runs commands or code",
                       evidence=f"parameter {command_param!r}")
    if p.delete_names.search(lowered) and notes.get("readOnlyHint") is not True:
        return finding("TG910", tool.name, "/annotations", capability="it deletes", evidence=f"name {tool.name!r}")
    return None


def catalog_findings(catalog: Catalog) -> dict[str, list[Finding]]:
    """Security findings per tool name, for a whole catalog (shadowing needs the siblings)."""
    names = catalog.names()
    return {tool.name: tool_findings(tool, names) for tool in catalog.tools}
