"""Quart behind uagate: ``uvicorn --app-dir examples quart_app:app``.

The gate wraps ``app.asgi_app``, as Quart recommends for ASGI middleware, so ``app``
stays a Quart instance; static files under /static/ (Quart's static folder) and the
/health check are excluded, so they reach every client.
"""

from __future__ import annotations

from pathlib import Path

from quart import Quart, request

from uagate import UAGateMiddleware

HERE = Path(__file__).resolve().parent

# Every request that reaches the home route is recorded here: the tests read it to
# prove that a gated request never reached the app.
home_calls: list[str] = []

app = Quart(__name__, root_path=str(HERE), static_folder="static", static_url_path="/static")
# For mypy: Quart types ASGI scopes as TypedDicts and Starlette (so uagate) as mutable
# mappings, the same dicts at run time; and it flags any assignment to a method.
app.asgi_app = UAGateMiddleware(app.asgi_app, exclude_paths=["/static/", "/health"])  # type: ignore[method-assign, assignment, arg-type]


@app.get("/")
async def home() -> str:
    home_calls.append(request.path)
    return '<!doctype html><link rel="stylesheet" href="/static/site.css"><h1>Hello from Quart</h1>'


@app.get("/health")
async def health() -> tuple[str, int, dict[str, str]]:
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
