"""Pre-aggregated input: rows of User-Agent, requests and visitors that a database added up.

A warehouse (DuckDB, BigQuery, ClickHouse) can ``GROUP BY`` the User-Agent
over any volume of logs; ``uagate scan`` then decides each distinct
User-Agent once. Three shapes, recognised from the first line that is not
blank (and, for a header, the records after it):

- CSV or TSV whose first row names the columns: ``user_agent`` and
  ``requests``, optionally ``visitors`` and ``day``, in any order, each once.
  Other columns are ignored, named as databases and DataFrames name them
  (empty for an unnamed index, ``count(DISTINCT address)``,
  ``(avg(status) / 100)``). Quoting is the CSV kind (``""`` in a quoted
  field), so a User-Agent may hold commas, tabs, quotes and newlines.
- JSON lines whose records have a ``user_agent`` field and a ``requests``
  field that is a number or a string of digits (BigQuery and ClickHouse
  write 64-bit integers as strings).

``requests`` is an integer from 0 to 2**63 - 1 in ASCII digits; ``visitors``,
when given, is one too, at most ``requests`` (empty or null: not known);
``day`` is ``YYYY-MM-DD`` (empty or null: none). Any other row is
unreadable, as a bad log line is. Memory stays bounded: rows are read block
by block, and a record still open after 1 MiB is parsed as it stands.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple, Protocol

from uagate._logline import ADDRESS_FIELDS, TIME_FIELDS

__all__ = ["FORMAT", "AggregateRows", "Row", "is_aggregate"]

#: The name of the format, among :data:`uagate._logfile.FORMATS`.
FORMAT = "aggregate"

# Rows are told by the first 1,000 lines (or records after a header) of the first
# block, as a log's format is: a client who writes a few lines cannot make them.
_SAMPLE_LINES = 1_000
_BOM = "\ufeff"
# A record open (an odd number of quotes) for longer than this is parsed as it
# stands, so that one stray quote cannot make the reader hold the rest of the file.
_MAX_RECORD = 1 << 20
# The largest count a row may give: a warehouse's signed 64-bit integer.
_MAX_COUNT = (1 << 63) - 1
_COUNT = re.compile(r"[0-9]{1,19}")  # ASCII digits only (int() takes other scripts')
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Fields of a JSON log line that no row a database added up has.
_LOG_FIELDS = frozenset(TIME_FIELDS + ADDRESS_FIELDS) - {"date"}
# The columns a header row may name (the first two it must).
_COLUMNS = ("user_agent", "requests", "visitors", "day")
# The name of a column left unread: what databases and DataFrames write (empty for an
# unnamed index, "Unnamed: 0", "count(DISTINCT address)", "(avg(status) / 100)"), never
# a combined or JSON log line's first field (which holds "[" and a quote, or a brace).
_OTHER_NAME = re.compile(r'[^"\[\]{}\x00-\x1f\x7f]{0,256}')


class _LineCounts(Protocol):
    """What counts an input's rows (a :class:`uagate.logscan.FileSummary`)."""

    lines: int
    unreadable: int


class Row(NamedTuple):
    """One row: a User-Agent (raw bytes, as a log holds it) and its counts."""

    user_agent: bytes
    requests: int
    visitors: int | None  # None: not known
    day: str | None


class _TooLong:
    """A JSON integer of more digits than a count has (never turned into an int)."""


def _json_int(text: str) -> int | _TooLong:
    # json's own int() of a long run of digits takes time quadratic in its length.
    return int(text) if len(text) <= 19 else _TooLong()


def _json(line: bytes) -> object:
    """The JSON value of a line, or None when it is not one."""
    try:
        return json.loads(line, parse_int=_json_int)
    except (ValueError, RecursionError):  # RecursionError: nested too deep
        return None


def _first_line(head: bytes) -> bytes:
    """The first line of ``head`` that is not blank, without a byte order mark.

    Only its line end is taken off: a TSV header may start with a tab (pandas
    writes one for an unnamed index).
    """
    for line in head.split(b"\n"):
        if line.strip():
            return line.rstrip(b"\r").lstrip(b" ").removeprefix(b"\xef\xbb\xbf")
    return b""


def _rows_follow(head: bytes, delimiter: str, columns: dict[str, int]) -> bool:
    """False when fewer than half the records after a header line are rows of its columns.

    A file of one User-Agent a line can name the columns on its first line (a
    client's User-Agent can be ``x,user_agent,requests``); the lines after it
    are then no rows: too few or too many cells, no count of requests. When a
    quote left open runs past the head, each line after the header is read alone.
    """
    text = head.decode("utf-8", "replace")
    records = [
        cells for cells in _records(text, delimiter) if cells is None or "".join(cells).strip()
    ]
    header = records[0] if records else None
    if head.count(b'"') % 2:  # a quote left open: the last record runs on past the head
        records = records[:-1]
    if len(records) < 2:
        lines = [line for line in text.split("\n") if line.strip()][1 : _SAMPLE_LINES + 1]
        records = [header, *((_records(line, delimiter) or [None])[0] for line in lines)]
    sampled = records[1 : _SAMPLE_LINES + 1]
    if not sampled:  # a header alone
        return True
    width, at = len(header or ()), columns["requests"]
    rows = sum(
        1
        for cells in sampled
        if cells is not None and len(cells) == width and _COUNT.fullmatch(cells[at])
    )
    return rows * 2 >= len(sampled)


