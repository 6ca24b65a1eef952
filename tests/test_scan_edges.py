"""``uagate scan`` at the edges an outside review found.

A line's neighbours, header names, estimates past the requests, a byte order
mark, and long distinct lines.

Logs are real files read by :class:`~uagate.logscan.LogScanner`, as the command reads them.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uagate._logline import shared_day
from uagate.logscan import LogScanner
from uagate.policy import Policy
from uagate.testing import CHROME, IE11

from .conftest import RunCli, scan_logs
from .conftest import scan_lines as scan

TIME = "[01/Nov/2026:10:20:30 +0000]"


def line(user_agent: str = CHROME, *, address: str = "203.0.113.7") -> str:
    """One plain combined line of ``address`` on 1 November 2026."""
    return f'{address} - - {TIME} "GET / HTTP/1.1" 200 512 "-" "{user_agent}"'


# --- a line counts the same whatever lines surround it ---

HEAD = f"203.0.113.9 - - {TIME}"
ODD_LINES = {
    # lines: (requests, unreadable, gated) among them
    "status-letters": ([f'{HEAD} "GET / HTTP/1.1" abc 512 "-" "{IE11}"'], (0, 1, 0)),
    "status-two-digits": ([f'{HEAD} "GET / HTTP/1.1" 20 512 "-" "{IE11}"'], (0, 1, 0)),
    "no-size": ([f'{HEAD} "GET / HTTP/1.1" 200 "-" "{IE11}"'], (0, 1, 0)),
    "trailing-spaces": ([f'{HEAD} "GET / HTTP/1.1" 200 512 "-" "{IE11}"  '], (1, 0, 1)),
    "trailing-tab": ([f'{HEAD} "GET / HTTP/1.1" 200 512 "-" "{IE11}"\t'], (1, 0, 1)),
    "crlf": ([f'{HEAD} "GET / HTTP/1.1" 200 512 "-" "{IE11}"\r'], (1, 0, 1)),
    "escaped-quote-in-request": (
        [f'{HEAD} "GET /a\\"b HTTP/1.1" 200 512 "-" "{IE11}"'],
        (1, 0, 1),
    ),
    # Seven quotes (the referer's first lost) and five: six a line on average, neither
    # a plain line; the User-Agent after the last '" "' of the first is no field of it.
    "field-after-and-truncated": (
        [
            f'{HEAD} "GET / HTTP/1.1" 200 512 -" "{CHROME}" "{IE11}"',
            f'{HEAD} "GET / HTTP/1.1" 200 512 "-" "{IE11}',
        ],
        (0, 2, 0),
    ),
}


@pytest.mark.parametrize("blank", [False, True], ids=["block", "with-a-blank-line"])
@pytest.mark.parametrize(("odd", "expected"), ODD_LINES.values(), ids=ODD_LINES.keys())
def test_a_line_counts_the_same_whatever_lines_surround_it(
    tmp_path: Path, odd: list[str], expected: tuple[int, int, int], blank: bool
) -> None:
    """An odd line among 30 plain ones of its day counts the same, read in any way.

    In a block read at once, and in one a blank line sends line by line.
    """
    plain = [line()] * 30
    lines = plain[:25] + odd + plain[25:] + ([""] if blank else [])
    # Read at once when every line is plain (a quote after a backslash, or a blank
    # line, is not), else line by line: both ways are tested.
    block = "".join(f"{entry}\n" for entry in lines).encode()
    plain_only = expected[1] == 0 and not any('\\"' in entry for entry in odd)
    assert (shared_day(block) is not None) == (plain_only and not blank)
    report = scan(tmp_path, lines)
    requests, unreadable, gated = expected
    assert (report.requests, report.unreadable, report.gated) == (30 + requests, unreadable, gated)
    assert report.days == {"2026-11-01": [30 + requests, gated]}


# Bytes to splice into plain lines: each field's delimiters, escapes and whitespace.
SPLICES = [" ", "  ", "\t", "\r", "\x0b", '"', '" "', "\\", '\\"', "\\x22", "[", "]", "-", "x"]
SPLICES += ["200", " 200 ", "abc", TIME, "01/Nov/2026", "02/Nov/2026", "\u00e9", "\x00"]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=5),  # which line
            st.integers(min_value=0, max_value=300),  # where in it
            st.lists(st.sampled_from(SPLICES), min_size=1, max_size=3).map("".join),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_spliced_lines_count_the_same_read_at_once_or_line_by_line(
    tmp_path: Path, cuts: list[tuple[int, int, str]]
) -> None:
    """Whatever is spliced into plain lines, the block read at once and line by line agree."""
    lines = [line(IE11 if index % 2 else CHROME) for index in range(6)]
    for index, at, piece in cuts:
        text = lines[index]
        lines[index] = text[:at] + piece + text[at:]
    at_once = scan(tmp_path, lines, name="block.log")
    by_line = scan(tmp_path, [*lines, ""], name="lines.log")  # a blank line: line by line
    assert at_once.files[0].format == by_line.files[0].format
    figures = [
        (r.requests, r.unreadable, r.gated, r.bots, r.visitors, r.days) for r in (at_once, by_line)
    ]
    assert figures[0] == figures[1]


# --- header rows as databases and DataFrames write them ---

HEADERS = {
    "pandas-unnamed-index": f",user_agent,requests\n0,{IE11},3\n",
    "pandas-unnamed-label": f"Unnamed: 0,user_agent,requests\n0,{IE11},3\n",
    "sql-expression": f"user_agent,requests,count(DISTINCT address)\n{IE11},3,2\n",
    "repeated-other-names": f"x,x,user_agent,requests\na,b,{IE11},3\n",
    "tsv-expression": f"user_agent\tcount(*)\trequests\n{IE11}\t9\t3\n",
}


@pytest.mark.parametrize("text", HEADERS.values(), ids=HEADERS.keys())
def test_columns_it_does_not_read_may_have_any_name_a_database_gives(
    tmp_path: Path, text: str
) -> None:
    """An unnamed index, a SQL expression, repeated names: columns left unread."""
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    report = scan_logs(path)
    assert (report.files[0].format, report.files[0].lines) == ("aggregate", 1)
    assert (report.requests, report.gated, report.unreadable) == (3, 3, 0)


def test_a_column_it_reads_named_twice_is_no_header(tmp_path: Path) -> None:
    """Which ``requests`` would count? Neither: the file is not read as rows."""
    path = tmp_path / "rows.csv"
    path.write_text(f"user_agent,requests,requests\n{IE11},3,4\n", encoding="utf-8")
    assert scan_logs(path).files[0].format == "user-agent"


def test_a_user_agent_naming_the_columns_does_not_make_a_log_rows(tmp_path: Path) -> None:
    """A client's User-Agent on a log's first line cannot turn the log into rows."""
    report = scan(tmp_path, [line("x,user_agent,requests,visitors,y"), line(IE11)])
    assert report.files[0].format == "combined"
    assert (report.requests, report.gated, report.unreadable) == (2, 1, 0)


# --- estimates ---


def test_an_estimate_of_visitors_is_never_more_than_their_requests(tmp_path: Path) -> None:
    """An estimate is reported as at most the requests the visitors made.

    101,000 people's User-Agents, one request each: past the exact limit, visitors
    are estimated.
    """
    count = 101_000
    agents = [
        f"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.{n}"
        for n in range(count)
    ]
    report = scan(tmp_path, agents)
    assert report.requests == count
    assert report.visitors_exact is False
    assert count * 0.98 <= report.visitors <= count
    assert report.people_visitor_count <= report.people
    data = report.to_dict()
    assert (data["visitors"], data["people_visitors"]) == (report.visitors, report.visitors)


# --- a byte order mark ---


@pytest.mark.parametrize(
    "lines",
    [[line(IE11), line(IE11)], [IE11, IE11]],
    ids=["combined", "one-user-agent-a-line"],
)
def test_a_byte_order_mark_is_no_part_of_the_first_line(tmp_path: Path, lines: list[str]) -> None:
    """A file an editor saved with a BOM: its first line reads as the others (one visitor)."""
    path = tmp_path / "access.log"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(f"{entry}\n" for entry in lines).encode())
    report = scan_logs(path)
    assert (report.requests, report.gated, report.unreadable) == (2, 2, 0)
    assert (report.distinct_user_agents, report.visitors) == (1, 1)


# --- long distinct lines ---


@pytest.mark.parametrize("shape", ["combined", "one-user-agent-a-line"])
def test_long_distinct_lines_wait_in_bounded_memory(tmp_path: Path, shape: str) -> None:
    """600 distinct lines of 200,000 bytes (120 MB): the scan's peak stays far below that.

    Lines wait to be decided in at most 32 MiB of blocks.
    """
    path = tmp_path / "long.log"
    with path.open("wb") as out:
        for n in range(600):
            agent = f"Mozilla/5.0 probe/{n:03} {'x' * 200_000}"[:200_000]
            out.write(f"{line(agent) if shape == 'combined' else agent}\n".encode())
    tracemalloc.start()
    try:
        report = scan_logs(path, scanner=LogScanner(Policy(), "default"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (report.requests, report.unreadable) == (600, 0)
    assert peak < 80 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


# --- what an outside review found next ---


MIB = 1 << 20
LONG_LINES = {
    "first": [1_200_000, 200],
    "after-a-line-of-1048000-bytes": [1_047_999, 1_200_000, 200],
    "after-a-skipped-one": [2 * MIB + 10, 200, 1_572_990, 200],
    "two-skipped-in-a-row": [3 * MIB, 2 * MIB, 200],
    "at-the-limit-and-one-past": [MIB, MIB + 1, MIB, 200],
    "last-without-a-newline": [200, 3 * MIB],
    "many-short-then-long": [200] * 5_000 + [1_500_000, 200],
}


def long_line(length: int) -> str:
    """An IE line of ``length`` characters (without its newline), its request padded."""
    return line(IE11).replace("GET / ", "GET /" + "a" * (length - len(line(IE11))) + " ")


@pytest.mark.parametrize("lengths", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_line_over_one_mebibyte_is_unreadable_wherever_it_starts(
    tmp_path: Path, lengths: list[int]
) -> None:
    """Lines of up to 1 MiB are read, longer ones are unreadable, whatever comes before."""
    lines = [long_line(length) for length in lengths]
    assert [len(text) for text in lines] == lengths
    path = tmp_path / "access.log"
    data = "\n".join(lines) + ("" if LONG_LINES["last-without-a-newline"] == lengths else "\n")
    path.write_text(data, encoding="utf-8")
    report = scan_logs(path)
    read = sum(1 for length in lengths if length <= MIB)
    assert (report.requests, report.gated, report.unreadable) == (read, read, len(lengths) - read)


def test_odd_lines_when_a_log_starts_do_not_change_how_it_is_read(tmp_path: Path) -> None:
    """Eleven lines a client made unreadable (a user name of 256 bytes), then 1,000 plain ones."""
    odd = line(IE11).replace(" - - ", " - " + "\\xD0\\x96" * 32 + " ")
    plain = [line(IE11 if n % 4 == 0 else CHROME) for n in range(1_000)]
    report = scan(tmp_path, [odd] * 11 + plain)
    assert report.files[0].format == "combined"
    assert (report.requests, report.unreadable, report.gated) == (1_000, 11, 250)
    assert report.days == {"2026-11-01": [1_000, 250]}


def test_json_lines_with_bytes_that_are_not_utf8_are_json_lines(tmp_path: Path) -> None:
    """A record with bytes over 0x7f as they came (nginx's escape=json): it still counts."""
    record = '{"time": "2026-11-01T10:00:00+00:00", "remote_addr": "%s", "http_user_agent": "%s"}'
    odd = (record % ("203.0.113.9", "Mozilla/5.0 \udcff")).encode("utf-8", "surrogateescape")
    plain = [(record % (f"10.0.0.{n}", IE11 if n % 4 == 0 else CHROME)).encode() for n in range(40)]
    report = scan(tmp_path, [odd] * 11 + plain, name="access.jsonl")
    assert report.files[0].format == "jsonl"
    assert (report.requests, report.unreadable, report.gated) == (51, 0, 10)


def test_a_json_number_of_thousands_of_digits_leaves_the_record_counted(tmp_path: Path) -> None:
    """A time field no time (a number of 5,000 digits): the record counts, on no day."""
    path = tmp_path / "access.jsonl"
    path.write_text(f'{{"user_agent": "{IE11}", "time": 1{"0" * 5_000}}}\n', encoding="utf-8")
    report = scan_logs(path)
    assert report.files[0].format == "jsonl"
    assert (report.requests, report.gated, report.unreadable, report.days) == (1, 1, 0, {})


def test_blank_lines_first_do_not_hide_fields_after_the_user_agent(tmp_path: Path) -> None:
    """Twenty blank lines, then lines with a field after the User-Agent: all read."""
    report = scan(tmp_path, [""] * 20 + [f"{line(IE11)} 0.123"] * 10)
    assert (report.requests, report.unreadable, report.gated) == (10, 0, 10)


@pytest.mark.parametrize("first", [" ", "\t", "  \t "])
def test_a_line_of_whitespace_before_the_header_row_is_skipped(tmp_path: Path, first: str) -> None:
    """Whitespace before a CSV header: the header is still the header."""
    path = tmp_path / "rows.csv"
    path.write_text(f"{first}\nuser_agent,requests\n{IE11},5\n", encoding="utf-8")
    report = scan_logs(path)
    assert report.files[0].format == "aggregate"
    assert (report.files[0].lines, report.requests, report.gated, report.unreadable) == (1, 5, 5, 0)


def test_a_cell_past_csvs_field_limit_is_one_cell(tmp_path: Path) -> None:
    """A quoted cell of 140,000 characters that holds a newline and text like a row: one cell."""
    cell = "A" * 140_000 + "\nMozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1),1000000\n"
    path = tmp_path / "rows.csv"
    path.write_text(f'user_agent,requests\n"{cell}",1\n"{CHROME}",5\n', encoding="utf-8")
    limit = csv.field_size_limit()
    report = scan_logs(path)
    assert (report.files[0].lines, report.requests, report.gated, report.unreadable) == (2, 6, 0, 0)
    assert csv.field_size_limit() == limit  # put back


@pytest.mark.parametrize(
    "name", ["(avg(status) / 100)", "count_star() FILTER (WHERE (status >= 400))"]
)
def test_a_column_named_after_its_expression_is_left_unread(tmp_path: Path, name: str) -> None:
    """Names DuckDB gives unaliased expressions: columns left unread."""
    path = tmp_path / "rows.csv"
    path.write_text(
        f'user_agent,requests,visitors,"{name}"\n{IE11},502,3,2.01\n"{CHROME}",1,1,2.0\n',
        encoding="utf-8",
    )
    report = scan_logs(path)
    assert report.files[0].format == "aggregate"
    assert (report.requests, report.gated, report.unreadable) == (503, 502, 0)


def test_gated_people_are_counted_apart_from_many_gated_bots(tmp_path: Path) -> None:
    """120,000 gated bot visitors (estimated) and 500 gated people: the people counted exactly."""
    bot = "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; Googlebot/2.1)"
    ie6 = "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"
    bots = [line(bot, address=f"10.{n >> 16}.{n >> 8 & 255}.{n & 255}") for n in range(120_000)]
    people = [line(ie6, address=f"172.16.{n >> 8}.{n & 255}") for n in range(500)]
    report = scan(tmp_path, bots + people, policy=Policy(gate_bots=True))
    assert (report.gated, report.gated_bots, report.gated_people) == (120_500, 120_000, 500)
    assert report.people_visitors_exact is True
    assert (report.gated_people_visitors, report.gated_people_visitors_share) == (500, 1.0)


@pytest.mark.parametrize(
    ("compress", "name"),
    [(bz2.compress, "bzip2"), (lzma.compress, "xz"), (gzip.compress, "gzip")],
    ids=["bzip2", "xz", "gzip-in-gzip"],
)
def test_a_log_compressed_in_a_way_it_does_not_open_is_an_error(
    tmp_path: Path, run_cli: RunCli, compress: Callable[[bytes], bytes], name: str
) -> None:
    """bzip2, xz, and gzip inside gzip: a one-line error, not binary lines counted as traffic."""
    packed = compress("".join(f"{entry}\n" for entry in [line(IE11)] * 5).encode())
    if name == "gzip":  # gzip is opened once: a second layer is data it does not open
        packed = gzip.compress(packed)
    path = tmp_path / "access.log.packed"
    path.write_bytes(packed)
    run = run_cli("scan", str(path))
    assert run.code == 2
    assert f"compressed with {name}" in run.err
    assert run.out == ""


def test_a_user_agent_that_names_the_columns_does_not_make_its_file_rows(tmp_path: Path) -> None:
    """One User-Agent a line, the first naming the columns: the lines after it are no rows."""
    first = "Mozilla/5.0 (X11; Linux x86_64),user_agent,requests"
    report = scan(tmp_path, [first, CHROME, f"x,{IE11},999999", CHROME], name="agents.txt")
    assert report.files[0].format == "user-agent"
    assert (report.requests, report.gated) == (4, 1)


def test_a_header_after_many_blank_lines_is_a_header(tmp_path: Path) -> None:
    """Blank lines before the header, however many: the rows are rows."""
    path = tmp_path / "rows.csv"
    path.write_text("\n" * 30 + f"user_agent,requests\n{IE11},5\n", encoding="utf-8")
    report = scan_logs(path)
    assert report.files[0].format == "aggregate"
    assert (report.requests, report.gated) == (5, 5)


def test_a_user_agent_that_starts_like_bzip2_is_a_user_agent(tmp_path: Path) -> None:
    """bzip2's magic number is printable: text after it is no compressed data."""
    report = scan(tmp_path, ["BZh91AY&SY hello", IE11], name="agents.txt")
    assert (report.files[0].format, report.requests, report.gated) == ("user-agent", 2, 1)


# --- a third look at how a file is recognised ---

AGENTS = f"{IE11}\n{CHROME}\n" * 1_000  # 2,000 User-Agents, 1,000 of them IE 11


@pytest.mark.parametrize(
    "head",
    [
        'user_agent,requests\n"\n',  # a quote left open past the first MiB
        "user_agent,requests\n" + "x,1\n" * 10,  # ten rows a client wrote
        '{"user_agent": "x", "requests": 1}\n' * 10,
    ],
    ids=["header-then-open-quote", "header-then-ten-rows", "ten-json-rows"],
)
def test_a_few_lines_a_client_wrote_do_not_make_user_agents_rows(tmp_path: Path, head: str) -> None:
    """Rows are told by most of the first 1,000 lines, not by the first few."""
    path = tmp_path / "agents.txt"
    path.write_text(head + AGENTS, encoding="utf-8")
    report = scan_logs(path)
    assert report.files[0].format == "user-agent"
    assert report.gated == 1_000


def test_a_json_log_with_a_requests_field_is_a_log(tmp_path: Path) -> None:
    """Nginx's $connection_requests in a JSON log: its lines are requests, not rows."""
    record = '{{"time": "2026-11-01T10:00:00+00:00", "remote_addr": "10.0.0.{n}", '
    record += '"requests": {n}, "user_agent": "{ua}"}}'
    lines = [record.format(n=n, ua=IE11 if n % 2 else CHROME) for n in range(1, 11)]
    report = scan(tmp_path, lines, name="access.jsonl")
    assert report.files[0].format == "jsonl"
    assert (report.requests, report.gated, report.visitors) == (10, 5, 10)


def test_a_tab_separated_export_with_an_unnamed_index_is_rows(tmp_path: Path) -> None:
    """A header that starts with a tab, as pandas' DataFrame.to_csv writes an index."""
    path = tmp_path / "rows.tsv"
    path.write_text(f"\tuser_agent\trequests\n0\t{IE11}\t7\n1\t{CHROME}\t13\n", encoding="utf-8")
    report = scan_logs(path)
    assert report.files[0].format == "aggregate"
    assert (report.requests, report.gated, report.unreadable) == (20, 7, 0)


def test_a_byte_order_mark_after_blank_lines_opens_the_header(tmp_path: Path) -> None:
    """Blank lines, then a byte order mark and the header: the header is read."""
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b"\n\n\xef\xbb\xbfuser_agent,requests\n" + f'"{IE11}",7\n"{CHROME}",13\n'.encode()
    )
    report = scan_logs(path)
    assert (report.files[0].format, report.requests, report.gated) == ("aggregate", 20, 7)


