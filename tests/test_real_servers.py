"""uagate behind real ASGI servers: uvicorn (h11 and httptools), hypercorn and granian.

Each server is started on 127.0.0.1 with a free port and serves
``tests.server_app:app``; the requests go over real HTTP.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from uagate.testing import CHROME, GOOGLEBOT, IE11

from .conftest import free_port, running_server

HEADING = "<h1>We don't support Internet Explorer</h1>"

SERVERS = {
    "uvicorn-h11": ["-m", "uvicorn", "tests.server_app:app", "--http", "h11"],
    "uvicorn-httptools": ["-m", "uvicorn", "tests.server_app:app", "--http", "httptools"],
    "hypercorn": ["-m", "hypercorn", "tests.server_app:app"],
    "granian": ["-m", "granian", "--interface", "asgi", "tests.server_app:app"],
}


def address_arguments(server: str, port: int) -> list[str]:
    """How each server is told to listen on 127.0.0.1:port."""
    if server == "hypercorn":
        return ["--bind", f"127.0.0.1:{port}"]
    return ["--host", "127.0.0.1", "--port", str(port)]


@pytest.fixture(scope="module", params=list(SERVERS))
def server_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One of the servers, serving the test app on a free loopback port."""
    name: str = request.param
    port = free_port()
    command = [sys.executable, *SERVERS[name], *address_arguments(name, port)]
    log: Path = tmp_path_factory.mktemp(name) / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/echo", log):
        yield url


def test_ie_gets_the_gate_page_with_its_headers(server_url: str) -> None:
    """IE 11 gets 406, the page, and the documented headers, whatever the server."""
    response = httpx.get(server_url + "/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert HEADING in response.text
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["vary"]
        == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language"
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-language"] == "en"
    assert int(response.headers["content-length"]) == len(response.content)


def test_chrome_and_bots_reach_the_app(server_url: str) -> None:
    """Chrome and Googlebot get the app's own answer."""
    for user_agent in (CHROME, GOOGLEBOT):
        response = httpx.get(server_url + "/", headers={"User-Agent": user_agent})
        assert (response.status_code, response.text) == (200, "hello from the app")
        assert "vary" not in response.headers  # passed responses are left untouched


def test_head_works_for_gated_and_passed_requests(server_url: str) -> None:
    """HEAD: the gate's headers without a body for IE, the app's answer for Chrome."""
    get = httpx.get(server_url + "/", headers={"User-Agent": IE11})
    head = httpx.head(server_url + "/", headers={"User-Agent": IE11})
    assert (head.status_code, head.content) == (406, b"")
    assert head.headers["content-length"] == get.headers["content-length"]
    passed = httpx.head(server_url + "/", headers={"User-Agent": CHROME})
    assert (passed.status_code, passed.content) == (200, b"")


def test_streaming_response_arrives_in_chunks(server_url: str) -> None:
    """A streamed answer is not buffered: its first chunk arrives before the last exists."""
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", server_url + "/stream", headers={"User-Agent": CHROME}) as response,
    ):
        chunks = response.iter_raw()
        first = next(chunks)
        # The app holds the second chunk back until /release is asked for: this
        # chunk can only have come through if nothing buffered the response.
        assert first == b"first chunk\n"
        assert httpx.get(server_url + "/release").text == "released"
        rest = b"".join(chunks)
    assert rest == b"second chunk\n"
    assert response.status_code == 200
