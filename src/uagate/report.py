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
from collections.abc import Callable
from datetime import date

from uagate._templates import strings
from uagate._text import csv_safe, printable
from uagate.logscan import (
    EXACT_VISITORS,
    MAX_DAYS,
    VISITORS_RELATIVE_ERROR,
    ScanReport,
    ranked,
)
from uagate.policy import Reason

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


def _heading(reason: str) -> str:
    """The heading of the (English) page the gate serves to a client gated for ``reason``."""
    try:
        return strings("en", Reason(reason))["heading"]
    except ValueError:  # not a reason the gate gives (a report put together by hand)
        return printable(reason)


def _pages(report: ScanReport) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The gated requests by the page they would get, most first.

    Each is the page's heading, its requests, and the reasons it is served for
    with their requests: Internet Explorer and Trident applications get "We
    don't support Internet Explorer", outdated browsers "Your browser is out of
    date", and so on, as the gate serves them.
    """
    pages: dict[str, list[tuple[str, int]]] = {}
    for reason, count in ranked(report.gated_by_reason):
        pages.setdefault(_heading(reason), []).append((reason, count))
    rows = [(page, sum(count for _, count in reasons), reasons) for page, reasons in pages.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _reasons(reasons: list[tuple[str, int]]) -> str:
    """``internet-explorer 6, trident-app 1``."""
    return ", ".join(f"{printable(reason)} {count:,}" for reason, count in reasons)


def render_json(report: ScanReport) -> str:
    """One JSON object; its ``requests``, ``gated``, ``visitors`` ... are integers.

    Besides :meth:`ScanReport.to_dict`, ``pages_served``: the gated requests by
    the page they would get (its heading), with the reasons it is served for.
    """
    data: dict[str, object] = {}
    for key, value in report.to_dict().items():
        data[key] = value
        if key == "gated_by_reason":
            data["pages_served"] = [
                {
                    "page": page,
                    "requests": count,
                    "share": round(count / report.requests, 6) if report.requests else 0.0,
                    "reasons": [{"reason": reason, "requests": n} for reason, n in reasons],
                }
                for page, count, reasons in _pages(report)
            ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _day_rows(report: ScanReport) -> list[tuple[str, list[int]]]:
    """The per-day rows, oldest first, after one "earlier days" row when there were more days."""
    rows = sorted(report.days.items())
    if report.earlier_days[0]:
        rows.insert(0, (_EARLIER, report.earlier_days))
    return rows


def _people_visitors(report: ScanReport) -> str:
    """``6 of 16 visitors (37.50%)``, said to be an estimate when it is one."""
    gated, people = report.gated_people_visitors, report.people_visitor_count
    estimate = "" if report.people_visitors_exact else ", an estimate"
    return f"{gated:,} of {people:,} visitors ({_share(gated, people)}{estimate})"


def render_table(report: ScanReport) -> str:
    """Aligned plain-text tables for a terminal."""
    requests = report.requests
    visitors = report.visitors
    gated_visitors = report.gated_visitor_count
    lines = [
        f"policy                {report.policy}",
        f"requests              {requests:,}",
        f"  from bots           {report.bots:,} ({_share(report.bots, requests)})",
        f"  from people         {report.people:,} ({_share(report.people, requests)})",
        f"visitors              {visitors:,}",
        f"  bots                {report.bot_visitor_count:,}",
        f"  people              {report.people_visitor_count:,}",
        f"gated                 {report.gated:,} ({_share(report.gated, requests)})",
        f"gated visitors        {gated_visitors:,} ({_share(gated_visitors, visitors)})",
        f"passed                {requests - report.gated:,}",
        f"distinct User-Agents  {report.distinct_user_agents:,}"
        + ("" if report.distinct_user_agents_exact else " (an estimate)"),
        f"unreadable lines      {report.unreadable:,}",
    ]
    if report.requests_without_address:
        lines.append(f"without an address    {report.requests_without_address:,} requests")
    # What an operator decides on: the share of people gated, and the pages they would get.
    lines += [
        "",
        f"people gated          {report.gated_people:,} of {report.people:,} requests "
        f"({_share(report.gated_people, report.people)})",
        f"                      {_people_visitors(report)}",
    ]
    for index, (page, count, reasons) in enumerate(_pages(report)):
        lines += [
            f'{"pages served" if index == 0 else "":22}"{page}": {count:,} '
            f"({_share(count, requests)})",
            f"{'':24}{_reasons(reasons)}",
        ]
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
    error: 0 when exact), ``people_gated`` (people's requests and visitors, and
    those gated, as in ``total``), ``page`` (the gated requests by the heading
    of the page they would get), ``client`` and ``reason`` (gated requests;
    ``page``, ``client`` and ``reason`` give the share of all requests),
    ``day``, ``earlier_days`` (only when the logs span more days than the
    per-day table keeps: the requests on the days before it),
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
        report.visitors, report.gated_visitor_count, error,
    )  # fmt: skip
    row(
        "people", "all", report.people, "", share(report.people, requests),
        report.people_visitor_count, "", error,
    )  # fmt: skip
    row(
        "bots", "all", report.bots, "", share(report.bots, requests),
        report.bot_visitor_count, "", error,
    )  # fmt: skip
    row(
        "people_gated", "all", report.people, report.gated_people,
        share(report.gated_people, report.people), report.people_visitor_count,
        report.gated_people_visitors,
        "0.000000" if report.people_visitors_exact else f"{VISITORS_RELATIVE_ERROR:.6f}",
    )  # fmt: skip
    for page, count, _ in _pages(report):
        row("page", page, count, count, share(count, requests))
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
#pages { margin-bottom: 1.5em; } #pages td:last-child, #pages th:last-child { text-align: left; }
.chart { overflow-x: auto; }
svg text { fill: #222; }
.grid { stroke: #ddd; } .axis { stroke: #555; }
.requests { fill: #9aa5b1; } .gated { fill: #c0392b; }
"""

