"""Read access logs and count what a policy would do to their traffic.

Three formats, recognised per file from its first lines: the nginx/Apache
combined log format, JSON lines with a ``user_agent`` (or ``http_user_agent``)
field, and one User-Agent per line. Gzip files are read transparently. The log
is read in blocks of 1 MiB and counted block by block, so memory depends on the
number of distinct User-Agents, never on the length of the log; each distinct
User-Agent is decided once (while at most 200,000 are remembered), through the
same decision and the same 512-character cap as the middleware's default.

Visitors are distinct pairs of client address and User-Agent: the first field
of a combined line, a JSON record's ``remote_addr`` (or ``client_ip``, ``ip``,
...) field, none for one User-Agent a line. They are counted exactly up to
:data:`EXACT_VISITORS` distinct pairs, then estimated by a HyperLogLog sketch
(:class:`DistinctCount`, relative standard error :data:`VISITORS_RELATIVE_ERROR`)
of 16 KiB, so memory stays bounded however many visitors a log holds.

Log text is hostile input: every regular expression here runs in linear time at
any length (no unbounded repeat that can backtrack over another), and quoted
fields are read by a linear scan. Days must be real calendar dates written in
ASCII digits, and the per-day table keeps the :data:`MAX_DAYS` latest days;
requests on earlier days are added up apart (:attr:`ScanReport.earlier_days`).
"""

from __future__ import annotations

import gzip
import heapq
import io
import json
import math
import os
import re
import stat
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import BinaryIO, NamedTuple

from uagate._bounded import BoundedTable
from uagate._text import printable
from uagate.decision import Decider, Verdicts
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.policy import Policy

__all__ = [
    "EXACT_VISITORS",
    "FORMATS",
    "MAX_DAYS",
    "VISITORS_RELATIVE_ERROR",
    "DistinctCount",
    "FileSummary",
    "LogInput",
    "LogScanner",
    "ScanReport",
    "detect_format",
    "ranked",
]

#: The formats a log file can be read as.
FORMATS = ("combined", "jsonl", "user-agent")

_BLOCK = 1 << 20
# A line longer than this is not a log line; it is counted unreadable and skipped,
# so that a file without newlines cannot make the scanner hold it whole.
_MAX_LINE = 1 << 20
# Distinct User-Agents (and log tails) remembered, by count and by bytes.
_REMEMBERED = 200_000
_REMEMBERED_BYTES = 64 * 1024 * 1024
_SAMPLE_LINES = 20

#: How many days the per-day table keeps: the latest ten years' worth. Requests
#: on earlier days are added up in :attr:`ScanReport.earlier_days`.
MAX_DAYS = 3_660

_MONTHS = {
    name.encode(): number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# Dates in ASCII digits only (a str pattern's \d would take other scripts' digits).
# (Each ends where its last number does: "27/Nov/99999" and "2026-11-279" are no dates.)
_CLF_DAY = re.compile(rb"([0-9]{2})/([A-Z][a-z]{2})/([0-9]{4})(?![0-9A-Za-z])")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
# host ident user [time] "request" status size "referer" "user-agent" [anything else]:
# the regular expressions read what comes before a quoted field, _quoted_end() the
# fields. The user (which may hold spaces) runs to the line's first "[" (255 bytes at
# most) and the time after the day to its "]" (64 at most): bounded repeats of
# classes that cannot pass those brackets, so there is one way to match, found at once.
_HEAD = re.compile(
    rb"\S{1,255} \S{1,255} [^\[]{0,255} "  # host ident user (each at most 255 bytes)
    rb'\[([0-9]{2}/[A-Z][a-z]{2}/[0-9]{4})(?![0-9A-Za-z])[^\]]{0,64}\] "'  # [time], request's "
)
_STATUS = re.compile(rb' [0-9]{3} \S+ "')
# The text after a line's last '" "', taken by C iterators rather than a Python loop.
_SEPARATOR = repeat(b'" "')
_BRACKET = repeat(b"[")
_TAIL = itemgetter(2)
# The client address: the text before a line's first space.
_SPACE = repeat(b" ")
_HOST = itemgetter(0)
_TAIL_OF_PAIR = itemgetter(1)
_32 = repeat(32)
# How many distinct values wait to be decided, at most, before they are.
_PENDING = 100_000
# What a remembered tail keeps alive besides its text, in bytes (a _Tail and two ints).
_TAIL_COST = 160
_ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|.)")
_UA_FIELDS = ("user_agent", "http_user_agent")
# The fields of a JSON log record that may hold the client's address, first found first.
_ADDRESS_FIELDS = (
    "remote_addr",
    "client_ip",
    "ip",
    "remote_ip",
    "client_addr",
    "clientip",
    "client",
)
_TIME_FIELDS = ("time", "timestamp", "@timestamp", "time_iso8601", "time_local", "date", "ts")


