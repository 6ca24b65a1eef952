"""UAGateMiddleware through Starlette's TestClient, FastAPI, httpx and plain ASGI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from uagate import Policy, UAGateMiddleware
from uagate.page import HEADING, MESSAGE
from uagate.testing import CHROME, FIREFOX, GATED, IE6, IE11, OUTLOOK, PASSED

from .conftest import app_that_must_not_run, hello_asgi, http_scope, run_asgi


async def hello(request: Request) -> PlainTextResponse:
    """A Starlette endpoint with headers of its own."""
    return PlainTextResponse("hello", headers={"X-App": "yes", "Vary": "Accept-Encoding"})


def starlette_app(**options: Any) -> Starlette:
    """A Starlette app with the gate added as Middleware(UAGateMiddleware, **options)."""
    return Starlette(
        routes=[Route("/", hello, methods=["GET", "HEAD", "POST"])],
        middleware=[Middleware(UAGateMiddleware, **options)],
    )


def test_ie11_gets_the_gate_page_with_its_headers() -> None:
    """IE 11 gets status 406 and the page, with no-store, Vary and a correct length."""
    response = TestClient(starlette_app()).get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["vary"]
        == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language"
    )
    assert int(response.headers["content-length"]) == len(response.content)
    assert HEADING in response.text
    assert MESSAGE in response.text
    assert "x-app" not in response.headers


@pytest.mark.parametrize("user_agent", GATED)
def test_every_gated_constant_never_reaches_the_app(user_agent: str) -> None:
    """A gated request is answered by the gate; the wrapped app is never called."""
    client = TestClient(UAGateMiddleware(app_that_must_not_run))
    response = client.get("/anything", headers={"User-Agent": user_agent})
    assert response.status_code == 406
    assert HEADING in response.text


@pytest.mark.parametrize("user_agent", PASSED)
def test_passed_clients_get_the_app_response_untouched(user_agent: str) -> None:
    """Passed requests get exactly the status, headers and body the app alone gives."""
    bare = TestClient(Starlette(routes=[Route("/", hello)])).get(
        "/", headers={"User-Agent": user_agent}
    )
    gated = TestClient(starlette_app()).get("/", headers={"User-Agent": user_agent})
    assert gated.status_code == bare.status_code == 200
    assert gated.headers.raw == bare.headers.raw
    assert gated.content == bare.content == b"hello"


def test_missing_user_agent_passes() -> None:
    """A request without any User-Agent header reaches the app."""
    scope = http_scope(headers=[])
    messages = asyncio.run(run_asgi(UAGateMiddleware(hello_asgi), scope))
    assert messages[0]["status"] == 200


def test_head_gets_headers_and_no_body() -> None:
    """HEAD from IE gets the gate's headers, the GET body's length and an empty body."""
    client = TestClient(starlette_app())
    get = client.get("/", headers={"User-Agent": IE11})
    head = client.head("/", headers={"User-Agent": IE11})
    assert head.status_code == 406
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["cache-control"] == "no-store"


def test_head_is_empty_at_the_asgi_level() -> None:
    """The gate itself sends no body bytes for HEAD (not only the test client drops them)."""
    scope = http_scope([(b"user-agent", IE11.encode())], method="HEAD")
    messages = asyncio.run(run_asgi(UAGateMiddleware(app_that_must_not_run), scope))
    bodies = [m.get("body", b"") for m in messages if m["type"] == "http.response.body"]
    assert b"".join(bodies) == b""
    headers = dict(messages[0]["headers"])
    assert int(headers[b"content-length"]) > 512


def test_post_from_ie_is_gated_too() -> None:
    """Every method is gated for IE, not only GET."""
    response = TestClient(starlette_app()).post("/", headers={"User-Agent": IE6}, content=b"x")
    assert response.status_code == 406


def test_plain_asgi_app_through_httpx_transport() -> None:
    """Wrapped around a plain ASGI callable and driven by httpx.ASGITransport."""

    async def main() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=UAGateMiddleware(hello_asgi))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            gated = await client.get("/", headers={"User-Agent": IE11})
            passed = await client.get("/", headers={"User-Agent": FIREFOX})
        return gated, passed

    gated, passed = asyncio.run(main())
    assert gated.status_code == 406
    assert HEADING in gated.text
    assert passed.status_code == 200
    assert passed.content == b"plain"
    assert passed.headers["x-plain"] == "1"


def test_fastapi_add_middleware() -> None:
    """FastAPI's app.add_middleware(UAGateMiddleware, ...) gates IE and passes Chrome."""
    app = FastAPI()

    @app.get("/items")
    def items() -> dict[str, int]:
        return {"count": 3}

    app.add_middleware(UAGateMiddleware, status_code=403)
    client = TestClient(app)
    assert client.get("/items", headers={"User-Agent": IE11}).status_code == 403
    passed = client.get("/items", headers={"User-Agent": CHROME})
    assert passed.status_code == 200
    assert passed.json() == {"count": 3}


