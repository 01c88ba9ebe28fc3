"""Server coherence: can an agent tell the tools apart, guess their names, and finish a job?

Four sub-scores, 1-5, equal weight (DESIGN 3.4): disambiguation, naming consistency, tool
count, lifecycle completeness. Disambiguation compares every pair of descriptions, so it
uses prefix filtering (a set-similarity join): two token sets with Jaccard >= t must share
one of their rarest tokens, which keeps a 100,000-tool catalog near-linear.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from toolgrade.findings import Finding
from toolgrade.model import Tool, pointer_token
from toolgrade.rubric import Rubric
from toolgrade.rules import finding
from toolgrade.scoring.context_tokens import name_tokens
from toolgrade.scoring.grade import Coherence
from toolgrade.scoring.text import lemma

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the of to for in on at by with and or from into is are be this that it its as use".split())
_CANDIDATE_CAP = 16
_MAX_FINDINGS = 25

_LIFECYCLE = {
    "create": "create", "add": "create", "invite": "create", "insert": "create", "register": "create",
    "get": "get", "read": "get", "fetch": "get", "retrieve": "get", "describe": "get", "show": "get", "view": "get",
    "list": "list", "search": "list", "find": "list", "query": "list",
    "update": "update", "edit": "update", "modify": "update", "patch": "update", "set": "update", "rename": "update",
    "delete": "delete", "remove": "delete", "destroy": "delete", "drop": "delete", "purge": "delete",
}


@dataclass(frozen=True)
class CoherenceResult:
    coherence: Coherence
    server_findings: tuple[Finding, ...]
    tool_findings: dict[str, list[Finding]]


def _band(value: float, bands: list[tuple[float, int]]) -> int:
    for minimum, score in bands:
        if value >= minimum:
            return score
    return bands[-1][1]


def confusable_pairs(tools: list[Tool], threshold: float, max_pairs: int = 1000) -> tuple[list[tuple[str, str, float]], set[str]]:
    """Pairs of tools whose description token sets have Jaccard similarity >= threshold.

    Returns up to `max_pairs` pairs and the set of every tool involved in at least one.
    Identical token sets are grouped first; near-duplicates are found by prefix filtering,
    comparing each tool with at most _CANDIDATE_CAP earlier tools that share a rare token.
    """
    sets: list[tuple[str, frozenset[str]]] = []
    for tool in tools:
        tokens = frozenset(t for t in _TOKEN.findall((tool.description or "").lower()) if t not in _STOP)
        if tokens:
            sets.append((tool.name, tokens))
    pairs: list[tuple[str, str, float]] = []
    involved: set[str] = set()
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for name, tokens in sets:
        groups[tokens].append(name)
    for names in groups.values():
        if len(names) > 1:
            involved.update(names)
            pairs.extend((names[0], other, 1.0) for other in names[1:] if len(pairs) < max_pairs)
    unique = [(names[0], tokens) for tokens, names in groups.items()]
    frequency = Counter(token for _, tokens in unique for token in tokens)
    index: dict[str, list[int]] = defaultdict(list)
    for i, (name, tokens) in enumerate(unique):
        ordered = sorted(tokens, key=lambda tok: (frequency[tok], tok))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        seen: set[int] = set()
        for token in prefix:
            bucket = index[token]
            for j in bucket[-_CANDIDATE_CAP:]:
                if j in seen or len(seen) >= _CANDIDATE_CAP:
                    continue
                seen.add(j)
                other_name, other = unique[j]
                # Jaccard >= t needs the sizes within a factor t of each other.
                if min(len(tokens), len(other)) < threshold * max(len(tokens), len(other)):
                    continue
                similarity = len(tokens & other) / len(tokens | other)
                if similarity >= threshold:
                    involved.update((other_name, name))
                    if len(pairs) < max_pairs:
                        pairs.append((other_name, name, round(similarity, 2)))
            bucket.append(i)
    return pairs, involved


def naming_style(name: str) -> str:
    if re.fullmatch(r"[a-z][a-z0-9]*", name):
        return "neutral"
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", name):
        return "snake_case"
    if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", name):
        return "kebab-case"
    if re.fullmatch(r"[a-z][a-z0-9]*([A-Z][a-z0-9]*)+", name):
        return "camelCase"
    if re.fullmatch(r"([A-Z][a-z0-9]*)+", name):
        return "PascalCase"
    if re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", name):
        return "dotted.case"
    return "mixed"


def _restyle(name: str, convention: str) -> str:
    tokens = name_tokens(name)
    if convention == "kebab-case":
        return "-".join(tokens)
    if convention == "camelCase":
        return tokens[0] + "".join(t.title() for t in tokens[1:]) if tokens else name
    if convention == "PascalCase":
        return "".join(t.title() for t in tokens)
    if convention == "dotted.case":
        return ".".join(tokens)
    return "_".join(tokens)


def _lifecycle(names: list[str], verbs: frozenset[str]) -> dict[str, set[str]]:
    resources: dict[str, set[str]] = defaultdict(set)
    for name in names:
        tokens = name_tokens(name)
        if len(tokens) < 2:
            continue
        if lemma(tokens[0]) in _LIFECYCLE:
            op, rest = _LIFECYCLE[lemma(tokens[0])], tokens[1:]
        elif lemma(tokens[-1]) in _LIFECYCLE and lemma(tokens[0]) not in verbs:
            op, rest = _LIFECYCLE[lemma(tokens[-1])], tokens[:-1]
        else:
            continue
        rest = [t for t in rest if t not in ("all", "one", "by", "id", "a", "the", "new")]
        if rest:
            resource = "_".join(rest[:-1] + [rest[-1].rstrip("s") if len(rest[-1]) > 3 else rest[-1]])
            resources[resource].add(op)
    return resources


def score_coherence(tools: list[Tool], rubric: Rubric) -> CoherenceResult:
    cfg = rubric.server
    tool_findings: dict[str, list[Finding]] = defaultdict(list)
    server_findings: list[Finding] = []
    evidence: dict[str, str] = {}
    n = len(tools)

    pairs, involved = confusable_pairs(tools, cfg["confusable_similarity"]) if n > 1 else ([], set())
    share = len(involved) / n if n else 0.0
    disambiguation = 5 if share == 0 else 4 if share <= 0.05 else 3 if share <= 0.15 else 2 if share <= 0.30 else 1
    evidence["disambiguation"] = f"{len(pairs)} confusable pair(s) involving {len(involved)} of {n} tools"
    for a, b, similarity in pairs[:_MAX_FINDINGS]:
        tool_findings[a].append(finding("TG801", a, "/description", other=repr(b), similarity=similarity))
        tool_findings[b].append(finding("TG801", b, "/description", other=repr(a), similarity=similarity))

    styles = {tool.name: naming_style(tool.name) for tool in tools}
    counted = Counter(style for style in styles.values() if style != "neutral")
    if counted:
        convention, dominant = counted.most_common(1)[0]
        consistent = dominant + sum(1 for s in styles.values() if s == "neutral")
        naming_share = consistent / n
        outliers = [name for name, style in styles.items() if style not in ("neutral", convention)]
        for name in outliers[:_MAX_FINDINGS]:
            tool_findings[name].append(finding("TG802", name, "/name", style=styles[name], convention=convention,
                                               suggestion=repr(_restyle(name, convention))))
        evidence["naming_consistency"] = f"{consistent}/{n} names follow {convention}"
    else:
        naming_share = 1.0
        evidence["naming_consistency"] = "all names are single lowercase words"
    naming = _band(naming_share, [(b["min"], b["score"]) for b in cfg["naming_share"]])

    count_score = next(b["score"] for b in cfg["tool_count"] if n <= b["max"])
    evidence["tool_count"] = f"{n} tools"
    if count_score <= 3:
        server_findings.append(finding("TG803", None, "", count=n))

    resources = _lifecycle([t.name for t in tools], rubric.words["action_verbs"])
    gaps = []
    for resource, ops in sorted(resources.items()):
        missing = []
        if "create" in ops and "delete" not in ops:
            missing.append("delete")
        if ("create" in ops or "delete" in ops or "update" in ops) and not ops & {"get", "list"}:
            missing.append("get or list")
        if missing:
            gaps.append((resource, ops, missing))
    mutable = [r for r, ops in resources.items() if ops & {"create", "delete", "update"}]
    gap_share = len(gaps) / len(mutable) if mutable else 0.0
    completeness = 5 if gap_share == 0 else 4 if gap_share <= 0.2 else 3 if gap_share <= 0.4 else 2 if gap_share <= 0.6 else 1
    evidence["completeness"] = f"{len(gaps)} of {len(mutable)} mutable resources have lifecycle gaps"
    for resource, ops, missing in gaps[:_MAX_FINDINGS]:
        server_findings.append(finding("TG804", None, "/resources/" + pointer_token(resource), resource=repr(resource), present=", ".join(sorted(ops)),
                                       missing=" and ".join(missing)))

    score = round((disambiguation + naming + count_score + completeness) / 4, 1)
    return CoherenceResult(
        coherence=Coherence(disambiguation, naming, count_score, completeness, score, evidence),
        server_findings=tuple(server_findings),
        tool_findings=dict(tool_findings),
    )
