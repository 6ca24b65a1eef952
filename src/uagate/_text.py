"""Text that came from a request or a log, made safe to show: on a terminal, in a report, in CSV.

A User-Agent is whatever a client sent, and a browser family can be text that a
parser rule copied out of it (up to 200 characters, for example the product
name in front of ``CFNetwork``). Such text may hold escape sequences that clear
a terminal or set its title, so everything ``uagate check`` and ``uagate scan``
print or write into a table or report goes through :func:`printable`, and every
text cell of a CSV report through :func:`csv_safe` as well.
"""

from __future__ import annotations

__all__ = ["csv_safe", "printable"]

# C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F), mapped to nothing.
_CONTROL = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])

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
    r"""``text`` without control characters, and writable as UTF-8.

    Removes every C0 control character (U+0000-U+001F: tab, newline and ESC
    included), DEL and every C1 control character (U+007F-U+009F, among them
    the one-character CSI), so that an escape sequence loses what makes it one
    and shows as plain text. A byte that Python read with ``surrogateescape``
    (from a file name or an argument that is not UTF-8) is shown as ``\xHH``;
    any other lone surrogate becomes U+FFFD.

    >>> printable("IE\x1b[2J 11\x9b")
    'IE[2J 11'
    """
    text = text.translate(_CONTROL)
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
