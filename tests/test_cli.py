"""The ``uagate`` command: each subcommand run in-process, through ``uagate.cli.main``.

The ``run_cli`` fixture (conftest.py) gives the exit status, standard output and
standard error. A few tests run a real process, for what only one shows: the
console script and ``python -m uagate`` themselves, a server on 127.0.0.1, a
terminal, the locale's encoding, and /dev/stdin.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp
from uvicorn.importer import import_from_string

from uagate import UAGateMiddleware, __version__
from uagate.testing import CHROME, FIREFOX, GOOGLEBOT, IE6, IE8, IE11

from .conftest import (
    CHROME_100,
    ROOT,
    SITE,
    UAGATE,
    RunCli,
    combined,
    free_port,
    hello_asgi,
    locale_file,
    running_server,
)

# The console script, as pip installed it.
SCRIPT = str(Path(sys.executable).parent / "uagate")
HEADING = "We don't support Internet Explorer"
MESSAGE = "Please use Chrome, Safari, Firefox, or Edge to view this site."


def uagate(*args: str, stdin: bytes = b"", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m uagate ARGS`` as a process, to its end (at most 60 s); what it did."""
    result = subprocess.run(
        [*UAGATE, *args], input=stdin, capture_output=True, cwd=cwd, timeout=60, check=False
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


# A log of two days: 12 requests (6 gated, 1 bot) and 2 lines that are not requests.
IE9_APACHE_ESCAPED = 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; \\"x\\")'
IE8_NGINX_ESCAPED = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; \\x22x\\x22)"
LOG_LINES = [
    *[combined(1, IE11)] * 3,
    *[combined(1, CHROME)] * 2,
    combined(2, IE6),
    combined(2, FIREFOX),
    "this line is not a log line",
    combined(2, FIREFOX),
    combined(2, IE9_APACHE_ESCAPED),
    combined(2, IE8_NGINX_ESCAPED),
    combined(2, GOOGLEBOT),
    combined(2, FIREFOX),
    combined(2, CHROME)[:70],  # truncated mid-line, as a log cut by a crash
]
LOG = ("\n".join(LOG_LINES) + "\n").encode()
EXPECTED = {"requests": 12, "gated": 6, "bots": 1, "unreadable_lines": 2}
EXPECTED_DAYS = [
    {"day": "2026-11-01", "requests": 5, "gated": 3},
    {"day": "2026-11-02", "requests": 7, "gated": 3},
]


@pytest.fixture
def access_log(tmp_path: Path) -> Path:
    """The two-day combined log above, as a file."""
    path = tmp_path / "access.log"
    path.write_bytes(LOG)
    return path


def scan_json(run_cli: RunCli, *args: str, stdin: bytes = b"") -> dict[str, object]:
    """``uagate scan --format json ARGS``, which must succeed, parsed."""
    result = run_cli("scan", "--format", "json", *args, stdin=stdin)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert isinstance(report, dict)
    return report


def subset(report: dict[str, object], keys: Mapping[str, object]) -> dict[str, object]:
    """The entries of ``report`` named in ``keys``."""
    return {key: report[key] for key in keys}


# check


def test_check_prints_gated_and_exits_1_for_ie(run_cli: RunCli) -> None:
    """Check IE11: one line saying gated, why, the family and version; exit status 1."""
    result = run_cli("check", IE11)
    assert result.code == 1
    assert result.out.split()[:4] == ["gated", "internet-explorer", "IE", "11.0"]
    assert "engine=Trident/7.0" in result.out
    assert "bot=no" in result.out


def test_check_prints_passed_and_exits_0_for_chrome(run_cli: RunCli) -> None:
    """Check with Chrome's User-Agent passes, exit status 0."""
    result = run_cli("check", CHROME)
    assert result.code == 0
    assert result.out.split()[:3] == ["passed", "supported", "Chrome"]


def test_check_reads_standard_input_one_user_agent_a_line(run_cli: RunCli) -> None:
    """Without arguments, each non-blank line of standard input is checked."""
    result = run_cli("check", stdin=f"{CHROME}\n\n{IE6}\r\n".encode())
    assert result.code == 1
    verdicts = [line.split()[0] for line in result.out.splitlines()]
    assert verdicts == ["passed", "gated"]


