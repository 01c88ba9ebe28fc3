"""The HTML report in a real headless Chromium (Debian's, driven by Playwright): it renders
without console errors, sorting and filtering work, and hostile tool text executes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAYLOAD = ('<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2; alert(2)">'
           '</td></tr></table><script>window.__pwned = 3</script>')


def _browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the [test] extra has it)")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: scripts/setup-browser.sh installs it when run as root with apt")
    return sync_api


def _hostile_catalog(path: Path) -> Path:
    tools = [
        {"name": "list_invites", "description": "List pending user invites, newest first, 50 a page. Use get_invite for one.",
         "inputSchema": {"type": "object", "properties": {"page": {"type": "integer", "description": "Page, from 1"}}},
         "annotations": {"readOnlyHint": True}},
        {"name": "get_invite", "description": "Get one invite by id with its email, role and expiry.",
         "inputSchema": {"type": "object", "properties": {"invite_id": {"type": "string"}}, "required": ["invite_id"]}},
        {"name": "x<img src=x onerror=\"window.__pwned=4\">", "description": PAYLOAD,
         "inputSchema": {"type": "object", "properties": {"q": {"type": "string", "description": PAYLOAD}}}},
        {"name": "delete_invite", "description": "Delete",
         "inputSchema": {"type": "object", "properties": {"id": {"type": "string"}}}},
        {"name": "Zeta_tool", "inputSchema": {"type": "object"}},
    ]
    path.write_text(json.dumps({"tools": tools}), encoding="utf-8")
    return path


def test_html_report_renders_sorts_filters_and_runs_no_hostile_text(tmp_path):
    sync_api = _browser()
    report = tmp_path / "report.html"
    proc = run_cli("lint", "--fail-under", "3", "--format", "html", "-o", str(report),
                   str(_hostile_catalog(tmp_path / "tools.json")))
    assert proc.returncode == 1, proc.stderr  # the gate failed; the report is written all the same
    html = report.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and 'onerror="window' not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing loads from the network
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            dialogs: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            assert page.title().startswith("toolgrade report")
            rows = page.locator("#tools tbody tr")
            assert rows.count() == 5
            assert page.inner_text("#verdict") == "gate failed"
            assert len(page.locator("#distribution svg").all()) == 6

            def column(n: int) -> list[str]:
                return [text.strip() for text in page.locator(f"#tools tbody tr:not([hidden]) td:nth-child({n})").all_inner_texts()]

            page.click("#tools thead th:nth-child(2)")  # Score, ascending
            scores = [float(s) for s in column(2)]
            assert scores == sorted(scores)
            page.click("#tools thead th:nth-child(2)")  # and descending
            assert [float(s) for s in column(2)] == sorted(scores, reverse=True)
            assert page.get_attribute("#tools thead th:nth-child(2)", "aria-sort") == "descending"
            page.click("#tools thead th:nth-child(1)")  # Tool name, A-Z, case-insensitive
            names = column(1)
            assert names == sorted(names, key=str.lower)
            page.fill("#filter-text", "invite")
            assert set(column(1)) == {"list_invites", "get_invite", "delete_invite"}
            assert page.inner_text("#filter-count") == "3 of 5 tools"
            page.fill("#filter-text", "")
            page.check("#filter-failing")
            assert "list_invites" not in column(1) and "Zeta_tool" in column(1)
            page.uncheck("#filter-failing")
            # The hostile text is shown as text, and nothing of it ran.
            assert PAYLOAD[:40] in page.inner_text("#details")
            assert 'x<img src=x onerror="window.__pwned=4">' in column(1)
            assert page.evaluate("window.__pwned") is None
            assert page.locator("img").count() == 0
            assert dialogs == []
            assert errors == []
            shot = Path(os.environ.get("TOOLGRADE_SCREENSHOT_DIR", tmp_path)) / "html-report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
