"""The scan report's headline and charts: pages by reason, people's share, days drawn.

Logs are scanned by the real :class:`~uagate.logscan.LogScanner`; the pages'
headings are the ones the real gate serves; the charts are read back from the
SVG text, and drawn by a real headless Chromium.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from starlette.testclient import TestClient

from uagate import Policy, UAGateMiddleware
from uagate.logscan import DistinctCount, ScanReport
from uagate.report import render_csv, render_html, render_json, render_table
from uagate.testing import (
    BINGBOT,
    CHROME,
    FIREFOX,
    GOOGLEBOT,
    IE11,
    IE11_COMPATIBILITY_VIEW,
    OUTLOOK,
)

from .conftest import CHROME_100, hello_asgi, scan_logs

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def log_line(address: str, user_agent: str, day: date = date(2026, 11, 1)) -> str:
    """One combined log line from ``address`` on ``day``."""
    when = f"{day.day:02d}/{_MONTHS[day.month - 1]}/{day.year:04d}:10:00:00 +0000"
    return f'{address} - - [{when}] "GET / HTTP/1.1" 200 512 "-" "{user_agent}"'


def jsonl_line(address: str, user_agent: str, day: date = date(2026, 11, 1)) -> str:
    """The same request as a JSON lines record."""
    record = {"remote_addr": address, "user_agent": user_agent, "time": f"{day}T10:00:00Z"}
    return json.dumps(record)


def scan(tmp_path: Path, policy: Policy, lines: Iterable[str]) -> ScanReport:
    """The report of one log holding ``lines``, scanned under ``policy``."""
    path = tmp_path / "access.log"
    path.write_text("".join(line + "\n" for line in lines))
    return scan_logs(path, policy=policy)


def csv_rows(report: ScanReport, section: str) -> list[dict[str, str]]:
    """The CSV report's rows of one section."""
    rows = csv.DictReader(io.StringIO(render_csv(report)))
    return [row for row in rows if row["section"] == section]


def served_heading(policy: Policy, user_agent: str) -> str:
    """The heading of the page the gate itself serves ``user_agent`` under ``policy``."""
    response = TestClient(UAGateMiddleware(hello_asgi, policy=policy)).get(
        "/", headers={"User-Agent": user_agent}
    )
    assert response.status_code == 406
    [heading] = re.findall(r"<h1[^>]*>(.*?)</h1>", response.text)
    return html.unescape(str(heading))


# 1. The headline counts the requests by the page they would get, by reason


def modern_log() -> list[str]:
    """Three IE 11, one Outlook and two Chrome 100 requests, and four current Chrome ones."""
    return [
        *(log_line(f"10.0.0.{n}", IE11) for n in range(3)),
        log_line("10.0.1.1", OUTLOOK),
        *(log_line(f"10.0.2.{n}", CHROME_100) for n in range(2)),
        *(log_line(f"10.0.3.{n}", CHROME) for n in range(4)),
    ]


def test_headline_json_counts_outdated_browsers_apart_from_ie(tmp_path: Path) -> None:
    """Under the modern policy, outdated Chrome gets its own page, not IE's, in the JSON."""
    report = json.loads(render_json(scan(tmp_path, Policy.modern(), modern_log())))
    assert report["pages_served"] == [
        {
            "page": "We don't support Internet Explorer",
            "requests": 4,
            "share": 0.4,
            "reasons": [
                {"reason": "internet-explorer", "requests": 3},
                {"reason": "trident-app", "requests": 1},
            ],
        },
        {
            "page": "Your browser is out of date",
            "requests": 2,
            "share": 0.2,
            "reasons": [{"reason": "outdated", "requests": 2}],
        },
    ]


def test_headline_table_counts_outdated_browsers_apart_from_ie(tmp_path: Path) -> None:
    """The table's headline lists each page with the requests and reasons that get it."""
    table = render_table(scan(tmp_path, Policy.modern(), modern_log())).splitlines()
    start = table.index(next(line for line in table if line.startswith("pages served")))
    assert table[start : start + 4] == [
        'pages served          "We don\'t support Internet Explorer": 4 (40.00%)',
        "                        internet-explorer 3, trident-app 1",
        '                      "Your browser is out of date": 2 (20.00%)',
        "                        outdated 2",
    ]


