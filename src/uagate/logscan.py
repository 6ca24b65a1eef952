"""Read access logs and count what a policy would do to their traffic.

Four formats, recognised per file from its first lines: the nginx/Apache
combined log format, JSON lines with a ``user_agent`` (or ``http_user_agent``)
field, one User-Agent per line, and rows a database added up (one per
User-Agent, with its requests and visitors: :mod:`uagate._aggregated`), each
counted as that many log lines of its User-Agent. Gzip files are read
transparently. The log is read in blocks of 1 MiB and counted block by block,
in memory bounded whatever the log holds: lines wait to be decided in tables
bounded in entries and bytes, and each distinct User-Agent is decided once
(while at most 50,000 of them, in 24 MiB, are remembered), through the same
decision and the same 512-character cap as the middleware's default.

Visitors are distinct pairs of client address and User-Agent: the first field
of a combined line, a JSON record's ``remote_addr`` (or ``client_ip``, ``ip``,
...) field, none for one User-Agent a line. They are counted exactly up to
:data:`EXACT_VISITORS` distinct pairs, then estimated by a HyperLogLog sketch
(:class:`DistinctCount`, relative standard error :data:`VISITORS_RELATIVE_ERROR`)
of 16 KiB, so memory stays bounded however many visitors a log holds.

Log text is hostile input: every regular expression that reads it runs in
linear time at any length (no unbounded repeat that can backtrack over another),
and quoted fields are read by a linear scan. Days must be real calendar dates
written in ASCII digits, and the per-day table keeps the :data:`MAX_DAYS` latest
days; requests on earlier days are added up apart (:attr:`ScanReport.earlier_days`).

This module counts; :mod:`uagate._logfile` reads the files (:class:`LogInput`,
:func:`detect_format`) and :mod:`uagate._logline` reads their lines.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter, not_
from typing import Any, NamedTuple, cast

from uagate._aggregated import AggregateRows, Row
from uagate._bounded import BoundedTable
from uagate._logfile import (
    FORMATS,
    LogInput,
    blocks,
    detect_format,
    has_more_fields,
    packed,
    prepend,
)
from uagate._logline import (
    clf_day,
    combined_fields,
    json_fields,
    line_day,
    shared_day,
    unescape,
)
from uagate._text import printable
from uagate.decision import Decider, Verdicts
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.policy import Policy

__all__ = [
    "EXACT_VISITORS",
    "FORMATS",
    "MAX_DAYS",
    "MAX_GATED_CLIENTS",
    "OTHER_CLIENTS",
    "VISITORS_RELATIVE_ERROR",
    "DistinctCount",
    "FileSummary",
    "LogInput",
    "LogScanner",
    "ScanReport",
    "detect_format",
    "ranked",
]

# Distinct User-Agents (and tails: User-Agents as a combined line writes them,
# escaped) remembered, by count and by bytes.
_REMEMBERED = 50_000
_REMEMBERED_BYTES = 24 * 1024 * 1024

#: How many gated clients (family and major version) are counted apart; the requests of
#: any later one count under :data:`OTHER_CLIENTS`.
MAX_GATED_CLIENTS = 10_000
OTHER_CLIENTS = "(other clients)"

#: How many days the per-day table keeps: the latest ten years' worth. Requests
#: on earlier days are added up in :attr:`ScanReport.earlier_days`.
MAX_DAYS = 3_660

_HOST = itemgetter(0)
_TAIL_OF_PAIR = itemgetter(1)
_32 = repeat(32)
# How many distinct values wait to be decided, at most, before they are; and the
# bytes of the blocks they came from (which bound theirs: long distinct lines).
_PENDING = 25_000
_PENDING_BYTES = 32 * 1024 * 1024
# What a remembered User-Agent keeps alive besides its text, in bytes: the key's
# object and its slot in the table, a _Seen and its label; and a remembered tail,
# a _Tail and two ints more.
_SEEN_COST = 300
_TAIL_COST = 420


class _Seen(NamedTuple):
    """What one distinct User-Agent counts as."""

    gated: bool
    label: str  # "IE 11", the family and major version (for gated clients)
    reason: str
    bot: bool


# What the requests of people who pass add up as (only ``gated`` and ``bot`` are read).
_PASSING = _Seen(False, "", "supported", False)


class _Tail(NamedTuple):
    """What a tail (a User-Agent as a combined line writes it, escaped) counts as."""

    seen: _Seen
    kind: int  # of visitor
    crc: int  # the CRC-32 of the User-Agent and a newline, which _fingerprint continues
    adler: int  # and the Adler-32


# The kinds of visitor (by what their User-Agent counts as), and which counts each adds to.
_BOT, _PERSON, _GATED_BOT, _GATED_PERSON = range(4)
_CRC = attrgetter("crc")
_ADLER = attrgetter("adler")


def _visitor_kind(seen: _Seen) -> int:
    if seen.bot:
        return _GATED_BOT if seen.gated else _BOT
    return _GATED_PERSON if seen.gated else _PERSON


#: Up to how many distinct visitors (client address and User-Agent pairs) of one
#: kind (bots, people, gated) are counted exactly; past it, they are estimated.
EXACT_VISITORS = 100_000

# HyperLogLog (Apache DataSketches' hll_sketch) of 2**14 one-byte registers: 16 KiB.
_LG_REGISTERS = 14
_REGISTERS = 1 << _LG_REGISTERS
# A fingerprint less 2**63 is a signed 64-bit integer, which the sketch takes as
# one (a larger int it would take as a float, and lose bits of).
_SIGNED = repeat(1 << 63)
# Runs an iterator to its end in C, keeping nothing.
_consume = deque[object](maxlen=0).extend

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
    One more, and it moves them into a HyperLogLog sketch (Apache DataSketches'
    ``hll_sketch``, Flajolet et al., 2007) of 2**14 one-byte registers and drops
    the set: from then on it holds about 16 KiB whatever it is given, and
    :meth:`count` is an estimate with a relative standard error of at most
    :data:`VISITORS_RELATIVE_ERROR`. The switch comes at 100,000 values by
    default, and an estimate is never reported below the ``limit + 1`` values
    the set had already seen. DataSketches adds values about three times as
    fast as a Python loop (``benchmarks/bench_distinct.py``); it is imported
    only when a count first passes its limit.
    """

    __slots__ = ("_distinct", "_set", "_sketch", "limit")

    def __init__(self, limit: int = EXACT_VISITORS) -> None:
        self.limit = limit
        self._set: set[int] | None = set()
        self._sketch: Any = None  # a datasketches.hll_sketch once past the limit
        self._distinct = 0  # values counted elsewhere (add_distinct)

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
            from datasketches import hll_sketch, tgt_hll_type

            self._sketch = hll_sketch(_LG_REGISTERS, tgt_hll_type.HLL_8)
            self._set = None
            fingerprints = values
        _consume(map(self._sketch.update, map(int.__sub__, fingerprints, _SIGNED)))

    def add_distinct(self, n: int) -> None:
        """Count ``n`` values known to be distinct from all others, without their fingerprints.

        For counts made elsewhere, such as a database's ``COUNT(DISTINCT address)``
        of one User-Agent's requests: :meth:`count` adds them as they are, and
        :attr:`exact` stays as it is (an exact sum stays exact).
        """
        if n < 0:
            raise ValueError(f"a count of distinct values is not negative, not {n}")
        self._distinct += n

    def count(self) -> int:
        """How many distinct values were added: exact, or the HyperLogLog estimate."""
        if self._set is not None:
            return len(self._set) + self._distinct
        estimate: float = self._sketch.get_estimate()
        return max(round(estimate), self.limit + 1) + self._distinct


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
    #: Distinct User-Agents: exact up to :data:`EXACT_VISITORS`, then a HyperLogLog
    #: estimate (``distinct_user_agents_exact`` is then False), as visitors are.
    distinct_user_agents: int = 0
    distinct_user_agents_exact: bool = True
    #: Distinct client address and User-Agent pairs, by kind: bots, the rest
    #: ("people"), and those gated (a kind of people unless the policy gates bots).
    bot_visitors: DistinctCount = field(default_factory=DistinctCount)
    people_visitors: DistinctCount = field(default_factory=DistinctCount)
    gated_visitors: DistinctCount = field(default_factory=DistinctCount)
    #: Gated requests from bots: none unless the policy gates bots. The people's
    #: gated requests are the gated ones less these.
    gated_bots: int = 0
    #: Gated visitors that are people, counted apart: the gated visitors less the
    #: gated bots' would carry the error of an estimate of all the bots.
    gated_people_distinct: DistinctCount = field(default_factory=DistinctCount)
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

    # An estimate of distinct visitors can come out above the requests they made
    # (a log of one request a visitor): never reported as more than those requests.

    @property
    def bot_visitor_count(self) -> int:
        """Distinct bot visitors (client address and User-Agent pairs)."""
        return min(self.bot_visitors.count(), self.bots)

    @property
    def people_visitor_count(self) -> int:
        """Distinct visitors that are people (not bots)."""
        return min(self.people_visitors.count(), self.people)

    @property
    def gated_visitor_count(self) -> int:
        """Distinct visitors gated: people's, and bots' when the policy gates bots."""
        return min(self.gated_visitors.count(), self.gated)

    @property
    def visitors(self) -> int:
        """Distinct client address and User-Agent pairs: bots' and people's."""
        return self.bot_visitor_count + self.people_visitor_count

    @property
    def visitors_exact(self) -> bool:
        """True when every visitor count is exact, not estimated."""
        counts = (
            self.bot_visitors,
            self.people_visitors,
            self.gated_visitors,
            self.gated_people_distinct,
        )
        return all(count.exact for count in counts)

    @property
    def gated_people(self) -> int:
        """Gated requests from people (clients that are not bots)."""
        return self.gated - self.gated_bots

    @property
    def gated_people_share(self) -> float:
        """The share of people's requests gated (0 when there are none)."""
        return self.gated_people / self.people if self.people else 0.0

    @property
    def gated_people_visitors(self) -> int:
        """Gated visitors that are people (exact, or an estimate never more than the people)."""
        count = self.gated_people_distinct.count()
        return min(count, self.people_visitor_count, self.gated_people)

    @property
    def gated_people_visitors_share(self) -> float:
        """The share of people's visitors gated (0 when there are none)."""
        people = self.people_visitor_count
        return self.gated_people_visitors / people if people else 0.0

    @property
    def people_visitors_exact(self) -> bool:
        """True when the gated share of people's visitors is exact, not estimated."""
        counts = (self.people_visitors, self.gated_people_distinct)
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
            "gated_visitors": self.gated_visitor_count,
            "bot_visitors": self.bot_visitor_count,
            "people_visitors": self.people_visitor_count,
            "visitors_exact": self.visitors_exact,
            "visitors_relative_error": round(self.visitors_relative_error, 6),
            "requests_without_address": self.requests_without_address,
            "distinct_user_agents": self.distinct_user_agents,
            "distinct_user_agents_exact": self.distinct_user_agents_exact,
            "bots": self.bots,
            "people": self.people,
            "gated_people": self.gated_people,
            "gated_people_share": round(self.gated_people_share, 6),
            "gated_people_visitors": self.gated_people_visitors,
            "gated_people_visitors_share": round(self.gated_people_visitors_share, 6),
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