def test_status_code_option() -> None:
    """status_code sets the gate page's status."""
    client = TestClient(starlette_app(status_code=200))
    response = client.get("/", headers={"User-Agent": IE11})
    assert response.status_code == 200
    assert HEADING in response.text


def test_trident_apps_pass_with_the_policy_option() -> None:
    """Policy(gate_trident_apps=False) lets Outlook through and still gates IE."""
    client = TestClient(starlette_app(policy=Policy(gate_trident_apps=False)))
    assert client.get("/", headers={"User-Agent": OUTLOOK}).status_code == 200
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406


def test_streaming_response_arrives_in_chunks() -> None:
    """A streaming response passes chunk by chunk, not buffered into one message."""
    chunks = [b"first,", b"second,", b"third"]

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def endpoint(request: Request) -> StreamingResponse:
        return StreamingResponse(stream(), media_type="text/plain")

    app = UAGateMiddleware(Starlette(routes=[Route("/", endpoint)]))
    scope = http_scope([(b"user-agent", CHROME.encode())])
    messages = asyncio.run(run_asgi(app, scope))
    bodies = [m["body"] for m in messages if m["type"] == "http.response.body" and m["body"]]
    assert bodies == chunks
    more = [m.get("more_body", False) for m in messages if m["type"] == "http.response.body"]
    assert more[: len(chunks)] == [True] * len(chunks)


def test_background_task_runs_after_a_passed_response() -> None:
    """A background task of a passed response still runs."""
    ran: list[str] = []

    async def endpoint(request: Request) -> Response:
        return PlainTextResponse("ok", background=BackgroundTask(ran.append, "done"))

    client = TestClient(UAGateMiddleware(Starlette(routes=[Route("/", endpoint)])))
    assert client.get("/", headers={"User-Agent": CHROME}).text == "ok"
    assert ran == ["done"]


def test_lifespan_passes_through() -> None:
    """Lifespan startup and shutdown reach the wrapped app, whatever the gate thinks."""
    events: list[str] = []

    async def lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            events.append(message["type"])
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return

    with TestClient(UAGateMiddleware(lifespan_app)):
        pass
    assert events == ["lifespan.startup", "lifespan.shutdown"]


def test_websocket_from_ie_passes_through() -> None:
    """Websocket handshakes are not gated by default, even from IE."""

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    app = UAGateMiddleware(Starlette(routes=[WebSocketRoute("/ws", echo)]))
    with TestClient(app).websocket_connect("/ws", headers={"User-Agent": IE11}) as websocket:
        websocket.send_text("ping")
        assert websocket.receive_text() == "ping"


def test_first_of_duplicate_user_agent_headers_counts() -> None:
    """With two User-Agent headers, the first decides (as request.headers gives it)."""
    app = UAGateMiddleware(hello_asgi)
    ie_first = http_scope([(b"user-agent", IE11.encode()), (b"user-agent", CHROME.encode())])
    chrome_first = http_scope([(b"user-agent", CHROME.encode()), (b"user-agent", IE11.encode())])
    assert asyncio.run(run_asgi(app, ie_first))[0]["status"] == 406
    assert asyncio.run(run_asgi(app, chrome_first))[0]["status"] == 200


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"\xff\xfe\x00MSIE 6.0\x80\x81", 406),
        ("Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; Ünïcødé)".encode(), 406),
        (b"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; \xe9\xe8)", 406),
        (b"\t  Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko  \t", 406),
        (b"mozilla/5.0 (windows nt 10.0; wow64; TRIDENT/7.0; RV:11.0) LIKE GECKO", 406),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0 é".encode(), 200),
        (b"  ", 200),
        (b"\x00" * 64, 200),
    ],
)
def test_odd_header_bytes_never_raise(raw: bytes, status: int) -> None:
    """Non-ASCII, latin-1, odd spacing and case decide as the string says, never an error."""
    scope = http_scope([(b"user-agent", raw)])
    messages = asyncio.run(run_asgi(UAGateMiddleware(hello_asgi), scope))
    assert messages[0]["type"] == "http.response.start"
    assert messages[0]["status"] == status


