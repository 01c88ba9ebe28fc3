"""A progress line on stderr for runs longer than a second, on a terminal only.

Connecting to a server, scoring and a contract run can take seconds to minutes; a person at a
terminal should see that something moves, and a CI log or a pipe should get nothing. The line
is drawn by a daemon thread ten times a second once the run is older than `delay`, always on
one line (carriage return + erase), and erased when the run ends. Tool names are untrusted, so
they are passed through `terminal_safe` before they reach the terminal.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO

from toolgrade.report.sanitize import terminal_safe

SPINNER = "|/-\\"
WIDTH = 24


class Progress:
    def __init__(self, stream: IO[str] | None = None, enabled: bool | None = None, delay: float | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = _isatty(self.stream) and os.environ.get("TOOLGRADE_PROGRESS", "1") != "0"
        self.enabled = enabled
        self.delay = float(os.environ.get("TOOLGRADE_PROGRESS_DELAY", "1.0")) if delay is None else delay
        self.started = time.monotonic()
        self.label = ""
        self.total: int | None = None
        self.count = 0
        self.note = ""
        self._drawn = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if self.enabled:
            self._thread = threading.Thread(target=self._loop, name="toolgrade-progress", daemon=True)
            self._thread.start()

    def stage(self, label: str, total: int | None = None) -> None:
        with self._lock:
            self.label, self.total, self.count, self.note = label, total, 0, ""

    def advance(self, step: int = 1, note: str = "") -> None:
        with self._lock:
            self.count += step
            self.note = note

    def done(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
        with self._lock:
            if self._drawn:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._drawn = False

    def line(self, tick: int = 0) -> str:
        """The current progress line (without the carriage return)."""
        with self._lock:
            elapsed = time.monotonic() - self.started
            label = terminal_safe(self.label, 60)
            if self.total:
                filled = min(WIDTH, WIDTH * self.count // self.total)
                bar = "#" * filled + "." * (WIDTH - filled)
                note = f" {terminal_safe(self.note, 40)}" if self.note else ""
                return f"[{bar}] {min(self.count, self.total)}/{self.total} {label}{note} {elapsed:.0f}s"
            return f"{SPINNER[tick % len(SPINNER)]} {label} {elapsed:.0f}s"

    def _loop(self) -> None:
        tick = 0
        while not self._stop.wait(0.1):
            if time.monotonic() - self.started < self.delay:
                continue
            text = self.line(tick)
            with self._lock:
                try:
                    self.stream.write("\r\x1b[K" + text)
                    self.stream.flush()
                    self._drawn = True
                except (OSError, ValueError):
                    return
            tick += 1

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