@pytest.mark.parametrize(
    "first",
    [b"BZh91AY&SY\xff\n", b"PK\x03\x04 \xff\n", b"\x5d\x00\x00"[:1] + b"\n"],
    ids=["bzip2-and-a-stray-byte", "zip-and-a-stray-byte", "a-bracket"],
)
def test_text_that_starts_like_compressed_data_is_read_as_text(
    tmp_path: Path, first: bytes
) -> None:
    """A magic number then text (a stray byte in it): no compressed data."""
    path = tmp_path / "agents.txt"
    path.write_bytes(first + AGENTS.encode())
    report = scan_logs(path)
    assert (report.files[0].format, report.gated) == ("user-agent", 1_000)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (bz2.compress(b""), "bzip2"),
        (lzma.compress(b"x\n", format=lzma.FORMAT_ALONE), "lzma"),
        (b"\x04\x22\x4d\x18\x64\x40\xa7\x00\x00\x00\x00\x05\x5d\xcc\x02", "lz4"),
    ],
    ids=["empty-bzip2", "lzma-alone", "empty-lz4-frame"],
)
def test_other_compressed_data_is_an_error(
    tmp_path: Path, run_cli: RunCli, data: bytes, name: str
) -> None:
    """An empty bzip2 stream, lzma's older format, lz4: errors, not traffic."""
    path = tmp_path / "access.log.packed"
    path.write_bytes(data)
    run = run_cli("scan", str(path))
    assert (run.code, run.out) == (2, "")
    assert f"compressed with {name}" in run.err
