"""Making untrusted tool text safe to print.

Tool names and descriptions come from the server under test. A terminal must never receive
their escape sequences (which can rewrite the screen, set the title, or hide text), and
invisible format characters (bidi overrides, zero-width) are shown, not applied.
"""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def _visible(char: str) -> str:
    if char in "\n\t":
        return " "
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn") or char in "\u2028\u2029":
        return f"<U+{ord(char):04X}>"
    return char


def terminal_safe(text: str, limit: int | None = None) -> str:
    """One line of text with escape sequences removed and control/format characters made visible."""
    text = _ANSI.sub("", text)
    cleaned = "".join(ch if ch.isprintable() and ch not in "\u2028\u2029" else _visible(ch) for ch in text)
    cleaned = " ".join(cleaned.split(" ")) if "  " not in cleaned else re.sub(r" {2,}", " ", cleaned)
    if limit is not None and len(cleaned) > limit:
        return cleaned[: max(limit - 1, 0)] + "…"
    return cleaned