def test_odd_spacing_and_case_still_gate_ie11() -> None:
    """Surrounding whitespace and upper-case tokens do not hide IE 11."""
    app = UAGateMiddleware(hello_asgi)
    for raw in (b"\t  " + IE11.encode() + b"  ", IE11.upper().encode()):
        assert asyncio.run(run_asgi(app, http_scope([(b"user-agent", raw)])))[0]["status"] == 406


def test_vary_is_untouched_by_default() -> None:
    """Without the option, a passed response keeps its own Vary header as it was."""
    response = TestClient(starlette_app()).get("/", headers={"User-Agent": CHROME})
    assert response.headers.get_list("vary") == ["Accept-Encoding"]


def test_vary_option_merges_user_agent() -> None:
    """vary_user_agent=True appends every header the verdict reads to the app's own Vary."""
    response = TestClient(starlette_app(vary_user_agent=True)).get(
        "/", headers={"User-Agent": CHROME}
    )
    assert response.headers.get_list("vary") == [
        "Accept-Encoding, User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"
    ]
    assert response.text == "hello"


def test_vary_option_names_cookie_with_the_continue_flow() -> None:
    """With allow_continue, the verdict also reads Cookie, and Vary says so."""
    app = starlette_app(vary_user_agent=True, allow_continue=True)
    response = TestClient(app).get("/", headers={"User-Agent": CHROME})
    assert response.headers.get_list("vary") == [
        "Accept-Encoding, User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Cookie"
    ]


ALL = b"User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"


@pytest.mark.parametrize(
    ("app_headers", "expected"),
    [
        ([], [(b"vary", ALL)]),
        ([(b"vary", b"*")], [(b"vary", b"*")]),
        (
            [(b"vary", b"user-agent, sec-ch-ua, sec-ch-ua-full-version-list")],
            [(b"vary", b"user-agent, sec-ch-ua, sec-ch-ua-full-version-list")],
        ),
        (
            [(b"vary", b"user-agent")],
            [(b"vary", b"user-agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List")],
        ),
        (
            [(b"vary", b"Accept"), (b"vary", b"User-Agent")],
            [
                (b"vary", b"Accept, Sec-CH-UA, Sec-CH-UA-Full-Version-List"),
                (b"vary", b"User-Agent"),
            ],
        ),
        ([(b"Vary", b"Accept, Cookie")], [(b"Vary", b"Accept, Cookie, " + ALL)]),
        ([(b"vary", b"")], [(b"vary", ALL)]),
        ([(b"vary", b"Accept, ")], [(b"vary", b"Accept, " + ALL)]),
        ([(b"vary", b"Accept,")], [(b"vary", b"Accept, " + ALL)]),
    ],
)
def test_vary_option_at_the_asgi_level(
    app_headers: list[tuple[bytes, bytes]], expected: list[tuple[bytes, bytes]]
) -> None:
    """Vary gains each missing header once; '*' and names already there are left alone."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": list(app_headers)})
        await send({"type": "http.response.body", "body": b"x"})

    scope = http_scope([(b"user-agent", CHROME.encode())])
    messages = asyncio.run(run_asgi(UAGateMiddleware(app, vary_user_agent=True), scope))
    assert messages[0]["headers"] == expected


def test_no_state_is_kept_on_the_middleware_between_requests() -> None:
    """Alternating gated and passed requests each get their own answer."""
    client = TestClient(starlette_app())
    for _ in range(3):
        assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
        assert client.get("/", headers={"User-Agent": CHROME}).text == "hello"
