"""Faults around the gate never change an answer from what the app alone, or the gate, gives.

A detector, hook or page callable that raises, and an app that raises after
the gate let its request through: each answer is compared with the answer of
the same app without the gate (or of a gate without the faulty part), and the
requests after a fault are answered as if it had never happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

import uagate.detect
from uagate import UAGateMiddleware, Verdict
from uagate.testing import CHROME, GOOGLEBOT, IE6, IE11, OUTLOOK

from .conftest import http_scope
from .server_app import bare

AGENTS = [IE11, CHROME, IE6, GOOGLEBOT, OUTLOOK]
seen_verdicts: list[str] = []


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The app: notes the verdict the gate left in the scope, then answers plainly."""
    verdict = scope.get("state", {}).get("uagate")
    seen_verdicts.append(verdict.reason.value if verdict is not None else "none")
    await PlainTextResponse("the app's answer")(scope, receive, send)


def answer(asgi: Callable[[Scope, Receive, Send], object], user_agent: str) -> tuple[object, ...]:
    """Status, headers and body of one GET, comparable between two apps."""
    response = TestClient(asgi).get("/", headers={"User-Agent": user_agent})  # type: ignore[arg-type]
    return response.status_code, sorted(response.headers.multi_items()), response.content


@pytest.fixture
def broken_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser parser raises, as a bug in it would (monkeypatch restores it after)."""

    def fail(user_agent: str) -> tuple[str, tuple[int, ...]] | None:
        raise RuntimeError("detector bug")

    monkeypatch.setattr(uagate.detect, "_browser", fail)


def test_a_detector_that_raises_gives_the_apps_own_answer(broken_detector: None) -> None:
    """While detection raises, every client gets exactly the answer of the app alone."""
    gate = UAGateMiddleware(app)
    for user_agent in AGENTS:
        assert answer(gate, user_agent) == answer(app, user_agent)


def test_after_a_detector_fault_the_next_requests_are_decided_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A request that met a detector fault leaves nothing behind: once fixed, IE is gated."""
    gate = UAGateMiddleware(app)
    working = uagate.detect._browser
    with monkeypatch.context() as patch:
        patch.setattr(uagate.detect, "_browser", lambda user_agent: 1 / 0)
        assert answer(gate, IE11)[0] == 200
    assert uagate.detect._browser is working
    assert answer(gate, IE11)[0] == 406


def test_a_hook_that_raises_changes_no_answer() -> None:
    """An on_verdict hook that raises: every answer is that of the gate without the hook."""

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        raise RuntimeError("metrics down")

    with_hook = UAGateMiddleware(app, on_verdict=hook)
    without = UAGateMiddleware(app)
    for user_agent in AGENTS:
        assert answer(with_hook, user_agent) == answer(without, user_agent)


def test_a_page_callable_that_raises_gives_the_default_page() -> None:
    """A page callable that raises: IE gets the default page, everyone else the app."""

    def page(request: Request, verdict: Verdict) -> Response:
        raise RuntimeError("template bug")

    with_page = UAGateMiddleware(app, page=page)
    without = UAGateMiddleware(app)
    for user_agent in AGENTS:
        assert answer(with_page, user_agent) == answer(without, user_agent)


def test_an_app_that_raises_after_the_gate_fails_as_it_would_alone() -> None:
    """The app's own exception comes out unchanged, and its 500 is the one it gives alone."""
    gate = UAGateMiddleware(bare)
    for asgi in (gate, bare):
        with pytest.raises(RuntimeError, match="after the gate passed the request"):
            TestClient(asgi).get("/boom", headers={"User-Agent": CHROME})
    alone = TestClient(bare, raise_server_exceptions=False)
    gated = TestClient(gate, raise_server_exceptions=False)
    first = gated.get("/boom", headers={"User-Agent": CHROME})
    second = alone.get("/boom", headers={"User-Agent": CHROME})
    assert (
        (first.status_code, first.content)
        == (second.status_code, second.content)
        == (
            500,
            b"Internal Server Error",
        )
    )


def test_no_verdict_leaks_from_one_request_to_the_next() -> None:
    """Between faults and plain requests, each request carries its own verdict only."""

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        if verdict.client.user_agent == GOOGLEBOT:
            raise RuntimeError("metrics down")

    gate = UAGateMiddleware(app, report_only=True, on_verdict=hook)
    seen_verdicts.clear()
    client = TestClient(gate)
    for user_agent in AGENTS * 3:
        client.get("/", headers={"User-Agent": user_agent})
    # Each verdict is the one check() gives: Googlebot is a bot, Chrome is supported.
    expected = ["internet-explorer", "supported", "internet-explorer", "bot", "trident-app"]
    assert seen_verdicts == expected * 3


def test_a_client_that_disconnects_before_the_answer_breaks_nothing() -> None:
    """A client gone before the answer: the gate still answers into the void without error."""
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    for user_agent in (IE11, CHROME):
        scope = http_scope([(b"user-agent", user_agent.encode())])
        asyncio.run(UAGateMiddleware(app)(scope, receive, send))  # type: ignore[arg-type]
    assert [message.get("status") for message in sent if "status" in message] == [406, 200]
