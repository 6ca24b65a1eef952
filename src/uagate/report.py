"""A scan report as text: a table, JSON, CSV, or one self-contained HTML page.

Every text that comes from the logs (the gated clients' labels, file names) is
:func:`~uagate._text.printable` in each of them, and each text cell of the CSV
is :func:`~uagate._text.csv_safe`, so that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from datetime import date

from uagate._text import csv_safe, printable
from uagate.logscan import EXACT_VISITORS, VISITORS_RELATIVE_ERROR, ScanReport, ranked

__all__ = ["render_csv", "render_html", "render_json", "render_table"]

# How many gated clients the table lists (the page, JSON and CSV list them all).
_TOP = 15

# The label of the row for the requests on days before those the report keeps.
_EARLIER = "earlier days"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "0.00%"


def _estimate_note(report: ScanReport) -> str:
    """One sentence on how exact the visitor counts are."""
    if report.visitors_exact:
        return "Visitor counts are exact."
    return (
        f"Visitor counts are estimates: past {EXACT_VISITORS:,} distinct visitors of a kind "
        f"they are counted by HyperLogLog, with a relative standard error of "
        f"{VISITORS_RELATIVE_ERROR:.2%} (about 95% of estimates within "
        f"{2 * VISITORS_RELATIVE_ERROR:.2%} of the truth)."
    )


def render_json(report: ScanReport) -> str:
    """One JSON object; its ``requests``, ``gated``, ``visitors`` ... are integers."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _day_rows(report: ScanReport) -> list[tuple[str, list[int]]]:
    """The per-day rows, oldest first, after one "earlier days" row when there were more days."""
    rows = sorted(report.days.items())
    if report.earlier_days[0]:
        rows.insert(0, (_EARLIER, report.earlier_days))
    return rows


def render_table(report: ScanReport) -> str:
    """Aligned plain-text tables for a terminal."""
    requests = report.requests
    visitors = report.visitors
    gated_visitors = report.gated_visitors.count()
    lines = [
        f"policy                {report.policy}",
        f"requests              {requests:,}",
        f"  from bots           {report.bots:,} ({_share(report.bots, requests)})",
        f"  from people         {report.people:,} ({_share(report.people, requests)})",
        f"visitors              {visitors:,}",
        f"  bots                {report.bot_visitors.count():,}",
        f"  people              {report.people_visitors.count():,}",
        f"gated                 {report.gated:,} ({_share(report.gated, requests)})",
        f"gated visitors        {gated_visitors:,} ({_share(gated_visitors, visitors)})",
        f"passed                {requests - report.gated:,}",
        f"distinct User-Agents  {report.distinct_user_agents:,}",
        f"unreadable lines      {report.unreadable:,}",
    ]
    if report.requests_without_address:
        lines.append(f"without an address    {report.requests_without_address:,} requests")
    lines += [
        "",
        "A visitor is a distinct client address and User-Agent; people are all but bots.",
        _estimate_note(report),
    ]
    if report.requests_without_address:
        lines.append("Requests without an address count as visitors by User-Agent alone.")
    if report.gated_by_client:
        lines += ["", f"{'gated client':28} {'requests':>10} {'share':>8}"]
        for label, count in ranked(report.gated_by_client)[:_TOP]:
            lines.append(f"{printable(label)[:28]:28} {count:>10,} {_share(count, requests):>8}")
        lines += ["", f"{'gated for':28} {'requests':>10} {'share':>8}"]
        for reason, count in ranked(report.gated_by_reason):
            lines.append(f"{reason:28} {count:>10,} {_share(count, requests):>8}")
    if report.days:
        lines += ["", f"{'day':12} {'requests':>10} {'gated':>8} {'share':>8}"]
        for day, (day_requests, gated) in _day_rows(report):
            lines.append(
                f"{day:12} {day_requests:>10,} {gated:>8,} {_share(gated, day_requests):>8}"
            )
    lines += ["", f"{'file':40} {'format':10} {'lines':>10} {'unreadable':>10}"]
    for summary in report.files:
        lines.append(
            f"{printable(summary.name)[-40:]:40} {summary.format:10} {summary.lines:>10,} "
            f"{summary.unreadable:>10,}"
        )
    return "\n".join(lines) + "\n"