def test_headline_csv_counts_outdated_browsers_apart_from_ie(tmp_path: Path) -> None:
    """The CSV has a row per page, its share of all requests."""
    rows = csv_rows(scan(tmp_path, Policy.modern(), modern_log()), "page")
    assert [(row["key"], row["requests"], row["share"]) for row in rows] == [
        ("We don't support Internet Explorer", "4", "0.400000"),
        ("Your browser is out of date", "2", "0.200000"),
    ]


def test_headline_html_does_not_call_every_gated_request_ie(tmp_path: Path) -> None:
    """The page's headline names each page with its share; a table gives their reasons."""
    page = render_html(scan(tmp_path, Policy.modern(), modern_log()))
    headline = page.split('<table id="summary"', 1)[0]
    assert "get the \u201cWe don't support Internet Explorer\u201d page" not in headline
    assert (
        " The pages: \u201cWe don&#x27;t support Internet Explorer\u201d for 40.00%, "
        "\u201cYour browser is out of date\u201d for 20.00% of all requests.</p>"
    ) in headline
    rows = re.findall(
        r'<tr><td data-field="page">\u201c(.*?)\u201d</td><td data-field="requests">(\d+)</td>'
        r'<td data-field="share">(.*?)</td><td data-field="reasons">(.*?)</td></tr>',
        page.split('<table id="pages">', 1)[1].split("</table>", 1)[0],
    )
    assert rows == [
        ("We don&#x27;t support Internet Explorer", "4", "40.00%",
         "internet-explorer 3, trident-app 1"),
        ("Your browser is out of date", "2", "20.00%", "outdated 2"),
    ]  # fmt: skip


def test_headline_names_the_page_the_gate_serves_for_each_reason(tmp_path: Path) -> None:
    """Every gate reason is counted under the heading of the page the gate really serves."""
    policy = Policy(
        gate_ie=False,
        min_versions={"ie": 10, "chrome": 120},
        predicate=lambda client: client.family == "Firefox",
    )
    user_agents = {
        "trident-app": OUTLOOK,
        "outdated": CHROME_100,
        "compatibility-view": IE11_COMPATIBILITY_VIEW,
        "predicate": FIREFOX,
    }
    lines = [
        log_line(f"10.0.0.{n}", user_agent)
        for n, user_agent in enumerate(user_agents.values())
        for _ in range(n + 1)
    ]
    report = json.loads(render_json(scan(tmp_path, policy, lines)))
    pages = {
        (entry["page"], entry["requests"], tuple(r["reason"] for r in entry["reasons"]))
        for entry in report["pages_served"]
    }
    assert pages == {
        (served_heading(policy, user_agent), n + 1, (reason,))
        for n, (reason, user_agent) in enumerate(user_agents.items())
    }
    assert len({page for page, _, _ in pages}) == 4


# 2. The share of people gated: requests and visitors, bots left out


def people_log(make: Callable[[str, str], str] = log_line) -> list[str]:
    """Two IE 11 visitors (3 requests), three Chrome ones, Bingbot (3) and Googlebot (1).

    Bingbot presents as IE 11: a policy that gates bots gates it too.
    """
    return [
        make("10.0.0.1", IE11),
        make("10.0.0.1", IE11),
        make("10.0.0.2", IE11),
        *(make(f"10.0.1.{n}", CHROME) for n in range(3)),
        *(make("10.0.2.1", BINGBOT) for _ in range(3)),
        make("10.0.3.1", GOOGLEBOT),
    ]


@pytest.mark.parametrize("line", [log_line, jsonl_line], ids=["combined", "jsonl"])
def test_people_share_leaves_gated_bots_out(
    tmp_path: Path, line: Callable[[str, str], str]
) -> None:
    """With gate_bots, the people's share is of people only: 3 of 6 requests, 2 of 5 visitors."""
    report = scan(tmp_path, Policy(gate_bots=True), people_log(line))
    data = json.loads(render_json(report))
    assert (data["gated"], data["gated_visitors"]) == (6, 3)  # Bingbot's included
    assert {key: data[key] for key in data if key.startswith("gated_people")} == {
        "gated_people": 3,
        "gated_people_share": 0.5,
        "gated_people_visitors": 2,
        "gated_people_visitors_share": 0.4,
    }
    [row] = csv_rows(report, "people_gated")
    assert row == {
        "section": "people_gated", "key": "all", "requests": "6", "gated": "3",
        "share": "0.500000", "visitors": "5", "gated_visitors": "2",
        "visitors_error": "0.000000",
    }  # fmt: skip
    table = render_table(report).splitlines()
    start = table.index(next(line for line in table if line.startswith("people gated")))
    assert table[start : start + 2] == [
        "people gated          3 of 6 requests (50.00%)",
        "                      2 of 5 visitors (40.00%)",
    ]
    page = render_html(report)
    for field, text in (
        ("gated_people", "3"),
        ("gated_people_share", "50.00%"),
        ("gated_people_visitors", "2"),
        ("gated_people_visitors_share", "40.00%"),
    ):
        assert f'<td data-field="{field}">{text}</td>' in page
    headline = page.split('<table id="summary"', 1)[0]
    assert (
        'Of the people (the visitors that are not bots), <span class="big">40.00%</span> '
        "would get a page from the gate instead of the site, for "
        '<span class="big">50.00%</span> of their requests.'
    ) in headline


