"""Errors that carry a one-line message for the user and the exit code the CLI gives them.

Every failure a user can cause (a bad target, a server that will not talk, a broken file) is
raised as a ToolgradeError subclass, so the CLI can print `error: <message>` and exit with a
documented code instead of a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_TARGET_UNREADABLE = 2


class ToolgradeError(Exception):
    """Base class: the message is written for the user and says what to do."""

    exit_code = EXIT_TARGET_UNREADABLE


class TargetError(ToolgradeError):
    """The target could not be read: bad command, dead server, bad file, bad definition."""


class RubricError(ToolgradeError):
    """A rubric file is missing, not YAML, or breaks the rubric schema."""


class UsageError(ToolgradeError):
    """The command-line arguments do not name a usable target."""
