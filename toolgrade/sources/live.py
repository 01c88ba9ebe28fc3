"""Live servers over the official MCP SDK: stdio, streamable HTTP and SSE.

The SDK does the protocol; this module adds what a linter run in CI needs around it:
a timeout on connecting and on every request, pagination to the end with a guard against a
cursor that repeats, and failures turned into one line that says what happened, with the
last lines the server wrote to stderr.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import IO, Any

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp_types import PaginatedRequestParams

from toolgrade.errors import TargetError
from toolgrade.model import Catalog, ServerInfo, catalog_from_tools_json
from toolgrade.sources.target import Target, mask_secrets

#: A server that keeps handing out new cursors is broken; stop long before memory runs out.
MAX_PAGES = 10_000
STDERR_TAIL_LINES = 5


def quiet_sdk_logging() -> None:
    """The SDK logs tracebacks for malformed server output; toolgrade reports those itself."""
    logging.getLogger("mcp").setLevel(logging.CRITICAL)


@dataclass
class _Failure:
    """The first transport-level fault (e.g. non-JSON on stdout) the session reported."""

    exc: Exception | None = None


@asynccontextmanager
async def open_session(target: Target, timeout: float, stderr: IO[str] | None = None) -> AsyncIterator[Client]:
    """Connect to a live target and yield an initialised SDK Client.

    Used by the catalog loader here and by the contract runner, so both speak to servers the
    same way. `stderr` receives a stdio server's stderr (a real file: the SDK hands it to the
    child process).
    """
    quiet_sdk_logging()
    failure = _Failure()

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception) and failure.exc is None:
            failure.exc = message
            scope.cancel()

    # One scope for the whole session: it carries the connect deadline (lifted once the
    # handshake is done) and is cancelled by a transport fault. Scopes must nest around the
    # SDK's task groups, so per-step `fail_after` is used only around single requests.
    with anyio.CancelScope(deadline=anyio.current_time() + timeout) as scope:
        async with AsyncExitStack() as stack:
            transport = await _transport(target, timeout, stderr, stack)
            client = await stack.enter_async_context(
                Client(transport, read_timeout_seconds=timeout, message_handler=on_message)
            )
            scope.deadline = math.inf
            yield client
    if failure.exc is not None:
        raise TargetError(
            f"the server wrote a line that is not JSON-RPC to stdout: {_offending_line(failure.exc)!r}; "
            "an MCP stdio server must print only protocol messages (send logs to stderr)"
        )
    if scope.cancelled_caught:
        raise TimeoutError(f"no answer within {timeout:g}s")


async def _transport(target: Target, timeout: float, stderr: IO[str] | None, stack: AsyncExitStack) -> Any:
    if target.kind == "stdio":
        command = target.command or ""
        local = os.path.join(target.cwd, command) if target.cwd else command  # a settings file's folder
        if shutil.which(command) is None and not os.path.exists(local):
            raise TargetError(f"command not found: {command!r}; check the spelling, or install it and make sure it is on PATH")
        params = StdioServerParameters(command=command, args=list(target.args), env=dict(target.env) or None,
                                       cwd=target.cwd)
        return stdio_client(params, errlog=stderr) if stderr is not None else stdio_client(params)
    if target.kind == "http":
        http_client = create_mcp_http_client(headers=dict(target.headers), timeout=httpx2.Timeout(timeout))
        await stack.enter_async_context(http_client)
        return streamable_http_client(target.url or "", http_client=http_client)
    if target.kind == "sse":
        return sse_client(target.url or "", headers=dict(target.headers), timeout=timeout, sse_read_timeout=timeout)
    raise TargetError(f"not a live target: {target.kind}")


async def list_all_tools(client: Client, timeout: float) -> list[dict[str, Any]]:
    """Follow `nextCursor` to the end; a cursor seen before is a server bug, not a loop to ride."""
    tools: list[dict[str, Any]] = []
    seen: set[str] = set()
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        with anyio.fail_after(timeout):
            params = PaginatedRequestParams(cursor=cursor) if cursor is not None else None
            page = await client.session.list_tools(params=params)
        tools.extend(tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in page.tools)
        cursor = page.next_cursor
        if cursor is None:
            return tools
        if cursor in seen:
            raise TargetError(
                f"the server returned nextCursor {cursor!r} a second time after {len(tools)} tools; "
                "its pagination loops (fix the server's cursor)"
            )
        seen.add(cursor)
    raise TargetError(f"the server kept paginating past {MAX_PAGES} pages; its cursor never ends")


async def _fetch(target: Target, timeout: float, stderr: IO[str] | None) -> Catalog:
    async with open_session(target, timeout, stderr) as client:
        info = client.server_info
        server = ServerInfo(
            name=info.name if info else "",
            version=info.version if info else "",
            title=getattr(info, "title", None) if info else None,
            instructions=client.session.instructions,
            protocol_version=client.protocol_version,
        )
        tools = await list_all_tools(client, timeout)
    return catalog_from_tools_json(tools, target=target.display(), server=server)


def fetch_catalog(target: Target, timeout: float = 30.0) -> Catalog:
    """Connect, list every tool, disconnect. Raises TargetError with one readable line."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as stderr:
        try:
            return anyio.run(_fetch, target, timeout, stderr if target.kind == "stdio" else None)
        except TargetError as exc:
            raise TargetError(with_server_stderr(str(exc), stderr, target)) from None
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line for the user
            raise TargetError(with_server_stderr(describe_failure(exc, target, timeout), stderr, target)) from None


