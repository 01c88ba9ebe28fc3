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
from dataclasses import replace
from functools import lru_cache
from typing import Any

from toolgrade.findings import Finding
from toolgrade.model import Catalog, Tool
from toolgrade.resources import data_dir, load_yaml
from toolgrade.rules import finding
from toolgrade.signals import params_of

#: Latin look-alikes in other scripts (Cyrillic, Greek) that make a name read as another.
_CONFUSABLE = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})


Patterns = dict[str, dict[str, re.Pattern[str]]]


def _compile(spec: Any) -> re.Pattern[str]:
    if isinstance(spec, dict):
        return re.compile(spec["pattern"], 0 if spec.get("case") else re.IGNORECASE)
    return re.compile(spec, re.IGNORECASE)


@lru_cache(maxsize=1)
def _security_yaml() -> dict[str, Any]:
    return load_yaml((data_dir("rubrics") / "security.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """`rubrics/security.yaml` compiled: section -> name -> pattern."""
    return {section: {name: _compile(spec) for name, spec in entries.items()}
            for section, entries in _security_yaml().items() if section != "triggers"}


@lru_cache(maxsize=1)
def _triggers() -> dict[str, tuple[str, ...]]:
    return {key: tuple(words) for key, words in _security_yaml().get("triggers", {}).items()}


def _search(key: str, text: str, lowered: str) -> re.Match[str] | None:
    """`section.name` pattern on `text`, unless none of its trigger strings is in the text."""
    words = _triggers().get(key)
    if words is not None and not any(word in lowered for word in words):
        return None
    section, name = key.split(".", 1)
    return patterns()[section][name].search(text)


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
                values = node.get(key) if isinstance(node.get(key), list) else []
                for i, value in enumerate(values):
                    if isinstance(value, str):
                        yield f"{pointer}/{key}/{i}", f"an {key[:-1]} of {name or 'the input'}", value
            properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
            for prop, sub in properties.items():
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


_WORD = re.compile(r"[\w-]+")


class NameIndex:
    """The tool names of a catalog, to find which of them a sentence mentions: a set lookup per
    word, so a catalog of thousands of tools costs no more per sentence than one of ten."""

    def __init__(self, names: list[str]) -> None:
        usable = [n for n in names if len(n) > 2]
        self.words = {n for n in usable if _WORD.fullmatch(n)}
        self.other = [n for n in usable if n not in self.words]  # names with dots, spaces...

    def mentioned(self, sentence: str, besides: str) -> str | None:
        """The first tool name in `sentence` other than `besides`, or None."""
        for word in _WORD.findall(sentence):
            if word != besides and word in self.words:
                return word
        return next((n for n in self.other if n != besides and n in sentence), None)


class CatalogScan:
    """What the rules remember while scanning one catalog: the index of its tool names, and the
    name-independent results per distinct text (servers repeat parameter descriptions:
    portkey-admin-mcp has 1,046 distinct texts in 2,150). Per catalog, so nothing is shared
    between runs."""

    def __init__(self, names: list[str]) -> None:
        self.index = NameIndex(names)
        self.scans: dict[str, tuple[Hit, ...]] = {}
        self.orders: dict[str, tuple[tuple[str, str], ...]] = {}

    def scan(self, text: str) -> tuple[Hit, ...]:
        if text not in self.scans:
            self.scans[text] = _scan(text)
        return self.scans[text]

    def ordering_sentences(self, text: str) -> tuple[tuple[str, str], ...]:
        if text not in self.orders:
            self.orders[text] = _ordering_sentences(text)
        return self.orders[text]


def tool_findings(tool: Tool, others: list[str], scan: CatalogScan | None = None) -> list[Finding]:
    """All security findings of one tool; `others` are the catalog's tool names (`scan` the
    catalog's CatalogScan, when the caller scans a whole catalog)."""
    p = patterns()
    scan = scan or CatalogScan(others)
    found: list[Finding] = []
    for pointer, where, text in text_fields(tool):
        if not text:
            continue
        found += _text_findings(tool.name, pointer, where, text, scan, p)
    found += _name_findings(tool, others)
    capability = _undisclosed(tool)
    if capability:
        found.append(capability)
    return found


@lru_cache(maxsize=1)
def _any_secret() -> re.Pattern[str]:
    """The secret patterns as one alternation (one scan of the text instead of seven); the
    group that matched names the kind. All of them are case-sensitive."""
    return re.compile("|".join(f"(?P<s{i}>{rx.pattern})" for i, rx in enumerate(patterns()["secrets"].values())))


#: A hit of a rule in one text, independent of which tool the text belongs to:
#: (code, severity override or None, template values).
Hit = tuple[str, str | None, tuple[tuple[str, Any], ...]]


def _text_findings(name: str, pointer: str, where: str, text: str, scan: CatalogScan, p: Patterns) -> list[Finding]:
    found = []
    for code, severity, values in scan.scan(text):
        item = finding(code, name, pointer, where=where, **dict(values))
        found.append(replace(item, severity=severity) if severity else item)
    return found + _shadowing(name, pointer, where, text, scan, p)


def _scan(text: str) -> tuple[Hit, ...]:
    """Every rule that does not depend on the tool's siblings (run once per distinct text)."""
    p = patterns()
    lowered = text.lower()
    hits: list[Hit] = []
    for key in p["hidden_instructions"]:
        match = _search(f"hidden_instructions.{key}", text, lowered)
        if match:
            hits.append(("TG901", None, (("evidence", _quote(text, match)),)))
            break
    invisible = p["invisible"]["characters"].findall(text)
    if invisible:
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in invisible}))
        hits.append(("TG902", None, (("count", len(invisible)), ("names", codes))))
    padded = _search("padding.run", text, lowered)
    if padded:
        hits.append(("TG903", None, (("length", len(padded.group(0))),)))
    send = _search("exfiltration.send", text, lowered)
    if send:
        hits.append(("TG906", None, (("destination", send.group(3)[:60]), ("evidence", _quote(text, send)))))
    hits += _sensitive(text, lowered, p)
    secret = _any_secret().search(text)
    if secret:
        kind = list(p["secrets"])[int(secret.lastgroup[1:])]
        hits.append(("TG908", None, (("kind", kind), ("masked", f"{secret.group(0)[:4]}…{len(secret.group(0))} chars"))))
    coercive = _search("gaming.coercive", text, lowered)
    if coercive:
        hits.append(("TG909", "error", (("kind", "coerces the agent"), ("evidence", _quote(text, coercive)))))
    elif (promo := _search("gaming.promotional", text, lowered)) is not None:
        hits.append(("TG909", None, (("kind", "advertises itself"), ("evidence", _quote(text, promo)))))
    return tuple(hits)