def test_check_json_is_one_object_a_line(run_cli: RunCli) -> None:
    """--json prints one JSON object per User-Agent with the verdict's fields."""
    result = run_cli("check", "--json", IE11, GOOGLEBOT)
    assert result.code == 1
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records[0] == {
        "user_agent": IE11,
        "gated": True,
        "reason": "internet-explorer",
        "family": "IE",
        "version": "11.0",
        "engine": "Trident",
        "engine_version": "7.0",
        "bot": False,
    }
    assert (records[1]["gated"], records[1]["bot"]) == (False, True)


def test_check_policy_modern_gates_old_chrome(run_cli: RunCli) -> None:
    """--policy modern gates Chrome 100, which the default policy passes."""
    assert run_cli("check", CHROME_100).code == 0
    result = run_cli("check", "--policy", "modern", CHROME_100)
    assert result.code == 1
    assert result.out.split()[:2] == ["gated", "outdated"]


@pytest.mark.parametrize(
    "args",
    [["check", "--policy", "strict", IE11], [], ["nosuchcommand"], ["scan", "--format", "xml"]],
)
def test_usage_errors_exit_2(run_cli: RunCli, args: list[str]) -> None:
    """A bad command line exits with status 2 and says what is wrong, no traceback."""
    result = run_cli(*args)
    assert result.code == 2
    assert "error:" in result.err
    assert "Traceback" not in result.err


