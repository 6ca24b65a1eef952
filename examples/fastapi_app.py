"""FastAPI behind uagate: ``uvicorn --app-dir examples fastapi_app:app``."""

from __future__ import annotations

from fastapi import FastAPI

from uagate import UAGateMiddleware

app = FastAPI()
app.add_middleware(UAGateMiddleware)


@app.get("/")
def home() -> dict[str, str]:
    return {"message": "Hello from FastAPI"}
