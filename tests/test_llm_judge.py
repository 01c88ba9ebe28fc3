"""The LLM judge against a fake OpenAI-compatible endpoint on loopback (real HTTP)."""

from __future__ import annotations

import json
import sys
import time

import pytest

from conftest import FIXTURES, run_cli

sys.path.insert(0, str(FIXTURES / "llm"))
from fake_openai import FakeLLM  # noqa: E402

DEMO = str(FIXTURES / "demo_server" / "tools.json")
TOOL_COUNT = 12


@pytest.fixture
def fake_llm():
    started: list[FakeLLM] = []

    def start(mode: str = "good", delay: float = 5.0) -> tuple[FakeLLM, str]:
        fake = FakeLLM(mode, delay)
        url = fake.start()
        started.append(fake)
        return fake, url

    yield start
    for fake in started:
        fake.stop()


def _lint(url: str, cache, *extra: str, engine: str = "llm"):
    return run_cli("lint", "--format", "json", "--engine", engine, "--llm-base-url", url, "--llm-model", "fake-1",
                   "--llm-cache", str(cache), *extra, DEMO, env={"OPENAI_API_KEY": "sk-fake-secret-key-123"})


def test_llm_engine_scores_and_warm_cache_makes_no_calls(fake_llm, tmp_path):
    fake, url = fake_llm("good")
    first = _lint(url, tmp_path / "cache")
    assert first.returncode == 0, first.stderr
    assert fake.requests == TOOL_COUNT
    report = json.loads(first.stdout)
    assert report["engine"] == "llm"
    for tool in report["tools"]:
        level = 1 + len(tool["name"]) % 5
        assert set(tool["scores"].values()) == {level}
        assert tool["alternate"]["engine"] == "deterministic"
    second = _lint(url, tmp_path / "cache")
    assert second.returncode == 0
    assert fake.requests == TOOL_COUNT  # no new call: every verdict came from the cache
    assert json.loads(second.stdout)["tools"] == report["tools"]
    assert "sk-fake-secret-key-123" not in first.stdout + first.stderr


def test_cache_key_includes_model_and_rubric(fake_llm, tmp_path):
    fake, url = fake_llm("good")
    _lint(url, tmp_path / "c")
    run_cli("lint", "--format", "json", "--engine", "llm", "--llm-base-url", url, "--llm-model", "fake-2",
            "--llm-cache", str(tmp_path / "c"), DEMO)
    assert fake.requests == 2 * TOOL_COUNT


def test_malformed_answer_is_retried(fake_llm, tmp_path):
    fake, url = fake_llm("malformed-once")
    proc = _lint(url, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert fake.requests == 2 * TOOL_COUNT
    assert all(t["engine"] == "llm" for t in json.loads(proc.stdout)["tools"])


@pytest.mark.parametrize("mode, needle", [("always-bad", "no valid verdict"), ("out-of-range", "no valid verdict"),
                                          ("http-500", "HTTP 500")])
def test_bad_answers_fail_clearly(fake_llm, tmp_path, mode, needle):
    _, url = fake_llm(mode)
    proc = _lint(url, tmp_path / "cache")
    assert proc.returncode == 2
    assert needle in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_slow_answer_is_cut_at_the_timeout(fake_llm, tmp_path):
    _, url = fake_llm("slow", delay=10)
    start = time.monotonic()
    proc = _lint(url, tmp_path / "cache", "--llm-timeout", "1")
    assert proc.returncode == 2 and "did not answer within 1s" in proc.stderr
    assert time.monotonic() - start < 9


def test_engine_both_shows_the_two_side_by_side(fake_llm, tmp_path, lint_report_schema):
    import jsonschema

    _, url = fake_llm("good")
    proc = _lint(url, tmp_path / "cache", engine="both")
    report = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(lint_report_schema).validate(report)
    sync = next(t for t in report["tools"] if t["name"] == "sync")
    assert sync["scores"]["purpose"] == 1 and sync["alternate"]["engine"] == "llm"
    text = run_cli("lint", "--engine", "both", "--llm-base-url", url, "--llm-model", "fake-1",
                   "--llm-cache", str(tmp_path / "cache"), DEMO)
    assert "llm engine, same tools:" in text.stdout


def test_missing_llm_settings_is_a_clear_error():
    proc = run_cli("lint", "--engine", "llm", DEMO, env={"TOOLGRADE_LLM_BASE_URL": "", "TOOLGRADE_LLM_MODEL": ""})
    assert proc.returncode == 2 and "--llm-base-url" in proc.stderr


def test_unreachable_endpoint(tmp_path):
    proc = _lint("http://127.0.0.1:9/v1", tmp_path / "cache")
    assert proc.returncode == 2 and "cannot reach the LLM endpoint" in proc.stderr
