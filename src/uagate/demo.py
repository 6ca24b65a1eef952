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


async def home(request: Request) -> HTMLResponse:
    """The home page: how to see the gate with curl or a browser."""
    base = str(request.base_url).rstrip("/")
    curl_ie = f"curl -i -A '{IE11}' {base}/"
    curl_chrome = f"curl -i {base}/"
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>uagate demo</title></head>
<body style="font-family: sans-serif; max-width: 48em; margin: 2em auto; line-height: 1.5">
<h1>Your browser got through the gate</h1>
<p>This page is served by a Starlette app behind <code>UAGateMiddleware</code>.
Internet Explorer gets a "We don't support Internet Explorer" page instead, and this app
is never called for it.</p>
<p>See the gate by sending Internet Explorer 11's User-Agent:</p>
<pre>{html.escape(curl_ie, quote=False)}</pre>
<p>and compare with your own client:</p>
<pre>{html.escape(curl_chrome, quote=False)}</pre>
<p>In Chrome or Edge, DevTools &gt; Network conditions &gt; User agent lets you pick
"Internet Explorer 11" and reload.</p>
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
