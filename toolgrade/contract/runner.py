"""Run a server's tools against the mocked API and check both boundaries.

One mock on a free loopback port, one server process with its environment pointed at the mock
(the API profile says which variables), one MCP session; then, for every listed tool:

1. build valid arguments from its inputSchema (CT001);
2. call it; if markers in its arguments landed in a path, call again with ids of objects
   that exist (see `ids.py`);
3. check the HTTP requests of that call (CT101-CT104), its result (CT201, CT202), its
   annotations against what it did (CT401-CT403), the error path under injected faults
   (CT301-CT305), that the API key never shows in a result (CT501), and that nothing tried to
   leave the machine (CT601).

A server that dies mid-run leaves the rest of the tools reported as errors; the partial result
is returned, never lost.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import anyio
import jsonschema
from mcp import MCPError
from mcp_types import CallToolRequest, CallToolRequestParams, CallToolResult

from toolgrade.contract import ids
from toolgrade.contract.args import NoValidArguments, build_arguments, with_optional
from toolgrade.contract.mock import FAULT_MESSAGES, MockApi, MockServer, RecordedRequest
from toolgrade.contract.result import ContractResult, ToolResult
from toolgrade.contract.scenarios import Scenario, run_scenarios
from toolgrade.errors import TargetError
from toolgrade.resources import schema_error
from toolgrade.sources.live import describe_failure, list_all_tools, open_session, with_server_stderr
from toolgrade.sources.target import Target

PRELOAD = Path(__file__).resolve().parent / "preload" / "offline.cjs"
#: JSON-RPC errors that are the tool's answer to a call, not a broken connection.
_TOOL_LEVEL_CODES = {-32600, -32601, -32602, -32603}
_STACK_TRACE = re.compile(r"Traceback \(most recent call last\)|\n\s+at [^\n]+:\d+:\d+\)?|File \"[^\"]+\", line \d+")
#: (code, injected status, injected body) of the error-path checks.
ERROR_FAULTS = (("CT301", 401, None), ("CT302", 404, None), ("CT303", 429, None), ("CT304", 500, None),
                ("CT305", None, "malformed"))
MAX_TEXT = 2000


class ServerGone(Exception):
    """The server stopped answering: the call could not complete."""


@dataclass
class Outcome:
    """A tool call's answer, reduced to what the checks read."""

    is_error: bool
    text: str
    structured: Any = None
    has_structured: bool = False
    protocol_error: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"isError": self.is_error, "text": self.text[:MAX_TEXT], "structuredContent": self.structured,
                "protocolError": self.protocol_error}


@dataclass
class RunContext:
    client: Any
    mock: MockApi
    timeout: float
    calls: int = 0
    egress: list[str] = field(default_factory=list)

    async def call(self, name: str, args: dict[str, Any]) -> tuple[Outcome, list[RecordedRequest]]:
        """Call a tool; return its outcome and the API requests the mock saw meanwhile (requests
        to other hosts that the preload blocked are collected in `egress`)."""
        mark = self.mock.mark()
        self.calls += 1
        try:
            with anyio.fail_after(self.timeout):
                raw = await self.client.session.send_request(
                    CallToolRequest(params=CallToolRequestParams(name=name, arguments=args)), CallToolResult,
                    request_read_timeout_seconds=self.timeout)
            outcome = _outcome(raw)
        except MCPError as exc:
            if exc.error.code not in _TOOL_LEVEL_CODES:
                raise ServerGone(exc.error.message) from None
            outcome = Outcome(True, exc.error.message, protocol_error=exc.error.code)
        except TimeoutError:
            raise ServerGone(f"no answer within {self.timeout:g}s") from None
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, anyio.EndOfStream) as exc:
            raise ServerGone(f"the connection closed ({exc.__class__.__name__})") from None
        requests = self.mock.since(mark)
        self.egress.extend(r.egress for r in requests if r.egress)
        return outcome, [r for r in requests if not r.egress]


def _outcome(raw: CallToolResult) -> Outcome:
    texts = []
    for block in raw.content or []:
        text = getattr(block, "text", None)
        texts.append(text if isinstance(text, str) else json.dumps(block.model_dump(mode="json"))[:500])
    structured = raw.structured_content
    return Outcome(bool(raw.is_error), "\n".join(texts), structured, structured is not None)


