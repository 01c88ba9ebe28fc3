"""Loading a rubric: YAML data, validated by a JSON Schema, compiled for fast matching.

The scorer reads every weight, threshold and word list from here, so a team can reweight
or extend the vocabulary without touching code (`--rubric FILE`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from toolgrade.errors import RubricError
from toolgrade.resources import data_dir, load_yaml, schema_validator

DIMENSIONS = ("purpose", "usage_guidelines", "behavior", "parameters", "conciseness", "completeness")


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokens_of(text: str) -> list[str]:
    """Lowercase word tokens; punctuation separates ('read-only' -> read, only; 'e.g.' -> e, g)."""
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Phrases:
    """A word list matched by whole words, fast enough for every tool of a 100,000-tool catalog.

    Single words are looked up by set intersection with the text's words; phrases of several
    words by a substring test on the text's token line (' read only '). A phrase ending in
    '*' matches as a word prefix ('truncat*' matches 'truncated').
    """

    single: Mapping[str, str]
    multi: tuple[tuple[str, str], ...]
    prefixes: re.Pattern[str] | None
    prefix_phrases: Mapping[str, str]
    _order: Mapping[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, words: list[str]) -> Phrases:
        single: dict[str, str] = {}
        multi: dict[str, str] = {}
        prefixes = []
        for word in words:
            if word.endswith("*"):
                prefixes.append((word[:-1].lower(), word))
                continue
            key = tokens_of(word)
            if not key:
                raise RubricError(f"lexicon phrase {word!r} has no letters or digits")
            if len(key) == 1:
                single.setdefault(key[0], word.strip())
            else:
                multi.setdefault(" " + " ".join(key) + " ", word.strip())
        pattern = re.compile(" (" + "|".join(re.escape(p) for p, _ in prefixes) + ")") if prefixes else None
        return cls(single, tuple(multi.items()), pattern, dict(prefixes),
                   {w: i for i, w in enumerate(single)})

    def find_in(self, line: str, words: frozenset[str]) -> list[str]:
        """The phrases present in a text given as its token line and its set of words."""
        # Sorted back into the list's order: set order varies between runs (hash seeds), and
        # evidence must be byte-for-byte reproducible.
        found = [self.single[w] for w in sorted(words & self.single.keys(), key=self._order.__getitem__)]
        found += [phrase for key, phrase in self.multi if key in line]
        if self.prefixes is not None:
            found += list(dict.fromkeys(self.prefix_phrases[m] for m in self.prefixes.findall(line)))
        return found



@dataclass(frozen=True)
class Rubric:
    name: str
    version: str
    weights: Mapping[str, float]
    titles: Mapping[str, str]
    tiers: tuple[tuple[str, float], ...]
    passing_tier: str
    smell_below: float
    server: Mapping[str, Any]
    thresholds: Mapping[str, Any]
    words: Mapping[str, frozenset[str]]
    phrases: Mapping[str, Phrases]
    source: str
    anchors: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    def tier(self, score: float) -> str:
        for tier, minimum in self.tiers:
            if score >= minimum:
                return tier
        return self.tiers[-1][0]

    def passing_min(self) -> float:
        return dict(self.tiers)[self.passing_tier]


def _validate(data: Any, source: str) -> None:
    errors = sorted(schema_validator("rubric.schema.json").iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise RubricError(f"{source}: rubric key {where}: {error.message}")
    total = sum(d["weight"] for d in data["dimensions"].values())
    if abs(total - 1.0) > 1e-6:
        raise RubricError(f"{source}: the six dimension weights add up to {total:g}, not 1")
    blend = sum(data["thresholds"]["completeness_blend"].values())
    if abs(blend - 1.0) > 1e-6:
        raise RubricError(f"{source}: thresholds.completeness_blend weights add up to {blend:g}, not 1")
    if data["passing_tier"] not in {t["tier"] for t in data["tiers"]}:
        raise RubricError(f"{source}: passing_tier {data['passing_tier']!r} is not one of the tiers")


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and validate a rubric; the default is rubrics/tdqs.yaml."""
    return _load(str(path) if path is not None else str(data_dir("rubrics") / "tdqs.yaml"))


@lru_cache(maxsize=8)
def _load(source: str) -> Rubric:
    try:
        data = load_yaml(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RubricError(f"{source}: no such rubric file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{source}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RubricError(f"{source} is not valid YAML{where}") from None
    _validate(data, source)
    lexicon = data["lexicon"]
    tiers = tuple(sorted(((t["tier"], float(t["min"])) for t in data["tiers"]), key=lambda t: -t[1]))
    return Rubric(
        name=data["name"],
        version=str(data["version"]),
        weights={k: float(v["weight"]) for k, v in data["dimensions"].items()},
        titles={k: v["title"] for k, v in data["dimensions"].items()},
        tiers=tiers,
        passing_tier=data["passing_tier"],
        smell_below=float(data["smell_below"]),
        server=data["server"],
        thresholds=data["thresholds"],
        words={k: frozenset(w.lower() for w in v) for k, v in lexicon.items()},
        phrases={k: Phrases.build(v) for k, v in lexicon.items()},
        source=source,
        anchors={d: {int(level): text for level, text in levels.items()}
                 for d, levels in (data.get("anchors") or {}).items()},
    )