class _Seen(NamedTuple):
    """What one distinct User-Agent counts as."""

    gated: bool
    label: str  # "IE 11", the family and major version (for gated clients)
    reason: str
    bot: bool


# What the text after the last '" "' of a line that is not a combined log line
# counts as (compared by identity).
_UNREADABLE = _Seen(False, "", "unreadable", False)


class _Tail(NamedTuple):
    """What the text after a combined line's last '" "' counts as."""

    seen: _Seen
    kind: int  # of visitor
    crc: int  # the CRC-32 of the User-Agent and a newline, which _fingerprint continues
    adler: int  # and the Adler-32


# The kinds of visitor (by what their User-Agent counts as), and which counts each adds to.
_NOT_A_VISITOR, _BOT, _PERSON, _GATED_BOT, _GATED_PERSON = range(5)
_BOT_KINDS = frozenset((_BOT, _GATED_BOT))
_PEOPLE_KINDS = frozenset((_PERSON, _GATED_PERSON))
_GATED_KINDS = frozenset((_GATED_BOT, _GATED_PERSON))


def _visitor_kind(seen: _Seen) -> int:
    if seen is _UNREADABLE:
        return _NOT_A_VISITOR
    if seen.bot:
        return _GATED_BOT if seen.gated else _BOT
    return _GATED_PERSON if seen.gated else _PERSON


#: Up to how many distinct visitors (client address and User-Agent pairs) of one
#: kind (bots, people, gated) are counted exactly; past it, they are estimated.
EXACT_VISITORS = 100_000

# HyperLogLog with 2**14 registers of one byte: 16 KiB, whatever the count.
_PRECISION = 14
_REGISTERS = 1 << _PRECISION
_RANK_BITS = 64 - _PRECISION
_RANK_MASK = (1 << _RANK_BITS) - 1
_MASK64 = (1 << 64) - 1

#: The relative standard error of an estimated visitor count: 1.04 / sqrt(2**14),
#: about 0.81% (about 95% of estimates fall within twice that of the truth).
VISITORS_RELATIVE_ERROR = 1.04 / math.sqrt(_REGISTERS)


def _fingerprint(address: bytes, user_agent: bytes) -> int:
    r"""A 64-bit fingerprint of a visitor, the same in every run (unlike ``hash()``).

    The CRC-32 and the Adler-32 of ``user_agent + b"\\n" + address`` side by
    side: computed in C, and over the address alone where the User-Agent's are
    known (both continue from a running value). CRC-32 tells apart any two
    addresses of one length that differ within 4 bytes, and two visitors that
    share both checksums are too rare to matter in a count.
    """
    head = user_agent + b"\n"
    return zlib.crc32(address, zlib.crc32(head)) << 32 | zlib.adler32(address, zlib.adler32(head))


class DistinctCount:
    """How many distinct 64-bit fingerprints were added: exact up to ``limit``, then estimated.

    Up to ``limit`` distinct values it keeps them in a set and counts exactly.
    One more, and it moves them into a HyperLogLog sketch (Flajolet et al.,
    2007) of 2**14 one-byte registers and drops the set: from then on it holds
    16 KiB whatever it is given, and :meth:`count` is an estimate with a
    relative standard error of :data:`VISITORS_RELATIVE_ERROR`. The switch comes
    at 100,000 values by default, far above the 2.5 x 2**14 values under which
    the raw estimate needs correcting, and an estimate is never reported below
    the ``limit + 1`` values the set had already seen.
    """

    __slots__ = ("_registers", "_set", "limit")

    def __init__(self, limit: int = EXACT_VISITORS) -> None:
        self.limit = limit
        self._set: set[int] | None = set()
        self._registers: bytearray | None = None

    @property
    def exact(self) -> bool:
        """True while the count is exact (at most ``limit`` distinct values so far)."""
        return self._set is not None

    def update(self, fingerprints: Iterable[int]) -> None:
        """Count each of ``fingerprints`` (ints from 0 to 2**64 - 1) once, however often."""
        values = self._set
        if values is not None:
            values.update(fingerprints)
            if len(values) <= self.limit:
                return
            self._registers = bytearray(_REGISTERS)
            self._set = None
            fingerprints = values
        registers = self._registers
        assert registers is not None
        for fingerprint in fingerprints:
            # SplitMix64's finaliser mixes the bits; the first 14 pick a register,
            # which keeps the most leading zeros (plus one) seen in the other 50.
            value = (fingerprint + 0x9E3779B97F4A7C15) & _MASK64
            value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
            value ^= value >> 31
            index = value >> _RANK_BITS
            rank = _RANK_BITS + 1 - (value & _RANK_MASK).bit_length()
            if rank > registers[index]:
                registers[index] = rank

    def count(self) -> int:
        """How many distinct values were added: exact, or the HyperLogLog estimate."""
        if self._set is not None:
            return len(self._set)
        registers = self._registers
        assert registers is not None
        alpha = 0.7213 / (1 + 1.079 / _REGISTERS)
        estimate = alpha * _REGISTERS * _REGISTERS / math.fsum(2.0**-rank for rank in registers)
        zeros = registers.count(0)
        if estimate <= 2.5 * _REGISTERS and zeros:  # small-range correction (linear counting)
            estimate = _REGISTERS * math.log(_REGISTERS / zeros)
        return max(round(estimate), self.limit + 1)


def ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most first; equal counts in alphabetical order, so that reports are stable."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class FileSummary:
    """One input: its name, the format it was read as, its lines and unreadable lines."""

    name: str
    format: str
    lines: int = 0
    unreadable: int = 0


@dataclass
class ScanReport:
    """What the policy would do to the traffic of the logs read.

    Texts that come from the logs (the gated clients' labels, and file names
    in :meth:`to_dict`) are :func:`~uagate._text.printable`.
    """

    policy: str
    requests: int = 0
    gated: int = 0
    bots: int = 0
    unreadable: int = 0
    distinct_user_agents: int = 0
    #: Distinct client address and User-Agent pairs, by kind: bots, the rest
    #: ("people"), and those gated (a kind of people unless the policy gates bots).
    bot_visitors: DistinctCount = field(default_factory=DistinctCount)
    people_visitors: DistinctCount = field(default_factory=DistinctCount)
    gated_visitors: DistinctCount = field(default_factory=DistinctCount)
    #: Requests whose log gave no client address (one User-Agent a line, or a
    #: JSON record without an address field): as visitors, told apart by User-Agent alone.
    requests_without_address: int = 0
    gated_by_client: Counter[str] = field(default_factory=Counter)
    gated_by_reason: Counter[str] = field(default_factory=Counter)
    #: day (YYYY-MM-DD) -> [requests, gated], for the MAX_DAYS latest days seen
    days: dict[str, list[int]] = field(default_factory=dict)
    #: [requests, gated] on days before those in ``days`` (none unless the logs
    #: span more than MAX_DAYS days)
    earlier_days: list[int] = field(default_factory=lambda: [0, 0])
    files: list[FileSummary] = field(default_factory=list)

    @property
    def gated_share(self) -> float:
        """The share of requests gated (0 when there are none)."""
        return self.gated / self.requests if self.requests else 0.0

    @property
    def people(self) -> int:
        """Requests from clients that are not bots."""
        return self.requests - self.bots

    @property
    def visitors(self) -> int:
        """Distinct client address and User-Agent pairs: bots' and people's."""
        return self.bot_visitors.count() + self.people_visitors.count()

    @property
    def visitors_exact(self) -> bool:
        """True when every visitor count is exact, not estimated."""
        counts = (self.bot_visitors, self.people_visitors, self.gated_visitors)
        return all(count.exact for count in counts)

    @property
    def visitors_relative_error(self) -> float:
        """0 when the visitor counts are exact; else the estimates' relative standard error."""
        return 0.0 if self.visitors_exact else VISITORS_RELATIVE_ERROR

    def to_dict(self) -> dict[str, object]:
        """The report as JSON-ready data; ``requests`` and ``gated`` are integers."""
        return {
            "policy": self.policy,
            "requests": self.requests,
            "gated": self.gated,
            "gated_share": round(self.gated_share, 6),
            "passed": self.requests - self.gated,
            "visitors": self.visitors,
            "gated_visitors": self.gated_visitors.count(),
            "bot_visitors": self.bot_visitors.count(),
            "people_visitors": self.people_visitors.count(),
            "visitors_exact": self.visitors_exact,
            "visitors_relative_error": round(self.visitors_relative_error, 6),
            "requests_without_address": self.requests_without_address,
            "distinct_user_agents": self.distinct_user_agents,
            "bots": self.bots,
            "people": self.people,
            "unreadable_lines": self.unreadable,
            "gated_by_client": [
                {"client": printable(label), "requests": count}
                for label, count in ranked(self.gated_by_client)
            ],
            "gated_by_reason": [
                {"reason": reason, "requests": count}
                for reason, count in ranked(self.gated_by_reason)
            ],
            "days": [
                {
                    "day": day,
                    "requests": requests,
                    "gated": gated,
                    "gated_share": round(gated / requests, 6) if requests else 0.0,
                }
                for day, (requests, gated) in sorted(self.days.items())
            ],
            "earlier_days": {
                "requests": self.earlier_days[0],
                "gated": self.earlier_days[1],
            },
            "files": [
                {
                    "name": printable(f.name),
                    "format": f.format,
                    "lines": f.lines,
                    "unreadable": f.unreadable,
                }
                for f in self.files
            ],
        }


