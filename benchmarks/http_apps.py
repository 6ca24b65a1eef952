"""The apps the HTTP benchmark serves: hello world and a Starlette route, bare and gated."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from uagate import UAGateMiddleware


async def bare(scope: Scope, receive: Receive, send: Send) -> None:
    """Hello world, in plain ASGI."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"12")],
        }
    )
    await send({"type": "http.response.body", "body": b"Hello world!"})


gated = UAGateMiddleware(bare)


async def home(request: Request) -> PlainTextResponse:
    """The Starlette route: hello world."""
    return PlainTextResponse("Hello world!")


starlette = Starlette(routes=[Route("/", home)])
starlette_gated = UAGateMiddleware(starlette)