# The charts' size and margins, in pixels (the SVG is drawn at this size, never scaled,
# so that its text stays the size of the tables').
_WIDTH, _PLOT_HEIGHT = 720, 220
_LEFT, _RIGHT, _TOP_MARGIN, _BOTTOM = 90, 20, 36, 44
_PLOT_WIDTH = _WIDTH - _LEFT - _RIGHT
# Up to this many days a chart labels each day; a longer one labels five, evenly spread.
_EACH_DAY = 14
# Five dates (about 80 px each at 15 px) fit side by side under the plot; more stand
# on their side, under a deeper bottom margin.
_ACROSS = 5
_BOTTOM_UPRIGHT = 100


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


def _outline(values: dict[date, float], first: date, span: int, y: Callable[[float], float]) -> str:
    """A step area's path over ``span`` days from ``first``, in at most one column a pixel.

    Days that share a pixel column are drawn as the highest of them (as the
    column would look drawn day by day), and a run of equal columns is one
    step, so the path's length is bounded by the chart's width, whatever the days.
    """
    columns = min(span, _PLOT_WIDTH)
    peaks = [0.0] * columns
    for day, value in values.items():
        index = (day - first).days * columns // span
        peaks[index] = max(peaks[index], value)
    width = _PLOT_WIDTH / columns
    base = _TOP_MARGIN + _PLOT_HEIGHT
    steps = [f"M{_LEFT:.2f},{base:.2f}"]
    run: float | None = None
    for index, value in enumerate(peaks):
        if value != run:
            if run is not None:
                steps.append(f"H{_LEFT + index * width:.2f}")
            steps.append(f"V{y(value):.2f}")
            run = value
    steps.append(f"H{_WIDTH - _RIGHT:.2f}V{base:.2f}Z")
    return "".join(steps)


