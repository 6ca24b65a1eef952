"""``uagate scan`` of rows a database added up: one per User-Agent, with its requests and visitors.

The scan of such rows must report what the scan of the log they were added up
from reports (requests, gated, by client, by reason, bots, visitors). The
rows are built here from logs: by a plain reading of the lines, and by the
DuckDB query of docs/cli.md over a gzip log that a real nginx wrote.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from uagate import Policy
from uagate.logscan import DistinctCount, ScanReport
from uagate.testing import CHROME, FIREFOX, GOOGLEBOT, IE8, IE11

from .conftest import ROOT, RunCli, http_get, nginx_serving, scan_logs

EXAMPLE_LOG = ROOT / "examples" / "access.log"
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

# host ident user [day:time zone] "request" status size "referer" "user-agent", read plainly.
LINE = re.compile(rb'(\S+) \S+ \S+ \[[^]:]*:[^]]*\] "[^"]*" [0-9]{3} \S+ "[^"]*" "([^"]*)"')
ESCAPE = re.compile(rb"\\x([0-9A-Fa-f]{2})")

# Policies whose verdicts differ: IE only, old browsers too, and bots gated as well.
POLICIES = {
    "default": Policy(),
    "modern": Policy.modern(),
    "modern-bots": Policy.modern(gate_bots=True),
}

# A bot that presents as IE: gated only by a policy that gates bots.
IE_BOT = "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; bingbot/2.0)"
# Escaped as nginx logs them: a quote, a backslash, a comma, UTF-8 and a control character.
ODD_LOGGED = [
    r"Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1) \x22quoted\x22, comma \x5C back",
    r"Mozilla/5.0 (X11; Linux x86_64) caf\xC3\xA9 \x1B[31m red",
    "",
    "-",
]


def nginx_unescape(logged: bytes) -> bytes:
    r"""A User-Agent as nginx logged it, its \xHH escapes undone but for control characters."""

    def one(match: re.Match[bytes]) -> bytes:
        code = int(match.group(1), 16)
        return match.group(0) if code < 0x20 or code == 0x7F else bytes([code])

    return ESCAPE.sub(one, logged)


def log_lines() -> list[bytes]:
    """examples/access.log, then lines of odd User-Agents and of a bot gated as IE."""
    lines = EXAMPLE_LOG.read_bytes().splitlines()
    for at, agent in enumerate([*ODD_LOGGED, IE_BOT, IE_BOT, GOOGLEBOT, IE8]):
        address = f"192.0.2.{at % 3}"
        line = f'{address} - - [03/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "{agent}"'
        lines.append(line.encode())
    return lines


def added_up(lines: Iterable[bytes]) -> list[tuple[bytes, int, int]]:
    """(User-Agent, requests, distinct addresses) of the lines, as a GROUP BY would give them."""
    requests: Counter[bytes] = Counter()
    addresses: dict[bytes, set[bytes]] = {}
    for line in lines:
        found = LINE.fullmatch(line)
        if found is None:
            continue
        agent = nginx_unescape(found.group(2))
        requests[agent] += 1
        addresses.setdefault(agent, set()).add(found.group(1))
    return [(agent, count, len(addresses[agent])) for agent, count in requests.items()]


def write_rows(path: Path, shape: str, rows: Iterable[tuple[bytes, int, int]]) -> None:
    """The rows as CSV or TSV (with a header row) or JSON lines, gzipped for a .gz path."""
    text = io.StringIO(newline="")
    if shape == "jsonl":
        for agent, requests, visitors in rows:
            record = {"user_agent": agent.decode(), "requests": requests, "visitors": visitors}
            text.write(json.dumps(record) + "\n")
    else:
        writer = csv.writer(text, delimiter="\t" if shape == "tsv" else ",")  # CRLF line ends
        writer.writerow(["user_agent", "requests", "visitors"])
        for agent, requests, visitors in rows:
            writer.writerow([agent.decode("utf-8", "surrogateescape"), requests, visitors])
    data = text.getvalue().encode("utf-8", "surrogateescape")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


def scan(*paths: Path, policy: Policy | None = None) -> ScanReport:
    """The report of ``paths`` read in turn by one scanner."""
    return scan_logs(*paths, policy=policy)


def figures(report: ScanReport) -> dict[str, object]:
    """What a report says of the traffic: all of it but the files, unreadable lines and days."""
    shown = report.to_dict()
    for key in ("files", "unreadable_lines", "days", "earlier_days"):
        del shown[key]
    return shown


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES.keys())
@pytest.mark.parametrize("name", ["rows.csv", "rows.tsv", "rows.jsonl", "rows.csv.gz"])
def test_the_rows_of_a_log_scan_as_the_log(tmp_path: Path, name: str, policy: Policy) -> None:
    """A scan of a log's rows reports its requests, verdicts, clients, reasons, bots, visitors."""
    lines = log_lines()
    log = tmp_path / "access.log"
    log.write_bytes(b"\n".join(lines) + b"\n")
    rows = tmp_path / name
    write_rows(rows, name.split(".")[1], added_up(lines))
    report = scan(rows, policy=policy)
    assert report.files[0].format == "aggregate"
    assert report.unreadable == 0
    assert figures(report) == figures(scan(log, policy=policy))


