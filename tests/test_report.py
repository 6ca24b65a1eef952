"""Report-only mode, the uagate logger, the on_verdict hook and the verdict in scope state.

Also the scan report (``uagate.report``): what it writes of hostile log text, and
how it counts visitors (exactly, then by a HyperLogLog estimate).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import unicodedata
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from uagate import Reason, UAGateMiddleware, Verdict
from uagate.logscan import (
    VISITORS_RELATIVE_ERROR,
    DistinctCount,
    FileSummary,
    ScanReport,
    _fingerprint,
)
from uagate.report import render_csv, render_html, render_json, render_table
from uagate.testing import CHROME, IE8, IE11

from .conftest import load_example


async def show_verdict(request: Request) -> PlainTextResponse:
    """An endpoint that shows the verdict the gate left in request.state."""
    verdict: Verdict | None = getattr(request.state, "uagate", None)
    if verdict is None:
        return PlainTextResponse("no verdict")
    return PlainTextResponse(f"{verdict.gated} {verdict.reason}")


def client_for(**options: Any) -> TestClient:
    """A Starlette app that shows request.state.uagate, behind the gate."""
    return TestClient(
        UAGateMiddleware(Starlette(routes=[Route("/{p:path}", show_verdict)]), **options)
    )


def uagate_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The records the uagate logger wrote."""
    return [record for record in caplog.records if record.name == "uagate"]


def test_report_only_lets_everything_through(caplog: pytest.LogCaptureFixture) -> None:
    """report_only=True: IE reaches the app, with the would-be verdict in request.state."""
    with caplog.at_level(logging.INFO, logger="uagate"):
        response = client_for(report_only=True).get("/shop", headers={"User-Agent": IE11})
    assert response.status_code == 200
    assert response.text == "True internet-explorer"
    [record] = uagate_records(caplog)
    assert record.levelno == logging.INFO
    assert "would gate" in record.getMessage()
    assert record.uagate_report_only is True  # type: ignore[attr-defined]


def test_gated_request_logs_one_info_record(caplog: pytest.LogCaptureFixture) -> None:
    """One INFO record per gated request, with family, version, reason and path."""
    with caplog.at_level(logging.DEBUG, logger="uagate"):
        client_for().get("/account/settings", headers={"User-Agent": IE8})
    [record] = uagate_records(caplog)
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    assert (
        record.uagate_family,  # type: ignore[attr-defined]
        record.uagate_version,  # type: ignore[attr-defined]
        record.uagate_reason,  # type: ignore[attr-defined]
        record.uagate_path,  # type: ignore[attr-defined]
    ) == ("IE", "8.0", "internet-explorer", "/account/settings")
    message = record.getMessage()
    assert message.startswith("uagate: gated ")
    for part in ("IE 8.0", "(internet-explorer)", "GET", "/account/settings"):
        assert part in message


def test_passed_requests_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """Ordinary passed traffic writes no log record at all."""
    with caplog.at_level(logging.DEBUG, logger="uagate"):
        for user_agent in (CHROME, "curl/8.0", "", "garbage"):
            client_for().get("/", headers={"User-Agent": user_agent})
    assert uagate_records(caplog) == []


def test_verdict_is_in_scope_state_for_passed_requests() -> None:
    """A passed request carries its verdict in scope['state']['uagate']."""
    assert client_for().get("/", headers={"User-Agent": CHROME}).text == "False supported"
    assert client_for().get("/", headers={"User-Agent": "-"}).text == "False no-user-agent"


def test_sync_hook_sees_every_verdict() -> None:
    """on_verdict is called with the request and verdict, gated or passed."""
    seen: list[tuple[str, bool, Reason]] = []

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        seen.append((request.url.path, verdict.gated, verdict.reason))

    client = client_for(on_verdict=hook)
    client.get("/a", headers={"User-Agent": IE11})
    client.get("/b", headers={"User-Agent": CHROME})
    assert seen == [
        ("/a", True, Reason.INTERNET_EXPLORER),
        ("/b", False, Reason.SUPPORTED),
    ]


