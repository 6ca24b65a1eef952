"""Litestar behind uagate: ``uvicorn --app-dir examples litestar_app:app``.

The gate is Litestar middleware for the whole app; static files under /static/ and the
/health check are excluded, so they reach every client. Litestar builds each middleware
as ``UAGateMiddleware(app=next_app, **options)``.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, MediaType, get
from litestar.middleware import DefineMiddleware
from litestar.static_files import create_static_files_router

from uagate import UAGateMiddleware

STATIC = Path(__file__).resolve().parent / "static"

# Every request that reaches the home route is recorded here: the tests read it to
# prove that a gated request never reached the app.
home_calls: list[str] = []


@get("/", media_type=MediaType.HTML)
async def home() -> str:
    home_calls.append("/")
    return (
        '<!doctype html><link rel="stylesheet" href="/static/site.css"><h1>Hello from Litestar</h1>'
    )


@get("/health", media_type=MediaType.TEXT)
async def health() -> str:
    return "ok"


app = Litestar(
    route_handlers=[home, health, create_static_files_router("/static", directories=[STATIC])],
    # Litestar types ASGI scopes as TypedDicts and Starlette (so uagate) as mutable
    # mappings: the same dicts at run time, two spellings for mypy.
    middleware=[DefineMiddleware(UAGateMiddleware, exclude_paths=["/static/", "/health"])],  # type: ignore[arg-type]
)
