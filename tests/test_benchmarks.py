"""Smoke runs of the benchmarks at small sizes: they run and print their tables.

No timing is asserted here (the figures are in docs/performance.md, from the
full runs); these only keep the benchmark scripts working. They are opt-in:
together they take over a minute (they time things, and some start servers
and child processes), so they run only with ``UAGATE_BENCH_TESTS=1``
(docs/development.md), and skip otherwise, in CI too.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from .conftest import ROOT, corpus_path

pytestmark = pytest.mark.skipif(
    os.environ.get("UAGATE_BENCH_TESTS") != "1",
    reason="benchmark smoke runs are opt-in: set UAGATE_BENCH_TESTS=1 to run them",
)


@pytest.fixture(autouse=True)
def _benchmarks_importable() -> Iterator[None]:
    """Make benchmarks/ importable, with the corpus checked first."""
    corpus_path()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    yield
    sys.path.remove(str(ROOT / "benchmarks"))


def load(name: str) -> ModuleType:
    """Import a benchmark module by name."""
    return importlib.import_module(name)


def test_requests_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_requests runs every variant in its own process and prints their ratios."""
    medians = load("bench_requests").main(
        ["--requests", "2000", "--naive-requests", "100", "--rounds", "1"]
    )
    assert set(medians) == {
        "bare app",
        "oracle, default",
        "oracle, modern",
        "oracle as a class, default",
        "oracle with its page, modern",
        "uagate cold, default",
        "uagate cold, modern",
        "uagate seen, default",
        "uagate seen, modern",
        "naive (user_agents.parse)",
    }
    assert all(value > 0 for value in medians.values())
    out = capsys.readouterr().out
    assert "default: cold / oracle" in out
    assert "modern: seen / oracle" in out


def test_worst_case_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_worst decides every kind and size of hostile string."""
    results = load("bench_worst").main(["--repeats", "1"])
    assert len(results) == 7 * 3
    assert "slowest uagate decision" in capsys.readouterr().out


def test_memory_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_memory measures both policies in child processes."""
    growth = load("bench_memory").main(["--requests", "3000"])
    assert set(growth) == {"default", "Policy.modern()", "60 KB, cap 65536"}
    assert "largest growth" in capsys.readouterr().out


def test_http_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_http serves both apps, bare and gated, with both of uvicorn's HTTP implementations."""
    arguments = ["--seconds", "1", "--rounds", "1", "--connections", "4", "--client", "asyncio"]
    medians = load("bench_http").main([*arguments, "--http", "h11", "httptools"])
    assert set(medians) == {
        f"{kind} {app}"
        for kind in ("h11", "httptools")
        for app in ("bare", "gated", "starlette", "starlette_gated")
    }
    assert all(value > 0 for value in medians.values())
    out = capsys.readouterr().out
    assert "uagate / bare, hello, httptools" in out
    assert "uagate / bare, starlette, httptools" in out


def test_scan_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_scan builds a log from the corpus and scans it, once and three times over."""
    src = str(ROOT / "src")  # another version's src: this one's, for the smoke run
    results = load("bench_scan").main(["--lines", "20000", "--runs", "1", "--compare", src])
    assert results["requests"] + results["unreadable_lines"] == 20_000
    assert results["lines_per_second"] > 0
    assert results["floor_lines_per_second"] > 0
    assert results["compare_lines_per_second"][src] > 0
    out = capsys.readouterr().out
    assert "lines per second" in out
    assert f"the same, {src}" in out
    assert "at most" in out


def test_scan_benchmark_measures_memory_of_distinct_user_agents(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """bench_scan --distinct scans a log of all distinct User-Agents from standard input."""
    results = load("bench_scan").main(["--distinct", "2000"])
    assert results["2000"]["distinct_user_agents"] == 2000
    assert "peak MB" in capsys.readouterr().out


def test_distinct_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_distinct compares DataSketches' sketch with the hand-written one."""
    results = load("bench_distinct").main(["--sizes", "20000", "--runs", "1"])
    assert set(results["20000"]["estimates"]) == {"hand-written", "datasketches"}
    assert "datasketches / hand-written" in capsys.readouterr().out


def test_hostile_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_hostile times every gate on random and crafted hostile requests."""
    slowest = load("bench_hostile").main(["--requests", "300", "--naive-requests", "20"])
    assert len(slowest) == 4
    assert "slowest uagate request" in capsys.readouterr().out


def test_redos_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """bench_redos times every pattern on every shape and names the slowest."""
    results = load("bench_redos").main(["--size", "2048", "--repeats", "1", "--show", "3"])
    assert len(results) >= 25 * 14
    assert "slowest:" in capsys.readouterr().out
