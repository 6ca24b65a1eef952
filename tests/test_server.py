"""The demo app served by a real uvicorn on 127.0.0.1, as ./scripts/demo serves it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from uagate.testing import CHROME, IE11

from .conftest import ROOT


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the demo with uvicorn on a free loopback port; stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--app-dir", "examples", "demo:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with (
        log.open("wb") as output,
        subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output) as server,
    ):
        try:
            for _ in range(100):  # at most about 10 seconds
                try:
                    httpx.get(url + "/health", timeout=1.0)
                    break
                except httpx.TransportError:
                    if server.poll() is not None:
                        pytest.fail(f"uvicorn exited: {log.read_text()}")
                    time.sleep(0.1)
            else:
                pytest.fail("uvicorn did not answer within 10 seconds")
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_ie11_gets_the_gate_page_over_http(demo_url: str) -> None:
    """Over real HTTP, IE 11 gets 406 and the page, with the documented headers."""
    response = httpx.get(demo_url + "/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert "<h1>We don't support Internet Explorer</h1>" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "User-Agent, Accept, Accept-Language"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)


def test_head_over_http_has_no_body(demo_url: str) -> None:
    """Over real HTTP, HEAD from IE gets the page's length and no body."""
    get = httpx.get(demo_url + "/", headers={"User-Agent": IE11})
    head = httpx.head(demo_url + "/", headers={"User-Agent": IE11})
    assert head.status_code == 406
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


def test_chrome_gets_the_demo_home_page_over_http(demo_url: str) -> None:
    """Over real HTTP, Chrome reaches the app, whose page shows how to see the gate."""
    response = httpx.get(demo_url + "/", headers={"User-Agent": CHROME})
    assert response.status_code == 200
    assert "Your browser got through the gate" in response.text
    assert f"curl -i -A '{IE11}' {demo_url}/" in response.text