def _header(line: str) -> dict[str, int] | None:
    """The column of each name in a CSV or TSV header line, if it is one (else None)."""
    try:
        cells = next(csv.reader([line], delimiter="\t" if "\t" in line else ","))
    except (csv.Error, StopIteration):
        return None
    return _named_columns(cells)


def _named_columns(cells: list[str]) -> dict[str, int] | None:
    """The column of each of :data:`_COLUMNS` in a header row, if it names the first two.

    Each of them named once; other cells name columns left unread (:data:`_OTHER_NAME`).
    """
    names = [cell.strip().lower() for cell in cells]
    if not all(_OTHER_NAME.fullmatch(name) for name in names):
        return None
    if any(names.count(name) > 1 for name in _COLUMNS):
        return None
    if "user_agent" not in names or "requests" not in names:
        return None
    return {name: names.index(name) for name in _COLUMNS if name in names}


def _aggregate_record(value: object) -> bool:
    """True for a JSON record with a User-Agent and a count of requests.

    Not when it has a log line's time or client address field: a JSON log may
    carry a "requests" field too (nginx's ``$connection_requests``).
    """
    if not isinstance(value, dict) or "user_agent" not in value:
        return False
    if any(name in value for name in _LOG_FIELDS):
        return False
    requests = value.get("requests")
    if isinstance(requests, str):
        return _COUNT.fullmatch(requests) is not None
    return isinstance(requests, (int, float, _TooLong)) and not isinstance(requests, bool)


def _shape(head: bytes) -> str | None:
    """The shape of rows whose first bytes are ``head`` (csv, tsv, jsonl); None for a log."""
    first = _first_line(head)
    columns = _header(first.decode("utf-8", "replace"))
    if columns is not None:
        kind, delimiter = ("tsv", "\t") if b"\t" in first else ("csv", ",")
        return kind if _rows_follow(head, delimiter, columns) else None
    lines = [line.strip() for line in head.split(b"\n")[:-1] if line.strip()][:_SAMPLE_LINES]
    records = sum(
        1 for line in lines if _aggregate_record(_json(line.removeprefix(b"\xef\xbb\xbf")))
    )
    return "jsonl" if records and records * 2 >= len(lines) else None


def is_aggregate(head: bytes) -> bool:
    """True when an input whose first bytes are ``head`` holds pre-aggregated rows.

    That is: its first line that is not blank is a CSV or TSV header naming
    ``user_agent`` and ``requests``, and at least half the records sampled
    after it are rows of its columns; or at least half the sampled lines are
    JSON records with a ``user_agent`` and a numeric ``requests`` field. No
    combined or JSON log line has either shape, and a file of one User-Agent a
    line whose first names the columns has no rows after it.
    """
    return _shape(head) is not None


def _count(value: object) -> int | None:
    """A count (an int, or a string of ASCII digits) from 0 to 2**63 - 1, else None."""
    if isinstance(value, str):
        if _COUNT.fullmatch(value) is None:
            return None
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_COUNT:
        return None
    return value


def _day(value: str) -> str | None:
    """``YYYY-MM-DD`` if it is a real calendar date in ASCII digits, else None."""
    found = _DAY.fullmatch(value)
    if found is None:
        return None
    try:
        return date(*map(int, found.groups())).isoformat()
    except ValueError:  # 2026-02-30
        return None


def _row(raw: bytes, requests: object, visitors: object, day: object) -> Row | None:
    """A row of User-Agent ``raw``; None when it is unreadable.

    The other cells are CSV text or JSON values ("" or None where absent).
    """
    count = _count(requests)
    if count is None:
        return None
    seen: int | None = None
    if visitors is not None and visitors != "":
        seen = _count(visitors)
        if seen is None or seen > count:
            return None
    on: str | None = None
    if day is not None and day != "":
        on = _day(day) if isinstance(day, str) else None
        if on is None:
            return None
    return Row(raw, count, seen, on)


_FIELD_LIMIT = threading.Lock()


