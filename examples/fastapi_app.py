"""FastAPI behind uagate: ``uvicorn --app-dir examples fastapi_app:app``.

The gate sits in front of the whole app as FastAPI middleware; static files under
/static/ and the /health check are excluded, so they reach every client.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from uagate import UAGateMiddleware

STATIC = Path(__file__).resolve().parent / "static"

# Every request that reaches the home route is recorded here: the tests read it to
# prove that a gated request never reached the app.
home_calls: list[str] = []

app = FastAPI()
app.add_middleware(UAGateMiddleware, exclude_paths=["/static/", "/health"])
app.mount("/static", StaticFiles(directory=STATIC), name="static")


@app.get("/")
def home() -> dict[str, str]:
    home_calls.append("/")
    return {"message": "Hello from FastAPI"}


@app.get("/health", response_class=PlainTextResponse)
def health() -> str:
    return "ok"
