"""Count verdicts with Prometheus, and show a banner from the verdict the gate leaves.

``uvicorn --app-dir examples metrics:app``; the counts are at /metrics.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from uagate import Policy, UAGateMiddleware, Verdict

registry = CollectorRegistry()
verdicts = Counter(
    "uagate_verdicts",
    "Requests by the gate's verdict",
    ["gated", "reason"],
    registry=registry,
)


def count(request: HTTPConnection, verdict: Verdict) -> None:
    verdicts.labels(gated=str(verdict.gated).lower(), reason=verdict.reason.value).inc()


async def home(request: Request) -> PlainTextResponse:
    verdict: Verdict | None = getattr(request.state, "uagate", None)
    if verdict is not None and verdict.gated:  # report-only: would have been gated
        return PlainTextResponse("Your browser will soon be unsupported. Hello anyway!")
    return PlainTextResponse("Hello!")


async def metrics(request: Request) -> Response:
    return Response(generate_latest(registry), media_type="text/plain; version=0.0.4")


app = Starlette(
    routes=[Route("/", home), Route("/metrics", metrics)],
    middleware=[
        Middleware(
            UAGateMiddleware,
            policy=Policy.modern(),
            report_only=True,
            on_verdict=count,
            exclude_paths=["/metrics"],
        )
    ],
)