def test_the_rows_of_the_example_log_give_its_documented_figures(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """``uagate scan rows.csv`` of examples/access.log's rows shows the figures docs/cli.md does."""
    rows = tmp_path / "rows.csv"
    write_rows(rows, "csv", added_up(EXAMPLE_LOG.read_bytes().splitlines()))
    result = run_cli("scan", "--format", "json", str(rows))
    assert result.code == 0, result.err
    report = json.loads(result.out)
    expected = {"requests": 20, "gated": 7, "bots": 2, "visitors": 17, "gated_visitors": 6}
    assert {key: report[key] for key in expected} == expected
    assert report["gated_by_client"][0] == {"client": "IE 11", "requests": 4}
    assert report["distinct_user_agents"] == 12
    assert report["requests_without_address"] == 0
    assert report["files"] == [
        {"name": str(rows), "format": "aggregate", "lines": 12, "unreadable": 0}
    ]


def docs_query() -> str:
    """The DuckDB query of docs/cli.md's section on rows a database added up."""
    section = CLI_DOC.split("### Rows a database added up", 1)[1].split("\n### ", 1)[0]
    queries = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    assert len(queries) == 1
    return str(queries[0])


# User-Agents nginx receives, as bytes: each escaped its own way in the log.
SENT = [
    IE11.encode(),
    IE8.encode(),
    CHROME.encode(),
    GOOGLEBOT.encode(),
    IE_BOT.encode(),
    b'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1) "quoted", comma \\ back',
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0 caf\u00e9 \u4e2d\u6587".encode(),
    b"Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1) \xff\xfe not UTF-8",
    b"Mozilla/5.0 \x1b[31m red\ttab",
    b"Mozilla/5.0 (Windows NT 10.0) " + b"x" * 600 + b" MSIE 7.0",  # the marker past the cap
    b"Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0) " + b"y" * 600,
]


def test_the_docs_duckdb_query_over_a_gzip_nginx_log_scans_as_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/cli.md's query, run by DuckDB on gzip logs nginx wrote, gives the logs' report."""
    duckdb = pytest.importorskip("duckdb")
    logged = tmp_path / "nginx.log"
    server = (
        f"access_log {logged} combined; set_real_ip_from 127.0.0.1; real_ip_header X-Forwarded-For;"
    )
    with nginx_serving(Policy(), server) as connection:
        for at, agent in enumerate(SENT * 3):
            address = f"198.51.100.{at % 4}"  # some User-Agents from several addresses
            http_get(connection, {"User-Agent": agent, "X-Forwarded-For": address.encode()})
        http_get(connection, {"X-Forwarded-For": b"198.51.100.9"})  # no User-Agent: "-"
    lines = logged.read_bytes().splitlines(keepends=True)
    sent = [line for line in lines if line.startswith(b"198.51.100.")]  # not the start's probe
    assert len(sent) == len(SENT) * 3 + 1
    assert rb"\x22quoted\x22" in b"".join(lines)  # nginx's escapes, undone by the query
    # Two rotated files, as logrotate leaves them, that the query's glob reads together.
    logs = [tmp_path / "access.log.1.gz", tmp_path / "access.log.2.gz"]
    logs[0].write_bytes(gzip.compress(b"".join(lines[:10])))
    logs[1].write_bytes(gzip.compress(b"".join(lines[10:])))
    monkeypatch.chdir(tmp_path)
    duckdb.connect().execute(docs_query())
    rows = tmp_path / "user_agents.csv"
    aggregated = scan(rows)
    assert aggregated.files[0].format == "aggregate"
    assert aggregated.files[0].lines == len(SENT) + 2  # and "-", and the probe's httpx
    assert aggregated.unreadable == 0
    raw = scan(*logs)
    assert raw.unreadable == 0
    assert raw.gated > 0
    assert raw.bots > 0
    assert figures(aggregated) == figures(raw)


# --- recognising the rows ---

ROWS_FILES = {
    "csv": b"user_agent,requests,visitors\n" + IE11.encode() + b",3,2\n",
    "csv-columns-reordered": b"visitors,day,requests,user_agent\n2,2026-11-01,3," + IE11.encode(),
    "csv-header-quoted": b'"user_agent","requests"\n"' + IE11.encode() + b'",3\n',
    "csv-bom-crlf": b"\xef\xbb\xbfuser_agent,requests,visitors\r\n" + IE11.encode() + b",3,2\r\n",
    "tsv": b"user_agent\trequests\tvisitors\n" + IE11.encode() + b"\t3\t2\n",
    "jsonl": json.dumps({"user_agent": IE11, "requests": 3, "visitors": 2}).encode() + b"\n",
    "jsonl-string-counts": json.dumps(
        {"user_agent": IE11, "requests": "3", "visitors": "2"}
    ).encode(),
    "jsonl-bom": b"\xef\xbb\xbf" + json.dumps({"user_agent": IE11, "requests": 3}).encode(),
}


@pytest.mark.parametrize("data", ROWS_FILES.values(), ids=ROWS_FILES.keys())
def test_rows_are_recognised_and_read(tmp_path: Path, data: bytes) -> None:
    """A header naming user_agent and requests, or JSON records with a count, is rows."""
    path = tmp_path / "rows"
    path.write_bytes(data)
    report = scan(path)
    assert (report.files[0].format, report.files[0].lines) == ("aggregate", 1)
    assert (report.requests, report.gated, report.unreadable) == (3, 3, 0)
    assert report.gated_by_client == Counter({"IE 11": 3})


NOT_ROWS = {
    "combined": (EXAMPLE_LOG.read_bytes(), "combined"),
    "json-log": (json.dumps({"user_agent": IE11, "status": 200}).encode() + b"\n", "jsonl"),
    "json-log-requests-text": (
        json.dumps({"user_agent": IE11, "requests": "GET /"}).encode() + b"\n",
        "jsonl",
    ),
    "user-agents": (IE11.encode() + b"\n" + CHROME.encode() + b"\n", "user-agent"),
    "a-user-agent-with-the-names": (b"user_agent requests\n", "user-agent"),
    "header-without-requests": (b"user_agent,visitors\n" + IE11.encode() + b",1\n", "user-agent"),
}


@pytest.mark.parametrize(("data", "format"), NOT_ROWS.values(), ids=NOT_ROWS.keys())
def test_logs_are_not_taken_for_rows(tmp_path: Path, data: bytes, format: str) -> None:
    """Logs in the other formats are read as before; only a header or a count makes rows."""
    path = tmp_path / "log"
    path.write_bytes(data)
    assert scan(path).files[0].format == format


# --- what a row may hold ---

BAD_ROWS = {
    "negative": "-1,",
    "float": "1.5,",
    "exponent": "1e3,",
    "plus-sign": "+3,",
    "spaces": " 3,",
    "empty-requests": ",",
    "not-ascii-digits": "\u0663,",  # ARABIC-INDIC DIGIT THREE, which int() reads
    "underscore": "1_000,",
    "past-64-bits": f"{2**63},",
    "huge": "9" * 100_000 + ",",
    "visitors-over-requests": "3,4",
    "visitors-negative": "3,-1",
    "visitors-float": "3,1.0",
    "missing-column": "3",
    "extra-column": "3,1,1",
}


@pytest.mark.parametrize("cells", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_csv_row_is_unreadable_and_the_rest_count(tmp_path: Path, cells: str) -> None:
    """Unreadable: a row whose counts are not whole numbers to 2**63 - 1, visitors <= requests."""
    path = tmp_path / "rows.csv"
    text = f'user_agent,requests,visitors\n{IE11},{cells}\n"{CHROME}",5,2\n{IE8},{2**63 - 1},0\n'
    path.write_bytes(text.encode())
    report = scan(path)
    assert (report.files[0].lines, report.unreadable) == (3, 1)
    assert report.requests == 5 + 2**63 - 1
    assert report.gated_by_client == Counter({"IE 8": 2**63 - 1})


BAD_RECORDS = {
    "negative": {"user_agent": IE11, "requests": -1},
    "float": {"user_agent": IE11, "requests": 3.0},
    "true": {"user_agent": IE11, "requests": True},
    "null-requests": {"user_agent": IE11, "requests": None},
    "past-64-bits": {"user_agent": IE11, "requests": 2**63},
    "huge": {"user_agent": IE11, "requests": 10**100_000},
    "string-negative": {"user_agent": IE11, "requests": "-3"},
    "visitors-over-requests": {"user_agent": IE11, "requests": 3, "visitors": 4},
    "visitors-string-float": {"user_agent": IE11, "requests": 3, "visitors": "1.0"},
    "user-agent-number": {"user_agent": 7, "requests": 3},
    "no-user-agent": {"requests": 3},
    "day-not-a-date": {"user_agent": IE11, "requests": 3, "day": "2026-02-30"},
    "day-a-number": {"user_agent": IE11, "requests": 3, "day": 20261101},
}


def huge_json(record: dict[str, object]) -> bytes:
    """A record as JSON, its ints written out whatever their length."""
    text = json.dumps({k: 0 if isinstance(v, int) and v > 2**64 else v for k, v in record.items()})
    for key, value in record.items():
        if isinstance(value, int) and value > 2**64:
            text = text.replace(f'"{key}": 0', f'"{key}": 1{"0" * 100_000}')
    return text.encode()


@pytest.mark.parametrize("record", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_json_record_is_unreadable_and_the_rest_count(
    tmp_path: Path, record: dict[str, object]
) -> None:
    """A JSON record without a text User-Agent and whole counts up to 2**63 - 1 is unreadable."""
    good = [
        {"user_agent": CHROME, "requests": 5, "visitors": 2},
        {"user_agent": IE8, "requests": 2},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n".join([json.dumps(r).encode() for r in good] + [huge_json(record)]))
    report = scan(path)
    assert report.files[0].format == "aggregate"
    assert (report.files[0].lines, report.unreadable) == (3, 1)
    assert (report.requests, report.gated) == (7, 2)


def test_quoted_user_agents_keep_their_commas_quotes_and_newlines(tmp_path: Path) -> None:
    """CSV quoting: a User-Agent holds commas, doubled quotes and a newline, read whole."""
    agent = 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1), "odd"\nsecond line, too'
    path = tmp_path / "rows.csv"
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerows([["user_agent", "requests"], [agent, 4], [CHROME, 6]])
    path.write_text(text.getvalue(), encoding="utf-8", newline="")
    report = scan(path)
    assert (report.files[0].lines, report.unreadable) == (2, 0)
    assert (report.requests, report.gated, report.distinct_user_agents) == (10, 4, 2)
    assert report.gated_by_client == Counter({"IE 8": 4})


def test_a_quoted_newline_across_the_one_mebibyte_block_is_read(tmp_path: Path) -> None:
    """A record whose quoted newline falls at a block's end (1 MiB) is read whole, once."""
    header = b"user_agent,requests\n"
    row = FIREFOX.encode() + b",1\n"
    before = (1 << 20) - len(header) - 40  # the quoted newline just before 1 MiB
    count = before // len(row)
    padding = b"x" * (before - count * len(row))
    spanning = b'"' + IE8.encode()[:20] + padding + b"\n" + b"z" * 80 + b'",7\n'
    data = header + row * count + spanning + row * 1000
    assert (
        data.index(b"\n", len(header) + count * len(row))
        < 1 << 20
        < data.index(spanning) + len(spanning)
    )
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    report = scan(path)
    assert (report.files[0].lines, report.unreadable) == (count + 1001, 0)
    assert (report.requests, report.distinct_user_agents) == (count + 1000 + 7, 2)


def test_a_quote_left_open_costs_rows_not_the_file(tmp_path: Path) -> None:
    """An unclosed quote does not make the scan hold the file or drop the rows far after it."""
    row = FIREFOX.encode() + b",1\n"
    data = (
        b'user_agent,requests\n"' + IE8.encode() + b",5\n" + row * 100_000 + IE11.encode() + b",9\n"
    )
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    report = scan(path)
    assert report.gated_by_client["IE 11"] == 9
    assert report.requests < 100_000 + 9  # rows inside the open quote are not requests


# --- visitors ---


def test_visitors_of_rows_add_up_and_rows_without_them_count_without_address(
    tmp_path: Path,
) -> None:
    """Visitors add up across rows (two of one User-Agent too); without them, by User-Agent."""
    path = tmp_path / "rows.csv"
    path.write_text(
        "user_agent,requests,visitors\n"
        f'{IE11},10,4\n{IE11},6,3\n"{CHROME}",20,9\n"{GOOGLEBOT}",5,1\n{IE8},7,\n"{CHROME}",2,\n',
        encoding="utf-8",
    )
    report = scan(path).to_dict()
    assert report["requests"] == 10 + 6 + 20 + 5 + 7 + 2
    assert report["gated"] == 10 + 6 + 7
    # IE 11's 4 + 3, Chrome's 9 and one for Chrome's row without visitors; IE 8's one.
    assert report["people_visitors"] == 4 + 3 + 9 + 1 + 1
    assert report["bot_visitors"] == 1
    assert report["gated_visitors"] == 4 + 3 + 1
    assert report["requests_without_address"] == 7 + 2
    assert report["distinct_user_agents"] == 4
    assert report["visitors_exact"] is True


def test_the_gated_bots_of_rows_are_counted_apart(tmp_path: Path) -> None:
    """Under a policy that gates bots, a bot's row adds to the gated bots, requests and visitors."""
    path = tmp_path / "rows.csv"
    path.write_text(f"user_agent,requests,visitors\n{IE_BOT},6,2\n{IE11},4,3\n", encoding="utf-8")
    report = scan(path, policy=Policy.modern(gate_bots=True))
    assert (report.gated, report.bots, report.gated_people) == (10, 6, 4)
    assert (report.gated_visitors.count(), report.gated_people_visitors) == (5, 3)


def test_add_distinct_adds_to_the_count_and_keeps_it_exact() -> None:
    """Values known to be distinct add their number to the count, and leave it exact or not."""
    count = DistinctCount(limit=10)
    count.update(range(5))
    count.add_distinct(7)
    assert (count.count(), count.exact) == (12, True)
    count.update(range(100, 120))  # past the limit: estimated from here
    estimate = count.count()
    count.add_distinct(1_000)
    assert (count.count(), count.exact) == (estimate + 1_000, False)
    with pytest.raises(ValueError, match="-1"):
        count.add_distinct(-1)


def test_a_day_column_fills_the_day_table(tmp_path: Path) -> None:
    """Rows with a day count on that day; visitors of one User-Agent on two days add up."""
    path = tmp_path / "rows.csv"
    path.write_text(
        "day,user_agent,requests,visitors\n"
        f'2026-11-01,{IE11},3,2\n2026-11-02,{IE11},5,2\n2026-11-02,"{CHROME}",4,4\n,"{CHROME}",1,1\n',
        encoding="utf-8",
    )
    report = scan(path).to_dict()
    assert report["days"] == [
        {"day": "2026-11-01", "requests": 3, "gated": 3, "gated_share": 1.0},
        {"day": "2026-11-02", "requests": 9, "gated": 5, "gated_share": round(5 / 9, 6)},
    ]
    assert (report["requests"], report["visitors"]) == (13, 9)


def test_json_rows_after_a_line_that_is_not_one_are_still_rows(tmp_path: Path) -> None:
    """JSON rows are recognised by most sampled lines, not by the first alone."""
    records = [{"user_agent": IE11, "requests": 3}, {"user_agent": CHROME, "requests": 4}] * 2
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"not json\n" + b"\n".join(json.dumps(r).encode() for r in records))
    report = scan(path)
    assert report.files[0].format == "aggregate"
    assert (report.files[0].lines, report.unreadable) == (5, 1)
    assert (report.requests, report.gated) == (14, 6)