def render_csv(report: ScanReport) -> str:
    """One table: ``section,key,requests,gated,share,visitors,gated_visitors,visitors_error``.

    ``share`` is of the section's requests. Sections: ``total``, ``people`` and
    ``bots`` (with their visitors, and the visitor counts' relative standard
    error: 0 when exact), ``client`` and ``reason`` (gated requests, share of
    all requests), ``day``, ``earlier_days`` (only when the logs span more days
    than the per-day table keeps: the requests on the days before it),
    ``unreadable``, ``no_address`` (requests without a client address, only
    when there are some). Text cells are printable and
    :func:`~uagate._text.csv_safe`.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = 8

    def row(section: str, key: str, *figures: object) -> None:
        cells = [section, csv_safe(printable(key)), *figures]
        writer.writerow(cells + [""] * (width - len(cells)))

    def share(part: int, whole: int) -> str:
        return f"{part / whole:.6f}" if whole else "0.000000"

    row(
        "section", "key", "requests", "gated", "share", "visitors", "gated_visitors",
        "visitors_error",
    )  # fmt: skip
    requests = report.requests
    error = f"{report.visitors_relative_error:.6f}"
    row(
        "total", "all", requests, report.gated, share(report.gated, requests),
        report.visitors, report.gated_visitors.count(), error,
    )  # fmt: skip
    row(
        "people", "all", report.people, "", share(report.people, requests),
        report.people_visitors.count(), "", error,
    )  # fmt: skip
    row(
        "bots", "all", report.bots, "", share(report.bots, requests),
        report.bot_visitors.count(), "", error,
    )  # fmt: skip
    for label, count in ranked(report.gated_by_client):
        row("client", label, count, count, share(count, requests))
    for reason, count in ranked(report.gated_by_reason):
        row("reason", reason, count, count, share(count, requests))
    earlier, earlier_gated = report.earlier_days
    if earlier:
        row("earlier_days", "all", earlier, earlier_gated, share(earlier_gated, earlier))
    for day, (day_requests, gated) in sorted(report.days.items()):
        row("day", day, day_requests, gated, share(gated, day_requests))
    row("unreadable", "lines", report.unreadable)
    if report.requests_without_address:
        without = report.requests_without_address
        row("no_address", "requests", without, "", share(without, requests))
    return out.getvalue()


# One font size for the tables and the charts' text.
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
td, th, svg text, .note { font-size: 15px; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr:nth-child(even) { background: #f4f4f4; }
.big { font-size: 1.3em; font-weight: bold; }
.chart { overflow-x: auto; }
svg text { fill: #222; }
.grid { stroke: #ddd; } .axis { stroke: #555; }
.requests { fill: #9aa5b1; } .gated { fill: #c0392b; }
"""

# The charts' size and margins, in pixels (the SVG is drawn at this size, never scaled,
# so that its text stays the size of the tables').
_WIDTH, _HEIGHT = 720, 300
_LEFT, _RIGHT, _TOP_MARGIN, _BOTTOM = 90, 20, 36, 44


def _ticks(peak: float, *, whole: bool) -> list[float]:
    """Values for a y axis from 0 to at least ``peak``: 0 and 3 to 6 round steps."""
    if peak <= 0:
        return [0.0, 1.0] if whole else [0.0, 0.01]
    raw = peak / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    steps = math.ceil(peak / step - 1e-9)
    return [index * step for index in range(steps + 1)]


