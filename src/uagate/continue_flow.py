"""The "Continue anyway" escape hatch: a link, a cookie, and a safe redirect back."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, quote_from_bytes, unquote, urlsplit

from starlette.responses import RedirectResponse

from uagate._shared import Answer

__all__ = ["COOKIE_NAME", "ContinueFlow", "safe_next"]

#: The cookie that lets a client through once it chose to continue.
COOKIE_NAME = "uagate_continue"

_COOKIE_PAIR = COOKIE_NAME + "=1"


def _encoded(text: str, safe: str) -> str:
    """``text`` percent-encoded as UTF-8 (lone surrogates too); ``safe`` stays as it is."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe=safe)


def safe_next(value: str | None) -> str:
    """The redirect target for ``next``: a same-origin path, or ``/`` for anything else.

    Only a path that starts with one ``/`` is kept. Protocol-relative URLs
    (``//host``), absolute URLs, backslashes (which browsers read as ``/``),
    control characters (browsers drop tabs and newlines, and CR/LF could split
    a header) are refused, also when percent-encoded once or several times.
    """
    if not value or len(value) > 8192:
        return "/"
    decoded = value
    for _ in range(4):  # undo nested percent-encoding, e.g. %252F
        unquoted = unquote(decoded)
        if unquoted == decoded:
            break
        decoded = unquoted
    for candidate in (value, decoded):
        if not candidate.startswith("/") or candidate.startswith("//"):
            return "/"
        if "\\" in candidate or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
            return "/"
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return "/"
    return value


class ContinueFlow:
    """Serves the continue link: sets the cookie and sends the client back with a 303."""

    __slots__ = ("max_age", "path")

    def __init__(self, path: str, max_age: int) -> None:
        self.path = path
        self.max_age = max_age

    def matches(self, method: str, path: str) -> bool:
        """True for a GET or HEAD to the continue path (``path`` below the app's root path)."""
        return method in ("GET", "HEAD") and path == self.path

    def link(self, root_path: str, full_path: str, query: bytes) -> str:
        """The continue URL for the page the client asked for (under the app's root path).

        Only ever a same-origin path: the root path is percent-encoded and
        starts with exactly one ``/``, so no backslash, ``//`` or scheme from
        it reaches an ``href``, whatever a mount or proxy put there; the page
        asked for (``full_path``, root path included as in an ASGI path, and
        the raw ``query``) goes in ``next``, encoded whole. Built from the raw
        request, not a framework's URL (which may decode the query as strict
        UTF-8): any bytes, even a lone surrogate in the path, round-trip.
        """
        # As starlette's URL writes a path: '?', '#' and '\' stay part of it; one
        # leading '/' (under a root path of "/", a server may give "//page").
        target = "/" + _encoded(full_path.lstrip("/"), "/")
        if query:
            # Percent-encoded as raw bytes first: IE sends a typed query in its code page
            # (not UTF-8), and it must come back byte for byte after the redirect.
            target += "?" + quote_from_bytes(query, safe="!$&'()*+,;=:@/?%~")
        root = root_path.strip("/")
        root = "/" + _encoded(root, "/") if root else ""
        return f"{root}{self.path}?next={quote(target, safe='')}"

    @staticmethod
    def has_cookie(cookie_header: str | None) -> bool:
        """True when the request carries the continue cookie (``uagate_continue=1`` as a pair).

        Each occurrence of the pair's text is checked for a pair boundary on both
        sides, in one forward pass: a 1 MB header costs what finding a substring
        does, however many empty pairs it holds.
        """
        if cookie_header is None:
            return False
        end_of_header = len(cookie_header)
        start = cookie_header.find(_COOKIE_PAIR)
        while start >= 0:
            end = start + len(_COOKIE_PAIR)
            before = start - 1
            while before >= 0 and cookie_header[before] in " \t":
                before -= 1
            after = end
            while after < end_of_header and cookie_header[after] in " \t":
                after += 1
            if (before < 0 or cookie_header[before] == ";") and (
                after == end_of_header or cookie_header[after] == ";"
            ):
                return True
            start = cookie_header.find(_COOKIE_PAIR, end)
        return False

    def redirect(self, query: bytes, *, secure: bool) -> Answer:
        """Set the cookie and redirect (303) to the ``next`` path of ``query``, or to ``/``.

        ``query`` is read as Starlette reads a query string (latin-1, then
        percent-decoded as UTF-8); of several ``next`` values the last counts.
        """
        found = [
            value
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            if name == "next"
        ]
        response = RedirectResponse(safe_next(found[-1] if found else None), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(
            COOKIE_NAME,
            "1",
            max_age=self.max_age,
            path="/",
            secure=secure,
            httponly=True,
            samesite="lax",
        )
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
        return Answer(response.status_code, headers, bytes(response.body))
