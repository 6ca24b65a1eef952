"""The demo app: a small Starlette site behind uagate.

Run it with ``uagate demo`` (or ``./scripts/demo`` from a checkout) and open
http://127.0.0.1:8000.
"""

from __future__ import annotations

import html

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from uagate import UAGateMiddleware
from uagate.testing import IE11

__all__ = ["CLIENT_HINTS_NOTE", "app"]

#: Why a Chromium told to send IE's User-Agent still gets through, and how to see the
#: gate from a browser: shown on the home page, and by ./scripts/demo when it starts.
CLIENT_HINTS_NOTE = (
    "Chromium started with --user-agent (or a Playwright or Puppeteer user-agent option) "
    "changes the User-Agent header only: it still sends client hints, Sec-CH-UA naming "
    "Chromium, which uagate trusts over the User-Agent, so that browser is not gated. "
    "Internet Explorer sends no client hints. To see the gate, send IE's User-Agent "
    "without them: curl -A, or Chromium's DevTools > Network conditions > User agent, "
    "Internet Explorer 11, with the user-agent client hints left empty, then reload."
)


def _shown(value: str | None) -> str:
    """A request header as the page shows it: escaped, cut, or "(not sent)"."""
    if value is None:
        return "(not sent)"
    return html.escape(value[:300], quote=False)


async def home(request: Request) -> HTMLResponse:
    """The home page: how to see the gate with curl or a browser, and what this request sent."""
    base = str(request.base_url).rstrip("/")
    curl_ie = f"curl -i -A '{IE11}' {base}/"
    curl_chrome = f"curl -i {base}/"
    verdict = request.state.uagate
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>uagate demo</title></head>
<body style="font-family: sans-serif; max-width: 48em; margin: 2em auto; line-height: 1.5">
<h1>Your browser got through the gate</h1>
<p>This page is served by a Starlette app behind <code>UAGateMiddleware</code>.
Internet Explorer gets a "We don't support Internet Explorer" page instead, and this app
is never called for it.</p>
<p>Your request sent:</p>
<pre id="sent">User-Agent: {_shown(request.headers.get("user-agent"))}
Sec-CH-UA: {_shown(request.headers.get("sec-ch-ua"))}
uagate's verdict: {"gated" if verdict.gated else "passed"} ({verdict.reason.value})</pre>
<p>See the gate by sending Internet Explorer 11's User-Agent:</p>
<pre>{html.escape(curl_ie, quote=False)}</pre>
<p>and compare with your own client:</p>
<pre>{html.escape(curl_chrome, quote=False)}</pre>
<h2>From a browser</h2>
<p id="client-hints">{html.escape(CLIENT_HINTS_NOTE, quote=False)}</p>
</body></html>
"""
    )


async def health(request: Request) -> PlainTextResponse:
    """A health check for the demo server."""
    return PlainTextResponse("ok")


#: The demo site, with UAGateMiddleware in front of it.
app = Starlette(
    routes=[Route("/", home), Route("/health", health)],
    middleware=[Middleware(UAGateMiddleware)],
)