def _day_chart(
    days: list[tuple[date, list[int]]],
    *,
    title: str,
    axis: str,
    series: list[tuple[str, dict[date, float]]],
    whole: bool,
) -> str:
    """A time series as inline SVG: a step area per series over a dated x axis.

    Each day is a column as wide as the plot over the days from the first to the
    last (days without requests are 0), so the x axis is time, gaps included.
    The y axis starts at 0 and is labelled (``axis``) with round values: counts
    when ``whole``, else shares in percent.
    """
    first, last = days[0][0], days[-1][0]
    span = (last - first).days + 1
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP_MARGIN - _BOTTOM
    column = plot_width / span
    base = _TOP_MARGIN + plot_height
    peak = max((value for _, values in series for value in values.values()), default=0.0)
    ticks = _ticks(peak, whole=whole)
    top = ticks[-1]

    def x(day: date) -> float:
        return _LEFT + (day - first).days * column

    def y(value: float) -> float:
        return base - plot_height * value / top

    def label(value: float) -> str:
        if whole:
            return f"{value:,.0f}"
        step = ticks[1] if len(ticks) > 1 else 1.0
        decimals = max(0, -math.floor(math.log10(step * 100))) if step < 0.01 else 0
        return f"{value:.{decimals}%}"

    parts = [
        f'<svg width="{_WIDTH}" height="{_HEIGHT}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{_LEFT}" y="{_TOP_MARGIN - 14}" text-anchor="middle" '
        f'data-axis="y-title">{html.escape(axis)}</text>',
    ]
    for value in ticks:
        at = y(value)
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{at:.1f}" '
            f'y2="{at:.1f}"/><text x="{_LEFT - 8}" y="{at + 5:.1f}" text-anchor="end" '
            f'data-axis="y">{label(value)}</text>'
        )
    for name, values in series:
        # One outline for all the days: up to each day's value, across its column, ...
        steps = [f"M{_LEFT:.2f},{base:.2f}"]
        for offset in range(span):
            day = date.fromordinal(first.toordinal() + offset)
            steps.append(f"V{y(values.get(day, 0.0)):.2f}H{x(day) + column:.2f}")
        steps.append(f"V{base:.2f}Z")
        parts.append(f'<path class="{name}" d="{"".join(steps)}"/>')
    parts.append(
        f'<line class="axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP_MARGIN}" y2="{base}"/>'
        f'<line class="axis" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{base}" y2="{base}"/>'
    )
    # Up to 5 dates, evenly spread: the first starts at the left, the last ends at the right.
    count = min(span, 5)
    offsets = [0] if count == 1 else [round(i * (span - 1) / (count - 1)) for i in range(count)]
    for index, offset in enumerate(offsets):
        day = date.fromordinal(first.toordinal() + offset)
        middle = x(day) + column / 2
        anchor, at = "middle", middle
        if len(offsets) > 1 and index == 0:
            anchor, at = "start", x(day)
        elif len(offsets) > 1 and index == len(offsets) - 1:
            anchor, at = "end", x(day) + column
        parts.append(
            f'<line class="axis" x1="{middle:.1f}" x2="{middle:.1f}" y1="{base}" '
            f'y2="{base + 5}"/><text x="{at:.1f}" y="{base + 22}" text-anchor="{anchor}" '
            f'data-axis="x">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return '<div class="chart">' + "".join(parts) + "</div>"


def _charts(report: ScanReport) -> list[str]:
    """The per-day charts: requests (the gated ones apart) and the share gated."""
    days = [(date.fromisoformat(day), totals) for day, totals in sorted(report.days.items())]
    if not days:
        return []
    requests = {day: float(total) for day, (total, _) in days}
    gated = {day: float(gated) for day, (_, gated) in days}
    share = {day: gated / total for day, (total, gated) in days if total}
    return [
        "<h2>Requests per day</h2>",
        '<p class="note">All requests in grey, the gated ones in red.</p>',
        _day_chart(
            days,
            title="Requests per day, and those gated",
            axis="requests",
            series=[("requests", requests), ("gated", gated)],
            whole=True,
        ),
        "<h2>Share of requests gated per day</h2>",
        _day_chart(
            days,
            title="Share of requests gated per day",
            axis="share gated",
            series=[("gated", share)],
            whole=False,
        ),
    ]


def render_html(report: ScanReport) -> str:
    """One self-contained page: no external requests, no JavaScript, charts as inline SVG.

    It shows every figure of :func:`render_json`, each in an element marked
    with a ``data-field`` attribute named as in the JSON, so that a program
    can read the page back; the per-day charts are drawn to scale over time.
    """
    requests = report.requests
    visitors = report.visitors
    gated_visitors = report.gated_visitors.count()

    def e(text: str) -> str:
        return html.escape(printable(text))

    def cell(name: str, value: int) -> str:
        return f'<td data-field="{e(name)}">{value:,}</td>'

    def share_cell(name: str, part: int, whole: int) -> str:
        return f'<td data-field="{e(name)}">{_share(part, whole)}</td>'

    error = report.visitors_relative_error
    body = [
        "<h1>What the gate would do to this traffic</h1>",
        f'<p>Policy: <b data-field="policy">{e(report.policy)}</b>. '
        f'<span class="big">{_share(report.gated, requests)}</span> of the requests, from '
        f'<span class="big">{_share(gated_visitors, visitors)}</span> of the visitors, would '
        "get the \u201cWe don't support Internet Explorer\u201d page.</p>",
        '<table id="summary"><tr><th></th><th>Requests</th><th>Share</th><th>Visitors</th>'
        "<th>Share</th></tr>",
        f"<tr><th>All</th>{cell('requests', requests)}<td>100.00%</td>"
        f"{cell('visitors', visitors)}<td>100.00%</td></tr>",
        f"<tr><th>Bots</th>{cell('bots', report.bots)}<td>{_share(report.bots, requests)}</td>"
        f"{cell('bot_visitors', report.bot_visitors.count())}"
        f"<td>{_share(report.bot_visitors.count(), visitors)}</td></tr>",
        f"<tr><th>People</th>{cell('people', report.people)}"
        f"<td>{_share(report.people, requests)}</td>"
        f"{cell('people_visitors', report.people_visitors.count())}"
        f"<td>{_share(report.people_visitors.count(), visitors)}</td></tr>",
        f"<tr><th>Gated</th>{cell('gated', report.gated)}"
        f"{share_cell('gated_share', report.gated, requests)}"
        f"{cell('gated_visitors', gated_visitors)}"
        f"<td>{_share(gated_visitors, visitors)}</td></tr>",
        f"<tr><th>Passed</th>{cell('passed', requests - report.gated)}"
        f"<td>{_share(requests - report.gated, requests)}</td><td></td><td></td></tr>",
        "</table>",
        f'<p class="note">A visitor is a distinct client address and User-Agent; people are '
        f"all but bots. {e(_estimate_note(report))}</p>",
        '<table id="details">',
        f"<tr><th>Distinct User-Agents</th>"
        f"{cell('distinct_user_agents', report.distinct_user_agents)}</tr>",
        f"<tr><th>Unreadable lines</th>{cell('unreadable_lines', report.unreadable)}</tr>",
        f"<tr><th>Requests without a client address (visitors by User-Agent alone)</th>"
        f"{cell('requests_without_address', report.requests_without_address)}</tr>",
        f'<tr><th>Visitor counts</th><td data-field="visitors_exact">'
        f"{'exact' if report.visitors_exact else 'estimated'}</td></tr>",
        f'<tr><th>Their relative standard error</th><td data-field="visitors_relative_error">'
        f"{error:.2%}</td></tr>",
        "</table>",
    ]
    if report.gated_by_client:
        body += [
            "<h2>Gated requests by browser</h2>",
            '<table id="clients"><tr><th>Browser</th><th>Requests</th>'
            "<th>Share of all requests</th></tr>",
            *(
                f'<tr><td data-field="client">{e(label)}</td>{cell("requests", count)}'
                f"{share_cell('share', count, requests)}</tr>"
                for label, count in ranked(report.gated_by_client)
            ),
            "</table>",
            "<h2>Gated requests by reason</h2>",
            '<table id="reasons"><tr><th>Reason</th><th>Requests</th>'
            "<th>Share of all requests</th></tr>",
            *(
                f'<tr><td data-field="reason">{e(reason)}</td>{cell("requests", count)}'
                f"{share_cell('share', count, requests)}</tr>"
                for reason, count in ranked(report.gated_by_reason)
            ),
            "</table>",
        ]
    body += _charts(report)
    days = _day_rows(report)
    if days:
        if report.earlier_days[0]:
            body.append(
                '<p class="note">The charts show the days the report keeps; the requests on '
                "earlier days are added up in the first row below.</p>"
            )
        body += [
            "<h2>Days</h2>",
            '<table id="days"><tr><th>Day</th><th>Requests</th><th>Gated</th><th>Share</th></tr>',
            *(
                f'<tr><td data-field="{"earlier_days" if day == _EARLIER else "day"}">'
                f"{e(day)}</td>{cell('requests', total)}"
                f"{cell('gated', gated)}{share_cell('gated_share', gated, total)}</tr>"
                for day, (total, gated) in days
            ),
            "</table>",
        ]
    body += [
        "<h2>Files</h2>",
        '<table id="files"><tr><th>File</th><th>Format</th><th>Lines</th><th>Unreadable</th></tr>',
        *(
            f'<tr><td data-field="name">{e(summary.name)}</td>'
            f'<td data-field="format">{e(summary.format)}</td>'
            f"{cell('lines', summary.lines)}{cell('unreadable', summary.unreadable)}</tr>"
            for summary in report.files
        ),
        "</table>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>uagate scan report</title><style>{_STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