def test_people_share_when_no_bot_is_gated(tmp_path: Path) -> None:
    """Under the default policy bots pass: every gated request and visitor is a person's."""
    data = json.loads(render_json(scan(tmp_path, Policy(), people_log())))
    assert (data["people"], data["gated_people"], data["gated_people_share"]) == (6, 3, 0.5)
    assert (data["gated_people_visitors"], data["gated_people_visitors_share"]) == (2, 0.4)


def test_people_share_says_when_it_is_an_estimate() -> None:
    """An estimated count of people's visitors makes their gated share an estimate, said so."""
    report = ScanReport("default", requests=10_000, gated=1_000)
    report.people_visitors = DistinctCount(limit=100)
    report.people_visitors.update(range(4_000))
    report.gated_visitors.update(range(50))
    report.gated_people_distinct.update(range(50))
    pattern = r"^ {22}50 of [0-9,]+ visitors \([0-9.]+%, an estimate\)$"
    assert re.search(pattern, render_table(report), flags=re.MULTILINE)
    headline = render_html(report).split('<table id="summary"', 1)[0]
    assert "</span> (an estimate) would get a page" in headline
    [row] = csv_rows(report, "people_gated")
    assert row["visitors_error"] == "0.008125"


def test_people_share_exact_is_not_called_an_estimate() -> None:
    """Exact counts carry no estimate label, even when only bots' visitors are estimated."""
    report = ScanReport("default", requests=10_000, gated=10, bots=9_000)
    report.bot_visitors = DistinctCount(limit=100)
    report.bot_visitors.update(range(4_000))
    report.people_visitors.update(range(10))
    report.gated_visitors.update(range(5))
    report.gated_people_distinct.update(range(5))
    table = render_table(report)
    assert "                      5 of 10 visitors (50.00%)\n" in table
    assert "</span> would get a page" in render_html(report)


# 3. and 4. The charts: every day labelled on short ones, and at most the days kept


def day_report(days: Iterable[date]) -> ScanReport:
    """A report with 10 requests, 1 gated, on each of ``days``."""
    report = ScanReport("default")
    for day in days:
        report.days[day.isoformat()] = [10, 1]
        report.requests += 10
        report.gated += 1
    return report


def x_labels(page: str) -> list[str]:
    """The dates under the charts' x axes, in order (both charts)."""
    return re.findall(r'data-axis="x">([^<]*)</text>', page)


def run_of_days(first: date, count: int) -> list[date]:
    """``count`` days in a row from ``first``."""
    return [first + timedelta(days=n) for n in range(count)]


@pytest.mark.parametrize("count", [1, 3, 6, 7, 10, 14])
def test_short_charts_label_every_day(count: int) -> None:
    """Up to 14 days, each day has its date under each chart."""
    days = run_of_days(date(2026, 11, 1), count)
    assert x_labels(render_html(day_report(days))) == [day.isoformat() for day in days] * 2


def test_short_charts_label_every_day_of_the_span_gaps_included() -> None:
    """Days without requests inside a short span are labelled too: time stays to scale."""
    days = [date(2026, 11, 1), date(2026, 11, 12)]
    expected = [day.isoformat() for day in run_of_days(date(2026, 11, 1), 12)]
    assert x_labels(render_html(day_report(days))) == expected * 2


@pytest.mark.parametrize("count", [15, 30, 400])
def test_long_charts_keep_five_labels(count: int) -> None:
    """Past 14 days, five dates, evenly spread, from the first day to the last."""
    days = run_of_days(date(2024, 1, 1), count)
    labels = x_labels(render_html(day_report(days)))
    assert len(labels) == 10
    assert (labels[0], labels[4]) == (days[0].isoformat(), days[-1].isoformat())
    assert labels[:5] == sorted(labels[:5])