def _records(text: str, delimiter: str) -> list[list[str] | None]:
    """The records of CSV ``text``, each its cells; None for one csv cannot read.

    A field may be as long as the text (which is bounded): past csv's limit on a
    field (128 KiB by default) the reader would go on inside the field and read
    rows from it. The limit is the process's, so it is raised only while the
    text is read, and put back.
    """
    records: list[list[str] | None] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with _FIELD_LIMIT:  # two scans in two threads: neither puts back the other's limit
        limit = csv.field_size_limit()
        csv.field_size_limit(max(limit, len(text) + 1))
        try:
            while True:
                try:
                    records.append(next(reader))
                except StopIteration:
                    return records
                except csv.Error:
                    records.append(None)
        finally:
            csv.field_size_limit(limit)


class AggregateRows:
    """Reads pre-aggregated rows block by block (blocks of whole lines, as a log's).

    A CSV record may span lines (a quoted newline) and so blocks: the lines
    of a record still open (an odd number of quotes) wait for the next block.
    """

    def __init__(self) -> None:
        self._kind: str | None = None  # "csv", "tsv" or "jsonl", from the first line
        self._columns: dict[str, int] | None = None
        self._width = 0  # the cells of the header row: a row of any other number is unreadable
        self._carry = b""  # the start of a record still open
        self._odd = False  # whether the carry holds an odd number of quotes

    def read(self, block: bytes, summary: _LineCounts) -> Iterator[Row]:
        """The rows of ``block`` that are complete; counts every row in ``summary``."""
        if self._kind is None:
            # As the input was recognised (the first block); a header row otherwise
            # missing makes every row unreadable.
            self._kind = _shape(block) or "csv"
        if self._kind == "jsonl":
            yield from self._json_rows(block, summary)
            return
        odd = self._odd ^ (block.count(b'"') % 2 == 1)
        cut = len(block)
        # Blocks end at a newline: while the quotes up to one are odd, a
        # record is open there, so step back a line (linear in the block).
        while odd and cut > 0:
            start = block.rfind(b"\n", 0, cut - 1) + 1
            odd ^= block.count(b'"', start, cut) % 2 == 1
            cut = start
        text = self._carry + block[:cut]
        self._carry = block[cut:]
        self._odd = bool(self._carry) and self._carry.count(b'"') % 2 == 1
        if len(self._carry) > _MAX_RECORD:  # one quote left open: read it as it stands
            text, self._carry, self._odd = text + self._carry, b"", False
        yield from self._csv_rows(text, summary)

    def end(self, summary: _LineCounts) -> Iterator[Row]:
        """The rows of a last record left open at the end of the input."""
        text, self._carry, self._odd = self._carry, b"", False
        if text and self._kind in ("csv", "tsv"):
            yield from self._csv_rows(text, summary)

    def _csv_rows(self, data: bytes, summary: _LineCounts) -> Iterator[Row]:
        text = data.decode("utf-8", "surrogateescape")
        if self._columns is None:
            text = text.removeprefix(_BOM)
        for cells in _records(text, "\t" if self._kind == "tsv" else ","):
            if cells is None:  # a NUL (Python 3.10), ...
                summary.lines += 1
                summary.unreadable += 1
                continue
            if not cells or (self._columns is None and not "".join(cells).strip()):
                continue  # a blank line (before the header: a line of whitespace too)
            if self._columns is None:
                # A byte order mark may open the header after blank lines, too.
                cells[0] = cells[0].lstrip(" ").removeprefix(_BOM)
                self._columns = _named_columns(cells) or {}  # no header: every row is unreadable
                self._width = len(cells)
                continue
            summary.lines += 1
            row = self._csv_row(cells)
            if row is None:
                summary.unreadable += 1
            elif row.requests:  # a row of no requests adds nothing
                yield row

    def _csv_row(self, cells: list[str]) -> Row | None:
        columns = self._columns
        if not columns or len(cells) != self._width:
            return None
        visitors = columns.get("visitors")
        day = columns.get("day")
        return _row(
            # surrogateescape: the bytes of a file that are not UTF-8 come back as they were.
            cells[columns["user_agent"]].encode("utf-8", "surrogateescape"),
            cells[columns["requests"]],
            None if visitors is None else cells[visitors],
            None if day is None else cells[day],
        )

    def _json_rows(self, block: bytes, summary: _LineCounts) -> Iterator[Row]:
        for line in block.split(b"\n"):
            line = line.strip().removeprefix(b"\xef\xbb\xbf")
            if not line:
                continue
            summary.lines += 1
            row = _json_row(_json(line))
            if row is None:
                summary.unreadable += 1
            elif row.requests:  # a row of no requests adds nothing
                yield row


def _json_row(record: object) -> Row | None:
    """A row from a JSON record; None when it is unreadable."""
    if not isinstance(record, dict) or "user_agent" not in record:
        return None
    value = record["user_agent"]
    if value is not None and not isinstance(value, str):
        return None
    # As in a JSON log: null is an empty User-Agent, and a lone surrogate is U+FFFD.
    raw = b"" if value is None else value.encode("utf-8", "replace")
    return _row(raw, record.get("requests"), record.get("visitors"), record.get("day"))
