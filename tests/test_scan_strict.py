"""``uagate scan`` reads a combined line's time strictly, survives hostile lines, bounds memory.

Logs are real files read by :class:`~uagate.logscan.LogScanner`, as the command
reads them. A block of plain lines of one day takes the fast path; a log whose
lines carry a field after the User-Agent is read line by line: each rule is
checked on both.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uagate._logline import _HEAD, _STATUS_PIECE, _plain_heads, unescape
from uagate.logscan import LogScanner
from uagate.policy import Policy
from uagate.testing import CHROME, IE11

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

from .conftest import scan_lines as scan
from .conftest import scan_logs, shape_problems

TIME = "[01/Nov/2026:10:20:30 +0000]"
PATHS = {"block": "", "line by line": ' "0.004"'}


def line(user_agent: str = CHROME, *, user: str = "-", time: str = TIME, after: str = "") -> str:
    """One combined line of 203.0.113.7 (``after``: what follows the User-Agent)."""
    return f'203.0.113.7 - {user} {time} "GET / HTTP/1.1" 200 512 "-" "{user_agent}"{after}'


@pytest.mark.parametrize("after", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize(
    "user",
    [
        "[02/Jan/2020:00:00:00 +0000]",
        "x [02/Jan/2020:00:00:00 +0000] y",
        "[02/Jan/2020:00:00:00 +0000] [",
        "a b [ c",
    ],
)
def test_a_user_field_cannot_forge_the_day(tmp_path: Path, user: str, after: str) -> None:
    """The day is the time's just before the request, whatever the user field holds."""
    lines = [line(user=user, after=after)] * 3 + [line(IE11, after=after)] * 2
    report = scan(tmp_path, lines)
    assert report.unreadable == 0
    assert report.days == {"2026-11-01": [5, 2]}


@pytest.mark.parametrize("after", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize(
    "time",
    [
        "[01/Nov/2026:24:00:00 +0000]",  # hour 24
        "[01/Nov/2026:10:60:00 +0000]",  # minute 60
        "[01/Nov/2026:10:20:61 +0000]",  # second 61
        "[01/Nov/2026:10:20:30]",  # no zone
        "[01/Nov/2026:10:20:30 0000]",  # no sign
        "[01/Nov/2026:10:20:30 *0000]",
        "[01/Nov/2026:10:20:30 +00a0]",
        "[01/Nov/2026:10:20:3 +0000]",
        "[01/Nov/2026:1\u0660:20:30 +0000]",  # an Arabic-Indic digit
        "[01/Nov/2026:10:20:30 +0000 junk]",
        "[01/Nov/2026]",
        "[31/Nov/2026:10:20:30 +0000]",  # no such day
        "[01/Nov/2026:10:20:30 +0000]x",
        "[01/Nov/2026:10:20:30 +0000]  ",
    ],
)
def test_a_time_not_of_the_strict_shape_is_unreadable(
    tmp_path: Path, time: str, after: str
) -> None:
    """Hour < 24, minute < 60, second < 61, a signed zone, ASCII digits, just before the quote.

    (Three good lines among them keep the log a combined log.)
    """
    report = scan(tmp_path, [line(after=after)] * 3 + [line(time=time, after=after)] * 2)
    assert (report.requests, report.unreadable) == (3, 2)


@pytest.mark.parametrize("after", PATHS.values(), ids=PATHS.keys())
def test_a_leap_second_and_a_zone_west_of_greenwich_are_read(tmp_path: Path, after: str) -> None:
    """Second 60 and ``-0800`` are times; the day is the one written."""
    report = scan(tmp_path, [line(time="[31/Dec/2026:23:59:60 -0800]", after=after)] * 2)
    assert report.days == {"2026-12-31": [2, 0]}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (rb"a\xZZb", rb"a\xZZb"),
        (rb"a\x4", rb"a\x4"),
        (b"a\\x", b"a\\x"),
        (rb"a\x41\xZ1", rb"aA\xZ1"),
        (rb"\\x41", rb"\x41"),  # an escaped backslash, then text
    ],
)
def test_a_backslash_x_without_two_hex_digits_is_text(raw: bytes, expected: bytes) -> None:
    r"""``\x`` that is not ``\xHH`` stays as written."""
    assert unescape(raw) == expected


