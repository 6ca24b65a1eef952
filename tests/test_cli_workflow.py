"""The ``uagate`` command as an operator uses it, each step run in-process (``run_cli``).

Report-only serving with its log, a policy of one's own given as an import
string, visitors counted in access logs, the HTML report read back and checked
against the JSON, the page's variants, and ``check`` waiting on a terminal.
Serving, whose log is the server's output, and a terminal take a real process.
No test asserts a time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from uagate import Policy, UAGateMiddleware
from uagate.testing import CHROME, GOOGLEBOT, IE11, IE11_COMPATIBILITY_VIEW

from .conftest import (
    CHROME_100,
    SITE,
    UAGATE,
    RunCli,
    combined,
    free_port,
    hello_asgi,
    running_server,
)

POLICIES = """
from uagate import Policy

MODERN_CHROME = Policy(min_versions={"chrome": 120})
NESTED = type("Holder", (), {"policy": MODERN_CHROME})
NOT_A_POLICY = {"min_versions": {"chrome": 120}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with shop.py (an app) and gate.py (policies), as an operator's project."""
    (tmp_path / "shop.py").write_text(SITE)
    (tmp_path / "gate.py").write_text(POLICIES)
    (tmp_path / "broken.py").write_text("raise RuntimeError('no policy today\\nsecond line')\n")
    (tmp_path / "leaves.py").write_text("import sys\n\nsys.exit('leaving at import')\n")
    (tmp_path / "needs.py").write_text("import uagate_no_such_dependency\n")
    return tmp_path


# 1. Report-only is visible: the uagate logger's records in the server's output


def serve_once(site: Path, *options: str, user_agent: str = IE11) -> tuple[httpx.Response, str]:
    """Serve shop:app with ``options``, send one request, stop; the answer and the output."""
    port = free_port()
    command = [*UAGATE, "serve", "shop:app", "--app-dir", str(site), "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    log = site / "server.log"
    with running_server([*command, *options], url, log):
        answer = httpx.get(url, headers={"User-Agent": user_agent})
    return answer, log.read_text()


def test_serve_report_only_shows_what_it_would_gate(project: Path) -> None:
    """Under uvicorn, --report-only prints a record for each request it would gate."""
    answer, output = serve_once(project, "--report-only")
    assert (answer.status_code, answer.text) == (200, "hello from the site")
    [record] = [line for line in output.splitlines() if "would gate" in line]
    assert "INFO" in record
    assert "/" in record


def test_serve_log_level_warning_hides_the_uagate_info_records(project: Path) -> None:
    """--log-level applies to the uagate logger too: at warning, no INFO record of it."""
    answer, output = serve_once(project, "--report-only", "--log-level", "warning")
    assert answer.status_code == 200
    assert "would gate" not in output
    assert "uagate" not in output


def test_serve_logs_gated_requests_but_not_passed_ones(project: Path) -> None:
    """Without --report-only the record says gated; a passed request writes none."""
    answer, output = serve_once(project)
    assert answer.status_code == 406
    assert len([line for line in output.splitlines() if "uagate: gated" in line]) == 1
    answer, output = serve_once(project, user_agent=CHROME)
    assert answer.status_code == 200
    assert "uagate:" not in output


def test_serve_log_level_is_one_of_uvicorns(run_cli: RunCli) -> None:
    """An unknown --log-level is a usage error, not a trace from uvicorn."""
    result = run_cli("serve", "shop:app", "--log-level", "loud")
    assert result.code == 2
    assert "invalid choice: 'loud'" in result.err
    assert "Traceback" not in result.err


def test_serve_refuses_an_app_that_has_a_gate_of_its_own(run_cli: RunCli, project: Path) -> None:
    """An app with UAGateMiddleware inside would keep gating under --report-only: refused."""
    (project / "gated_shop.py").write_text(
        "from starlette.applications import Starlette\n"
        "from starlette.middleware import Middleware\n"
        "from uagate import UAGateMiddleware\n"
        "app = Starlette(middleware=[Middleware(UAGateMiddleware)])\n"
        "wrapped = UAGateMiddleware(Starlette())\n"
    )
    for target in ("gated_shop:app", "gated_shop:wrapped"):
        result = run_cli("serve", target, "--report-only", cwd=project)
        assert result.code == 2
        assert result.err.count("\n") == 1
        assert "has a UAGateMiddleware of its own" in result.err


# 2. --policy MODULE:ATTRIBUTE


def test_check_policy_from_an_import_string_in_the_current_directory(
    run_cli: RunCli, project: Path
) -> None:
    """Check --policy gate:MODERN_CHROME gates Chrome 100, imported from the current directory."""
    assert run_cli("check", CHROME_100, cwd=project).code == 0
    for policy in ("gate:MODERN_CHROME", "gate:NESTED.policy"):
        result = run_cli("check", "--policy", policy, CHROME_100, cwd=project)
        assert (result.code, result.err) == (1, "")
        assert result.out.split()[:2] == ["gated", "outdated"]


def test_scan_policy_from_an_import_string(run_cli: RunCli, project: Path) -> None:
    """Scan --policy gate:MODERN_CHROME counts Chrome 100 as gated, and names the policy."""
    log = project / "access.log"
    log.write_text(combined(1, CHROME_100) + "\n" + combined(1, CHROME) + "\n")
    result = run_cli(
        "scan", "--format", "json", "--policy", "gate:MODERN_CHROME", str(log), cwd=project
    )
    report = json.loads(result.out)
    assert (report["policy"], report["requests"], report["gated"]) == (
        "gate:MODERN_CHROME",
        2,
        1,
    )
    assert report["gated_by_reason"] == [{"reason": "outdated", "requests": 1}]


def test_serve_policy_from_an_import_string(project: Path) -> None:
    """Serve --policy gate:MODERN_CHROME (from --app-dir) gates Chrome 100 in every worker."""
    answer, _ = serve_once(
        project, "--policy", "gate:MODERN_CHROME", "--workers", "2", user_agent=CHROME_100
    )
    assert answer.status_code == 406
    answer, _ = serve_once(project, "--policy", "gate:MODERN_CHROME", user_agent=CHROME)
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ("strict", "--policy strict: not default or modern, nor MODULE:ATTRIBUTE"),
        ("gate", "--policy gate: not default or modern, nor MODULE:ATTRIBUTE"),
        ("gate:", "--policy gate:: not default or modern, nor MODULE:ATTRIBUTE"),
        ("nosuchmodule:POLICY", "--policy nosuchmodule:POLICY: no module named 'nosuchmodule'"),
        ("gate:NOPE", "--policy gate:NOPE: gate has no attribute 'NOPE'"),
        ("gate:NESTED.nope", "--policy gate:NESTED.nope: gate has no attribute 'NESTED.nope'"),
        (
            "gate:NOT_A_POLICY",
            "--policy gate:NOT_A_POLICY: NOT_A_POLICY is a dict, not a uagate.Policy",
        ),
        (
            "broken:POLICY",
            "--policy broken:POLICY: cannot load it: RuntimeError: no policy today",
        ),
        (
            "leaves:POLICY",
            "--policy leaves:POLICY: cannot load it: SystemExit: leaving at import",
        ),
        (
            "needs:POLICY",
            "--policy needs:POLICY: cannot load it: ModuleNotFoundError: "
            "No module named 'uagate_no_such_dependency'",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "scan", "serve"])
def test_a_bad_policy_is_a_one_line_error(
    run_cli: RunCli, project: Path, command: str, policy: str, says: str
) -> None:
    """A --policy that does not import, lacks the attribute or is no Policy: one line, status 2."""
    args = {
        "check": ["check", IE11],
        "scan": ["scan", os.devnull],
        "serve": ["serve", "shop:app", "--port", str(free_port())],
    }[command]
    result = run_cli(*args, "--policy", policy, cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == [f"uagate: error: {says}"]
    assert result.out == ""


# 3. Visitors in scan


# Five visitors: two IE 11 (gated), two Chrome (one of them shares an address with an
# IE 11), one Googlebot (a bot); 10 requests over two days.
VISITS = [
    ("203.0.113.1", IE11, 1),
    ("203.0.113.1", IE11, 1),
    ("203.0.113.1", CHROME, 1),
    ("203.0.113.3", GOOGLEBOT, 1),
    ("203.0.113.1", IE11, 2),
    ("203.0.113.2", IE11, 2),
    ("203.0.113.1", CHROME, 2),
    ("203.0.113.3", GOOGLEBOT, 2),
    ("203.0.113.3", CHROME, 2),
    ("203.0.113.1", IE11, 2),
]
VISITORS = {
    "requests": 10,
    "gated": 5,
    "bots": 2,
    "people": 8,
    "visitors": 5,
    "gated_visitors": 2,
    "bot_visitors": 1,
    "people_visitors": 4,
    "visitors_exact": True,
    "visitors_relative_error": 0.0,
    "requests_without_address": 0,
}


def combined_from(address: str, user_agent: str, day: int) -> str:
    """A combined log line of ``address``."""
    return combined(day, user_agent).replace("203.0.113.7", address, 1)


def visits_log(form: str) -> str:
    """VISITS as a log in ``form``."""
    if form == "combined":
        lines = [combined_from(*visit) for visit in VISITS]
    elif form == "combined with a field after the User-Agent":
        lines = [combined_from(*visit) + ' "0.004"' for visit in VISITS]
    elif form == "combined with an unreadable line":
        lines = [combined_from(*visit) for visit in VISITS] + ["not a log line"]
    else:  # JSON lines, the address in the field named by form
        field = form.split()[-1]
        lines = [
            json.dumps({field: address, "user_agent": user_agent, "time": f"2026-11-0{day}"})
            for address, user_agent, day in VISITS
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "form",
    [
        "combined",
        "combined with a field after the User-Agent",
        "combined with an unreadable line",
        "jsonl remote_addr",
        "jsonl client_ip",
        "jsonl ip",
    ],
)
def test_scan_counts_visitors_in_every_log_format(
    run_cli: RunCli, tmp_path: Path, form: str
) -> None:
    """Visitors are distinct address and User-Agent pairs, the same however the log is read."""
    log = tmp_path / "access.log"
    log.write_text(visits_log(form))
    result = run_cli("scan", "--format", "json", str(log))
    report = json.loads(result.out)
    assert {key: report[key] for key in VISITORS} == VISITORS


def test_scan_without_addresses_counts_visitors_by_user_agent(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """One User-Agent a line (no address): visitors are the distinct User-Agents, and said so."""
    log = "".join(f"{user_agent}\n" for _, user_agent, _ in VISITS)
    report = json.loads(run_cli("scan", "--format", "json", stdin=log.encode()).out)
    assert (report["visitors"], report["gated_visitors"], report["bot_visitors"]) == (3, 1, 1)
    assert report["requests_without_address"] == 10
    table = run_cli("scan", stdin=log.encode()).out
    assert "without an address    10 requests" in table
    assert "by User-Agent alone" in table


def test_scan_table_and_csv_show_visitors_and_bots_apart(run_cli: RunCli, tmp_path: Path) -> None:
    """The table's headline and the CSV's rows give requests and visitors, bots apart."""
    log = tmp_path / "access.log"
    log.write_text(visits_log("combined"))
    table = run_cli("scan", str(log)).out.splitlines()
    assert table[1:12] == [
        "requests              10",
        "  from bots           2 (20.00%)",
        "  from people         8 (80.00%)",
        "visitors              5",
        "  bots                1",
        "  people              4",
        "gated                 5 (50.00%)",
        "gated visitors        2 (40.00%)",
        "passed                5",
        "distinct User-Agents  3",
        "unreadable lines      0",
    ]
    assert "Visitor counts are exact." in table
    rows = list(csv.DictReader(io.StringIO(run_cli("scan", "--format", "csv", str(log)).out)))
    by_key = {(row["section"], row["key"]): row for row in rows}
    assert {name: by_key[("total", "all")][name] for name in ("visitors", "gated_visitors")} == {
        "visitors": "5",
        "gated_visitors": "2",
    }
    assert (by_key[("bots", "all")]["requests"], by_key[("bots", "all")]["visitors"]) == ("2", "1")
    assert (by_key[("people", "all")]["requests"], by_key[("people", "all")]["visitors"]) == (
        "8",
        "4",
    )
    assert by_key[("total", "all")]["visitors_error"] == "0.000000"


def test_scan_estimates_visitors_past_100000_and_says_how_well(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """130,000 distinct visitors: an estimate within 4% (5 standard errors), run after run.

    HyperLogLog's relative standard error is in the JSON, the table and the CSV.
    """
    lines = []
    for number in range(130_000):
        address = f"10.{number >> 16}.{number >> 8 & 255}.{number & 255}"
        user_agent = IE11 if number % 10 == 0 else CHROME
        lines.append(combined_from(address, user_agent, 1 + number * 3 // 130_000))
    log = tmp_path / "big.log"
    log.write_text("\n".join(lines) + "\n")
    first = run_cli("scan", "--format", "json", str(log)).out
    report = json.loads(first)
    assert report["requests"] == 130_000
    assert report["visitors_exact"] is False
    assert report["visitors_relative_error"] == pytest.approx(1.04 / 128, abs=1e-6)
    assert abs(report["visitors"] / 130_000 - 1) < 0.04
    assert report["gated_visitors"] == 13_000  # this count stayed under the limit: exact
    assert run_cli("scan", "--format", "json", str(log)).out == first  # deterministic
    table = run_cli("scan", str(log)).out
    assert "HyperLogLog" in table
    assert "0.81%" in table
    rows = list(csv.DictReader(io.StringIO(run_cli("scan", "--format", "csv", str(log)).out)))
    assert rows[0]["visitors_error"] == "0.008125"


# 4. The HTML report: every figure of the JSON, and the days over time


class _Page(HTMLParser):
    """Reads a scan report page: its data-field cells by table and row, and its charts."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, int, str, str]] = []  # table id, row, field, text
        self.axis: list[tuple[str, str]] = []  # data-axis, text
        self.tags: list[str] = []
        self.loads: list[str] = []
        self.styles = ""
        self._table = ""
        self._row = -1
        self._field: str | None = None
        self._axis: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href", "srcset", "poster", "data"):
            if values.get(name):
                self.loads.append(f"{tag} {name}={values[name]}")
        if tag == "table":
            self._table, self._row = values.get("id") or "", -1
        elif tag == "tr":
            self._row += 1
        elif tag == "style":
            self._in_style = True
        self._field = values.get("data-field")
        self._axis = values.get("data-axis")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = ""
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles += data
        if self._field is not None:
            self.fields.append((self._table, self._row, self._field, data))
            self._field = None
        if self._axis is not None:
            self.axis.append((self._axis, data))
            self._axis = None

    def rows(self, table: str) -> list[dict[str, str]]:
        """The data-field cells of ``table``, a dict a row, in order."""
        rows: dict[int, dict[str, str]] = {}
        for table_id, row, field, text in self.fields:
            if table_id == table:
                rows.setdefault(row, {})[field] = text
        return [rows[row] for row in sorted(rows)]


def same(text: str, value: object) -> bool:
    """Whether a page's ``text`` shows the JSON ``value``."""
    if isinstance(value, bool):
        return text == ("exact" if value else "estimated")
    if isinstance(value, int):
        return int(text.replace(",", "")) == value
    if isinstance(value, float):
        return text.endswith("%") and abs(float(text[:-1]) / 100 - value) <= 0.00005 + 1e-9
    return text == value


def test_scan_html_report_shows_every_figure_of_the_json(run_cli: RunCli, tmp_path: Path) -> None:
    """Each figure of --format json is on the page, in a cell named as in the JSON."""
    log = tmp_path / "access.log"
    log.write_text(visits_log("combined with a field after the User-Agent") + "junk\n")
    page_path = tmp_path / "report.html"
    result = run_cli("scan", "--format", "json", "--html", str(page_path), str(log))
    report = json.loads(result.out)
    page = _Page()
    page.feed(page_path.read_text(encoding="utf-8"))

    first: dict[str, str] = {}
    for table, _, field, text in page.fields:
        if table in ("", "summary", "details"):
            first.setdefault(field, text)
    scalars = {key: value for key, value in report.items() if not isinstance(value, list | dict)}
    assert set(scalars) <= set(first), set(scalars) - set(first)
    for key, value in scalars.items():
        assert same(first[key], value), (key, first[key], value)

    clients = page.rows("clients")
    assert [row["client"] for row in clients] == [c["client"] for c in report["gated_by_client"]]
    assert [int(row["requests"]) for row in clients] == [
        c["requests"] for c in report["gated_by_client"]
    ]
    reasons = page.rows("reasons")
    assert [(row["reason"], int(row["requests"])) for row in reasons] == [
        (r["reason"], r["requests"]) for r in report["gated_by_reason"]
    ]
    days = page.rows("days")
    assert len(days) == len(report["days"])
    for row, day in zip(days, report["days"], strict=True):
        for key in ("day", "requests", "gated", "gated_share"):
            assert same(row[key], day[key]), (key, row[key], day[key])
    files = page.rows("files")
    assert len(files) == len(report["files"])
    for row, summary in zip(files, report["files"], strict=True):
        for key in ("name", "format", "lines", "unreadable"):
            assert same(row[key], summary[key]), (key, row[key], summary[key])


def test_scan_html_report_earlier_days_match_the_json(run_cli: RunCli, tmp_path: Path) -> None:
    """Days before the 3,660 the report keeps are one row, with the JSON's figures."""
    records = [
        json.dumps({"ip": "192.0.2.1", "user_agent": IE11, "ts": 86_400 * day})
        for day in range(3_700)
    ]
    log = tmp_path / "decade.jsonl"
    log.write_text("\n".join(records) + "\n")
    page_path = tmp_path / "report.html"
    report = json.loads(run_cli("scan", "--format", "json", "--html", str(page_path), str(log)).out)
    page = _Page()
    page.feed(page_path.read_text(encoding="utf-8"))
    earlier = page.rows("days")[0]
    assert earlier["earlier_days"] == "earlier days"
    assert int(earlier["requests"]) == report["earlier_days"]["requests"] == 40
    assert int(earlier["gated"]) == report["earlier_days"]["gated"] == 40
    dates = [text for axis, text in page.axis if axis == "x"]
    assert dates[0] == report["days"][0]["day"]
    assert dates[-1] == report["days"][-1]["day"]


def test_scan_html_report_draws_the_days_over_time(run_cli: RunCli, tmp_path: Path) -> None:
    """The charts have a y axis from 0, labelled, and dates on the x axis, gaps included."""
    lines = [combined(day, IE11 if n % 3 == 0 else CHROME) for day in (1, 2, 5) for n in range(7)]
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    page_path = tmp_path / "report.html"
    assert run_cli("scan", "--html", str(page_path), str(log)).code == 0
    text = page_path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert page.tags.count("svg") == 2
    assert [text for axis, text in page.axis if axis == "y-title"] == ["requests", "share gated"]
    y_labels = [text for axis, text in page.axis if axis == "y"]
    counts = y_labels[: y_labels.index("0%")]
    shares = y_labels[y_labels.index("0%") :]
    assert counts[0] == "0"
    assert [int(label.replace(",", "")) for label in counts] == sorted(
        int(label.replace(",", "")) for label in counts
    )
    assert int(counts[-1]) >= 7  # the busiest day's requests are under the top
    assert shares[0] == "0%"
    assert float(shares[-1].rstrip("%")) >= 100 * 3 / 7
    dates = [text for axis, text in page.axis if axis == "x"]
    # Five days from the 1st to the 5th, though the log has none on the 3rd and 4th.
    assert dates == [f"2026-11-0{day}" for day in range(1, 6)] * 2
    assert all(date.fromisoformat(day) for day in dates)
    # The charts' text is the tables' size; nothing is loaded, nothing runs.
    sized = [
        selector.strip()
        for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", page.styles)
        if "font" in body
    ]
    [shared] = [selector for selector in sized if "svg" in selector]
    assert {"td", "th", "svg text"} <= {part.strip() for part in shared.split(",")}
    assert not [s for s in sized if s != shared and re.search(r"\b(td|th|table|svg)\b", s)]
    assert "font" not in text.split("<svg", 1)[1]  # no size set on the charts' text itself
    assert "script" not in page.tags
    assert page.loads == []
    assert "url(" not in text
    assert "@import" not in text
    assert "http" not in text


# 5. The page's variants, and check on a terminal


@pytest.mark.parametrize(
    ("reason", "policy", "user_agent"),
    [
        ("internet-explorer", Policy(), IE11),
        ("outdated", Policy.modern(), CHROME_100),
        (
            "compatibility-view",
            Policy(gate_ie=False, min_versions={"ie": 10}),
            IE11_COMPATIBILITY_VIEW,
        ),
        ("predicate", Policy(predicate=lambda client: client.family == "Chrome"), CHROME),
    ],
)
def test_page_prints_each_variant_the_gate_sends(
    run_cli: RunCli, reason: str, policy: Policy, user_agent: str
) -> None:
    """Page --reason R prints, byte for byte, the page a client gated for R gets."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=policy))
    served = client.get("/", headers={"User-Agent": user_agent})
    assert served.status_code == 406
    result = run_cli("page", "--reason", reason)
    assert result.code == 0
    assert result.out.encode() == served.content
    problem = client.get("/", headers={"User-Agent": user_agent, "Accept": "application/json"})
    result = run_cli("page", "--reason", reason, "--format", "json")
    assert json.loads(result.out) == problem.json()


def test_page_variants_differ(run_cli: RunCli) -> None:
    """The outdated and compatibility-view pages say something else than the IE page."""
    headings = {
        reason: re.findall("<h1>(.*)</h1>", run_cli("page", "--reason", reason).out)[0]
        for reason in ("internet-explorer", "outdated", "compatibility-view", "predicate")
    }
    assert len(set(headings.values())) == 4
    assert headings["outdated"] == "Your browser is out of date"


def test_page_status_applies_to_json_and_is_refused_for_html(run_cli: RunCli) -> None:
    """--status sets the problem+json status; with the HTML page it is a one-line error."""
    result = run_cli("page", "--format", "json", "--status", "403")
    assert json.loads(result.out)["status"] == 403
    result = run_cli("page", "--status", "403")
    assert (result.code, result.out) == (2, "")
    [line] = result.err.splitlines()
    assert line.startswith("uagate: error: --status goes into the problem+json body")
    assert run_cli("page", "--reason", "supported").code == 2


def on_a_terminal(*args: str, typed: bytes) -> tuple[int, str, str]:
    """Run uagate ARGS with a terminal as standard input, type ``typed`` and end it (Ctrl+D)."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [*UAGATE, *args], stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        os.close(terminal)
        terminal = -1
        os.write(controller, typed + b"\n\x04")
        out, err = process.communicate(timeout=60)
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    return process.returncode, out.decode(), err.decode()


def test_check_on_a_terminal_says_it_reads_standard_input() -> None:
    """Check with no arguments on a terminal says on stderr what it waits for, then reads."""
    status, out, err = on_a_terminal("check", typed=IE11.encode())
    assert "reading User-Agents from standard input" in err
    assert (status, out.split()[:2]) == (1, ["gated", "internet-explorer"])


def test_check_says_nothing_when_standard_input_is_piped(run_cli: RunCli) -> None:
    """With User-Agents piped in, or given as arguments, nothing goes to stderr."""
    assert run_cli("check", stdin=IE11.encode()).err == ""
    assert run_cli("check", IE11).err == ""


def test_scan_on_a_terminal_says_it_reads_standard_input() -> None:
    """Scan with no files on a terminal says so on stderr too."""
    status, out, err = on_a_terminal("scan", "--format", "json", typed=IE11.encode())
    assert "reading a log from standard input" in err
    assert status == 0
    assert json.loads(out)["gated"] == 1
