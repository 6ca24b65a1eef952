"""Any ASGI callable behind uagate, no framework: ``uvicorn --app-dir examples plain_asgi:app``."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from uagate import Policy, UAGateMiddleware


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": b"Hello from a plain ASGI app"})


# Let Outlook and other Trident-based applications through; gate IE itself.
app = UAGateMiddleware(hello, policy=Policy(gate_trident_apps=False), vary_user_agent=True)