def detect_format(head: bytes) -> str:
    """The format of a log whose first bytes are ``head``: one of :data:`FORMATS`."""
    lines = [line.strip() for line in head.split(b"\n")[:-1] if line.strip()][:_SAMPLE_LINES]
    if not lines:
        return "user-agent"
    json_lines = sum(1 for line in lines if _json_user_agent(line) is not _NOT_A_RECORD)
    if json_lines * 2 > len(lines):
        return "jsonl"
    combined = sum(1 for line in lines if _combined_fields(line) is not None)
    if combined * 2 > len(lines):
        return "combined"
    return "user-agent"


_NOT_A_RECORD = object()


def _json_user_agent(line: bytes) -> object:
    """The parsed record of a JSON line with a User-Agent field, else _NOT_A_RECORD."""
    line = line.strip().removeprefix(b"\xef\xbb\xbf")  # a byte order mark may start a file
    if not line.startswith(b"{"):
        return _NOT_A_RECORD
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: arrays or objects nested too deep
        return _NOT_A_RECORD
    if not isinstance(record, dict) or not any(name in record for name in _UA_FIELDS):
        return _NOT_A_RECORD
    return record


def _iso_day(year: int, month: int, day: int) -> str | None:
    """The day as ``YYYY-MM-DD`` if it is a real calendar date (years 1 to 9999), else None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 0000-00-00, 2026-02-30, ...
        return None


def _clf_day(value: bytes) -> str | None:
    """``27/Nov/2026`` as ``2026-11-27``; None when it is not a real date in ASCII digits."""
    found = _CLF_DAY.match(value)
    if found is None:
        return None
    day, month, year = found.groups()
    number = _MONTHS.get(month)
    return None if number is None else _iso_day(int(year), number, int(day))


def _record_day(record: dict[str, object]) -> str | None:
    """The day of a JSON log record, from the first of its time fields that is a time."""
    for name in _TIME_FIELDS:
        day = _day_of(record.get(name))
        if day is not None:
            return day
    return None


def _record_address(record: dict[str, object]) -> bytes | None:
    """The client address of a JSON log record: its first address field that is text."""
    for name in _ADDRESS_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value:
            return value.encode("utf-8", "replace")
    return None


def _day_of(value: object) -> str | None:
    """A JSON time value (ISO 8601, ``27/Nov/2026:...``, epoch seconds or ms) as a day."""
    if isinstance(value, str):
        found = _ISO_DAY.match(value)
        if found is not None:
            year, month, day = map(int, found.groups())
            return _iso_day(year, month, day)
        return _clf_day(value[:12].encode("latin-1", "replace"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds
            # isoformat, not strftime: the year 999 is "0999", and sorts before 2026.
            return datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _unescape(raw: bytes) -> bytes:
    r"""Undo the escapes nginx (``\xHH``) and Apache (``\"``, ``\\``) write in logs.

    Except those of control characters (``\x1B``, ``\x07``, ... and ``\x7F``):
    they stay as written, so that no escape sequence the log kept harmless
    becomes a real one in a family name that is then shown.
    """

    def one(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped[:1] == b"x":
            code = int(escaped[1:], 16)
            return match.group(0) if code < 0x20 or code == 0x7F else bytes([code])
        return escaped

    return _ESCAPE.sub(one, raw)


class LogScanner:
    """Counts, log after log, what ``policy`` would do to the requests they record."""

    def __init__(self, policy: Policy, policy_name: str) -> None:
        self.report = ScanReport(policy_name)
        # The decision and its cache, as in the middleware.
        # Decided as the middleware decides: stripped, then cut to its default cap
        # of 512 characters (raw bytes: 512 bytes), before any detection runs.
        decider = Decider(policy, max_length=DEFAULT_MAX_LENGTH)
        self._verdicts = Verdicts(decider, size=_REMEMBERED, max_bytes=_REMEMBERED_BYTES)
        # The days in report.days, oldest first (a heap), to make room for a later one.
        self._kept_days: list[str] = []
        self._distinct: set[int] = set()
        # What the text after a combined line's last '" "' counts as.
        self._tails: BoundedTable[bytes, _Tail] = BoundedTable(_REMEMBERED, _REMEMBERED_BYTES)
        # Lines counted but not yet decided, for one day: the client address and
        # the raw text after each line's last '" "' (combined logs), or the whole
        # line (one User-Agent a line). Counting them first, at C speed, means
        # each distinct value is decided and added once per day rather than once
        # per line.
        self._pending_pairs: Counter[tuple[bytes, bytes]] = Counter()
        self._pending_lines: Counter[bytes] = Counter()
        self._pending_day: bytes | None = None

    def scan(
        self,
        log: LogInput,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> FileSummary:
        """Read one log to its end and add it to the report.

        ``progress`` is called after each block with the bytes of the input
        read so far (for a compressed file, the compressed bytes) and the lines.
        """
        summary = FileSummary(log.name, "")
        blocks = _blocks(log, summary)
        first = next(blocks, b"")
        summary.format = detect_format(first)
        self.report.files.append(summary)
        if summary.format == "combined" and _has_more_fields(first):
            count = self._combined_by_line
        else:
            count = {
                "combined": self._combined,
                "jsonl": self._json_lines,
                "user-agent": self._user_agents,
            }[summary.format]
        done = 0
        for block in _chain(first, blocks):
            count(block, summary)
            done += len(block)
            if progress is not None:
                progress(log.position() or done, summary.lines)
        self._flush(summary)
        self.report.unreadable += summary.unreadable
        self.report.distinct_user_agents = len(self._distinct)
        return summary

    def _seen_as(self, user_agent: bytes) -> _Seen:
        """What a (raw, unescaped) User-Agent counts as."""
        self._distinct.add(hash(user_agent))
        verdict = self._verdicts(user_agent)
        client = verdict.client
        major = f" {client.version[0]}" if client.version else ""
        # A family can be text a parser rule copied from the User-Agent: shown, so printable.
        label = printable(client.family + major)
        return _Seen(verdict.gated, label, verdict.reason.value, client.is_bot)

    def _count(
        self, user_agent: bytes, requests: int, day: str | None, address: bytes | None
    ) -> None:
        """Add ``requests`` requests from one (raw, unescaped) User-Agent on ``day``.

        ``address`` is the client's, None when the log gives none.
        """
        seen = self._seen_as(user_agent)
        self._add(seen, requests, day)
        if address is None:
            self.report.requests_without_address += requests
            address = b""
        self._visitor(address, user_agent, seen)

    def _visitor(self, address: bytes, user_agent: bytes, seen: _Seen) -> None:
        """Count the visitor ``address`` and ``user_agent`` (raw, unescaped) as ``seen``."""
        report = self.report
        fingerprint = _fingerprint(address, user_agent)
        (report.bot_visitors if seen.bot else report.people_visitors).update((fingerprint,))
        if seen.gated:
            report.gated_visitors.update((fingerprint,))

    def _add(self, seen: _Seen, requests: int, day: str | None) -> None:
        report = self.report
        report.requests += requests
        if seen.bot:
            report.bots += requests
        if seen.gated:
            report.gated += requests
            report.gated_by_client[seen.label] += requests
            report.gated_by_reason[seen.reason] += requests
        if day is not None:
            totals = report.days.get(day)
            if totals is None:
                totals = self._new_day(day)
            totals[0] += requests
            if seen.gated:
                totals[1] += requests

    def _new_day(self, day: str) -> list[int]:
        """The ``[requests, gated]`` to count a day not in the table yet under.

        Its own new row while the table holds fewer than :data:`MAX_DAYS` days.
        Then a day earlier than all of them counts under ``earlier_days``, and a
        later one takes the row of the earliest, whose figures move there. So
        the table ends with the latest days seen, each counted in full.
        """
        report = self.report
        if len(report.days) >= MAX_DAYS:
            if day < self._kept_days[0]:
                return report.earlier_days
            earliest = heapq.heapreplace(self._kept_days, day)
            requests, gated = report.days.pop(earliest)
            report.earlier_days[0] += requests
            report.earlier_days[1] += gated
        else:
            heapq.heappush(self._kept_days, day)
        report.days[day] = totals = [0, 0]
        return totals

    def _user_agents(self, block: bytes, summary: FileSummary) -> None:
        lines = block.split(b"\n")
        summary.lines += len(lines) - lines.count(b"") - lines.count(b"\r")
        pending = self._pending_lines
        pending.update(lines)
        if len(pending) > _PENDING:
            self._flush(summary)

    def _pend(self, pairs: Iterable[tuple[bytes, bytes]], day: bytes, summary: FileSummary) -> None:
        """Count (address, tail) ``pairs`` of ``day``; decide at a new day or when many wait."""
        if day != self._pending_day:
            self._flush(summary)
            self._pending_day = day
        pending = self._pending_pairs
        pending.update(pairs)
        if len(pending) > _PENDING:
            self._flush(summary)

    def _flush(self, summary: FileSummary) -> None:
        """Decide and add the pending values."""
        lines, self._pending_lines = self._pending_lines, Counter()
        lines.pop(b"", None)
        for line, requests in lines.items():
            user_agent = line.strip()
            if user_agent:
                self._count(user_agent, requests, None, None)
        pairs, self._pending_pairs = self._pending_pairs, Counter()
        pairs.pop((b"", b""), None)  # the text after a block's last newline
        day = self._pending_day
        if pairs and day is not None:
            self._flush_pairs(pairs, _clf_day(day), summary)

    def _flush_pairs(
        self, pairs: Counter[tuple[bytes, bytes]], day: str | None, summary: FileSummary
    ) -> None:
        """Decide and add the (address, tail) pairs of one day, and count their visitors.

        A day can hold as many distinct pairs as lines, so the work per pair
        runs in C (maps over them); Python looks at each distinct tail only.
        """
        tails = list(map(_TAIL_OF_PAIR, pairs))
        requests_of: Counter[bytes] = Counter()
        if len(pairs) * 4 < sum(pairs.values()):  # many requests a pair: add up in Python
            for tail, requests in zip(tails, pairs.values(), strict=True):
                requests_of[tail] += requests
        else:  # a request or two a pair: count each request once more, in C
            requests_of.update(chain.from_iterable(map(repeat, tails, pairs.values())))
        table = self._tails
        known = table.data
        # Each tail's kind of visitor, and the checksums of "User-Agent\n" that
        # its visitors' fingerprints continue from (see _fingerprint).
        kind_of: dict[bytes, int] = {}
        crc_of: dict[bytes, int] = {}
        adler_of: dict[bytes, int] = {}
        for tail, requests in requests_of.items():
            info = known.get(tail)
            if info is None:
                info = self._tail_info(tail)
                table.add(tail, info, len(tail) + _TAIL_COST)
            seen = info.seen
            if seen is _UNREADABLE:
                summary.unreadable += requests
            else:
                self._add(seen, requests, day)
            kind_of[tail] = info.kind
            crc_of[tail] = info.crc
            adler_of[tail] = info.adler
        addresses = list(map(_HOST, pairs))
        crcs = map(zlib.crc32, addresses, map(crc_of.__getitem__, tails))
        adlers = map(zlib.adler32, addresses, map(adler_of.__getitem__, tails))
        fingerprints = list(map(int.__or__, map(int.__lshift__, crcs, _32), adlers))
        kinds = list(map(kind_of.__getitem__, tails))
        report = self.report
        report.people_visitors.update(
            compress(fingerprints, map(_PEOPLE_KINDS.__contains__, kinds))
        )
        report.bot_visitors.update(compress(fingerprints, map(_BOT_KINDS.__contains__, kinds)))
        report.gated_visitors.update(compress(fingerprints, map(_GATED_KINDS.__contains__, kinds)))

    def _tail_info(self, tail: bytes) -> _Tail:
        """What the text after a combined line's last '" "' counts as, for requests and visitors."""
        found = _tail_user_agent(tail)
        seen = _UNREADABLE if found is None else self._seen_as(found)
        head = (found or b"") + b"\n"
        return _Tail(seen, _visitor_kind(seen), zlib.crc32(head), zlib.adler32(head))

    def _json_lines(self, block: bytes, summary: FileSummary) -> None:
        for line in block.split(b"\n"):
            if not line.strip():
                continue
            summary.lines += 1
            record = _json_user_agent(line)
            if not isinstance(record, dict):
                summary.unreadable += 1
                continue
            value = next((record[name] for name in _UA_FIELDS if name in record), None)
            if value is not None and not isinstance(value, str):
                summary.unreadable += 1
                continue
            raw = b"" if value is None else value.encode("utf-8", "replace")
            self._count(raw, 1, _record_day(record), _record_address(record))

    def _combined(self, block: bytes, summary: FileSummary, depth: int = 0) -> None:
        lines = block.split(b"\n")
        count = len(lines) - lines.count(b"") - lines.count(b"\r")
        day = _shared_day(block, lines)
        if day is not None:
            # The fast path, for a block whose lines are all of one day: the
            # User-Agent is the last quoted field, after the last '" "'.
            summary.lines += count
            addresses = map(_HOST, map(bytes.partition, lines, _SPACE))
            tails = map(_TAIL, map(bytes.rpartition, lines, _SEPARATOR))
            self._pend(zip(addresses, tails, strict=True), day, summary)
            return
        # A block that spans midnight: split it where the last line's day starts.
        last = lines[-2] if len(lines) > 1 and not lines[-1] else lines[-1]
        start = last.find(b"[") + 1
        at = block.find(b"[" + last[start : start + 11] + b":") if start else -1
        cut = block.rfind(b"\n", 0, at) + 1 if at > 0 else 0
        if depth < 4 and 0 < cut < len(block):
            self._combined(block[:cut], summary, depth + 1)
            self._combined(block[cut:], summary, depth + 1)
            return
        summary.lines += count
        self._by_line(lines, summary, more_fields=False)

    def _combined_by_line(self, block: bytes, summary: FileSummary) -> None:
        lines = block.split(b"\n")
        summary.lines += len(lines) - lines.count(b"") - lines.count(b"\r")
        self._by_line(lines, summary, more_fields=True)

    def _by_line(self, lines: list[bytes], summary: FileSummary, *, more_fields: bool) -> None:
        """Each combined log line by the full pattern: odd blocks, or lines with more fields."""
        for line in lines:
            if not line or line == b"\r":
                continue
            fields = _combined_fields(line.rstrip(b"\r"))
            iso = _clf_day(fields[0]) if fields is not None else None
            if fields is None or iso is None or (not more_fields and fields[2].strip()):
                summary.unreadable += 1
                continue
            raw = fields[1]
            address = line[: line.find(b" ")]
            self._count(_unescape(raw) if b"\\" in raw else raw, 1, iso, address)


def _quoted_end(line: bytes, start: int) -> int:
    r"""Where the quoted field whose text starts at ``start`` closes (its quote), or -1.

    A field's text is bytes other than a quote or a backslash, and backslash
    escapes of any one byte (``\"``, ``\\``, ``\x22``), so it closes at the first
    quote after an even run of backslashes. Each byte is looked at a bounded
    number of times: linear at any length.
    """
    at = start
    while True:
        quote = line.find(b'"', at)
        if quote < 0:
            return -1
        # The backslashes just before this quote (a run never reaches back past
        # `at`, which follows the opening quote or a quote that was escaped).
        run = quote - at - len(line[at:quote].rstrip(b"\\"))
        if run % 2 == 0:
            return quote
        at = quote + 1


def _combined_fields(line: bytes) -> tuple[bytes, bytes, bytes] | None:
    """The day (``27/Nov/2026``), the raw User-Agent and what follows it, of a combined line.

    None when the line (without its newline) is not one:
    ``host ident user [time] "request" status size "referer" "user-agent"``,
    then anything (``fields[2]``, empty on a plain combined line).
    """
    head = _HEAD.match(line)
    if head is None:
        return None
    end = _quoted_end(line, head.end())  # the request
    if end < 0:
        return None
    status = _STATUS.match(line, end + 1)
    if status is None:
        return None
    end = _quoted_end(line, status.end())  # the referer
    if end < 0 or not line.startswith(b' "', end + 1):
        return None
    start = end + 3
    end = _quoted_end(line, start)  # the User-Agent
    if end < 0:
        return None
    return head.group(1), line[start:end], line[end + 1 :]


def _tail_user_agent(tail: bytes) -> bytes | None:
    """The User-Agent in what follows a line's last '" "', or None if it is not one."""
    tail = tail.rstrip(b"\r")
    if not tail.endswith(b'"'):
        return None  # a truncated line
    raw = tail[:-1]
    if raw.count(b'"') != raw.count(b'\\"'):
        return None  # more fields after it, or no '" "' at all: not the fast path's shape
    return _unescape(raw) if b"\\" in raw else raw


def _shared_day(block: bytes, lines: list[bytes]) -> bytes | None:
    """The day (``27/Nov/2026``) of every line of the block, if they are plain combined lines.

    That is: each line's first ``[`` opens that day's timestamp, and the block
    holds exactly six double quotes a line (request, referer and User-Agent,
    none escaped with a quote of its own). Then the User-Agent of every line is
    the text after its last ``" "``. Anything else (a block that spans
    midnight, a blank, odd or truncated line, a field after the User-Agent)
    takes the line-by-line path. All of it runs in C, not a loop per line.
    """
    first = lines[0]
    start = first.find(b"[") + 1
    day = first[start : start + 11]
    if not start or _clf_day(day) is None or lines[-1]:
        return None
    lines = lines[:-1]  # the empty text after the block's last newline
    stamp = b"[" + day + b":"
    at_first_bracket = map(bytes.startswith, lines, repeat(stamp), map(bytes.find, lines, _BRACKET))
    if not all(at_first_bracket) or block.count(b'"') != 6 * len(lines):
        return None
    return day


def _blocks(stream: LogInput, summary: FileSummary) -> Iterator[bytes]:
    """The input in blocks of whole lines (the last may lack its newline).

    A "line" of over 1 MiB is counted unreadable and skipped, so a file without
    newlines cannot make the scanner hold it whole.
    """
    rest = b""
    while True:
        data = stream.read(_BLOCK)
        if not data:
            break
        data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) > _MAX_LINE:
            summary.lines += 1
            summary.unreadable += 1
            rest = b""
            for more in iter(lambda: stream.read(_BLOCK), b""):
                cut = more.find(b"\n") + 1
                if cut:
                    rest = more[cut:]
                    break
            continue
        if cut:
            yield data[:cut]
        rest = data[cut:]
    if rest:
        yield rest + b"\n"


