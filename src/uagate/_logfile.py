"""An access log to read: a file or standard input, gzip or not, in blocks of whole lines.

Four formats, recognised per file from its first lines: the nginx/Apache
combined log format, JSON lines with a ``user_agent`` (or ``http_user_agent``)
field, one User-Agent per line, and rows a database added up
(:mod:`uagate._aggregated`). Gzip files are read transparently. The log
is read in blocks of 1 MiB, so memory never depends on the length of the log,
and a "line" longer than 1 MiB is skipped rather than held whole.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol

from uagate._aggregated import is_aggregate
from uagate._logline import combined_fields, json_record

__all__ = [
    "FORMATS",
    "LogInput",
    "blocks",
    "detect_format",
    "has_more_fields",
    "packed",
    "prepend",
]

#: The formats a log file can be read as.
FORMATS = ("combined", "jsonl", "user-agent", "aggregate")

_BLOCK = 1 << 20
# A line longer than this is not a log line; it is counted unreadable and skipped,
# so that a file without newlines cannot make the scanner hold it whole.
_MAX_LINE = 1 << 20
# The lines a log's format is told by: its first 1,000 that are not blank (of its
# first block), so that a client who writes a few odd lines when a log starts (a
# user name too long to read, bytes that are not UTF-8) cannot change how it is read.
_SAMPLE_LINES = 1_000


class _LineCounts(Protocol):
    """What counts a log's lines (a :class:`uagate.logscan.FileSummary`)."""

    lines: int
    unreadable: int


# Compressed data that LogInput does not open (gzip it opens, once), by its first bytes.
_PACKED = (
    (re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), "bzip2"),  # a block, or no block
    (re.compile(rb"\xfd7zXZ\x00"), "xz"),
    (re.compile(rb"\x5d\x00\x00"), "lzma"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd"),
    (re.compile(rb"\x04\x22\x4d\x18"), "lz4"),
    (re.compile(rb"\x1f\x8b\x08"), "gzip"),
    (re.compile(rb"PK\x03\x04"), "zip"),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "7z"),
)
# Control characters that text (a log, CSV) does not hold: all but tab, LF, VT, FF, CR.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


def _magic(head: bytes) -> tuple[int, str] | None:
    """Where the magic number ``head`` starts with ends, and its compression's name."""
    for magic, name in _PACKED:
        match = magic.match(head)
        if match is not None:
            return match.end(), name
    return None


def packed(head: bytes) -> str | None:
    """The compression of data whose first bytes (gzip already opened) are ``head``, if any.

    Its magic number, then binary bytes: a control character that text does
    not hold, or bytes of which an eighth or more are no UTF-8. bzip2's magic
    number is printable, so that a client's User-Agent (or a stray byte after
    it, in a file of raw User-Agents) cannot pass for it.
    """
    found = _magic(head)
    if found is None:
        return None
    end, name = found
    sample = head[end:4096]  # after the magic number, which may hold controls
    if _CONTROL.search(sample):
        return name
    undecoded = sample.decode("utf-8", "replace").count("\ufffd")
    return name if undecoded * 8 >= len(sample) else None


def _sample(head: bytes) -> list[bytes]:
    """The first lines of ``head`` that are not blank, stripped: those a format is told by."""
    return [line.strip() for line in head.split(b"\n")[:-1] if line.strip()][:_SAMPLE_LINES]


def detect_format(head: bytes) -> str:
    """The format of a log whose first bytes are ``head``: one of :data:`FORMATS`."""
    lines = _sample(head)
    if not lines:
        return "user-agent"
    # First: a header row or a numeric "requests" field is in no log line.
    if is_aggregate(head):
        return "aggregate"
    json_lines = sum(1 for line in lines if json_record(line) is not None)
    if json_lines * 2 > len(lines):
        return "jsonl"
    combined = sum(1 for line in lines if combined_fields(line) is not None)
    if combined * 2 > len(lines):
        return "combined"
    return "user-agent"


def has_more_fields(head: bytes) -> bool:
    """True when sampled combined lines carry fields after the User-Agent.

    The lines sampled are those :func:`detect_format` samples (blank lines skipped).
    """
    for line in _sample(head):
        fields = combined_fields(line)
        if fields is not None and fields[2].strip():
            return True
    return False


def blocks(stream: LogInput, summary: _LineCounts) -> Iterator[bytes]:
    """The input in blocks of whole lines (the last may lack its newline).

    A "line" of over 1 MiB (without its newline) is counted (in ``summary``)
    unreadable and skipped, wherever it starts, so a file without newlines
    cannot make the scanner hold it whole.
    """
    rest = b""  # the start of a line, never a newline: only it can outgrow a read
    skipping = False  # in a line over the limit, until its newline
    while True:
        data = stream.read(_BLOCK)
        if not data:
            break
        if skipping:
            cut = data.find(b"\n") + 1
            if not cut:
                continue
            data, skipping = data[cut:], False
        data = rest + data
        end = data.find(b"\n")  # of the first line
        if end > _MAX_LINE or (end < 0 and len(data) > _MAX_LINE):
            summary.lines += 1
            summary.unreadable += 1
            if end < 0:
                rest, skipping = b"", True
                continue
            data = data[end + 1 :]
        cut = data.rfind(b"\n") + 1
        if cut:
            yield data[:cut]
        rest = data[cut:]
    if rest:
        yield rest + b"\n"


def prepend(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    """``first`` (unless empty), then ``rest``."""
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
        """Not seekable: a log is read once, front to back (gzip's reader type asks for it)."""
        raise io.UnsupportedOperation("a log is read front to back")
