"""Text that came from a request or a log, made safe to show: on a terminal, in a log, in CSV.

A User-Agent is whatever a client sent, and a browser family can be text that a
parser rule copied out of it (up to 200 characters, for example the product
name in front of ``CFNetwork``); a file name or an exception's message can be
anything too. Such text may hold escape sequences that clear a terminal or set
its title, line breaks that forge a log line, and Unicode format characters
that reorder a line as it is shown (a right-to-left override, U+202E) or hide
text (zero-width characters). :data:`CONTROL` is the one rule for all of them:
everything ``uagate check`` and ``uagate scan`` print or write into a table or
report goes through :func:`printable`, every text cell of a CSV report through
:func:`csv_safe` as well, and log records (:mod:`uagate._log`) escape or drop
what :data:`CONTROL` matches.
"""

from __future__ import annotations

import json
import re

__all__ = ["CONTROL", "csv_safe", "json_line", "printable"]

# What text from a request or a log may not carry, as it is, to a terminal, a log
# line or a report, as ranges of code points:
# - C0 (U+0000-U+001F: tab, newline and ESC included), DEL and C1 (U+007F-U+009F,
#   among them the one-character CSI);
# - the line and paragraph separators (U+2028, U+2029), which log viewers may
#   take for the end of a line;
# - every format character (general category Cf, Unicode 15): the soft hyphen,
#   Arabic and Syriac marks, the zero-width space, joiners and marks (U+200B-U+200F),
#   the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
#   U+2066-U+2069), the byte order mark (U+FEFF), interlinear annotations,
#   Egyptian, shorthand and musical format controls, and the tag characters.
#   tests/test_control_characters.py checks that every Cf character of the running
#   Python's Unicode database is here.
_RANGES = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)

#: One character that text from a request or a log may not show as it is (see
#: above). A single character class: linear at any length.
CONTROL = re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _RANGES) + "]")

# A lone surrogate cannot be written as UTF-8. Python reads a byte that is not
# UTF-8 in a file name or an argument as U+DC80-U+DCFF ("surrogateescape"):
# show that byte as \xHH; any other lone surrogate as U+FFFD.
_SURROGATES = {
    code: f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"
    for code in range(0xD800, 0xE000)
}

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
_FORMULA_STARTS = frozenset("=+-@\t\r")


def printable(text: str) -> str:
    r"""``text`` without what :data:`CONTROL` matches, and writable as UTF-8.

    Removes every C0 control character (U+0000-U+001F: tab, newline and ESC
    included), DEL and every C1 control character (U+007F-U+009F, among them
    the one-character CSI), so that an escape sequence loses what makes it one
    and shows as plain text; and the line separators and format characters
    (bidirectional overrides such as U+202E, zero-width characters, ...), so
    that nothing reorders or hides what is shown. A byte that Python read with
    ``surrogateescape`` (from a file name or an argument that is not UTF-8) is
    shown as ``\xHH``; any other lone surrogate becomes U+FFFD.

    >>> printable("IE\x1b[2J 11\x9b")
    'IE[2J 11'
    >>> printable("IE 11\u202e")
    'IE 11'
    """
    if text.isprintable():  # no control, format, separator or surrogate: the usual case
        return text
    text = CONTROL.sub("", text)
    if not text.isascii():
        text = text.translate(_SURROGATES)
    return text


def csv_safe(text: str) -> str:
    r"""``text`` as a CSV cell that no spreadsheet runs as a formula.

    OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a single quote in front, so
    that it is read as text. Apply it after :func:`printable` (which removes
    tabs and carriage returns, and may so bare a ``=``).

    >>> csv_safe("=1+2")
    "'=1+2"
    >>> csv_safe("IE 11")
    'IE 11'
    """
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def json_line(value: object) -> str:
    r"""``value`` as one line of JSON in which :data:`CONTROL` matches nothing, losing nothing.

    ``json.dumps`` escapes C0 controls only; DEL, C1, the line separators and
    format characters become ``\uHHHH`` escapes too (a surrogate pair above
    U+FFFF), so a terminal shows the line as written and a JSON reader gets
    the text back whole.
    """
    return CONTROL.sub(_json_escape, json.dumps(value, ensure_ascii=False))


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