def test_console_script_is_installed() -> None:
    """The ``uagate`` console script runs the same command."""
    result = subprocess.run([SCRIPT, "check", IE8], capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith(b"gated")


def test_console_script_prints_its_version() -> None:
    """``uagate --version`` names the installed version, and exits 0."""
    result = subprocess.run([SCRIPT, "--version"], capture_output=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"uagate {__version__}\n".encode(),
        b"",
    )


# scan


def test_scan_combined_log_counts_requests_gated_bots_and_bad_lines(
    run_cli: RunCli, access_log: Path
) -> None:
    """A combined log with escapes, a malformed and a truncated line is counted exactly."""
    report = scan_json(run_cli, str(access_log))
    assert subset(report, EXPECTED) == EXPECTED
    assert report["passed"] == 6
    assert report["distinct_user_agents"] == 7
    assert report["files"] == [
        {"name": str(access_log), "format": "combined", "lines": 14, "unreadable": 2}
    ]


def test_scan_reports_the_share_gated_per_day(run_cli: RunCli, access_log: Path) -> None:
    """Combined logs carry timestamps: requests, gated and share per day."""
    days = scan_json(run_cli, str(access_log))["days"]
    assert isinstance(days, list)
    assert [{k: day[k] for k in ("day", "requests", "gated")} for day in days] == EXPECTED_DAYS
    assert [day["gated_share"] for day in days] == [0.6, round(3 / 7, 6)]


def test_scan_lists_gated_clients_by_family_and_version(run_cli: RunCli, access_log: Path) -> None:
    """The gated requests are broken down by family and major version, most first."""
    report = scan_json(run_cli, str(access_log))
    assert report["gated_by_client"] == [  # most first, then alphabetically
        {"client": "IE 11", "requests": 3},
        {"client": "IE 6", "requests": 1},
        {"client": "IE 8", "requests": 1},
        {"client": "IE 9", "requests": 1},
    ]


def test_scan_one_day_log_with_escapes(run_cli: RunCli, tmp_path: Path) -> None:
    """A log of one day (the fast path) unescapes Apache and nginx escapes alike."""
    path = tmp_path / "one-day.log"
    lines = [combined(5, IE9_APACHE_ESCAPED), combined(5, IE8_NGINX_ESCAPED), combined(5, CHROME)]
    path.write_text("\n".join(lines * 100) + "\n")
    report = scan_json(run_cli, str(path))
    assert subset(report, {"requests": 0, "gated": 0}) == {"requests": 300, "gated": 200}
    assert report["gated_by_client"] == [
        {"client": "IE 8", "requests": 100},
        {"client": "IE 9", "requests": 100},
    ]


def test_scan_reads_gzip_files(run_cli: RunCli, tmp_path: Path) -> None:
    """A .gz log gives the same counts as the log itself."""
    path = tmp_path / "access.log.gz"
    path.write_bytes(gzip.compress(LOG))
    assert subset(scan_json(run_cli, str(path)), EXPECTED) == EXPECTED


def test_scan_adds_up_several_files_and_standard_input(run_cli: RunCli, access_log: Path) -> None:
    """Files and '-' (standard input) are read in turn and added up."""
    report = scan_json(run_cli, str(access_log), "-", stdin=LOG)
    assert (report["requests"], report["gated"]) == (24, 12)
    files = report["files"]
    assert isinstance(files, list)
    assert [entry["name"] for entry in files] == [str(access_log), "-"]


def test_scan_json_lines(run_cli: RunCli, tmp_path: Path) -> None:
    """JSON lines: user_agent or http_user_agent, time fields, bad records counted."""
    path = tmp_path / "access.jsonl"
    records = [
        {"time": "2026-11-01T10:00:00Z", "user_agent": IE11},
        {"timestamp": 1793613600, "http_user_agent": CHROME},
        {"time_local": "02/Nov/2026:10:00:00 +0000", "user_agent": IE6},
        {"user_agent": FIREFOX},
    ]
    text = "\n".join(json.dumps(record) for record in records)
    path.write_text(text + '\n{"user_agent": 5}\nnot json\n{"status": 200}\n{"user_agent": "Moz')
    report = scan_json(run_cli, str(path))
    assert subset(report, {"requests": 0, "gated": 0, "unreadable_lines": 0}) == {
        "requests": 4,
        "gated": 2,
        "unreadable_lines": 4,
    }
    assert [(day["day"], day["requests"]) for day in report["days"]] == [  # type: ignore[attr-defined]
        ("2026-11-01", 1),
        ("2026-11-02", 2),
    ]
    assert report["files"][0]["format"] == "jsonl"  # type: ignore[index]


def test_scan_one_user_agent_a_line_from_standard_input(run_cli: RunCli) -> None:
    """Plain User-Agent lines on standard input; blank lines are not requests."""
    report = scan_json(run_cli, stdin=f"{IE11}\n{CHROME}\n\n{IE6}\n{IE6}".encode())
    assert subset(report, {"requests": 0, "gated": 0}) == {"requests": 4, "gated": 3}
    assert report["days"] == []
    assert report["files"][0]["format"] == "user-agent"  # type: ignore[index]


def test_scan_an_empty_input_reports_zero(run_cli: RunCli) -> None:
    """Nothing to read is no error: zero requests."""
    report = scan_json(run_cli, stdin=b"")
    assert subset(report, {"requests": 0, "gated": 0}) == {"requests": 0, "gated": 0}


def test_scan_table_output(run_cli: RunCli, access_log: Path) -> None:
    """The default table shows the totals, the gated clients and the days."""
    result = run_cli("scan", str(access_log))
    assert result.code == 0
    rows = {line.split("  ")[0].strip(): line for line in result.out.splitlines() if line}
    assert rows["requests"].split()[-1] == "12"
    assert rows["gated"].split()[-2:] == ["6", "(50.00%)"]
    assert rows["unreadable lines"].split()[-1] == "2"
    assert "2026-11-02" in result.out
    assert "IE 11" in result.out


def test_scan_csv_output(run_cli: RunCli, access_log: Path) -> None:
    """--format csv is one table: section, key, requests, gated, share."""
    result = run_cli("scan", "--format", "csv", str(access_log))
    rows = list(csv.DictReader(io.StringIO(result.out)))
    by_key = {(row["section"], row["key"]): row for row in rows}
    assert by_key[("total", "all")]["requests"] == "12"
    assert by_key[("total", "all")]["gated"] == "6"
    assert by_key[("day", "2026-11-01")]["gated"] == "3"
    assert by_key[("client", "IE 11")]["requests"] == "3"
    assert by_key[("bots", "all")]["requests"] == "1"
    assert by_key[("unreadable", "lines")]["requests"] == "2"


class _Fields(HTMLParser):
    """Collects the text of elements with a data-field attribute, and what the page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.loads: list[str] = []
        self.tags: set[str] = set()
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        self._field = values.get("data-field")
        for name in ("src", "href"):
            if values.get(name):
                self.loads.append(f"{tag} {name}={values[name]}")

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self.fields.append((self._field, data))
            self._field = None


def test_scan_html_report_matches_the_json(
    run_cli: RunCli, access_log: Path, tmp_path: Path
) -> None:
    """--html writes one self-contained page whose figures are those of --format json."""
    page = tmp_path / "report.html"
    report = scan_json(run_cli, str(access_log), "--html", str(page))
    parser = _Fields()
    parser.feed(page.read_text(encoding="utf-8"))
    fields = parser.fields
    first = dict(reversed(fields))  # the summary table comes first
    for name in ("requests", "gated", "bots", "unreadable_lines", "distinct_user_agents"):
        assert int(first[name].replace(",", "")) == report[name]
    days = [value for name, value in fields if name == "day"]
    assert days == [day["day"] for day in report["days"]]  # type: ignore[attr-defined]
    clients = [value for name, value in fields if name == "client"]
    assert clients == [entry["client"] for entry in report["gated_by_client"]]  # type: ignore[attr-defined]
    assert "svg" in parser.tags
    assert "path" in parser.tags  # the days, drawn over time
    assert "script" not in parser.tags
    assert parser.loads == []  # no stylesheet, image or script from anywhere


def test_scan_missing_file_is_a_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    """A file that does not exist: exit status 2 and one line naming it."""
    result = run_cli("scan", str(tmp_path / "nope.log"))
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"uagate: error: cannot read {tmp_path / 'nope.log'}: No such file or directory"
    ]


def test_scan_corrupt_gzip_is_a_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    """A .gz file cut short is reported, not a traceback."""
    path = tmp_path / "cut.log.gz"
    path.write_bytes(gzip.compress(LOG * 50)[:200])
    result = run_cli("scan", str(path))
    assert result.code == 2
    assert "cannot read" in result.err
    assert "Traceback" not in result.err


def test_scan_shows_no_progress_when_piped(run_cli: RunCli, access_log: Path) -> None:
    """With standard error not a terminal, nothing but the report is written."""
    result = run_cli("scan", str(access_log))
    assert result.err == ""


def test_scan_shows_progress_on_a_terminal(access_log: Path) -> None:
    """With standard error on a terminal, a progress line is drawn, then cleared."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            [*UAGATE, "scan", "--format", "json", str(access_log)],
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=60,
            check=True,
        )
        os.close(terminal)
        terminal = -1
        drawn = b""
        while True:  # bounded: the pty ends when the child's side is closed
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    assert b"scanning" in drawn
    assert b"\x1b[K" in drawn  # the line is cleared at the end
    assert json.loads(process.stdout)["requests"] == 12


