"""The ``uagate`` command on hostile input: what requests and logs hold is never trusted.

Each command runs in-process (``run_cli``), as in test_cli.py, but for the lines
built to stall a backtracking scanner, read by a real subprocess: no test asserts
a time, and one that backtracked quadratically would not finish within the
subprocess timeout on those lines, which a linear one reads at once.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from uagate import check
from uagate._text import csv_safe, printable
from uagate.testing import CHROME, IE6, IE11

from .conftest import ROOT, UAGATE, RunCli, combined, free_port

# A parser rule copies the product name in front of "CFNetwork" into the family,
# and this one runs on Trident: it is gated, so its family is shown as a client.
TRIDENT_APP = "/1.0 CFNetwork/1.0 Darwin/1.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)"
# Escape sequences that clear the screen and set the terminal's title.
CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
HOSTILE_APP = CLEAR + TITLE + "App" + TRIDENT_APP
# The same as nginx writes it in a combined log.
HOSTILE_APP_NGINX = r"\x1B[2J\x1B]0;pwned\x07App" + TRIDENT_APP


def run(
    *args: str | bytes, stdin: bytes = b"", cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m uagate ARGS`` as a process, to its end (at most 60 s); output as bytes."""
    return subprocess.run(
        [*UAGATE, *args], input=stdin, capture_output=True, cwd=cwd, timeout=60, check=False
    )


def control_characters(text: str) -> list[str]:
    """The control characters (C0 but newline, DEL, C1) in ``text``."""
    return [char for char in text if unicodedata.category(char) == "Cc" and char != "\n"]


def scanned(run_cli: RunCli, *args: str | bytes, stdin: bytes = b"") -> dict[str, object]:
    """``uagate scan --format json ARGS``, which must succeed quietly, parsed."""
    result = run_cli("scan", "--format", "json", *args, stdin=stdin)
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert isinstance(report, dict)
    return report


def counts(report: dict[str, object]) -> tuple[object, object, object]:
    """requests, gated and unreadable lines."""
    return report["requests"], report["gated"], report["unreadable_lines"]


# 1. Linear time, and the 512-character cap


