"""The app the real-server tests serve (``tests.server_app:app``): uagate in front of Starlette.

Routes: ``/`` says hello; ``/echo`` answers with the request's ``X-Request-Id``
and User-Agent (to catch answers crossing between requests); ``/stream`` sends
one chunk, then waits (at most 10 s) until ``/release`` is requested before the
second, so a test can see the first chunk arrive while the response is still
open; ``/boom`` raises after the gate has passed the request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from uagate import UAGateMiddleware

_released: list[asyncio.Event] = []


async def home(request: Request) -> PlainTextResponse:
    """Say hello."""
    return PlainTextResponse("hello from the app")


async def echo(request: Request) -> PlainTextResponse:
    """Answer with the request's X-Request-Id and User-Agent."""
    request_id = request.headers.get("x-request-id", "")
    return PlainTextResponse(f"{request_id}\n{request.headers.get('user-agent', '')}")


async def stream(request: Request) -> StreamingResponse:
    """Send one chunk now and one after /release."""
    release = asyncio.Event()
    _released.append(release)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"first chunk\n"
        await asyncio.wait_for(release.wait(), timeout=10)
        yield b"second chunk\n"

    return StreamingResponse(chunks(), media_type="text/plain")


async def release(request: Request) -> PlainTextResponse:
    """Let every waiting /stream send its second chunk."""
    while _released:
        _released.pop().set()
    return PlainTextResponse("released")


async def boom(request: Request) -> PlainTextResponse:
    """Fail, as an app can after the gate has passed its request."""
    raise RuntimeError("the app failed after the gate passed the request")


routes = [
    Route("/", home, methods=["GET", "HEAD"]),
    Route("/echo", echo),
    Route("/stream", stream),
    Route("/release", release),
    Route("/boom", boom),
]

#: The same app without the gate, to compare answers with.
bare = Starlette(routes=routes)

#: The app behind uagate with its defaults.
app = UAGateMiddleware(Starlette(routes=routes))
