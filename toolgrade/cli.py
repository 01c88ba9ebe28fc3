"""The `toolgrade` command. Thin: parse arguments, call the library, render, exit.

Exit codes (documented in the README):
  0  success, every gate passed
  1  a quality gate failed (--fail-under, --fail-under-server)
  2  the target could not be read, or the arguments/rubric are wrong
  3  a bug in toolgrade (one line; set TOOLGRADE_DEBUG=1 for the traceback)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from toolgrade import __version__
from toolgrade.errors import EXIT_GATE_FAILED, EXIT_OK, EXIT_TARGET_UNREADABLE, ToolgradeError, UsageError
from toolgrade.report.render import DOCUMENT_FORMATS
from toolgrade.report.sanitize import terminal_safe
from toolgrade.resources import data_dir
from toolgrade.sources import Target, load_catalog, mask_secrets, target_from_config

EXIT_INTERNAL = 3


def _pairs(values: tuple[str, ...], sep: str, what: str) -> dict[str, str]:
    result = {}
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key.strip():
            raise UsageError(f"{what} {value!r} is not KEY{sep}VALUE")
        result[key.strip()] = rest.strip() if sep == ":" else rest
    return result


def build_target(argv: tuple[str, ...], env: tuple[str, ...], header: tuple[str, ...], transport: str | None,
                 config: str | None, server: str | None, file: str | None, url: str | None) -> Target:
    """Decide what the user named: a config entry, a file, a URL, or a command after `--`."""
    env_map = _pairs(env, "=", "--env")
    header_map = _pairs(header, ":", "--header")
    named = [bool(config), bool(file), bool(url), bool(argv)]
    if sum(named) == 0:
        raise UsageError("no target: give a command after --, a URL, a tools/list JSON file, or --config FILE --server NAME")
    if sum(named) > 1:
        raise UsageError("give one target: a command after --, a URL, a file, or --config")
    if config:
        return _overridden(target_from_config(config, server), env_map, header_map)
    if server:
        raise UsageError("--server goes with --config FILE")
    if file:
        return Target.file(file)
    if not url and len(argv) == 1 and argv[0].startswith(("http://", "https://")):
        url = argv[0]
    if url:  # the transport and headers flags only mean something here
        return Target.http(url, header_map, sse=transport == "sse")
    return Target.guess(argv, env=env_map)


def _overridden(target: Target, env_map: dict[str, str], header_map: dict[str, str]) -> Target:
    """A target named elsewhere (a config entry, the settings) with --env / --header on top."""
    if not (env_map or header_map):
        return target
    return replace(target, env={**target.env, **env_map}, headers={**target.headers, **header_map})


def target_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that reads a target shares (lint, explain, plan, scan, contract, ...)."""
    options = [
        click.argument("argv", nargs=-1, type=click.UNPROCESSED, metavar="[-- COMMAND ARGS... | URL | FILE]"),
        click.option("--env", multiple=True, metavar="K=V", help="Environment variable for a stdio server (repeatable)."),
        click.option("--header", multiple=True, metavar="K:V", help="HTTP header, e.g. for auth (repeatable)."),
        click.option("--transport", type=click.Choice(["http", "sse"]), default="http", show_default=True,
                     help="HTTP transport for a URL: streamable HTTP or legacy SSE."),
        click.option("--url", help="Server URL (same as giving the URL as the argument)."),
        click.option("--file", "file", type=click.Path(dir_okay=False), help="A saved tools/list JSON file."),
        click.option("--config", type=click.Path(dir_okay=False), help="An mcpServers config file (Claude/Cursor format)."),
        click.option("--server", help="The server entry to use from --config."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Seconds allowed for connecting and for each request [default: 30]."),
        click.option("--settings", "settings_file", type=click.Path(dir_okay=False),
                     help="Settings file (default: toolgrade.toml or [tool.toolgrade] in pyproject.toml, found "
                          "from the working directory up to the repository root)."),
        click.option("--no-settings", is_flag=True, help="Ignore any settings file."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


#: Only for the commands that grade (lint, explain, plan, scan).
rubric_option = click.option("--rubric", type=click.Path(dir_okay=False),
                             help="Another rubric YAML (default: rubrics/tdqs.yaml).")


def catalog_and_rubric(target: Target, rubric_path: str | None, timeout: float) -> tuple[Any, Any]:
    from toolgrade.check import catalog_and_rubric as load  # imported late: `--version` stays fast

    return load(target, rubric_path, timeout)


def _target_from(kw: dict[str, Any]) -> Target:
    return _resolve(kw)[0]


def _resolve(kw: dict[str, Any]) -> tuple[Target, Any]:
    """The target and the settings: a target on the command line wins over the settings' one;
    --env/--header add to either. Also settles the timeout (flag, settings, 30 s) into kw."""
    from toolgrade.check import settings_target
    from toolgrade.config import load_settings

    settings = load_settings(kw.get("settings_file"), discover=not kw.get("no_settings"))
    named = any([kw["argv"], kw["config"], kw["file"], kw["url"]])
    if not named and settings.target:
        target = _overridden(settings_target(settings), _pairs(kw["env"], "=", "--env"),
                             _pairs(kw["header"], ":", "--header"))
    else:
        target = build_target(kw["argv"], kw["env"], kw["header"], kw["transport"], kw["config"], kw["server"],
                              kw["file"], kw["url"])
    if kw.get("timeout") is None:
        kw["timeout"] = settings.timeout
    return target, settings


def _render(result: Any, fmt: str, colour: bool) -> str:
    """JSON indented on a terminal and compact when piped or written (a tool reads it then);
    text styled only on a terminal."""
    from toolgrade.report.json_report import render_json
    from toolgrade.report.text import render_text

    if fmt == "json":
        return render_json(result, __version__, indent=2 if colour else None)
    return render_text(result, __version__, style=click.style if colour else None)


def _emit(text: str, output: str | None, target: Target | None, colour_ok: bool) -> None:
    """Print a report, or write it to `output` unstyled; secrets of the target masked either way."""
    text = mask_secrets(text, target.secrets() if target else [])
    if output:
        try:
            Path(output).write_text(click.unstyle(text), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False, color=colour_ok or None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolgrade")
def cli() -> None:
    """Grade MCP tool definitions, and test that tools do what they say."""


REPORT_CHOICES = ["text", *DOCUMENT_FORMATS]


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@rubric_option
@click.option("--format", "fmt", type=click.Choice(REPORT_CHOICES), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--report", "extra_reports", multiple=True, metavar="FORMAT=PATH",
              help="Also write this report (repeatable), e.g. --report sarif=toolgrade.sarif; adds to [reports].")
@click.option("--fail-under", type=click.FloatRange(0, 5), help="Fail (exit 1) if any tool scores under this.")
@click.option("--fail-under-server", type=click.FloatRange(0, 5), help="Fail (exit 1) if the server scores under this.")
@click.option("--fail-on", metavar="SEVERITIES", help="Fail on findings of these severities, e.g. error,warning.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Fail only on regressions against this baseline (written by `toolgrade baseline`).")
@click.option("--no-baseline", is_flag=True, help="Ignore the settings' baseline: gate on everything.")
@click.option("--contract/--no-contract", "with_contract", default=None,
              help="Also run the contract tests (default: the settings' contract.enabled).")
@click.option("--summary/--no-summary", default=None,
              help="Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set [default: on].")
@click.option("--engine", type=click.Choice(["deterministic", "llm", "both"]), default="deterministic", show_default=True,
              help="Who scores: our offline scorer, an LLM judge, or both side by side.")
@click.option("--llm-base-url", help="OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 (or TOOLGRADE_LLM_BASE_URL).")
@click.option("--llm-model", help="Model name for the LLM judge (or TOOLGRADE_LLM_MODEL).")
@click.option("--llm-key-env", default="OPENAI_API_KEY", show_default=True, help="Environment variable holding the API key.")
@click.option("--llm-cache", default=".toolgrade-cache", show_default=True, type=click.Path(file_okay=False),
              help="Directory for cached verdicts (keyed by input hash, rubric version and model).")
@click.option("--llm-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds allowed for each LLM call.")
@click.option("--locked", is_flag=True, help="Fail (exit 1) if a tool was added, removed or changed since --lock.")
@click.option("--lock", "lock_path", default="toolgrade.lock", show_default=True, type=click.Path(dir_okay=False),
              help="The lock file written by `toolgrade lock`.")
def lint(fmt: str, output: str | None, extra_reports: tuple[str, ...], fail_under: float | None,
         fail_under_server: float | None, fail_on: str | None, baseline_path: str | None, no_baseline: bool,
         with_contract: bool | None, summary: bool | None, engine: str, llm_base_url: str | None,
         llm_model: str | None, llm_key_env: str, llm_cache: str, llm_timeout: float, locked: bool, lock_path: str,
         **kw: Any) -> None:
    """Score every tool of a server on six dimensions, with findings and fixes, and gate on it.

    \b
    Targets (or none: the settings file's [target]):
      toolgrade lint -- npx -y portkey-admin-mcp        (stdio; --env K=V)
      toolgrade lint http://127.0.0.1:3001/mcp          (streamable HTTP; --header K:V)
      toolgrade lint --transport sse http://host/sse    (legacy SSE)
      toolgrade lint tools.json                         (saved tools/list result)
      toolgrade lint --config mcp.json --server NAME    (mcpServers config entry)

    \b
    In CI, one run gives the gate, the job summary, SARIF and JUnit:
      toolgrade lint --baseline toolgrade-baseline.json \\
        --report sarif=toolgrade.sarif --report junit=toolgrade.xml
    """
    from toolgrade.check import run_check
    from toolgrade.progress import Progress
    from toolgrade.quality_gate import gates_from

    target, settings = _resolve(kw)
    gates = gates_from(settings, fail_under, fail_under_server, _severities(fail_on))
    reports = _report_paths(settings, extra_reports)
    judge = None
    if engine != "deterministic":
        from toolgrade.scoring.llm import LLMJudge

        judge = LLMJudge.from_env(llm_base_url, llm_model, llm_key_env, llm_cache, llm_timeout)
    baseline = None if no_baseline else (baseline_path or settings.baseline)
    with Progress() as progress:
        run = run_check(target, settings, gates, rubric_path=kw["rubric"], timeout=kw["timeout"],
                        baseline_path=baseline, contract=settings.contract_on(with_contract), judge=judge, engine=engine, progress=progress)
    if judge is not None:
        click.echo(f"LLM judge: {judge.calls} call(s) to {judge.base_url} ({judge.model}); "
                   f"the rest from the cache in {llm_cache}", err=True)
    colour = sys.stdout.isatty() and not output
    files = [(kind, path, False) for kind, path in reports.items()]
    if (settings.summary if summary is None else summary) and os.environ.get("GITHUB_STEP_SUMMARY"):
        files.append(("markdown", os.environ["GITHUB_STEP_SUMMARY"], True))  # the job summary is appended to
    problems = _write_reports(run, settings, fmt, output, files, colour)
    if output:
        click.echo(f"wrote {output}: {run.grade.server.tool_count} tools, server {run.grade.server.overall:.1f} "
                   f"tier {run.grade.server.tier}", err=True)
    _report_gate(run)
    drifted = _check_lock(run.catalog, lock_path) if locked else False
    for problem in problems:
        click.echo(f"toolgrade: error: {problem}", err=True)
    if problems:
        sys.exit(EXIT_TARGET_UNREADABLE)
    sys.exit(EXIT_GATE_FAILED if not run.passed or drifted else EXIT_OK)


def _severities(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    chosen = tuple(v.strip().lower() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in ("error", "warning", "info")]
    if unknown:
        raise UsageError(f"--fail-on {value!r}: {', '.join(unknown)} is not a severity; use error, warning or info")
    return chosen


def _report_paths(settings: Any, extra: tuple[str, ...]) -> dict[str, str]:
    """The settings' [reports] with each --report FORMAT=PATH on top."""
    reports = dict(settings.reports)
    for fmt, path in _pairs(extra, "=", "--report").items():
        if fmt not in REPORT_CHOICES:
            raise UsageError(f"--report {fmt}={path}: unknown format; use one of {', '.join(REPORT_CHOICES)}")
        reports[fmt] = path
    return reports


def _sarif_context(settings: Any, target: Target) -> tuple[Path, Any]:
    """The repository to search for tool definitions, and the file results point at otherwise."""
    from toolgrade.report.locate import Location, line_of, repository_root

    root = repository_root(settings.source.parent if settings.source else Path.cwd())
    for candidate, needle in ((settings.source, "toolgrade"), (Path(target.path) if target.path else None, "tools")):
        if candidate is not None:
            try:
                relative = candidate.resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            return root, Location(relative, line_of(candidate, needle))
    return root, None


def _write_reports(run: Any, settings: Any, fmt: str, output: str | None, files: list[tuple[str, str, bool]],
                   colour: bool) -> list[str]:
    """Write the main report (stdout or -o) and every (format, path, append) file. A report that
    cannot be written does not stop the others: the problems are returned, each as one line."""
    from toolgrade.report.documents import Results
    from toolgrade.report.render import render_document

    document = run.document()
    results = Results(lint=document, contract=document.get("contract"))

    def render(kind: str, styled: bool) -> str:
        if kind == "text":
            return _render(run.grade, "text", styled) + _contract_text(document.get("contract"))
        root, fallback = _sarif_context(settings, run.target) if kind == "sarif" else (None, None)
        return render_document(results, kind, root, fallback, indent=2 if styled or kind != "json" else None)

    problems = []
    _emit(render(fmt, colour), output, run.target, colour)
    for kind, path, append in files:
        try:
            text = mask_secrets(click.unstyle(render(kind, False)), run.target.secrets())
            with open(path, "a" if append else "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            problems.append(f"cannot write the {kind} report to {path}: {exc.strerror or exc}")
    return problems


def _contract_text(contract: dict[str, Any] | None) -> str:
    if not contract:
        return ""
    summary = contract["summary"]
    return (f"\ncontract ({contract['api']} mocked): {summary['passed']} of {summary['tools']} tools passed, "
            f"{summary['failed']} failed, {summary['not_testable']} not testable, {summary['errors']} errors; "
            f"scenarios {summary['scenarios'] - summary['scenarios_failed']}/{summary['scenarios']}\n")


def _report_gate(run: Any) -> None:
    """The gate's verdict on stderr: what fails, what is known debt, what changed."""
    failing = run.failing
    label = "regression" if run.baseline is not None else "gate failed"
    for failure in failing[:20]:
        click.echo(f"{label}: " + terminal_safe(failure.message, 300), err=True)
    if len(failing) > 20:
        click.echo(f"{label}: ... and {len(failing) - 20} more", err=True)
    if run.baseline is not None:
        diff = run.baseline
        click.echo(f"baseline {diff.file}: {len(diff.regressions)} regression(s), {len(diff.known)} known gate "
                   f"failure(s) not counted, {len(diff.changes)} changed definition(s)", err=True)
        _print_changes(diff.changes, "changed", "the baseline")
    if run.suppressed:
        click.echo(f"ignored: {len(run.suppressed)} finding(s) by per-tool ignores in the settings", err=True)


def _print_changes(changes: list[Any], label: str, since: str) -> None:
    """Each added, removed or changed tool definition on stderr, with its diff (sanitised)."""
    for change in changes:
        click.echo(f"{label}: {terminal_safe(change.tool, 80)} was {change.kind} since {since}", err=True)
        for line in change.diff.splitlines()[:80]:
            click.echo("  " + terminal_safe(line), err=True)


def _check_lock(catalog: Any, lock_path: str) -> bool:
    """Compare with the lock file; print each change (with its diff) on stderr. True if any."""
    from toolgrade.lock import compare, read_lock

    changes = compare(catalog, read_lock(Path(lock_path)))
    _print_changes(changes, "locked", lock_path)
    if not changes:
        click.echo(f"locked: every tool matches {lock_path}", err=True)
    return bool(changes)


def _graded(kw: dict[str, Any]) -> tuple[Target, Any, Any]:
    from toolgrade.scoring import grade

    target = _target_from(kw)
    catalog, rubric = catalog_and_rubric(target, kw["rubric"], kw["timeout"])
    return target, grade(catalog, rubric), rubric


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("tool")
@target_options
@rubric_option
def explain(tool: str, **kw: Any) -> None:
    """Explain one tool's scores: the evidence per dimension and the change that raises each.

    \b
      toolgrade explain invite_user -- npx -y portkey-admin-mcp
      toolgrade explain sync fixtures/demo_server/tools.json
    """
    from toolgrade.report.explain import render_explain

    target, result, rubric = _graded(kw)
    graded = result.tool(tool)
    if graded is None:
        names = [t.name for t in result.tools]
        close = [n for n in names if tool.lower() in n.lower()][:5]
        raise UsageError(f"no tool named {tool!r} on {target.display()}"
                         + (f"; did you mean {', '.join(close)}?" if close else f" ({len(names)} tools listed)"))
    _emit(render_explain(graded, rubric), None, target, False)


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@rubric_option
@click.option("--steps", type=click.IntRange(1, 100), default=15, show_default=True, help="At most this many steps.")
def plan(steps: int, **kw: Any) -> None:
    """A what-if plan: which tools to fix first to lift the server's score and tier."""
    from toolgrade.report.explain import render_plan
    from toolgrade.scoring.plan import what_if

    target, result, rubric = _graded(kw)
    _emit(render_plan(result, what_if(result, rubric, steps)), None, target, False)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List the finding codes, or show one in full (toolgrade rules TG201)."""
    from toolgrade.rules import rules as registry

    catalogue = registry()
    if code:
        rule = catalogue.get(code.upper())
        if rule is None:
            raise UsageError(f"no rule {code!r}; run `toolgrade rules` for the list")
        dimension = f", dimension {rule.dimension}" if rule.dimension else ""
        click.echo(f"{rule.code} {rule.name} ({rule.category}, {rule.severity}{dimension})\n\n{rule.summary}\n\n"
                   f"{rule.why}\n\nBad:  {rule.bad}\nGood: {rule.good}")
        return
    for rule in catalogue.values():
        click.echo(f"{rule.code}  {rule.severity:<7}  {rule.category:<13}  {rule.name}: {rule.summary}")


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@click.option("--api", default=None, help="The upstream API to mock [default: the settings' contract.api, or portkey].")
@click.option("--format", "fmt", type=click.Choice(REPORT_CHOICES), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--scenarios", "scenario_dir", type=click.Path(file_okay=False),
              help="Folder of scenario YAML files (default: the settings' contract.scenarios, or the bundled ones).")
@click.option("--no-scenarios", is_flag=True, help="Run the per-tool checks only.")
@click.option("--tool", "only", multiple=True, help="Exercise only this tool (repeatable).")
@click.option("--verbose", "-v", is_flag=True, help="List passing tools too.")
def contract(api: str | None, fmt: str, output: str | None, scenario_dir: str | None, no_scenarios: bool,
             only: tuple[str, ...], verbose: bool, **kw: Any) -> None:
    """Run every tool against a mock of the API it wraps, and check both boundaries.

    \b
      toolgrade contract --api portkey -- npx -y portkey-admin-mcp@0.12.0
      toolgrade contract --format json -o contract.json --config mcp.json --server portkey

    Exit 0 when every check passed, 1 when a check or scenario failed, 2 when the run could
    not start. Nothing leaves the machine: the server's base URL points at the mock, and Node
    servers get a preload that blocks any other host.
    """
    from toolgrade.contract.runner import run_contract
    from toolgrade.progress import Progress

    target, settings = _resolve(kw)
    api = api or settings.api
    scenario_dir = scenario_dir or settings.contract.get("scenarios")
    tools = list(only) or settings.contract.get("tools")
    with Progress() as progress:
        progress.stage(f"starting {target.display()}")
        result = run_contract(target, api, kw["timeout"], _scenarios(api, scenario_dir, no_scenarios), tools,
                              progress=progress)
    _emit_contract(result, fmt, output, target, verbose, settings)
    sys.exit(EXIT_OK if result.ok else EXIT_GATE_FAILED)


def _scenarios(api: str, folder: str | None, none: bool) -> list[Any]:
    """The scenario cases, read and validated before any server starts (a broken file is exit 2)."""
    from toolgrade.contract.scenarios import scenarios_for

    return [] if none else scenarios_for(api, folder)


def _emit_contract(result: Any, fmt: str, output: str | None, target: Target, verbose: bool,
                   settings: Any = None) -> None:
    from toolgrade.report.contract import render_contract_json, render_contract_text

    colour = sys.stdout.isatty() and not output
    if fmt == "json":
        text = render_contract_json(result, indent=2 if colour else None)
    elif fmt == "text":
        text = render_contract_text(result, style=click.style if colour else None, verbose=verbose)
    else:
        from toolgrade.config import Settings
        from toolgrade.report.documents import Results
        from toolgrade.report.render import render_document

        root, fallback = _sarif_context(settings or Settings(), target) if fmt == "sarif" else (None, None)
        text = render_document(Results(contract=result.to_json()), fmt, root, fallback)
    _emit(text, output, target, colour)


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@rubric_option
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Where to write it [default: the settings' baseline, or toolgrade-baseline.json].")
@click.option("--contract/--no-contract", "with_contract", default=None,
              help="Record the failing contract checks too (default: the settings' contract.enabled).")
def baseline(output: str | None, with_contract: bool | None, **kw: Any) -> None:
    """Record today's scores and findings, so `lint --baseline FILE` fails only on regressions.

    \b
      toolgrade baseline -o toolgrade-baseline.json -- node build/index.js
      toolgrade lint --baseline toolgrade-baseline.json -- node build/index.js
    """
    from toolgrade.baseline import DEFAULT_BASELINE, baseline_document, write_baseline
    from toolgrade.check import run_check
    from toolgrade.progress import Progress

    target, settings = _resolve(kw)
    with Progress() as progress:
        run = run_check(target, settings, rubric_path=kw["rubric"], timeout=kw["timeout"],
                        contract=settings.contract_on(with_contract),
                        progress=progress)
    path = Path(output or settings.baseline or DEFAULT_BASELINE)
    write_baseline(baseline_document(run.catalog, run.grade, run.contract), path)
    click.echo(f"wrote {path}: {len(run.grade.tools)} tools, server {run.grade.server.overall:.1f} tier "
               f"{run.grade.server.tier}, {sum(len(t.findings) for t in run.grade.tools)} findings"
               + (", contract failures recorded" if run.contract is not None else ""), err=True)


@cli.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(DOCUMENT_FORMATS), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--root", type=click.Path(file_okay=False, exists=True),
              help="SARIF: the repository to search for tool definitions [default: the current one].")
def report(results: tuple[str, ...], fmt: str, output: str | None, root: str | None) -> None:
    """Render saved results (`--format json` of lint, contract or demo) in another format.

    \b
      toolgrade report lint.json contract.json --format html -o toolgrade.html
      toolgrade report lint.json --format sarif -o toolgrade.sarif
    """
    from toolgrade.report.documents import load_results
    from toolgrade.report.locate import repository_root
    from toolgrade.report.render import render_document

    loaded = load_results(list(results))
    _emit(render_document(loaded, fmt, Path(root) if root else repository_root(Path.cwd())), output, None, False)
    if output:
        click.echo(f"wrote {output}", err=True)


@cli.command("lint-files")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@rubric_option
@click.option("--fail-under", type=click.FloatRange(0, 5), help="Fail if any tool scores under this.")
@click.option("--fail-on", metavar="SEVERITIES", help="Fail on findings of these severities, e.g. error.")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False), help="Settings file.")
@click.option("--no-settings", is_flag=True, help="Ignore any settings file.")
def lint_files(files: tuple[str, ...], fail_under: float | None, fail_on: str | None, **kw: Any) -> None:
    """Lint saved tools/list JSON files, one line each and the gate failures (for pre-commit)."""
    from toolgrade.check import run_check
    from toolgrade.config import load_settings
    from toolgrade.quality_gate import gates_from

    settings = load_settings(kw["settings_file"], discover=not kw["no_settings"])
    gates = gates_from(settings, fail_under, None, _severities(fail_on))
    failed = False
    for file in files:
        run = run_check(Target.file(file), settings, gates, rubric_path=kw["rubric"])
        server = run.grade.server
        verdict = "ok" if run.passed else f"{len(run.failing)} gate failure(s)"
        click.echo(f"{file}: {server.tool_count} tools, server {server.overall:.1f} tier {server.tier}: {verdict}")
        for failure in run.failing[:20]:
            click.echo(f"  {terminal_safe(failure.message, 300)}")
        failed = failed or not run.passed
    sys.exit(EXIT_GATE_FAILED if failed else EXIT_OK)


@cli.command()
@click.argument("api", default="portkey")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep it loopback).")
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True,
              help="Port; if it is taken, a free one is chosen and printed.")
@click.option("--key", help="The API key the mock accepts (default: a random one, printed).")
def mock(api: str, host: str, port: int, key: str | None) -> None:
    """Serve a mock of an upstream API (the Portkey Admin API) until interrupted.

    \b
      toolgrade mock portkey --port 8787
      PORTKEY_BASE_URL=http://127.0.0.1:8787/v1 PORTKEY_ALLOW_PRIVATE_BASE_URL=true \\
        PORTKEY_ALLOW_INSECURE_HTTP=true PORTKEY_API_KEY=<printed key> npx -y portkey-admin-mcp
    """
    import threading

    from toolgrade.contract.mock import CONTROL_PREFIX, MockApi, MockServer

    app = MockApi(api, key=key)
    server = MockServer(app, host=host, port=port).start()
    moved = f" (port {port} was taken)" if port and server.port != port else ""
    click.echo(f"mock {app.api.title} on {server.origin}{moved}")
    click.echo(f"  base URLs: {server.origin}/v1 and {server.origin}/v2")
    click.echo(f"  API key ({app.api.auth_header}): {app.key}")
    click.echo(f"  request log: GET {server.origin}{CONTROL_PREFIX}requests; faults: POST {server.origin}{CONTROL_PREFIX}faults")
    click.echo("  Ctrl-C stops it.")
    try:
        threading.Event().wait()
    finally:
        server.stop()


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@rubric_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
def scan(fmt: str, output: str | None, **kw: Any) -> None:
    """Only the security rules (TG901-TG910): poisoning, invisible text, shadowing, exfiltration,
    secrets, selection gaming, undisclosed capabilities. Same options and JSON layout as lint.

    Exit 1 when any finding has severity error (an attack), else 0.
    """
    from toolgrade.scoring import grade

    target = _target_from(kw)
    catalog, rubric = catalog_and_rubric(target, kw["rubric"], kw["timeout"])
    full = grade(catalog, rubric)
    tools = tuple(replace(t, findings=tuple(f for f in t.findings if f.category == "security")) for t in full.tools)
    result = replace(full, tools=tools, server=replace(full.server, findings=()))
    colour = sys.stdout.isatty() and not output
    _emit(_render(result, fmt, colour), output, target, colour)
    attacks = sum(1 for t in tools for f in t.findings if f.severity == "error")
    warnings = sum(1 for t in tools for f in t.findings if f.severity != "error")
    click.echo(f"scan: {attacks} attack finding(s), {warnings} warning(s) in {len(tools)} tools", err=True)
    sys.exit(EXIT_GATE_FAILED if attacks else EXIT_OK)


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@click.option("--contract", "contract_json", type=click.Path(dir_okay=False, exists=True),
              help="A `toolgrade contract --format json` report: observed HTTP methods outrank annotations.")
@click.option("--rate-limit", default="30/60", show_default=True, metavar="N/SECONDS",
              help="The window suggested for write tools.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the policy YAML to this file.")
def policy(contract_json: str | None, rate_limit: str, output: str | None, **kw: Any) -> None:
    """Suggest a policy for a policy proxy: allow reads, rate-limit writes, require approval for
    destructive and execute tools, each with the reason (YAML, schemas/policy.schema.json)."""
    import yaml

    from toolgrade.risk import suggest_policy

    count, _, seconds = rate_limit.partition("/")
    if not (count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0):
        raise UsageError(f"--rate-limit {rate_limit!r} is not N/SECONDS, e.g. 30/60")
    contract = None
    if contract_json:
        from toolgrade.report.documents import load_results

        contract = load_results([contract_json]).contract  # a contract report, or a lint run that ran one
        if contract is None:
            raise UsageError(f"--contract {contract_json}: no contract results in it; give a "
                             "`toolgrade contract --format json` report")
    target = _target_from(kw)
    catalog = load_catalog(target, timeout=kw["timeout"])
    document = suggest_policy(catalog, contract, {"requests": int(count), "per_seconds": int(seconds)})
    text = "# Suggested by toolgrade policy; review before use.\n" + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100)
    _emit(text, output, target, False)


@cli.command(context_settings={"ignore_unknown_options": True})
@target_options
@click.option("--lock", "lock_path", default="toolgrade.lock", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the lock file.")
def lock(lock_path: str, **kw: Any) -> None:
    """Pin the server's tool definitions (input hash + definition per tool) in a lock file;
    `toolgrade lint --locked` then fails when any tool was added, removed or changed."""
    from toolgrade.lock import write_lock

    target = _target_from(kw)
    catalog = load_catalog(target, timeout=kw["timeout"])
    write_lock(catalog, Path(lock_path))
    click.echo(f"wrote {lock_path}: {len(catalog.tools)} tools of {terminal_safe(catalog.server.name or target.display(), 80)}")


def demo_target() -> Target:
    """The built-in demo: our Portkey-style admin server in fixtures/, over real stdio."""
    server = data_dir("fixtures") / "demo_server" / "server.py"
    return Target.stdio(sys.executable, [str(server)], label="toolgrade demo server (fixtures/demo_server)")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-contract", is_flag=True, help="Lint only; skip the contract run against the mocked API.")
def demo(fmt: str, no_contract: bool) -> None:
    """Lint the built-in demo server, then contract-test it against the mocked Portkey API.

    The demo server (fixtures/demo_server, over real stdio) has definitions from excellent to
    poor and two defects only a contract run finds. Exit 0: a demo shows findings, it does not
    gate. With --format json the output is {"lint": ..., "contract": ...}.
    """
    import json

    from toolgrade.scoring import grade

    target = demo_target()
    result = grade(*catalog_and_rubric(target, None, 30.0))
    colour = sys.stdout.isatty()
    contract_result = None
    if not no_contract:
        from toolgrade.contract.runner import run_contract

        contract_result = run_contract(target, "portkey", 30.0)  # the demo has none of the scenarios' tools
    if fmt == "json":
        from toolgrade.report.json_report import grade_json

        doc = {"lint": grade_json(result, __version__), "contract": contract_result.to_json() if contract_result else None}
        _emit(json.dumps(doc, indent=2 if colour else None, ensure_ascii=False) + "\n", None, target, colour)
        return
    _emit(_render(result, fmt, colour), None, target, colour)
    if contract_result is not None:
        from toolgrade.report.contract import render_contract_text

        click.echo("")
        _emit(render_contract_text(contract_result, style=click.style if colour else None), None, target, colour)


def main() -> None:
    """Entry point: run click without its exit handling, so every error is one line."""
    try:
        cli.main(standalone_mode=False)
    except ToolgradeError as exc:
        click.echo(f"toolgrade: error: {terminal_safe(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("toolgrade: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"toolgrade: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("toolgrade: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a bug must still not print a traceback to users
        if os.environ.get("TOOLGRADE_DEBUG"):
            raise
        click.echo(f"toolgrade: internal error: {exc.__class__.__name__}: {terminal_safe(str(exc), 300)} "
                   "(set TOOLGRADE_DEBUG=1 for the traceback, and please report it)", err=True)
        sys.exit(EXIT_INTERNAL)