def _day_chart(
    first: date,
    last: date,
    *,
    title: str,
    axis: str,
    series: list[tuple[str, dict[date, float]]],
    whole: bool,
) -> str:
    """A time series as inline SVG: a step area per series over a dated x axis.

    Each day is a column as wide as the plot over the days from ``first`` to
    ``last`` (days without requests are 0), so the x axis is time, gaps
    included. The y axis starts at 0 and is labelled (``axis``) with round
    values: counts when ``whole``, else shares in percent. Up to
    :data:`_EACH_DAY` days each day is labelled; more get five dates.
    """
    span = (last - first).days + 1
    column = _PLOT_WIDTH / span
    offsets = list(range(span))
    if span > _EACH_DAY:
        offsets = [round(i * (span - 1) / (_ACROSS - 1)) for i in range(_ACROSS)]
    upright = len(offsets) > _ACROSS
    height = _TOP_MARGIN + _PLOT_HEIGHT + (_BOTTOM_UPRIGHT if upright else _BOTTOM)
    base = _TOP_MARGIN + _PLOT_HEIGHT
    peak = max((value for _, values in series for value in values.values()), default=0.0)
    ticks = _ticks(peak, whole=whole)
    top = ticks[-1]

    def x(day: date) -> float:
        return _LEFT + (day - first).days * column

    def y(value: float) -> float:
        return base - _PLOT_HEIGHT * value / top

    def label(value: float) -> str:
        if whole:
            return f"{value:,.0f}"
        step = ticks[1] if len(ticks) > 1 else 1.0
        decimals = max(0, -math.floor(math.log10(step * 100))) if step < 0.01 else 0
        return f"{value:.{decimals}%}"

    parts = [
        f'<svg width="{_WIDTH}" height="{height}" role="img" aria-label="{html.escape(title)}">',
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
        parts.append(f'<path class="{name}" d="{_outline(values, first, span, y)}"/>')
    parts.append(
        f'<line class="axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP_MARGIN}" y2="{base}"/>'
        f'<line class="axis" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{base}" y2="{base}"/>'
    )
    for index, offset in enumerate(offsets):
        day = date.fromordinal(first.toordinal() + offset)
        middle = x(day) + column / 2
        tick = (
            f'<line class="axis" x1="{middle:.1f}" x2="{middle:.1f}" y1="{base}" y2="{base + 5}"/>'
        )
        if upright:
            # Read upwards, ending under the tick; the glyphs' centre on the tick.
            at, below = middle + 5, base + 10
            parts.append(
                f'{tick}<text x="{at:.1f}" y="{below}" text-anchor="end" '
                f'transform="rotate(-90 {at:.1f} {below})" data-axis="x">{day.isoformat()}</text>'
            )
            continue
        # Side by side: the first starts at the left, the last ends at the right.
        anchor, at = "middle", middle
        if len(offsets) > 1 and index == 0:
            anchor, at = "start", x(day)
        elif len(offsets) > 1 and index == len(offsets) - 1:
            anchor, at = "end", x(day) + column
        parts.append(
            f'{tick}<text x="{at:.1f}" y="{base + 22}" text-anchor="{anchor}" '
            f'data-axis="x">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return '<div class="chart">' + "".join(parts) + "</div>"


def _chart_days(report: ScanReport) -> list[tuple[date, list[int]]]:
    """The days the charts draw: the kept days among the :data:`MAX_DAYS` up to the last.

    The table keeps the latest days seen, which a log with bad clocks can spread
    over centuries; the charts span at most as many days as the table keeps.
    """
    days = [(date.fromisoformat(day), totals) for day, totals in sorted(report.days.items())]
    if not days:
        return []
    start = days[-1][0].toordinal() - MAX_DAYS + 1
    return [(day, totals) for day, totals in days if day.toordinal() >= start]


def _charts(report: ScanReport) -> list[str]:
    """The per-day charts: requests (the gated ones apart) and the share gated."""
    days = _chart_days(report)
    if not days:
        return []
    first, last = days[0][0], days[-1][0]
    requests = {day: float(total) for day, (total, _) in days}
    gated = {day: float(gated) for day, (_, gated) in days}
    share = {day: gated / total for day, (total, gated) in days if total}
    left_out = len(report.days) - len(days)
    note = ""
    if left_out:
        days_are = "day is" if left_out == 1 else f"{left_out:,} days are"
        note = (
            f'<p class="note">The charts span the {MAX_DAYS:,} days up to the last; the '
            f"earliest {days_are} in the table below, not in the charts.</p>"
        )
    return [
        "<h2>Requests per day</h2>",
        '<p class="note">All requests in grey, the gated ones in red.</p>' + note,
        _day_chart(
            first,
            last,
            title="Requests per day, and those gated",
            axis="requests",
            series=[("requests", requests), ("gated", gated)],
            whole=True,
        ),
        "<h2>Share of requests gated per day</h2>",
        _day_chart(
            first,
            last,
            title="Share of requests gated per day",
            axis="share gated",
            series=[("gated", share)],
            whole=False,
        ),
    ]


def _pages_sentence(report: ScanReport) -> str:
    """`` The pages: "We don't ..." for 35.00% of all requests, ...``, or nothing."""
    pages = [
        f"\u201c{html.escape(page)}\u201d for {_share(count, report.requests)}"
        for page, count, _ in _pages(report)
    ]
    return f" The pages: {', '.join(pages)} of all requests." if pages else ""


def _pages_table(report: ScanReport) -> list[str]:
    """The gated requests by the page they would get, and the reasons each is served for."""
    pages = _pages(report)
    if not pages:
        return []
    return [
        "<h2>Pages they would get</h2>",
        '<table id="pages"><tr><th>Page they would get</th><th>Requests</th>'
        "<th>Share of all requests</th><th>Served for</th></tr>",
        *(
            f'<tr><td data-field="page">\u201c{html.escape(page)}\u201d</td>'
            f'<td data-field="requests">{count:,}</td>'
            f'<td data-field="share">{_share(count, report.requests)}</td>'
            f'<td data-field="reasons">{html.escape(_reasons(reasons))}</td></tr>'
            for page, count, reasons in pages
        ),
        "</table>",
    ]


def render_html(report: ScanReport) -> str:
    """One self-contained page: no external requests, no JavaScript, charts as inline SVG.

    It shows every figure of :func:`render_json`, each in an element marked
    with a ``data-field`` attribute named as in the JSON, so that a program
    can read the page back; the per-day charts are drawn to scale over time.
    """
    requests = report.requests
    visitors = report.visitors
    gated_visitors = report.gated_visitor_count

    def e(text: str) -> str:
        return html.escape(printable(text))

    def cell(name: str, value: int) -> str:
        return f'<td data-field="{e(name)}">{value:,}</td>'

    def share_cell(name: str, part: int, whole: int) -> str:
        return f'<td data-field="{e(name)}">{_share(part, whole)}</td>'

    error = report.visitors_relative_error
    people = report.people_visitor_count
    body = [
        "<h1>What the gate would do to this traffic</h1>",
        f'<p>Policy: <b data-field="policy">{e(report.policy)}</b>. Of the people (the '
        'visitors that are not bots), <span class="big">'
        f"{_share(report.gated_people_visitors, report.people_visitor_count)}</span>"
        f"{'' if report.people_visitors_exact else ' (an estimate)'} would get a page from "
        'the gate instead of the site, for <span class="big">'
        f"{_share(report.gated_people, report.people)}</span> of their requests. Of all "
        f"requests, bots\u2019 included, {_share(report.gated, requests)} would, from "
        f"{_share(gated_visitors, visitors)} of the visitors.{_pages_sentence(report)}</p>",
        '<table id="summary"><tr><th></th><th>Requests</th><th>Share</th><th>Visitors</th>'
        "<th>Share</th></tr>",
        f"<tr><th>All</th>{cell('requests', requests)}<td>100.00%</td>"
        f"{cell('visitors', visitors)}<td>100.00%</td></tr>",
        f"<tr><th>Bots</th>{cell('bots', report.bots)}<td>{_share(report.bots, requests)}</td>"
        f"{cell('bot_visitors', report.bot_visitor_count)}"
        f"<td>{_share(report.bot_visitor_count, visitors)}</td></tr>",
        f"<tr><th>People</th>{cell('people', report.people)}"
        f"<td>{_share(report.people, requests)}</td>"
        f"{cell('people_visitors', report.people_visitor_count)}"
        f"<td>{_share(report.people_visitor_count, visitors)}</td></tr>",
        f"<tr><th>Gated</th>{cell('gated', report.gated)}"
        f"{share_cell('gated_share', report.gated, requests)}"
        f"{cell('gated_visitors', gated_visitors)}"
        f"<td>{_share(gated_visitors, visitors)}</td></tr>",
        f"<tr><th>Gated people (shares of people)</th>{cell('gated_people', report.gated_people)}"
        f"{share_cell('gated_people_share', report.gated_people, report.people)}"
        f"{cell('gated_people_visitors', report.gated_people_visitors)}"
        f"{share_cell('gated_people_visitors_share', report.gated_people_visitors, people)}"
        "</tr>",
        f"<tr><th>Passed</th>{cell('passed', requests - report.gated)}"
        f"<td>{_share(requests - report.gated, requests)}</td><td></td><td></td></tr>",
        "</table>",
        f'<p class="note">A visitor is a distinct client address and User-Agent; people are '
        f"all but bots. {e(_estimate_note(report))}</p>",
        '<table id="details">',
        f"<tr><th>Distinct User-Agents</th>"
        f"{cell('distinct_user_agents', report.distinct_user_agents)}</tr>",
        f'<tr><th>Distinct User-Agents counted</th><td data-field="distinct_user_agents_exact">'
        f"{'exact' if report.distinct_user_agents_exact else 'estimated'}</td></tr>",
        f"<tr><th>Unreadable lines</th>{cell('unreadable_lines', report.unreadable)}</tr>",
        f"<tr><th>Requests without a client address (visitors by User-Agent alone)</th>"
        f"{cell('requests_without_address', report.requests_without_address)}</tr>",
        f'<tr><th>Visitor counts</th><td data-field="visitors_exact">'
        f"{'exact' if report.visitors_exact else 'estimated'}</td></tr>",
        f'<tr><th>Their relative standard error</th><td data-field="visitors_relative_error">'
        f"{error:.2%}</td></tr>",
        "</table>",
    ]
    body += _pages_table(report)
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