def test_scan_damaged_gzip_is_a_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    """A .gz file damaged in the middle is reported in one line, not a traceback."""
    data = bytearray(gzip.compress(LOG * 200))
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "damaged.log.gz"
    path.write_bytes(bytes(data))
    result = run_cli("scan", str(path))
    assert result.code == 2
    assert result.err.startswith(f"uagate: error: cannot read {path}: ")
    assert len(result.err.strip().splitlines()) == 1


def test_scan_reads_gzip_from_standard_input(run_cli: RunCli) -> None:
    """A gzip stream on standard input is recognised and decompressed."""
    report = scan_json(run_cli, "-", stdin=gzip.compress(LOG))
    assert subset(report, EXPECTED) == EXPECTED


def test_scan_reads_a_pipe_by_its_path(access_log: Path) -> None:
    """A path that cannot be seeked (here /dev/stdin on a pipe) is read like a file.

    A real process: its /dev/stdin is the pipe.
    """
    stdin = access_log.read_bytes()
    result = uagate("scan", "--format", "json", "/dev/stdin", stdin=stdin)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert subset(report, EXPECTED) == EXPECTED


def test_scan_windows_line_endings_count_the_same(run_cli: RunCli) -> None:
    """CRLF line endings (and blank CRLF lines) give the same counts as LF."""
    crlf = LOG.replace(b"\n", b"\r\n") + b"\r\n"
    assert subset(scan_json(run_cli, stdin=crlf), EXPECTED) == EXPECTED


