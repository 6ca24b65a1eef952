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

from uagate._text import csv_safe, printable
from uagate.logscan import ScanReport, ranked

__all__ = ["render_csv", "render_html", "render_json", "render_table"]

# How many gated clients the table and the page list.
_TOP = 15

# The label of the row for the requests on days before those the report keeps.
_EARLIER = "earlier days"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "0.00%"


def render_json(report: ScanReport) -> str:
    """One JSON object; its ``requests`` and ``gated`` are integers."""
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
    lines = [
        f"policy                {report.policy}",
        f"requests              {requests:,}",
        f"distinct User-Agents  {report.distinct_user_agents:,}",
        f"gated                 {report.gated:,} ({_share(report.gated, requests)})",
        f"passed                {requests - report.gated:,}",
        f"bots                  {report.bots:,} ({_share(report.bots, requests)})",
        f"unreadable lines      {report.unreadable:,}",
    ]
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
    """One table: ``section,key,requests,gated,share`` (share of the section's requests).

    Sections: ``total``, ``client`` and ``reason`` (gated requests, share of
    all requests), ``day``, ``earlier_days`` (only when the logs span more days
    than the per-day table keeps: the requests on the days before it), ``bots``,
    ``unreadable``. Text cells are printable and :func:`~uagate._text.csv_safe`.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def row(section: str, key: str, *figures: object) -> None:
        writer.writerow([section, csv_safe(printable(key)), *figures])

    row("section", "key", "requests", "gated", "share")
    requests = report.requests
    row("total", "all", requests, report.gated, f"{report.gated_share:.6f}")
    for label, count in ranked(report.gated_by_client):
        row("client", label, count, count, f"{count / requests:.6f}")
    for reason, count in ranked(report.gated_by_reason):
        row("reason", reason, count, count, f"{count / requests:.6f}")
    earlier, earlier_gated = report.earlier_days
    if earlier:
        row("earlier_days", "all", earlier, earlier_gated, f"{earlier_gated / earlier:.6f}")
    for day, (day_requests, gated) in sorted(report.days.items()):
        share = gated / day_requests if day_requests else 0.0
        row("day", day, day_requests, gated, f"{share:.6f}")
    bots_share = report.bots / requests if requests else 0.0
    row("bots", "all", report.bots, "", f"{bots_share:.6f}")
    row("unreadable", "lines", report.unreadable, "", "")
    return out.getvalue()


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr:nth-child(even) { background: #f4f4f4; }
.big { font-size: 1.3em; font-weight: bold; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
"""


def _bars(rows: list[tuple[str, float, str]], title: str) -> str:
    """A horizontal bar chart as inline SVG: (label, value from 0 to 1, caption)."""
    width, label_width, row_height = 640, 170, 22
    height = row_height * len(rows) + 10
    peak = max((value for _, value, _ in rows), default=0.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">'
    ]
    for index, (label, value, caption) in enumerate(rows):
        y = index * row_height + 5
        bar = max(1.0, (width - label_width - 90) * value / peak) if value else 0.0
        parts.append(
            f'<text x="0" y="{y + 15}">{html.escape(printable(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row_height - 6}" '
            'fill="#c0392b"/>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 15}">{html.escape(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: ScanReport) -> str:
    """One self-contained page: no external requests, no JavaScript, charts as inline SVG.

    Each figure also stands in a table cell marked with a ``data-field``
    attribute, so that a program can read the page back.
    """
    requests = report.requests

    def e(text: str) -> str:
        return html.escape(printable(text))

    def cell(name: str, value: int) -> str:
        return f'<td data-field="{e(name)}">{value:,}</td>'

    summary_rows = [
        ("Requests", cell("requests", requests)),
        ("Distinct User-Agents", cell("distinct_user_agents", report.distinct_user_agents)),
        ("Gated", cell("gated", report.gated) + f"<td>{_share(report.gated, requests)}</td>"),
        ("Bots", cell("bots", report.bots) + f"<td>{_share(report.bots, requests)}</td>"),
        ("Unreadable lines", cell("unreadable_lines", report.unreadable)),
    ]
    body = [
        "<h1>What the gate would do to this traffic</h1>",
        f"<p>Policy: <b>{e(report.policy)}</b>. "
        f'<span class="big">{_share(report.gated, requests)}</span> of the requests would '
        "get the \u201cWe don't support Internet Explorer\u201d page.</p>",
        "<table>",
        *(f"<tr><th>{name}</th>{cells}</tr>" for name, cells in summary_rows),
        "</table>",
    ]
    clients = ranked(report.gated_by_client)[:_TOP]
    if clients:
        body += [
            "<h2>Share of all requests gated, by browser</h2>",
            _bars(
                [(label, count / requests, _share(count, requests)) for label, count in clients],
                "Share of all requests gated, by browser",
            ),
            '<table id="clients"><tr><th>Browser</th><th>Requests</th><th>Share</th></tr>',
            *(
                f'<tr><td data-field="client">{e(label)}</td>{cell("requests", count)}'
                f"<td>{_share(count, requests)}</td></tr>"
                for label, count in clients
            ),
            "</table>",
        ]
    days = _day_rows(report)
    if days:
        body += [
            "<h2>Share gated per day</h2>",
            _bars(
                [
                    (day, gated / total if total else 0.0, _share(gated, total))
                    for day, (total, gated) in days
                ],
                "Share of requests gated per day",
            ),
            '<table id="days"><tr><th>Day</th><th>Requests</th><th>Gated</th><th>Share</th></tr>',
            *(
                f'<tr><td data-field="{"earlier_days" if day == _EARLIER else "day"}">'
                f"{e(day)}</td>{cell('requests', total)}"
                f"{cell('gated', gated)}<td>{_share(gated, total)}</td></tr>"
                for day, (total, gated) in days
            ),
            "</table>",
        ]
    body += [
        "<h2>Files</h2>",
        '<table id="files"><tr><th>File</th><th>Format</th><th>Lines</th><th>Unreadable</th></tr>',
        *(
            f"<tr><td>{e(summary.name)}</td><td>{e(summary.format)}</td>"
            f"<td>{summary.lines:,}</td><td>{summary.unreadable:,}</td></tr>"
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
