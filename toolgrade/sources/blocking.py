"""A live MCP session for synchronous code (pytest tests, scripts).

The SDK's client is async. `BlockingSession` runs it on an event loop in a helper thread (an
anyio blocking portal) and offers plain methods; every call has the session's timeout, so a
hung server fails the test instead of hanging it.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from typing import Any

import anyio
from anyio.from_thread import start_blocking_portal

from toolgrade.sources.live import list_all_tools, open_session
from toolgrade.sources.target import Target


class BlockingSession:
    def __init__(self, target: Target, timeout: float = 30.0) -> None:
        self.target = target
        self.timeout = timeout
        self._stack = ExitStack()
        self.client: Any = None

    def __enter__(self) -> BlockingSession:
        try:
            self.stderr = self._stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace"))
            self.portal = self._stack.enter_context(start_blocking_portal())
            self.client = self._stack.enter_context(
                self.portal.wrap_async_context_manager(open_session(self.target, self.timeout, self.stderr)))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def server_info(self) -> Any:
        return self.client.server_info

    def list_tools(self) -> list[dict[str, Any]]:
        """Every tool (all pages), as JSON objects."""
        return self.portal.call(list_all_tools, self.client, self.timeout)

    def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        """Call a tool and return the SDK's CallToolResult (isError results are returned, not raised)."""

        async def call() -> Any:
            with anyio.fail_after(self.timeout):
                return await self.client.call_tool(name, arguments or {})

        return self.portal.call(call)

    def server_stderr(self) -> str:
        """What a stdio server wrote on stderr so far."""
        self.stderr.seek(0)
        return self.stderr.read()