def describe_failure(exc: BaseException, target: Target, timeout: float) -> str:
    """Turn whatever the transport raised into a sentence that says what to do."""
    leaf = _leaf(exc)
    where = target.display()
    if isinstance(leaf, TargetError):
        return str(leaf)
    if isinstance(leaf, TimeoutError):
        return f"{where}: no answer within {timeout:g}s; the server hangs or is slow to start (raise --timeout if it is just slow)"
    if isinstance(leaf, httpx2.ConnectError):
        return f"cannot connect to {where}: {leaf}; is the server running and the URL right?"
    if isinstance(leaf, httpx2.HTTPStatusError):
        return f"{where} answered HTTP {leaf.response.status_code}; check the URL, the transport (--transport) and auth headers"
    if isinstance(leaf, httpx2.HTTPError):
        return f"{where}: HTTP error {leaf.__class__.__name__}: {leaf}"
    if isinstance(leaf, FileNotFoundError | PermissionError):
        return f"cannot start {where!r}: {leaf.strerror or leaf}"
    errors = getattr(leaf, "errors", None)
    if leaf.__class__.__name__ == "ValidationError" and callable(errors):
        first = errors()[0] if errors() else {}
        where_in = ".".join(str(p) for p in first.get("loc", ())) or "the answer"
        got = type(first.get("input")).__name__
        return (f"{where}: the server's answer breaks the MCP schema at {where_in}: {first.get('msg', 'invalid')} "
                f"(got a JSON {'array' if got == 'list' else got}); fix the server's tool definitions")
    text = _short(leaf)
    if "closed" in text.lower() or "connection" in text.lower():
        return f"{where}: the server closed the connection before answering ({text})"
    return f"{where}: {leaf.__class__.__name__}: {text}"


def _offending_line(exc: Exception) -> str:
    """The text the server printed, when the SDK's parse error carries it."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            value = errors()[0].get("input")
        except Exception:  # noqa: BLE001 - best effort only
            value = None
        if isinstance(value, str):
            return value[:120]
    return _short(exc, 120)


def _leaf(exc: BaseException) -> BaseException:
    """The first real cause inside (nested) exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _short(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def with_server_stderr(message: str, stderr: IO[str], target: Target) -> str:
    """Add the server's last stderr lines (the target's secrets masked), folded into the one error line.

    Used by the catalog loader and the contract runner."""
    try:
        stderr.flush()
        stderr.seek(0)
        lines = [line.strip() for line in stderr.read().splitlines() if line.strip()]
    except (OSError, ValueError):
        lines = []
    if not lines:
        return mask_secrets(message, target.secrets())
    tail = " | ".join(line[:300] for line in lines[-STDERR_TAIL_LINES:])
    return mask_secrets(f"{message} [server stderr: {tail}]", target.secrets())