HOSTILE_ROWS = [
    b"\x00\x00,1",  # NUL
    b"\xff\xfe\xfd,2",  # not UTF-8: a User-Agent of those bytes, 2 requests
    b"a\rb,1",  # a lone CR in an unquoted field
    b'"unterminated,1',  # a quote never closed, to the end of the file
]


def test_hostile_rows_never_raise(tmp_path: Path, run_cli: RunCli) -> None:
    """NULs, bytes that are not UTF-8, a lone CR, an open quote: rows or unreadable, no error."""
    path = tmp_path / "rows.csv"
    path.write_bytes(b"user_agent,requests\n" + IE8.encode() + b",5\n" + b"\n".join(HOSTILE_ROWS))
    result = run_cli("scan", "--format", "json", str(path))
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert report["gated_by_client"] == [{"client": "IE 8", "requests": 5}]
    assert report["files"][0]["format"] == "aggregate"
    assert report["requests"] + report["unreadable_lines"] >= 5 + 2


def test_hostile_json_rows_never_raise(tmp_path: Path, run_cli: RunCli) -> None:
    """Nesting too deep, a 1 MB number, NaN and broken JSON are unreadable rows, not errors."""
    lines = [
        json.dumps({"user_agent": IE8, "requests": 5}).encode(),
        b'{"user_agent": "x", "requests": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"user_agent": "x", "requests": ' + b"9" * 1_000_000 + b"}",
        b'{"user_agent": "x", "requests": NaN}',
        b'{"user_agent": "x", "requests": 1',
        json.dumps({"user_agent": CHROME, "requests": 2}).encode(),
    ]
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = run_cli("scan", "--format", "json", str(path))
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert (report["requests"], report["gated"], report["unreadable_lines"]) == (7, 5, 4)