# -- public entry --------------------------------------------------------------------------------
def contract_env(mock: MockApi, origin: str, user_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment: the user's, then the API profile pointing it at the mock, and
    the Node preload added to whatever NODE_OPTIONS the user set."""
    env = dict(user_env or {})
    env.update({k: v.replace("{base}", origin).replace("{key}", mock.key) for k, v in mock.api.profile_env.items()})
    env["TOOLGRADE_MOCK_ORIGIN"] = origin
    env["TOOLGRADE_REDIRECTS"] = json.dumps({src: origin + dst for src, dst in mock.api.official_bases.items()})
    env["NODE_OPTIONS"] = f"{env.get('NODE_OPTIONS', '')} --require={PRELOAD}".strip()
    return env


def run_contract(target: Target, api: str = "portkey", timeout: float = 30.0,
                 scenarios: list[Scenario] | None = None, only: list[str] | None = None,
                 progress: Any = None) -> ContractResult:
    """Run the contract of every tool (and the given scenarios) against the mocked API.

    `progress` (a `toolgrade.progress.Progress`) is told the stage and each tool done.

    Raises TargetError when the run cannot start (no server, no session, no tools listed).
    """
    if target.kind != "stdio":
        raise TargetError("a contract run starts the server itself, pointed at the mock; give a command "
                          "(-- CMD ARGS) or a config entry with a command, not a URL or a file")
    mock = MockApi(api)
    result = ContractResult(target=target.display(), api=mock.api.name)
    started = time.perf_counter()
    with MockServer(mock) as server, tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as stderr:
        # The key is in the server's environment, so the target's secrets mask it in messages.
        live = replace(target, env=contract_env(mock, server.origin, target.env))
        try:
            anyio.run(_run, live, mock, timeout, result, scenarios or [], only, stderr, progress)
        except Exception as exc:  # noqa: BLE001 - a failure becomes one line, or the reason a run stopped
            message = str(exc) if isinstance(exc, TargetError) else describe_failure(exc, live, timeout)
            if not result.tools:
                raise TargetError(with_server_stderr(message, stderr, live)) from None
            result.aborted = message
    result.mask([mock.key, *target.secrets()])  # wherever a result or request shows them
    result.seconds = time.perf_counter() - started
    return result


async def _run(target: Target, mock: MockApi, timeout: float, result: ContractResult,
               scenarios: list[Scenario], only: list[str] | None, stderr: IO[str], progress: Any = None) -> None:
    async with open_session(target, timeout, stderr) as client:
        info = client.server_info
        result.server = {"name": info.name if info else "", "version": info.version if info else ""}
        tools = await list_all_tools(client, timeout)
        result.listed = len(tools)
        ctx = RunContext(client, mock, timeout)
        gone: str | None = None
        chosen = [tool for tool in tools if only is None or tool["name"] in only]  # []: scenarios only
        if progress:
            progress.stage("contract", total=len(chosen) + len(scenarios))
        for tool in chosen:
            if progress:
                progress.advance(note=tool["name"])
            if gone is not None:
                result.tools.append(ToolResult(tool["name"], "error", reason=f"not run: {gone}"))
                continue
            tool_result = await exercise(ctx, tool)
            result.tools.append(tool_result)
            if tool_result.status == "error":
                gone = f"the server stopped answering during {tool['name']} ({tool_result.reason})"
        if gone is None and scenarios:
            result.scenarios.extend(await run_scenarios(ctx, scenarios, {t["name"] for t in tools}))
            if progress:
                progress.advance(len(scenarios), note="scenarios")
        result.calls = ctx.calls


# -- one tool ------------------------------------------------------------------------------------
async def exercise(ctx: RunContext, tool: dict[str, Any]) -> ToolResult:
    """All checks of one tool; never raises (a dead server is status `error`)."""
    name = tool["name"]
    out = ToolResult(name)
    calls_before, egress_before = ctx.calls, len(ctx.egress)
    try:
        args = build_arguments(tool.get("inputSchema") or {})
    except NoValidArguments as exc:
        out.add("CT001", "fail", str(exc))
        out.status, out.reason = "fail", f"no valid arguments: {exc}"
        return out
    out.add("CT001", "pass")
    try:
        await _exercise(ctx, tool, args, out)
        out.add("CT701", "pass")
    except ServerGone as exc:
        out.add("CT701", "fail", str(exc))
        out.status, out.reason = "error", str(exc)
    finally:
        ctx.mock.clear_faults()
        out.calls = ctx.calls - calls_before
    blocked = ctx.egress[egress_before:]
    if out.status != "error":
        if blocked:
            for check in out.checks:  # what failed here failed because the request was blocked
                if check.status == "fail":
                    check.status, check.message = "skip", f"not testable offline ({check.message[:120]})"
            out.add("CT601", "fail", f"tried to reach {', '.join(sorted(set(blocked)))}; blocked (not the mocked API)")
            out.status = "not_testable"
            out.reason = f"calls a host outside the mocked API ({blocked[0]}), which cannot be tested offline"
        else:
            out.add("CT601", "pass")
            out.status = "fail" if out.failed() else "pass"
            out.reason = "; ".join(f"{c.code} {c.message}" for c in out.failed())[:300]
    return out


async def _exercise(ctx: RunContext, tool: dict[str, Any], args: dict[str, Any], out: ToolResult) -> None:
    name = tool["name"]
    outcome, requests = await ctx.call(name, args)
    outcomes = [outcome]
    placed = ids.placements(args, requests, ctx.mock.api)
    if placed:
        args = ids.provide(placed, args, ctx.mock)
        outcome, requests = await ctx.call(name, args)
        outcomes.append(outcome)
    out.arguments = args
    full = with_optional(tool.get("inputSchema") or {}, args)
    refs = [ids.Placement(k, ids.resource_for_argument(k, ctx.mock.api)) for k in full if k not in args]
    full = ids.provide([r for r in refs if r.resource], full, ctx.mock)
    fault_args = args
    if full != args:  # the optional parameters too: their query and body fields must be documented
        _, more = await ctx.call(name, full)
        if not requests and more:
            fault_args = full  # the minimal call never reached the API; fault the fuller one
        requests = requests + more
    out.methods = sorted({r.method for r in requests})
    _request_checks(ctx, requests, out)
    _result_checks(tool, outcome, requests, out)
    _annotation_checks(tool, requests, out)
    if (tool.get("annotations") or {}).get("idempotentHint"):
        with ctx.mock.state() as store:
            before = store.snapshot()
        again, _ = await ctx.call(name, args)
        outcomes.append(again)
        with ctx.mock.state() as store:
            same = before == store.snapshot()
        out.add("CT403", "pass" if same else "fail",
                "" if same else "a second call with the same arguments changed the mock's state again")
    else:
        out.add("CT403", "skip", "not annotated idempotentHint")
    outcomes.extend(await _error_checks(ctx, name, fault_args, requests, out))
    leaked = [o for o in outcomes if ctx.mock.key in o.text or ctx.mock.key in json.dumps(o.structured, default=str)]
    out.add("CT501", "fail" if leaked else "pass",
            "the API key appears in a tool result" if leaked else "",
            result=leaked[0].to_json() if leaked else None)


def _request_checks(ctx: RunContext, requests: list[RecordedRequest], out: ToolResult) -> None:
    api = ctx.mock.api
    endpoints = api.by_key
    problems: dict[str, tuple[str, RecordedRequest] | None] = {c: None for c in ("CT101", "CT102", "CT103", "CT104")}
    for request in requests:
        endpoint = endpoints.get(request.endpoint or "")
        if endpoint is None:
            problems["CT101"] = problems["CT101"] or (f"{request.method} {request.path} is not a documented endpoint", request)
            continue
        undocumented = sorted({k for k, _ in request.query} - set(endpoint.query))
        if undocumented and problems["CT102"] is None:
            problems["CT102"] = (f"{endpoint.key}: undocumented query parameter(s) {', '.join(undocumented)}", request)
        if request.status == 400 and problems["CT103"] is None and endpoint.body is not None:
            problems["CT103"] = (f"{endpoint.key}: {_api_message(request)}", request)
        if request.headers.get(api.auth_header) != ctx.mock.key and problems["CT104"] is None:
            problems["CT104"] = (f"{endpoint.key}: no valid {api.auth_header} header", request)
    for code, problem in problems.items():
        if not requests:
            out.add(code, "skip", "the tool made no API request")
        elif problem is None:
            out.add(code, "pass")
        else:
            out.add(code, "fail", problem[0], request=problem[1].to_dict())


def _result_checks(tool: dict[str, Any], outcome: Outcome, requests: list[RecordedRequest], out: ToolResult) -> None:
    failed_api = [r for r in requests if not 200 <= r.status < 300]
    if failed_api:
        out.add("CT201", "skip", f"the API answered {failed_api[0].status} to {failed_api[0].method} "
                                 f"{failed_api[0].path}: {_api_message(failed_api[0])}")
    elif outcome.is_error:
        when = "although every API request succeeded" if requests else "before any API request"
        out.add("CT201", "fail", f"isError for arguments valid under the inputSchema, {when}: "
                                 f"{outcome.text[:200]}", result=outcome.to_json())
    else:
        out.add("CT201", "pass")
    schema = tool.get("outputSchema")
    if not schema:
        out.add("CT202", "skip", "no outputSchema declared")
    elif outcome.is_error:
        out.add("CT202", "skip", "the call was not successful")
    elif not outcome.has_structured:
        out.add("CT202", "fail", "outputSchema is declared but the result has no structuredContent",
                result=outcome.to_json())
    else:
        problem = schema_error(jsonschema.Draft202012Validator(schema), outcome.structured, "structuredContent")
        if problem is None:
            out.add("CT202", "pass")
        else:
            out.add("CT202", "fail", f"structuredContent breaks the outputSchema at {problem[0]}: {problem[1][:200]}",
                    result=outcome.to_json())


def _annotation_checks(tool: dict[str, Any], requests: list[RecordedRequest], out: ToolResult) -> None:
    notes = tool.get("annotations") or {}
    if notes.get("readOnlyHint"):
        writes = [r for r in requests if r.method != "GET"]
        out.add("CT401", "fail" if writes else "pass",
                f"annotated readOnlyHint but sent {writes[0].method} {writes[0].path}" if writes else "",
                request=writes[0].to_dict() if writes else None)
    else:
        out.add("CT401", "skip", "not annotated readOnlyHint")
    deletes = [r for r in requests if r.method == "DELETE"]
    if deletes and not notes.get("destructiveHint"):
        out.add("CT402", "fail", f"sent DELETE {deletes[0].path} without destructiveHint", request=deletes[0].to_dict())
    else:
        out.add("CT402", "pass" if requests else "skip", "" if requests else "the tool made no API request")


async def _error_checks(ctx: RunContext, name: str, args: dict[str, Any], requests: list[RecordedRequest],
                        out: ToolResult) -> list[Outcome]:
    routes = sorted({r.endpoint for r in requests if r.endpoint})
    outcomes: list[Outcome] = []
    for code, status, body in ERROR_FAULTS:
        if not routes:
            out.add(code, "skip", "the tool made no request to a documented endpoint")
            continue
        for route in routes:
            ctx.mock.add_fault(route, status=status, body=body)
        try:
            outcome, _ = await ctx.call(name, args)
        finally:
            ctx.mock.clear_faults()
        outcomes.append(outcome)
        verdict, message = _judge_error(outcome, status)
        out.add(code, verdict, message, result=outcome.to_json() if verdict == "fail" else None)
    return outcomes


def _judge_error(outcome: Outcome, status: int | None) -> tuple[str, str]:
    injected = f"status {status}" if status else "a malformed body"
    if not outcome.is_error:
        return "fail", f"with the API answering {injected}, the result is not flagged isError"
    if _STACK_TRACE.search(outcome.text):
        return "fail", f"with the API answering {injected}, the result carries a stack trace"
    if status is None:
        return "pass", ""
    reason = FAULT_MESSAGES[status].split(" (injected")[0]
    if reason not in outcome.text and reason not in json.dumps(outcome.structured, default=str):
        return "fail", (f"with the API answering {injected} ({reason!r}), the message does not carry the API's "
                        f"reason: {outcome.text[:160]!r}")
    return "pass", ""


def _api_message(request: RecordedRequest) -> str:
    reply = request.reply
    if isinstance(reply, dict) and isinstance(reply.get("data"), dict):
        return str(reply["data"].get("message", ""))[:200]
    return f"status {request.status}"