def test_scan_json_lines_tolerate_indentation_and_huge_times(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Indented lines, a byte order mark and an absurd timestamp neither crash nor mislead."""
    lines = [
        "\ufeff" + json.dumps({"user_agent": IE11, "ts": 10**400}),
        "   " + json.dumps({"user_agent": CHROME, "time": "no time", "ts": 1793613600}),
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = scan_json(run_cli, str(path))
    assert subset(report, {"requests": 0, "gated": 0, "unreadable_lines": 0}) == {
        "requests": 2,
        "gated": 1,
        "unreadable_lines": 0,
    }
    assert [day["day"] for day in report["days"]] == ["2026-11-02"]  # type: ignore[attr-defined]


# A reference reading of combined lines, written here and independent of the scanner.
REFERENCE = re.compile(
    r'\S+ \S+ \S+ \[(\d\d)/Nov/2026:[^\]]*\] "[^"]*" \d{3} \S+ "[^"]*" "([^"]*)"'
)
GATED_AGENTS = {IE11, IE6, IE8}


def test_scan_agrees_with_a_line_by_line_reading_on_a_long_odd_log(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """On a long log of five days with odd lines, counts match a plain line-by-line reading."""
    agents = [IE11, CHROME, FIREFOX, GOOGLEBOT, IE6, IE8, CHROME, FIREFOX]
    odd = [
        "garbage that is no log line",
        combined(3, CHROME)[:50],  # truncated
        combined(3, IE11) + ' "10.0.0.1"',  # a field after the User-Agent
        combined(3, CHROME, path="/x?[04/Nov/2026:") + "",  # another day's stamp in the path
        "",
        'totally bogus "x" "' + IE11 + '"',
    ]
    lines = []
    for index in range(40_000):  # about 9 MB: several 1 MiB blocks, five days
        day = 1 + index * 5 // 40_000
        lines.append(combined(day, agents[index % len(agents)], path=f"/p{index}"))
        if index % 997 == 0:
            lines.append(odd[index % len(odd)])
    path = tmp_path / "long.log"
    path.write_text("\n".join(lines) + "\n")
    expected_days: dict[str, list[int]] = {}
    requests = gated = 0
    for line in lines:
        found = REFERENCE.fullmatch(line)
        if found is None:
            continue
        requests += 1
        is_gated = found.group(2) in GATED_AGENTS
        gated += is_gated
        totals = expected_days.setdefault(f"2026-11-{found.group(1)}", [0, 0])
        totals[0] += 1
        totals[1] += is_gated
    report = scan_json(run_cli, str(path))
    assert (report["requests"], report["gated"]) == (requests, gated)
    nonblank = sum(1 for line in lines if line)
    assert report["unreadable_lines"] == nonblank - requests
    days = {day["day"]: [day["requests"], day["gated"]] for day in report["days"]}  # type: ignore[attr-defined]
    assert days == expected_days


def test_scan_skips_a_huge_line_without_newlines(run_cli: RunCli, tmp_path: Path) -> None:
    """A 5 MB "line" is counted unreadable and skipped; the lines after it are still read."""
    path = tmp_path / "junk.log"
    path.write_bytes(LOG + b"x" * 5_000_000 + b"\n" + LOG)
    report = scan_json(run_cli, str(path))
    assert (report["requests"], report["unreadable_lines"]) == (24, 5)


# serve and demo


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder holding shop.py, a small Starlette app (``app``, and a factory ``create``)."""
    (tmp_path / "shop.py").write_text(SITE)
    return tmp_path


def served(run_cli: RunCli, *args: str) -> TestClient:
    """Run ``uagate serve ARGS`` in-process; a client of the app uvicorn would serve.

    ``uvicorn.run`` does here what it does first in a worker: import the app by its
    import string (and call it, with factory=True), from the configuration the
    command has set. test_console_script_serves_an_app_behind_the_gate runs a real one.
    """
    apps: list[ASGIApp] = []

    def build(app: str, *, factory: bool = False, **options: object) -> None:
        target = import_from_string(app)
        apps.append(target() if factory else target)

    result = run_cli("serve", *args, serve=build)
    assert (result.code, result.err) == (0, ""), result.err
    [app] = apps
    return TestClient(app)


def test_console_script_serves_an_app_behind_the_gate(site: Path) -> None:
    """``uagate serve`` on 127.0.0.1: IE gets the gate page, Chrome reaches the app."""
    port = free_port()
    command = [SCRIPT, "serve", "shop:app", "--app-dir", str(site), "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with running_server(command, url, site / "server.log"):
        ie = httpx.get(url, headers={"User-Agent": IE11})
        chrome = httpx.get(url, headers={"User-Agent": CHROME})
    assert ie.status_code == 406
    assert f"<h1>{HEADING}</h1>" in ie.text
    assert (chrome.status_code, chrome.text) == (200, "hello from the site")


@pytest.mark.parametrize("target", [["shop:app"], ["shop:create", "--factory"]])
def test_serve_puts_the_gate_in_front_of_an_app(
    run_cli: RunCli, site: Path, target: list[str]
) -> None:
    """Serve MODULE:APP (or a factory): IE gets the gate page, Chrome reaches the app."""
    client = served(run_cli, *target, "--app-dir", str(site), "--port", str(free_port()))
    ie = client.get("/", headers={"User-Agent": IE11})
    chrome = client.get("/", headers={"User-Agent": CHROME})
    assert ie.status_code == 406
    assert f"<h1>{HEADING}</h1>" in ie.text
    assert (chrome.status_code, chrome.text) == (200, "hello from the site")


def test_serve_report_only_lets_ie_through(run_cli: RunCli, site: Path) -> None:
    """Serve --report-only: IE reaches the app."""
    client = served(run_cli, "shop:app", "--app-dir", str(site), "--report-only")
    ie = client.get("/", headers={"User-Agent": IE11})
    assert (ie.status_code, ie.text) == (200, "hello from the site")


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("nosuchmodule:app", 'Could not import module "nosuchmodule"'),
        ("shop:nothere", 'Attribute "nothere" not found in module "shop"'),
        ("shop", 'must be in format "<module>:<attribute>"'),
    ],
)
def test_serve_bad_import_string_is_a_one_line_error(
    run_cli: RunCli, site: Path, target: str, says: str
) -> None:
    """A bad MODULE:APP exits with status 2 and one line, not a traceback."""
    result = run_cli("serve", target, "--app-dir", str(site), "--port", str(free_port()))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"uagate: error: cannot serve {target}: ")
    assert says in lines[0]