def test_async_hook_is_awaited() -> None:
    """An async on_verdict hook is awaited."""
    seen: list[Reason] = []

    async def hook(request: HTTPConnection, verdict: Verdict) -> None:
        seen.append(verdict.reason)

    client_for(on_verdict=hook).get("/", headers={"User-Agent": IE11})
    assert seen == [Reason.INTERNET_EXPLORER]


@pytest.mark.parametrize("is_async", [False, True])
def test_hook_that_raises_never_breaks_the_request(
    is_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """A hook that raises is logged; IE still gets the page and Chrome the app."""

    def sync_hook(request: HTTPConnection, verdict: Verdict) -> None:
        raise RuntimeError("metrics down")

    async def async_hook(request: HTTPConnection, verdict: Verdict) -> None:
        raise RuntimeError("metrics down")

    client = client_for(on_verdict=async_hook if is_async else sync_hook)
    with caplog.at_level(logging.WARNING, logger="uagate"):
        assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
        assert client.get("/", headers={"User-Agent": CHROME}).text == "False supported"
    failures = [r for r in uagate_records(caplog) if "metrics down" in r.getMessage()]
    assert len(failures) == 1  # logged once per cause
    assert failures[0].exc_info is not None


def test_hook_must_be_callable() -> None:
    """on_verdict that is not callable fails at construction."""
    with pytest.raises(TypeError, match="on_verdict"):
        UAGateMiddleware(show_verdict, on_verdict="count")  # type: ignore[arg-type]


def test_metrics_example_counts_verdicts() -> None:
    """examples/metrics.py counts verdicts with prometheus_client and shows a banner."""
    example = load_example("metrics")
    client = TestClient(example.app)
    assert client.get("/", headers={"User-Agent": IE11}).text.startswith("Your browser will soon")
    assert client.get("/", headers={"User-Agent": CHROME}).text == "Hello!"
    client.get("/", headers={"User-Agent": CHROME})
    metrics = client.get("/metrics").text
    assert 'uagate_verdicts_total{gated="true",reason="internet-explorer"} 1.0' in metrics
    assert 'uagate_verdicts_total{gated="false",reason="supported"} 2.0' in metrics


def test_a_path_cannot_forge_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    """CR and LF decoded from the path never reach the log record."""
    import asyncio

    from .conftest import hello_asgi, http_scope, run_asgi

    scope = http_scope([(b"user-agent", IE11.encode())], path="/a\r\nuagate: gated forged")
    with caplog.at_level(logging.INFO, logger="uagate"):
        asyncio.run(run_asgi(UAGateMiddleware(hello_asgi), scope))
    [record] = uagate_records(caplog)
    assert "\r" not in record.getMessage()
    assert "\n" not in record.getMessage()


# uagate.report: the scan report, as a table, JSON, CSV and an HTML page


def hostile_scan_report() -> ScanReport:
    """A scan report whose gated clients and file name came from hostile logs."""
    report = ScanReport("default", requests=10, gated=6)
    report.gated_by_client.update(
        {"\x1b[2J\x1b]0;pwned\x07App 1": 2, '=HYPERLINK("http://x","y") 1': 2, "@SUM(1) 1": 1}
    )
    report.gated_by_client["-2+3\x9b 1"] = 1
    report.gated_by_reason["trident-app"] = 6
    report.days["2026-11-01"] = [4, 2]
    report.earlier_days[:] = [6, 4]
    report.files.append(FileSummary("/logs/access-\udcff\x1b[2J.log", "combined", 10, 0))
    return report


def test_scan_report_renderers_write_no_control_characters() -> None:
    """Every rendering leaves out control characters, and is valid UTF-8."""
    report = hostile_scan_report()
    for render in (render_table, render_json, render_csv, render_html):
        text = render(report)
        text.encode("utf-8")  # no lone surrogate
        controls = [char for char in text if unicodedata.category(char) == "Cc"]
        assert set(controls) <= {"\n"}, render
        assert "[2J]0;pwnedApp 1" in text, render
    page = render_html(report)
    assert '<td data-field="name">/logs/access-\\xff[2J.log</td>' in page
    assert json.loads(render_json(report))["files"][0]["name"] == "/logs/access-\\xff[2J.log"


def test_scan_report_csv_cells_are_never_formulas() -> None:
    """OWASP's rule: a text cell that starts a formula gets a quote in front."""
    rows = list(csv.reader(io.StringIO(render_csv(hostile_scan_report()))))
    clients = [row[1] for row in rows if row[0] == "client"]
    assert clients == [
        "[2J]0;pwnedApp 1",
        '\'=HYPERLINK("http://x","y") 1',
        "'-2+3 1",
        "'@SUM(1) 1",
    ]
    assert ["earlier_days", "all", "6", "4", "0.666667", "", "", ""] in rows


def test_scan_report_earlier_days_row() -> None:
    """Days before those kept show as one "earlier days" row, marked apart in the page."""
    report = hostile_scan_report()
    table = render_table(report).splitlines()
    days = table.index(next(line for line in table if line.startswith("day ")))
    assert table[days + 1].split() == ["earlier", "days", "6", "4", "66.67%"]
    assert table[days + 2].split() == ["2026-11-01", "4", "2", "50.00%"]
    assert '<td data-field="earlier_days">earlier days</td>' in render_html(report)
    assert json.loads(render_json(report))["earlier_days"] == {"requests": 6, "gated": 4}
    assert "/logs/access-\\xff[2J.log" in render_table(report)


# Visitors: exact up to a limit, then a HyperLogLog estimate


def test_distinct_count_is_exact_up_to_its_limit() -> None:
    """Up to the limit each distinct value counts once, however often it comes."""
    count = DistinctCount(limit=1_000)
    for _ in range(3):
        count.update(range(1_000))
    assert (count.exact, count.count()) == (True, 1_000)
    count.update([1_000])
    assert count.exact is False
    assert count.count() >= 1_001  # never less than the values it had already seen


@pytest.mark.parametrize("size", [5_000, 60_000, 300_000])
def test_distinct_count_estimates_within_its_stated_error(size: int) -> None:
    """Past the limit the estimate stays within 4 standard errors, on look-alike keys too.

    The keys are addresses in sequence with one User-Agent: fingerprints with a
    shared structure, which the sketch must mix before it uses their bits.
    """
    count = DistinctCount(limit=1_000)
    fingerprints = [
        _fingerprint(f"10.{n >> 16}.{n >> 8 & 255}.{n & 255}".encode(), IE11.encode())
        for n in range(size)
    ]
    count.update(fingerprints)
    count.update(fingerprints[: size // 2])  # seen again: no change
    assert abs(count.count() / size - 1) < 4 * VISITORS_RELATIVE_ERROR
    assert round(VISITORS_RELATIVE_ERROR, 6) == 0.008125


def test_scan_report_says_when_visitors_are_estimated() -> None:
    """A report with an estimated count says so, and how well, in every rendering."""
    report = ScanReport("default", requests=5_000)
    report.people_visitors = DistinctCount(limit=100)
    report.people_visitors.update(range(4_000))
    assert json.loads(render_json(report))["visitors_exact"] is False
    assert json.loads(render_json(report))["visitors_relative_error"] == 0.008125
    table = render_table(report)
    assert "estimates" in table
    assert "HyperLogLog" in table
    assert "relative standard error of 0.81%" in table
    assert "relative standard error of 0.81%" in render_html(report)
    assert "visitors_error" in render_csv(report).splitlines()[0]
    assert ",0.008125" in render_csv(report).splitlines()[1]
