"""Starlette behind uagate: ``uvicorn --app-dir examples starlette_app:app``.

The gate sits in front of the whole app as Starlette middleware; static files under
/static/ and the /health check are excluded, so they reach every client.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from uagate import UAGateMiddleware

STATIC = Path(__file__).resolve().parent / "static"

# Every request that reaches the home route is recorded here: the tests read it to
# prove that a gated request never reached the app.
home_calls: list[str] = []


async def home(request: Request) -> HTMLResponse:
    home_calls.append(request.url.path)
    return HTMLResponse(
        '<!doctype html><link rel="stylesheet" href="/static/site.css">'
        "<h1>Hello from Starlette</h1>"
    )


async def health(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[
        Route("/", home),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ],
    middleware=[Middleware(UAGateMiddleware, exclude_paths=["/static/", "/health"])],
)