def test_serve_exclude_path_lets_ie_reach_that_path(run_cli: RunCli, site: Path) -> None:
    """With --exclude-path /health, IE reaches /health and is gated elsewhere."""
    client = served(run_cli, "shop:app", "--app-dir", str(site), "--exclude-path", "/health")
    health = client.get("/health", headers={"User-Agent": IE11})
    home = client.get("/", headers={"User-Agent": IE11})
    assert (health.status_code, health.text) == (200, "hello from the site")
    assert home.status_code == 406


def test_serve_bad_gate_option_is_a_one_line_error(run_cli: RunCli, site: Path) -> None:
    """An option the middleware refuses (status 302) is reported before serving."""
    result = run_cli("serve", "shop:app", "--app-dir", str(site), "--status-code", "302")
    assert result.code == 2
    assert "status_code" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_demo_command_serves_the_demo(tmp_path: Path) -> None:
    """Uagate demo serves the demo site behind the gate, and logs what it gates."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "demo.log"
    with running_server([*UAGATE, "demo", "--port", str(port)], url, log):
        chrome = httpx.get(url, headers={"User-Agent": CHROME})
        ie = httpx.get(url, headers={"User-Agent": IE11})
    assert "Your browser got through the gate" in chrome.text
    assert ie.status_code == 406
    assert len([line for line in log.read_text().splitlines() if "uagate: gated" in line]) == 1


def test_demo_log_level_warning_hides_the_gated_records(tmp_path: Path) -> None:
    """Demo --log-level warning: the uagate logger's INFO records are left out too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "demo.log"
    command = [*UAGATE, "demo", "--port", str(port), "--log-level", "warning"]
    with running_server(command, url, log):
        ie = httpx.get(url, headers={"User-Agent": IE11})
    assert ie.status_code == 406
    assert "uagate: gated" not in log.read_text()


# page


def test_page_prints_the_page_the_gate_sends(run_cli: RunCli) -> None:
    """Uagate page prints, byte for byte, the body IE gets from the middleware."""
    result = run_cli("page")
    assert result.code == 0
    assert f"<h1>{HEADING}</h1>" in result.out
    assert MESSAGE in result.out
    served = TestClient(UAGateMiddleware(hello_asgi)).get("/", headers={"User-Agent": IE11})
    assert result.out.encode() == served.content


def test_page_in_another_language(run_cli: RunCli) -> None:
    """--lang de prints the German page."""
    result = run_cli("page", "--lang", "de")
    assert '<html lang="de"' in result.out
    assert HEADING not in result.out


def test_page_as_problem_json(run_cli: RunCli) -> None:
    """--format json prints the problem+json body API clients get."""
    problem = json.loads(run_cli("page", "--format", "json").out)
    assert problem["type"] == "urn:uagate:unsupported-browser"
    assert problem["status"] == 406
    assert problem["title"] == HEADING


def test_page_is_utf8_whatever_the_locale() -> None:
    """With an ASCII-only locale the French page still comes out, as UTF-8 (a real process)."""
    result = subprocess.run(
        [*UAGATE, "page", "--lang", "fr"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
        check=False,
    )
    assert result.returncode == 0
    french = locale_file("fr")
    assert french["heading"] in result.stdout.decode("utf-8")
    assert not french["heading"].isascii()


def test_page_unknown_language_is_a_usage_error(run_cli: RunCli) -> None:
    """--lang xx is refused with status 2."""
    assert run_cli("page", "--lang", "xx").code == 2
