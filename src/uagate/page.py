"""The gate response: the "We don't support Internet Explorer" page and its headers."""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources

from starlette.responses import Response

__all__ = ["DEFAULT_STATUS_CODE", "HEADING", "MESSAGE", "gate_response", "render_page"]

#: The status of the gate page. 406 Not Acceptable: the server will not serve
#: this client. Old IE shows a body over 512 bytes as it is, for any status.
DEFAULT_STATUS_CODE = 406

#: The page's heading and line, word for word.
HEADING = "We don't support Internet Explorer"
MESSAGE = "Please use Chrome, Safari, Firefox, or Edge to view this site."

_ENGLISH = {
    "lang": "en",
    "dir": "ltr",
    "title": HEADING,
    "heading": HEADING,
    "message": MESSAGE,
    "note": (
        "Internet Explorer no longer receives updates from Microsoft, and this site "
        "relies on features it does not have."
    ),
}

# The gate page must never be cached for another client: no-store keeps shared
# caches from keeping it at all, and Vary says the answer depends on the client.
_HEADERS = {"Cache-Control": "no-store", "Vary": "User-Agent"}


@cache
def _template() -> string.Template:
    text = resources.files("uagate").joinpath("templates/gate.html").read_text("utf-8")
    return string.Template(text)


def render_page(strings: Mapping[str, str] = _ENGLISH) -> str:
    """Return the gate page as HTML, with ``strings`` HTML-escaped into the template.

    ``'`` is left as it is (the template quotes every attribute with ``"``), so
    the page's wording reads the same in its source as on screen.
    """
    values = {
        key: html.escape(value, quote=False).replace('"', "&quot;")
        for key, value in strings.items()
    }
    return _template().substitute(values)


@cache
def _page_bytes() -> bytes:
    return render_page().encode("utf-8")


def gate_response(method: str, status_code: int) -> Response:
    """Build the response for a gated request; ``HEAD`` gets the headers and no body."""
    body = _page_bytes()
    if method == "HEAD":
        headers = {**_HEADERS, "Content-Length": str(len(body))}
        return Response(b"", status_code, headers, media_type="text/html")
    return Response(body, status_code, _HEADERS, media_type="text/html")