def chart_bytes(page: str) -> int:
    """How many bytes the page's charts take."""
    return sum(len(svg.encode()) for svg in re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL))


HOSTILE_SPREADS = {
    "year 1 and 2026": [date(1, 1, 1), date(2026, 11, 1)],
    "year 1 and 9999": [date(1, 1, 1), date(9999, 12, 31)],
    "3,660 days, 200 apart": [date(1, 1, 1) + timedelta(days=200 * n) for n in range(3_660)],
    "3,660 days, 2 apart": [date(2000, 1, 1) + timedelta(days=2 * n) for n in range(3_660)],
    "3,660 days in a row": run_of_days(date(2010, 1, 1), 3_660),
}


@pytest.mark.parametrize("days", HOSTILE_SPREADS.values(), ids=HOSTILE_SPREADS.keys())
def test_charts_span_at_most_the_days_kept(days: list[date]) -> None:
    """However far apart the days are, the charts span at most 3,660 days, up to the last."""
    report = day_report(days)
    page = render_html(report)
    labels = [date.fromisoformat(label) for label in x_labels(page)]
    first_chart = labels[: len(labels) // 2]
    assert first_chart == labels[len(labels) // 2 :]
    assert first_chart[-1] == days[-1]
    assert (days[-1] - first_chart[0]).days < 3_660
    assert chart_bytes(page) < 40_000


def test_charts_stay_small_when_every_day_differs() -> None:
    """3,660 days in a row, each with its own figures: a path step a pixel column at most."""
    report = day_report(run_of_days(date(2010, 1, 1), 3_660))
    for n, totals in enumerate(report.days.values()):
        totals[:] = [1 + n * 7_919 % 100_003, n * 104_729 % (1 + n * 7_919 % 100_003)]
    page = render_html(report)
    assert chart_bytes(page) < 40_000
    paths = re.findall(r'<path class="\w+" d="([^"]*)"', page)
    assert len(paths) == 3
    for path in paths:
        assert path.count("V") <= 610 + 1  # the plot is 610 pixels wide


def test_charts_say_which_kept_days_they_leave_out() -> None:
    """Kept days before the charts' span are named in a note, and stay in the table."""
    page = render_html(day_report(HOSTILE_SPREADS["year 1 and 2026"]))
    assert "the earliest day is in the table below, not in the charts" in page
    assert '<td data-field="day">0001-01-01</td>' in page


def test_charts_of_a_log_with_centuries_between_its_days(tmp_path: Path) -> None:
    """A scanned log with one line in year 1 and a few in 2026: charts of the latest days."""
    lines = [log_line("10.0.0.1", IE11, date(1, 1, 1))] + [
        log_line("10.0.0.2", CHROME, day) for day in run_of_days(date(2026, 11, 1), 3)
    ]
    page = render_html(scan(tmp_path, Policy(), lines))
    assert x_labels(page) == ["2026-11-01", "2026-11-02", "2026-11-03"] * 2
    assert chart_bytes(page) < 10_000


# The charts as Chromium draws them: the dates neither overlap nor leave the chart

_LABEL_BOXES = """() => [...document.querySelectorAll("svg")].map(svg => {
    const frame = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll('text[data-axis="x"]')].map(text => {
        const box = text.getBoundingClientRect();
        return [box.left, box.top, box.right, box.bottom];
    });
    return {frame: [frame.left, frame.top, frame.right, frame.bottom], boxes};
})"""


@pytest.mark.parametrize("count", [3, 6, 7, 10, 14, 15, 400])
def test_chromium_draws_the_dates_apart_and_inside_the_chart(browser: Browser, count: int) -> None:
    """Each date's drawn box lies inside its chart and overlaps no other date's."""
    page_text = render_html(day_report(run_of_days(date(2026, 11, 1), count)))
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.set_content(page_text)
        charts = page.evaluate(_LABEL_BOXES)
    finally:
        context.close()
    assert len(charts) == 2
    for chart in charts:
        left, top, right, bottom = chart["frame"]
        boxes = chart["boxes"]
        assert len(boxes) == min(count, 14) if count <= 14 else len(boxes) == 5
        for box in boxes:
            assert box[2] - box[0] > 10  # drawn, with some size
            assert box[3] - box[1] > 10
            assert left <= box[0]
            assert box[2] <= right
            assert top <= box[1]
            assert box[3] <= bottom
        for first, second in itertools.pairwise(boxes):
            assert first[2] <= second[0], (first, second)  # left to right, apart
