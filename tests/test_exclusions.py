"""Which requests are gated: excluded paths, methods, a request predicate, websockets."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount, WebSocketRoute
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.types import Message, Scope
from starlette.websockets import WebSocket

from uagate import UAGateMiddleware
from uagate.testing import CHROME, IE11

from .conftest import hello_asgi, http_scope


def client_for(**options: Any) -> TestClient:
    """A TestClient for the plain app behind the gate with ``options``."""
    return TestClient(UAGateMiddleware(hello_asgi, **options))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/health", 200),
        ("/healthz", 200),
        ("/robots.txt", 200),
        ("/static/app.css", 200),
        ("/assets/logo.png", 200),
        ("/", 406),
        ("/staticky", 406),
        ("/pricing", 406),
    ],
)
def test_excluded_paths_reach_the_app(path: str, status: int) -> None:
    """Prefixes and compiled patterns leave matching paths to the app, even for IE."""
    client = client_for(
        exclude_paths=["/health", "/robots.txt", "/static/", re.compile(r"\.(png|css|js)$")]
    )
    assert client.get(path, headers={"User-Agent": IE11}).status_code == status


def test_only_listed_methods_are_gated() -> None:
    """methods=['GET'] gates IE's GET and leaves its POST to the app."""
    client = client_for(methods=["get"])
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
    assert client.post("/", headers={"User-Agent": IE11}).status_code == 200


def test_request_predicate_excludes() -> None:
    """exclude=callable leaves the requests it returns True for to the app."""

    def internal(request: Request) -> bool:
        return request.headers.get("x-internal") == "1"

    client = client_for(exclude=internal)
    assert client.get("/", headers={"User-Agent": IE11, "X-Internal": "1"}).status_code == 200
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406


def test_request_predicate_that_raises_lets_the_request_through() -> None:
    """An exclude predicate that raises is logged and the request reaches the app."""

    def broken(request: Request) -> bool:
        raise RuntimeError("exclude bug")

    assert client_for(exclude=broken).get("/", headers={"User-Agent": IE11}).status_code == 200


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"exclude_paths": "/health"}, TypeError),
        ({"exclude_paths": ["health"]}, ValueError),
        ({"exclude_paths": [5]}, ValueError),
        ({"exclude_paths": [re.compile(rb"/x")]}, ValueError),
        ({"methods": "GET"}, ValueError),
        ({"methods": ["GET", "not a method"]}, ValueError),
        ({"exclude": "yes"}, TypeError),
        ({"gate_websockets": 1}, TypeError),
    ],
)
def test_bad_request_options_fail_at_construction(
    options: dict[str, Any], error: type[Exception]
) -> None:
    """Bad exclusion options raise at construction, naming the option."""
    with pytest.raises(error, match=next(iter(options))):
        UAGateMiddleware(hello_asgi, **options)


async def echo(websocket: WebSocket) -> None:
    """A websocket endpoint that echoes one message."""
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


def websocket_app(**options: Any) -> UAGateMiddleware:
    """A Starlette websocket echo app behind the gate."""
    return UAGateMiddleware(Starlette(routes=[WebSocketRoute("/ws", echo)]), **options)


def test_websocket_from_ie_is_denied_with_403_when_the_server_can() -> None:
    """gate_websockets=True: an IE handshake gets HTTP 403 through the denial extension."""
    client = TestClient(websocket_app(gate_websockets=True))
    with (
        pytest.raises(WebSocketDenialResponse) as denied,
        client.websocket_connect("/ws", headers={"User-Agent": IE11}),
    ):
        pass
    assert denied.value.status_code == 403
    assert "We don't support Internet Explorer" in denied.value.text


def test_websocket_from_chrome_still_connects_when_gated() -> None:
    """gate_websockets=True leaves Chrome's handshake alone."""
    client = TestClient(websocket_app(gate_websockets=True))
    with client.websocket_connect("/ws", headers={"User-Agent": CHROME}) as websocket:
        websocket.send_text("ping")
        assert websocket.receive_text() == "ping"


def test_websocket_from_ie_closes_with_1008_without_the_extension() -> None:
    """Where the server cannot send a denial response, the gate closes with code 1008."""
    scope: Scope = {
        **http_scope([(b"user-agent", IE11.encode())], method="GET", path="/ws"),
        "type": "websocket",
        "scheme": "ws",
        "subprotocols": [],
        "extensions": {},
    }
    del scope["method"]
    sent: list[Message] = []
    inbox: list[Message] = [{"type": "websocket.connect"}]

    async def receive() -> Message:
        return inbox.pop(0) if inbox else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(websocket_app(gate_websockets=True)(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": "unsupported browser"}]


def test_websocket_excluded_path_is_not_gated() -> None:
    """exclude_paths applies to websocket handshakes too."""
    client = TestClient(websocket_app(gate_websockets=True, exclude_paths=["/ws"]))
    with client.websocket_connect("/ws", headers={"User-Agent": IE11}) as websocket:
        websocket.send_text("x")
        assert websocket.receive_text() == "x"


def test_async_exclude_is_refused() -> None:
    """An async exclude callable would always look true, so it is refused."""

    async def internal(request: Request) -> bool:
        return False

    with pytest.raises(TypeError, match="not async"):
        UAGateMiddleware(hello_asgi, exclude=internal)  # type: ignore[arg-type]


def test_exclude_that_raises_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """An exclude callable that raises is logged with its traceback, once."""

    def broken(request: Request) -> bool:
        raise RuntimeError("exclude bug")

    client = client_for(exclude=broken)
    with caplog.at_level(logging.WARNING, logger="uagate"):
        for _ in range(3):
            assert client.get("/", headers={"User-Agent": IE11}).status_code == 200
    records = [r for r in caplog.records if "exclude bug" in r.getMessage()]
    assert len(records) == 1
    assert records[0].exc_info is not None


def test_excluded_paths_are_matched_below_the_mount_point() -> None:
    """Under Mount('/api', ...), exclude_paths=['/health'] excludes /api/health."""
    inner = UAGateMiddleware(hello_asgi, exclude_paths=["/health"])
    client = TestClient(Starlette(routes=[Mount("/api", app=inner)]))
    assert client.get("/api/health", headers={"User-Agent": IE11}).status_code == 200
    assert client.get("/api/other", headers={"User-Agent": IE11}).status_code == 406
