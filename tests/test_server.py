"""The demo app served by a real uvicorn on 127.0.0.1, as ./scripts/demo serves it."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest

from uagate.testing import CHROME, IE11

from .conftest import free_port, running_server


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the demo with uvicorn on a free loopback port; stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--app-dir", "examples", "demo:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/health", log):
        yield url


def test_ie11_gets_the_gate_page_over_http(demo_url: str) -> None:
    """Over real HTTP, IE 11 gets 406 and the page, with the documented headers."""
    response = httpx.get(demo_url + "/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert "<h1>We don't support Internet Explorer</h1>" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["vary"]
        == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language"
    )
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