def _has_more_fields(head: bytes) -> bool:
    """True when sampled combined lines carry fields after the User-Agent."""
    for line in head.split(b"\n")[:_SAMPLE_LINES]:
        fields = _combined_fields(line.strip())
        if fields is not None and fields[2].strip():
            return True
    return False


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


class LogInput:
    """One log to read: its name, its bytes (decompressed if gzip), how far it is read.

    ``-`` is standard input. Gzip is recognised by its magic number, also on a
    pipe; a file's size is known only for a regular file (nothing is seeked, so
    FIFOs and process substitutions work). :meth:`close` closes what it opened.
    """

    def __init__(self, path: str) -> None:
        self.name = path
        self._raw: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        self._opened = self._raw
        try:
            info = os.fstat(self._raw.fileno())
            self.size: int | None = info.st_size if stat.S_ISREG(info.st_mode) else None
            if self._raw.isatty():
                # Typed by hand: read up to the first end of input (Ctrl+D), line by
                # line, as a terminal gives it (a block read would wait for a second one).
                self._raw = io.BytesIO(b"".join(iter(self._raw.readline, b"")))
            head = self._raw.read(2)  # blocks until 2 bytes or the end, even on a pipe
            rejoined = _Rejoined(head, self._raw)
            self._bytes: gzip.GzipFile | _Rejoined = (
                gzip.GzipFile(fileobj=rejoined, mode="rb") if head == b"\x1f\x8b" else rejoined
            )
        except BaseException:
            self.close()
            raise

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes of the log (decompressed); b"" at the end."""
        return self._bytes.read(size)

    def position(self) -> int | None:
        """How many bytes of the input (compressed, for gzip) have been read, if known."""
        return self._raw.tell() if self.size is not None else None

    def close(self) -> None:
        """Close the gzip reader and the file (never standard input)."""
        reader = getattr(self, "_bytes", None)  # absent when __init__ failed early
        if isinstance(reader, gzip.GzipFile):
            reader.close()
        if self._opened is not sys.stdin.buffer:
            self._opened.close()


class _Rejoined:
    """The bytes already read from a stream, then the rest of it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            if size < 0:
                return head + self._rest.read()
            return head + self._rest.read(max(size - len(head), 0))
        return self._rest.read(size)

    def seek(self, offset: int) -> int:
        """Not seekable: a log is read once, front to back."""
        raise io.UnsupportedOperation("a log is read front to back")
