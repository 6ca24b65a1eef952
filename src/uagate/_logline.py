"""What one access log line says: its User-Agent, day and client address.

Two formats: the nginx/Apache combined log format and JSON lines with a
``user_agent`` (or ``http_user_agent``) field. Log text is hostile input: every
regular expression here runs in linear time at any length (no unbounded repeat
that can backtrack over another), and quoted fields are read by a linear scan.
Days must be real calendar dates written in ASCII digits.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from functools import lru_cache

__all__ = [
    "ADDRESS_FIELDS",
    "TIME_FIELDS",
    "clf_day",
    "combined_fields",
    "json_fields",
    "json_record",
    "line_day",
    "shared_day",
    "unescape",
]

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
# fields. The time is fixed width, [dd/Mon/yyyy:hh:mm:ss +hhmm], in ASCII digits, with
# an hour below 24, minutes below 60 and seconds below 61 (a leap second), and it sits
# just before the request's opening quote. The user ($remote_user, which a client sets
# through Basic auth) may hold spaces and "[" but never a quote (nginx writes one as
# \x22, Apache as \"), so that quote is the first after the ident: whatever the user
# holds, the time read is the 28 bytes before it, never a "[" the client wrote.
# Linear time: each repeat is of a class that cannot pass what follows it (a space, a
# quote) or is bounded; the lazy user repeat tries at most 256 lengths, each against
# a fixed-width time of 30 bytes, so a match attempt takes a bounded number of steps
# and a search over a block takes steps proportional to its length.
_CLOCK = rb":(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60) [+-][0-9]{4}\]"
_HEAD_BEFORE_DAY = rb'(\S{1,255}) \S{1,255} [^"\n]{0,255}? \['
_HEAD = re.compile(_HEAD_BEFORE_DAY + rb"([0-9]{2}/[A-Z][a-z]{2}/[0-9]{4})" + _CLOCK + rb' "')
_STATUS = re.compile(rb' [0-9]{3} \S+ "')
# A backslash and the byte it escapes; "\\x" then two hex digits is one byte. A "\\x"
# without them is text, as written (no log writes it: nginx and Apache escape a backslash).
_ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|[^x])")
_UA_FIELDS = ("user_agent", "http_user_agent")
# The fields of a JSON log record that may hold the client's address, first found first.
ADDRESS_FIELDS = (
    "remote_addr",
    "client_ip",
    "ip",
    "remote_ip",
    "client_addr",
    "clientip",
    "client",
)
# The fields of a JSON log record that may hold its time, first found first.
TIME_FIELDS = ("time", "timestamp", "@timestamp", "time_iso8601", "time_local", "date", "ts")


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


def combined_fields(line: bytes) -> tuple[bytes, bytes, bytes] | None:
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
    return head.group(2), line[start:end], line[end + 1 :]


def shared_day(block: bytes) -> tuple[bytes, list[bytes], list[bytes]] | None:
    """The day (``27/Nov/2026``) of every line of the block, their addresses and User-Agents.

    The User-Agents are as the lines write them (escaped). Only if every line
    is a plain combined line of that one day, read (by a few passes over the
    block, in C) as :func:`combined_fields` would read it, whatever the lines
    around it. Anything else (a block that spans midnight, a blank, odd or
    truncated line, a field after the User-Agent, a quote after a backslash)
    is None: the line-by-line path.
    """
    head = _HEAD.match(block)
    if head is None or not block.endswith(b"\n") or clf_day(head.group(2)) is None:
        return None
    count = block.count(b"\n")
    if _backslash_quote(block):  # a quote that may be escaped: each field must end at its first
        return None
    # Cut at its quotes, a block of plain lines is six pieces a line: the head (after
    # the previous line's end), the request, the status and size, the referer, a
    # space, the User-Agent; then what follows the last line.
    pieces = block.split(b'"')
    if len(pieces) != 6 * count + 1 or pieces[4::6].count(b" ") != count:
        return None
    if len(_STATUS_PIECE.findall(b'"' + b'"'.join(pieces[2::6]) + b'"')) != count:
        return None
    # The heads, each after the newline that ends the line before (and only whitespace
    # before that): a line's newlines are all there, so no other piece holds one.
    day = head.group(2)
    addresses = _plain_heads(day).findall(b"\n" + b'"'.join(pieces[::6]))
    return (day, addresses, pieces[5::6]) if len(addresses) == count else None


def _backslash_quote(block: bytes) -> bool:
    r"""True when a backslash comes just before a quote in ``block``.

    A block holds few backslashes (one a byte nginx escapes as ``\xHH``): each
    is looked at after a byte search. A block of many is searched for the pair.
    """
    at = block.find(b"\\")
    for _ in range(16):
        if at < 0:
            return False
        if block[at + 1 : at + 2] == b'"':
            return True
        at = block.find(b"\\", at + 1)
    return at >= 0 and b'\\"' in block[at:]


# The status and size of a plain line, as _STATUS reads them, between two quotes.
_STATUS_PIECE = re.compile(rb'" [0-9]{3} [^\s"]+ (?=")')


@lru_cache(maxsize=16)
def _plain_heads(day: bytes) -> re.Pattern[bytes]:
    """A plain line's head of ``day``, in the heads of a block joined at quotes.

    That is: a newline (the first line's is prepended), :data:`_HEAD` with the
    literal day up to the request's opening quote (where the heads are joined),
    then what the same line ends with after its User-Agent's closing quote:
    only the whitespace that ``bytes.strip`` drops, as ``combined_fields``
    leaves nothing else there. Its group is the client address. Linear time,
    as :data:`_HEAD` is: each repeat is of a class that cannot pass what
    follows it, or bounded.
    """
    return re.compile(
        b"\n" + _HEAD_BEFORE_DAY + re.escape(day) + _CLOCK + rb' "[ \t\r\x0b\x0c]*(?=\n)'
    )


def line_day(line: bytes) -> bytes | None:
    """The day (``27/Nov/2026``) a combined line's time gives, as written; None if none."""
    head = _HEAD.match(line)
    return None if head is None else head.group(2)


def json_record(line: bytes) -> dict[str, object] | None:
    """The parsed record of a JSON line with a User-Agent field, else None."""
    line = line.strip().removeprefix(b"\xef\xbb\xbf")  # a byte order mark may start a file
    if not line.startswith(b"{"):
        return None
    try:
        # Bytes that are not UTF-8 (nginx's escape=json copies them as they came) are
        # U+FFFD, so that a client's stray byte cannot make its line no JSON line.
        record = json.loads(line.decode("utf-8", "replace"), parse_int=_int_or_float)
    except (ValueError, RecursionError):  # RecursionError: arrays or objects nested too deep
        return None
    if not isinstance(record, dict) or not any(name in record for name in _UA_FIELDS):
        return None
    return record


def _int_or_float(text: str) -> int | float:
    # A number of more digits than any time has, as a float (int() of thousands of
    # digits is refused, and slow): the record still counts, its time is no time.
    return int(text) if len(text) <= 20 else float(text)


def json_fields(line: bytes) -> tuple[bytes, str | None, bytes | None] | None:
    """The raw User-Agent, the day and the client address of a JSON log line.

    None when the line is not a record with a User-Agent field, or that field
    is neither text nor null (null reads as an empty User-Agent).
    """
    record = json_record(line)
    if record is None:
        return None
    value = next((record[name] for name in _UA_FIELDS if name in record), None)
    if value is not None and not isinstance(value, str):
        return None
    raw = b"" if value is None else value.encode("utf-8", "replace")
    return raw, _record_day(record), _record_address(record)


def _iso_day(year: int, month: int, day: int) -> str | None:
    """The day as ``YYYY-MM-DD`` if it is a real calendar date (years 1 to 9999), else None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 0000-00-00, 2026-02-30, ...
        return None


def clf_day(value: bytes) -> str | None:
    """``27/Nov/2026`` as ``2026-11-27``; None when it is not a real date in ASCII digits."""
    found = _CLF_DAY.match(value)
    if found is None:
        return None
    day, month, year = found.groups()
    number = _MONTHS.get(month)
    return None if number is None else _iso_day(int(year), number, int(day))


def _record_day(record: dict[str, object]) -> str | None:
    """The day of a JSON log record, from the first of its time fields that is a time."""
    for name in TIME_FIELDS:
        day = _day_of(record.get(name))
        if day is not None:
            return day
    return None


def _record_address(record: dict[str, object]) -> bytes | None:
    """The client address of a JSON log record: its first address field that is text."""
    for name in ADDRESS_FIELDS:
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
        return clf_day(value[:12].encode("latin-1", "replace"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds
            # isoformat, not strftime: the year 999 is "0999", and sorts before 2026.
            return datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def unescape(raw: bytes) -> bytes:
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