def _shadowing(name: str, pointer: str, where: str, text: str, scan: CatalogScan, p: Patterns) -> list[Finding]:
    for sentence, directive in scan.ordering_sentences(text):
        other = scan.index.mentioned(sentence, besides=name)
        if other is None:
            general = p["shadowing"]["other_tools"].search(sentence)
            other = general.group(0) if general else None
        if other is not None:
            return [finding("TG905", name, pointer, where=where, other=other, evidence=directive)]
    return []


def _ordering_sentences(text: str) -> tuple[tuple[str, str], ...]:
    """The sentences of a text that give an order (with the quoted order); which tool they
    speak about depends on the catalog, so that part is left to `_shadowing`."""
    directive = patterns()["shadowing"]["directive"]
    if not _search("shadowing.directive", text, text.lower()):
        return ()
    return tuple((sentence, _quote(sentence, match)) for sentence in _sentences(text)
                 if (match := directive.search(sentence)) is not None)


def _sensitive(text: str, lowered: str, p: Patterns) -> list[Hit]:
    if not _search("sensitive.objects", text, lowered):
        return []
    for sentence in _sentences(text):
        match = p["sensitive"]["objects"].search(sentence)
        if not match:
            continue
        ordered = p["sensitive"]["directives"].search(sentence)
        if ordered and ordered.start() < match.start():
            return [("TG907", "error", (("kind", "tells the agent to handle"), ("evidence", _quote(sentence, match))))]
        return [("TG907", None, (("kind", "gives access to"), ("evidence", _quote(sentence, match))))]
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
    capability = patterns()["capability"]
    notes = tool.definition.get("annotations") or {}
    if notes.get("destructiveHint") is True:
        return None
    lowered = tool.name.lower()
    may_write = notes.get("readOnlyHint") is not True
    command_param = command_parameter(tool) if may_write else None
    if capability["execute_names"].search(lowered):
        what, evidence = "it runs commands or code", f"name {tool.name!r}"
    elif command_param:
        what, evidence = "it runs commands or code", f"parameter {command_param!r}"
    elif may_write and capability["delete_names"].search(lowered):
        what, evidence = "it deletes", f"name {tool.name!r}"
    else:
        return None
    if capability["warnings"].search(tool.description or ""):  # said in words: disclosed
        return None
    return finding("TG910", tool.name, "/annotations", capability=what, evidence=evidence)


def command_parameter(tool: Tool) -> str | None:
    """The parameter that carries a command or code to run (`command`, `script`, ...), if any."""
    execute = patterns()["capability"]["execute_params"]
    return next((p.name for p in params_of(tool) if execute.match(p.name)), None)


def catalog_findings(catalog: Catalog) -> dict[str, list[Finding]]:
    """Security findings per tool name, for a whole catalog (shadowing needs the siblings)."""
    names = catalog.names()
    scan = CatalogScan(names)
    return {tool.name: tool_findings(tool, names, scan) for tool in catalog.tools}