@pytest.mark.parametrize("after", PATHS.values(), ids=PATHS.keys())
def test_a_user_agent_with_a_broken_escape_is_counted(tmp_path: Path, after: str) -> None:
    r"""``\xZZ``, ``\x4`` and a trailing ``\x`` in a logged User-Agent: requests, no traceback."""
    lines = [line(CHROME + tail, after=after) for tail in (r" \xZZ", r" \x4", "\\x")]
    report = scan(tmp_path, lines)
    assert (report.requests, report.unreadable, report.distinct_user_agents) == (3, 0, 3)


def test_the_head_patterns_have_a_linear_shape() -> None:
    """The head pattern, and the patterns the block path reads each line with, are linear."""
    for pattern in (_HEAD, _plain_heads(b"01/Nov/2026"), _STATUS_PIECE):
        parsed = sre_parse.parse(pattern.pattern.decode("latin-1"), 0)
        assert list(shape_problems(parsed, 0)) == []
        subject = b"a " * 32_768 + b"[" * 65_536
        assert pattern.search(subject) is None


PIECES = [
    "-",
    " ",
    "[",
    "]",
    '"',
    "\\",
    "\\x",
    "\\x4",
    "\\xZZ",
    "\\x22",
    '\\"',
    "\r",
    "01/Nov/2026",
    ":10:20:30",
    " +0000",
    "GET / HTTP/1.1",
    "200",
    "é",
    "\x00",
]
ALPHABET = list(string.printable.replace("\n", ""))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=200),
            st.lists(st.sampled_from(PIECES + ALPHABET), max_size=6).map("".join),
        ),
        max_size=4,
    ),
    after=st.sampled_from(list(PATHS.values())),
)
def test_hostile_lines_are_requests_or_unreadable_never_an_error(
    tmp_path: Path, cuts: list[tuple[int, str]], after: str
) -> None:
    """Plain lines with bytes spliced in: each is a request or unreadable, on its real day.

    A line read is one whose time (just before its first quote after the user
    field) is the day's; so no request lands on a day the splices made up.
    """
    lines = []
    for index in range(4):
        text = line(IE11 if index % 2 else CHROME, after=after)
        for at, piece in cuts:
            at = min(at, len(text))
            text = text[:at] + piece + text[at:]
        lines.append(text.encode())
    report = scan(tmp_path, [*lines, line(after=after).encode()])
    assert report.requests + report.unreadable == len(lines) + 1
    if report.files[0].format == "combined":  # (else most lines were no combined lines)
        assert set(report.days) <= {"2026-11-01"}
        assert sum(requests for requests, _ in report.days.values()) == report.requests


def test_distinct_user_agents_past_the_exact_limit_are_estimated_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """110,000 distinct User-Agents: an estimate within 4%, said so; the tables stay bounded."""
    path = tmp_path / "agents.log"
    path.write_text("".join(f"Mozilla/5.0 (X11; Linux x86_64) probe/{n}\n" for n in range(110_000)))
    scanner = LogScanner(Policy(), "default")
    report = scan_logs(path, scanner=scanner)
    assert report.distinct_user_agents_exact is False
    assert abs(report.distinct_user_agents / 110_000 - 1) < 0.04
    data = report.to_dict()
    assert data["distinct_user_agents_exact"] is False
    assert len(scanner._seen) <= 50_000


def test_gated_clients_are_counted_apart_up_to_a_bound(tmp_path: Path) -> None:
    """Labels hold versions from the log: past 10,000 of them, the rest count together."""
    count = 10_050
    lines = [
        line(f"Mozilla/4.0 (compatible; MSIE {version}.0; Windows NT 5.1)")
        for version in range(1, count + 1)
    ]
    report = scan(tmp_path, lines)
    assert report.gated == count
    assert len(report.gated_by_client) == 10_001
    assert report.gated_by_client["(other clients)"] == 50
    assert sum(report.gated_by_client.values()) == count