class LogScanner:
    """Counts, log after log, what ``policy`` would do to the requests they record."""

    def __init__(self, policy: Policy, policy_name: str) -> None:
        self.report = ScanReport(policy_name)
        # The decision and its cache, as in the middleware.
        # Decided as the middleware decides: stripped, then cut to its default cap
        # of 512 characters (raw bytes: 512 bytes), before any detection runs.
        decider = Decider(policy, max_length=DEFAULT_MAX_LENGTH)
        # The scanner remembers what it needs itself (what each User-Agent, and each
        # tail, counts as), in tables bounded in entries and bytes: no second copy.
        self._verdicts = Verdicts(decider, size=0)
        self._seen: BoundedTable[bytes, _Seen] = BoundedTable(_REMEMBERED, _REMEMBERED_BYTES)
        # The days in report.days, oldest first (a heap), to make room for a later one.
        self._kept_days: list[str] = []
        # Distinct User-Agents, by a fingerprint of their raw text: exact up to
        # EXACT_VISITORS, then estimated, so that their number bounds no memory.
        self._distinct = DistinctCount()
        # What each tail (a User-Agent as a combined line writes it) counts as.
        self._tails: BoundedTable[bytes, _Tail] = BoundedTable(_REMEMBERED, _REMEMBERED_BYTES)
        # Lines counted but not yet decided, for one day: the client address and
        # tail of each line (combined logs), or the whole line (one User-Agent a
        # line). Counting them first, at C speed, means each distinct value is
        # decided and added once per day rather than once per line.
        self._pending_pairs: Counter[tuple[bytes, bytes]] = Counter()
        self._pending_lines: Counter[bytes] = Counter()
        self._pending_day: bytes | None = None
        self._pending_bytes = 0  # of the blocks the pending values came from

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
        rest = blocks(log, summary)
        # A byte order mark (Windows editors write one) is no part of the first line.
        first = next(rest, b"").removeprefix(b"\xef\xbb\xbf")
        compression = packed(first)
        if compression is not None:  # else its bytes would count as User-Agents
            raise OSError(
                f"it holds data compressed with {compression} (gzip is opened once): "
                "decompress it first"
            )
        summary.format = detect_format(first)
        self.report.files.append(summary)
        rows = AggregateRows() if summary.format == "aggregate" else None
        if summary.format == "combined" and has_more_fields(first):
            count = self._combined_by_line
        elif rows is not None:
            count = partial(self._aggregated, rows)
        else:
            count = {
                "combined": self._combined,
                "jsonl": self._json_lines,
                "user-agent": self._user_agents,
            }[summary.format]
        done = 0
        for block in prepend(first, rest):
            count(block, summary)
            done += len(block)
            if progress is not None:
                progress(log.position() or done, summary.lines)
        if rows is not None:
            self._rows(rows.end(summary))
        self._flush()
        self.report.unreadable += summary.unreadable
        self.report.distinct_user_agents = self._distinct.count()
        self.report.distinct_user_agents_exact = self._distinct.exact
        return summary

    def _seen_as(self, user_agent: bytes) -> _Seen:
        """What a (raw, unescaped) User-Agent counts as, remembered."""
        seen = self._seen.data.get(user_agent)
        if seen is None:
            seen = self._decide(user_agent)
            self._seen.add(user_agent, seen, len(user_agent) + _SEEN_COST)
        return seen

    def _decide(self, user_agent: bytes) -> _Seen:
        """What a (raw, unescaped) User-Agent counts as, decided now; it counts as distinct."""
        self._distinct.update((zlib.crc32(user_agent) << 32 | zlib.adler32(user_agent),))
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

    def _aggregated(self, rows: AggregateRows, block: bytes, summary: FileSummary) -> None:
        self._rows(rows.read(block, summary))

    def _rows(self, rows: Iterable[Row]) -> None:
        """Add rows a database added up, each as that many log lines of its User-Agent.

        Visitors of rows of different User-Agents are different pairs, so they
        add up; a row without them counts as requests without an address.
        """
        report = self.report
        for user_agent, requests, visitors, day in rows:
            if visitors is None:
                self._count(user_agent, requests, day, None)
                continue
            seen = self._seen_as(user_agent)
            self._add(seen, requests, day)
            (report.bot_visitors if seen.bot else report.people_visitors).add_distinct(visitors)
            if seen.gated:
                report.gated_visitors.add_distinct(visitors)
                if not seen.bot:
                    report.gated_people_distinct.add_distinct(visitors)

    def _visitor(self, address: bytes, user_agent: bytes, seen: _Seen) -> None:
        """Count the visitor ``address`` and ``user_agent`` (raw, unescaped) as ``seen``."""
        report = self.report
        fingerprint = _fingerprint(address, user_agent)
        (report.bot_visitors if seen.bot else report.people_visitors).update((fingerprint,))
        if seen.gated:
            report.gated_visitors.update((fingerprint,))
            if not seen.bot:
                report.gated_people_distinct.update((fingerprint,))

    def _add(self, seen: _Seen, requests: int, day: str | None) -> None:
        report = self.report
        report.requests += requests
        if seen.bot:
            report.bots += requests
        if seen.gated:
            report.gated += requests
            by_client = report.gated_by_client
            label = seen.label
            if label not in by_client and len(by_client) >= MAX_GATED_CLIENTS:
                label = OTHER_CLIENTS  # a label can be text a parser rule copied: bounded
            by_client[label] += requests
            report.gated_by_reason[seen.reason] += requests
            if seen.bot:
                report.gated_bots += requests
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
        self._pending_lines.update(lines)
        self._waiting(len(self._pending_lines), block)

    def _pend(self, pairs: Iterable[tuple[bytes, bytes]], day: bytes, block: bytes) -> None:
        """Count (address, tail) ``pairs`` of ``day`` read from ``block``.

        They are decided at a new day, or when many wait (by count, or by the
        bytes of their blocks).
        """
        if day != self._pending_day:
            self._flush()
            self._pending_day = day
        self._pending_pairs.update(pairs)
        self._waiting(len(self._pending_pairs), block)

    def _waiting(self, count: int, block: bytes) -> None:
        """Decide the pending values once ``count`` of them, or their blocks' bytes, are many."""
        self._pending_bytes += len(block)
        if count > _PENDING or self._pending_bytes > _PENDING_BYTES:
            self._flush()

    def _flush(self) -> None:
        """Decide and add the pending values."""
        self._pending_bytes = 0
        lines, self._pending_lines = self._pending_lines, Counter()
        lines.pop(b"", None)
        for line, requests in lines.items():
            user_agent = line.strip()
            if user_agent:
                self._count(user_agent, requests, None, None)
        pairs, self._pending_pairs = self._pending_pairs, Counter()
        day = self._pending_day
        if pairs and day is not None:
            self._flush_pairs(pairs, clf_day(day))

    def _flush_pairs(self, pairs: Counter[tuple[bytes, bytes]], day: str | None) -> None:
        """Decide and add the (address, tail) pairs of one day, and count their visitors.

        A day can hold as many distinct pairs as lines, so the work per pair
        runs in C (maps over them); Python looks at each distinct tail only.
        """
        tails = list(map(_TAIL_OF_PAIR, pairs))
        # What each tail counts as: looked up in C; Python decides the new ones only
        # (in the order they first appear, so that reports are the same every run).
        keys = list(dict.fromkeys(tails))
        table = self._tails
        found = dict(zip(keys, map(table.data.get, keys), strict=True))
        for tail in [tail for tail, info in found.items() if info is None]:
            found[tail] = info = self._tail_info(tail)
            table.add(tail, info, len(tail) + _TAIL_COST)
        info_of = cast("dict[bytes, _Tail]", found)  # every tail has its info now
        infos = list(info_of.values())
        # The checksums of "User-Agent\n" that the fingerprints of each tail's
        # visitors continue from (see _fingerprint).
        crc_of = dict(zip(keys, map(_CRC, infos), strict=True))
        adler_of = dict(zip(keys, map(_ADLER, infos), strict=True))
        addresses = list(map(_HOST, pairs))
        crcs = map(zlib.crc32, addresses, map(crc_of.__getitem__, tails))
        adlers = map(zlib.adler32, addresses, map(adler_of.__getitem__, tails))
        fingerprints = list(map(int.__or__, map(int.__lshift__, crcs, _32), adlers))
        report = self.report
        # Most tails are people's who pass: their requests add up in one sum and their
        # visitors go to one count, in C. Python sorts out the few others (bots, gated).
        kind_of = {tail: info.kind for tail, info in info_of.items() if info.kind != _PERSON}
        if not kind_of:  # everyone passes and none is a bot
            self._add(_PASSING, sum(pairs.values()), day)
            report.people_visitors.update(fingerprints)
            return
        others = list(map(kind_of.__contains__, tails))
        report.people_visitors.update(compress(fingerprints, map(not_, others)))
        requests_of: dict[bytes, int] = {}
        visitors: dict[int, list[int]] = {kind: [] for kind in range(4)}
        for tail, requests, fingerprint in compress(
            zip(tails, pairs.values(), fingerprints, strict=True), others
        ):
            requests_of[tail] = requests_of.get(tail, 0) + requests
            visitors[kind_of[tail]].append(fingerprint)
        for tail, requests in requests_of.items():
            self._add(info_of[tail].seen, requests, day)
        passing_requests = sum(pairs.values()) - sum(requests_of.values())
        if passing_requests:
            self._add(_PASSING, passing_requests, day)
        bots, gated_bots = visitors[_BOT], visitors[_GATED_BOT]
        gated_people = visitors[_GATED_PERSON]
        report.people_visitors.update(gated_people)
        report.bot_visitors.update(chain(bots, gated_bots))
        report.gated_visitors.update(chain(gated_people, gated_bots))
        report.gated_people_distinct.update(gated_people)

    def _tail_info(self, tail: bytes) -> _Tail:
        """What a User-Agent as a combined line writes it counts as, for requests and visitors."""
        found = unescape(tail) if b"\\" in tail else tail
        seen = self._decide(found)  # the tail is remembered
        head = found + b"\n"
        return _Tail(seen, _visitor_kind(seen), zlib.crc32(head), zlib.adler32(head))

    def _json_lines(self, block: bytes, summary: FileSummary) -> None:
        for line in block.split(b"\n"):
            if not line.strip():
                continue
            summary.lines += 1
            fields = json_fields(line)
            if fields is None:
                summary.unreadable += 1
                continue
            raw, day, address = fields
            self._count(raw, 1, day, address)

    def _combined(self, block: bytes, summary: FileSummary, depth: int = 0) -> None:
        shared = shared_day(block)
        if shared is not None:
            # The fast path, for a block of plain lines all of one day: a few
            # passes over the block (in C) read each line's address and User-Agent.
            day, addresses, tails = shared
            summary.lines += len(addresses)
            self._pend(zip(addresses, tails, strict=True), day, block)
            return
        lines = block.split(b"\n")
        count = len(lines) - lines.count(b"") - lines.count(b"\r")
        # A block that spans midnight: split it where the last line's day starts (a
        # user field that forges that day only moves the cut; each part is read strictly).
        last = lines[-2] if len(lines) > 1 and not lines[-1] else lines[-1]
        last_day = line_day(last)
        at = block.find(b"[" + last_day + b":") if last_day is not None else -1
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
            fields = combined_fields(line.rstrip(b"\r"))
            iso = clf_day(fields[0]) if fields is not None else None
            if fields is None or iso is None or (not more_fields and fields[2].strip()):
                summary.unreadable += 1
                continue
            raw = fields[1]
            address = line[: line.find(b" ")]
            self._count(unescape(raw) if b"\\" in raw else raw, 1, iso, address)