def hostile_lines(size: int) -> list[str]:
    """Lines of about ``size`` characters shaped to make a backtracking pattern stall."""
    stamp = "203.0.113.7 - - [01/Jan/2020:00:00:00 +0000] "

    def repeat(unit: str) -> str:
        return unit * (size // len(unit))

    return [
        # A date-looking bracket again and again, never closed: the shape that made
        # the old pattern (".*? \[date[^\]]*\]") take seconds a line.
        '"a b' + repeat(" [01/Jan/2020"),
        "a - -" + repeat(" [01/Jan/2020"),
        "- - bob smith" + repeat(" [31/Dec/1999:23"),
        stamp + '"GET" 200 5 "-" "x" [01/Jan/2020' + repeat(" [01/Jan/2020"),
        "a b c" + repeat(" [01/Jan/2020:00:00:00 +0000]"),
        stamp + '"' + repeat("\\"),  # a request of backslashes that never closes
        stamp + '"GET / HTTP/1.1" 200 5 "' + repeat('\\"'),  # escaped quotes, no closing one
        stamp + '"GET" 200 5 "-" "' + repeat(r"\x1B"),
        repeat('"a b'),
        repeat("a "),
        repeat(' [01/Jan/2020:00:00:00 +0000] "'),
    ]


def test_scan_reads_hostile_combined_lines_in_linear_time(tmp_path: Path) -> None:
    """Lines of 390 KB built to stall a backtracking pattern are unreadable, and read at once."""
    good = [combined(1, IE11), combined(1, CHROME)] * 6
    hostile = hostile_lines(390_000)
    # The first 20 lines (those the format is told from) hold hostile lines too.
    lines = hostile[:1] + good + hostile + good + hostile
    path = tmp_path / "hostile.log"
    path.write_text("\n".join(lines) + "\n")
    result = run("scan", "--format", "json", str(path))
    assert (result.returncode, result.stderr) == (0, b"")
    report: dict[str, object] = json.loads(result.stdout)
    assert isinstance(report, dict)
    assert counts(report) == (24, 12, 1 + 2 * len(hostile))
    assert report["files"][0]["format"] == "combined"  # type: ignore[index]


CAPPED = [
    "x" * 600 + " (compatible; MSIE 6.0; Windows NT 5.1)",  # IE's token after character 512
    " " * 2000 + IE6,  # stripped first, then cut, as the middleware does
    "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; " + "x" * 200_000 + ")",
    "y" * 511 + " Trident/7.0; rv:11.0",
]


@pytest.mark.parametrize("form", ["user-agent", "combined", "jsonl"])
def test_scan_decides_on_the_first_512_characters_as_the_middleware_does(
    run_cli: RunCli, tmp_path: Path, form: str
) -> None:
    """A User-Agent is cut to 512 characters before any detection, in every log format."""
    if form == "user-agent":
        lines = CAPPED
    elif form == "combined":
        lines = [combined(3, user_agent) for user_agent in CAPPED]
    else:
        lines = [json.dumps({"user_agent": user_agent}) for user_agent in CAPPED]
    path = tmp_path / f"long.{form}"
    path.write_text("\n".join(lines) + "\n")
    report = scanned(run_cli, str(path))
    expected = [check(user_agent).gated for user_agent in CAPPED]
    assert expected == [False, True, True, False]
    assert counts(report) == (len(CAPPED), sum(expected), 0)


# 2. Control characters and formulas


def test_check_table_shows_no_control_characters(run_cli: RunCli) -> None:
    """Escape sequences in a User-Agent (and in the family copied from it) are left out."""
    c1 = "Mozilla/4.0 (compatible; MSIE 6.0; \x9b2J\x7f)"
    result = run_cli("check", HOSTILE_APP, c1)
    assert result.code == 1
    out = result.out
    assert control_characters(out) == []
    first, second = out.splitlines()
    assert first.split()[:3] == ["gated", "trident-app", "[2J]0;pwnedApp"]
    assert second.endswith("(compatible; MSIE 6.0; 2J)")


def test_check_reads_control_characters_from_standard_input_and_hides_them(run_cli: RunCli) -> None:
    """Lines of standard input are shown without their control characters too."""
    result = run_cli("check", stdin=(HOSTILE_APP + "\n" + "\x00\u0085\u009b31mIE").encode())
    out = result.out
    assert control_characters(out) == []
    assert len(out.splitlines()) == 2


def test_check_json_escapes_control_characters_and_keeps_them(run_cli: RunCli) -> None:
    """--json writes no control character, yet each field reads back exactly."""
    hostile = HOSTILE_APP + "\x7f\x9b\x85"
    result = run_cli("check", "--json", hostile)
    out = result.out
    assert control_characters(out) == []
    record = json.loads(out)
    assert record["user_agent"] == hostile
    assert record["family"] == CLEAR + TITLE + "App"


def hostile_log() -> bytes:
    """A combined log whose User-Agents hold escape sequences, nginx-escaped and raw."""
    lines = [
        combined(1, HOSTILE_APP_NGINX),
        combined(1, r"\xC2\x9B31m" + "Red" + TRIDENT_APP),  # C1 CSI, as UTF-8 bytes
        combined(1, "\x1b]2;raw\x07Raw" + TRIDENT_APP),  # a log that kept them raw
        combined(1, IE11),
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("form", ["table", "json", "csv"])
def test_scan_report_shows_no_control_characters(
    run_cli: RunCli, tmp_path: Path, form: str
) -> None:
    """Gated clients named with escape sequences are shown without them, in every format."""
    log = tmp_path / "access.log"
    log.write_bytes(hostile_log())
    page = tmp_path / "report.html"
    result = run_cli("scan", "--format", form, "--html", str(page), str(log))
    assert (result.code, result.err) == (0, "")
    outputs = [result.out, page.read_text(encoding="utf-8")]
    if form == "json":
        clients = json.loads(outputs[0])["gated_by_client"]
        outputs[0] = "\n".join(entry["client"] for entry in clients)
    for out in outputs:
        assert control_characters(out) == []
        # nginx's escapes of control characters are shown as written, never undone.
        assert r"\x1B[2J\x1B]0;pwned\x07App 1" in out
        assert "31mRed 1" in out
        assert "]2;rawRaw 1" in out


def test_scan_json_lines_with_escaped_control_characters(run_cli: RunCli, tmp_path: Path) -> None:
    r"""JSON lines carry control characters as \u001b: they are left out of the report too."""
    log = tmp_path / "access.jsonl"
    log.write_text(json.dumps({"user_agent": HOSTILE_APP, "time": "2026-11-01T00:00:00Z"}) + "\n")
    result = run_cli("scan", str(log))
    out = result.out
    assert control_characters(out) == []
    assert "[2J]0;pwnedApp 1" in out


def test_scan_csv_cells_are_never_formulas(run_cli: RunCli) -> None:
    """A gated client named like a formula gets a quote in front, in --format csv."""
    names = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\x1b=2"]
    user_agents = "".join(name + TRIDENT_APP + "\n" for name in names)
    result = run_cli("scan", "--format", "csv", stdin=user_agents.encode())
    assert result.code == 0
    rows = list(csv.reader(io.StringIO(result.out)))
    clients = sorted(row[1] for row in rows if row[0] == "client")
    assert clients == [
        "'+1+1 1",
        "'-2+3 1",
        "'=1 1",
        "'=2 1",
        '\'=HYPERLINK("http://x","y") 1',
        "'@SUM(1) 1",
    ]
    assert [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")] == []


def test_printable_and_csv_safe() -> None:
    """The two helpers: control characters out, surrogate escapes shown, formulas quoted."""
    assert printable("a\x00b\x1b[2J\x7f\x80\x9f\u00a0c\td\n") == "ab[2J\u00a0cd"
    assert printable("log-\udcff.txt") == "log-\\xff.txt"
    assert printable("\ud800") == "\ufffd"
    assert printable("IE 11") == "IE 11"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(start + "x") == "'" + start + "x"
    assert csv_safe("") == ""
    assert csv_safe("IE 11 =") == "IE 11 ="


# 3. One-line errors, never a traceback


def test_scan_counts_deeply_nested_json_lines_as_unreadable(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A JSON line nested 100,000 deep is an unreadable line, not a RecursionError."""
    deep_array = '{"user_agent": ' + "[" * 100_000 + "]" * 100_000 + "}"
    deep_object = '{"a": ' * 100_000 + "1" + "}" * 100_000
    good = [json.dumps({"user_agent": IE11})] * 6
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join([deep_array, *good, deep_object, deep_array]) + "\n")
    report = scanned(run_cli, str(path))
    assert counts(report) == (6, 6, 3)
    assert report["files"][0]["format"] == "jsonl"  # type: ignore[index]


@pytest.mark.parametrize("form", ["table", "json", "csv"])
def test_scan_file_whose_name_is_not_utf8(run_cli: RunCli, tmp_path: Path, form: str) -> None:
    r"""A log (and an --html page) named with bytes that are not UTF-8: shown as \xff."""
    log = tmp_path.joinpath("access-\udcff.log")  # the bytes b"access-\xff.log"
    log.write_bytes(hostile_log())
    page = bytes(tmp_path) + b"/report-\xfe.html"
    result = run_cli("scan", "--format", form, "--html", page, bytes(log))
    assert (result.code, result.err) == (0, "")
    out = result.out
    if form == "json":
        assert json.loads(out)["files"][0]["name"] == str(tmp_path) + "/access-\\xff.log"
    elif form == "table":  # (the CSV names no file)
        assert "access-\\xff.log" in out
    assert "access-\\xff.log" in Path(page.decode("utf-8", "surrogateescape")).read_text("utf-8")


def test_scan_missing_file_whose_name_is_not_utf8(run_cli: RunCli, tmp_path: Path) -> None:
    """The one-line error names it readably."""
    result = run_cli("scan", bytes(tmp_path) + b"/gone-\xff\x1b[2J.log")
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("gone-\\xff[2J.log: No such file or directory")


def test_check_an_argument_that_is_not_utf8(run_cli: RunCli) -> None:
    """Bytes that are not UTF-8 are read as U+FFFD, as on standard input: no traceback."""
    result = run_cli("check", b"\xff")
    assert (result.code, result.err) == (0, "")
    assert result.out.split()[:2] == ["passed", "supported"]
    result = run_cli("check", "--json", IE6.encode() + b"\xff\xfe")
    assert (result.code, result.err) == (1, "")
    assert json.loads(result.out)["user_agent"] == IE6 + "\ufffd\ufffd"


FACTORIES = """
import sys


class Refusal(BaseException):
    pass


def refuses():
    raise Refusal("no app today\\nsecond line")


def exits():
    sys.exit()


def exits_3():
    sys.exit(3)


def closes():
    raise GeneratorExit
"""


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("factories:refuses", "Refusal: no app today"),
        ("factories:exits", "SystemExit"),
        ("factories:exits_3", "SystemExit: 3"),
        ("factories:closes", "GeneratorExit"),
        ("leaves:app", "SystemExit: leaving at import"),
    ],
)
def test_serve_factory_that_exits_or_raises_a_base_exception(
    run_cli: RunCli, tmp_path: Path, target: str, says: str
) -> None:
    """A factory (or module) that calls sys.exit() or raises a BaseException: one line, status 2."""
    (tmp_path / "factories.py").write_text(FACTORIES)
    (tmp_path / "leaves.py").write_text("import sys\n\nsys.exit('leaving at import')\n")
    result = run_cli(
        "serve", target, "--factory", "--app-dir", str(tmp_path), "--port", str(free_port())
    )
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines == [f"uagate: error: cannot serve {target}: {says}"]


# 4. Days


def test_scan_refuses_impossible_days(run_cli: RunCli, tmp_path: Path) -> None:
    """Combined lines with impossible dates are unreadable; JSON records keep no such day."""
    log = tmp_path / "days.log"
    lines = [combined(1, IE11)]
    stamps = ("00/Jan/0000", "99/Jan/2020", "31/Feb/2026", "29/Feb/2023", "00/Nov/2026")
    for stamp in (*stamps, "27/Nov/99999", "27/Nov/2026x"):
        lines.append(combined(1, IE11).replace("01/Nov/2026", stamp))
    lines.append(combined(1, CHROME).replace("01/Nov/2026", "29/Feb/2024"))
    log.write_text("\n".join(lines) + "\n")
    report = scanned(run_cli, str(log))
    assert counts(report) == (2, 1, 7)
    assert [day["day"] for day in report["days"]] == ["2024-02-29", "2026-11-01"]  # type: ignore[attr-defined]

    records = [
        {"time": "0000-00-00T00:00:00Z"},
        {"time": "0000-01-99"},
        {"time": "2026-02-30"},
        {"time": "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661"},  # Arabic-Indic digits
        {"time": "\uff12\uff10\uff12\uff16-\uff11\uff11-\uff10\uff11"},  # full-width digits
        {"time_local": "\u0660\u0661/Nov/2026:10:00:00 +0000"},
        {"time_local": "27/Nov/99999:10:00:00 +0000"},
        {"time": "2026-11-279"},
        {"time": "2026-11-02T10:00:00Z"},
    ]
    jsonl = tmp_path / "days.jsonl"
    jsonl.write_text("".join(json.dumps({**r, "user_agent": IE11}) + "\n" for r in records))
    report = scanned(run_cli, str(jsonl))
    assert counts(report) == (9, 9, 0)  # the records count, without their days
    assert report["days"] == [{"day": "2026-11-02", "requests": 1, "gated": 1, "gated_share": 1.0}]


def test_scan_keeps_the_latest_3660_days_and_adds_up_the_earlier(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Of 4,000 days, in any order, the table keeps the latest 3,660; the rest are added up."""
    first = date(2000, 1, 1)
    days = [first + timedelta(days=n) for n in range(4_000)]
    random.Random(7).shuffle(days)
    records = []
    for number, day in enumerate(days):
        moment = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
        user_agent = IE11 if number % 3 == 0 else CHROME
        records.append(json.dumps({"ts": int(moment.timestamp()), "user_agent": user_agent}))
    path = tmp_path / "decades.jsonl"
    path.write_text("\n".join(records) + "\n")
    report = scanned(run_cli, str(path))
    kept = report["days"]
    assert isinstance(kept, list)
    latest = sorted(days)[-3_660:]
    assert [entry["day"] for entry in kept] == [day.isoformat() for day in latest]
    earlier = report["earlier_days"]
    assert isinstance(earlier, dict)
    assert earlier["requests"] == 340
    assert earlier["requests"] + sum(entry["requests"] for entry in kept) == 4_000
    assert earlier["gated"] + sum(entry["gated"] for entry in kept) == report["gated"]

    table = run_cli("scan", str(path)).out
    assert "earlier days" in table
    assert len([line for line in table.splitlines() if line[:4].isdigit()]) == 3_660
    rows = list(csv.reader(io.StringIO(run_cli("scan", "--format", "csv", str(path)).out)))
    assert [row[:3] for row in rows if row[0] == "earlier_days"] == [["earlier_days", "all", "340"]]
    assert len([row for row in rows if row[0] == "day"]) == 3_660


# 5. Visitors and policies from hostile input


def test_scan_takes_only_text_for_a_json_record_address(run_cli: RunCli, tmp_path: Path) -> None:
    """An address field that is a number, list, object, null or empty is no address."""
    records = [
        {"remote_addr": 7, "user_agent": IE11},
        {"remote_addr": ["203.0.113.1"], "user_agent": IE11},
        {"remote_addr": {"ip": "203.0.113.1"}, "user_agent": IE11},
        {"remote_addr": None, "client_ip": "203.0.113.1", "user_agent": IE11},
        {"remote_addr": "", "ip": "203.0.113.1", "user_agent": IE11},
        {"client": "\x1b[2J203.0.113.2", "user_agent": CHROME},
    ]
    log = tmp_path / "odd.jsonl"
    log.write_text("".join(json.dumps(record) + "\n" for record in records))
    report = scanned(run_cli, str(log))
    assert counts(report) == (6, 5, 0)
    # Three IE 11 requests without an address are one visitor; two from 203.0.113.1 another.
    assert (report["requests_without_address"], report["visitors"]) == (3, 3)
    assert report["gated_visitors"] == 2


def test_a_policy_string_with_control_characters_is_shown_without_them(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The --policy text is shown in the error without its escape sequences."""
    result = run_cli("check", "--policy", CLEAR + "evil" + TITLE + ":POLICY", IE11, cwd=tmp_path)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert control_characters(line) == []
    assert line.startswith("uagate: error: --policy [2Jevil]0;pwned:POLICY: no module named")


def test_a_policy_module_that_fails_on_lookup_is_a_one_line_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A module whose attributes raise (module __getattr__) or that prints: one line, status 2."""
    (tmp_path / "tricky.py").write_text(
        "print('chatter on standard output')\n\n"
        "def __getattr__(name):\n    raise RuntimeError('lookup refused\\nsecond line')\n"
    )
    result = run_cli("scan", "--policy", "tricky:POLICY", os.devnull, cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [
        "uagate: error: --policy tricky:POLICY: cannot load it: RuntimeError: lookup refused"
    ]


def test_scan_writes_early_years_with_four_digits(run_cli: RunCli, tmp_path: Path) -> None:
    """An epoch time in the year 999 is the day 0999-06-01, which sorts before later days."""
    moment = datetime(999, 6, 1, 12, tzinfo=timezone.utc)
    records = [
        {"ts": int(moment.timestamp()), "user_agent": IE11},
        {"ts": int(datetime(2026, 11, 2, tzinfo=timezone.utc).timestamp()), "user_agent": IE11},
    ]
    path = tmp_path / "old.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    report = scanned(run_cli, str(path))
    assert [day["day"] for day in report["days"]] == ["0999-06-01", "2026-11-02"]  # type: ignore[attr-defined]
