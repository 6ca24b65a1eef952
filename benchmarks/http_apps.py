"""The two apps the HTTP benchmark serves: hello world, bare and behind uagate."""

from __future__ import annotations

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
