"""The examples in examples/ work as the README says."""

from __future__ import annotations

import doctest

import pytest
from starlette.testclient import TestClient

import uagate.decision
from uagate.testing import CHROME, IE11, OUTLOOK

from .conftest import load_example


@pytest.mark.parametrize("name", ["demo", "fastapi_app", "plain_asgi"])
def test_example_gates_ie_and_serves_chrome(name: str) -> None:
    """Each example gates IE 11 and serves Chrome from its own app."""
    client = TestClient(load_example(name).app)
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
    passed = client.get("/", headers={"User-Agent": CHROME})
    assert passed.status_code == 200
    assert "<h1>We don't support Internet Explorer</h1>" not in passed.text


def test_demo_home_page_shows_how_to_see_the_gate() -> None:
    """The demo's home page gives a curl line with IE 11's User-Agent."""
    client = TestClient(load_example("demo").app, base_url="http://127.0.0.1:8000")
    text = client.get("/", headers={"User-Agent": CHROME}).text
    assert f"curl -i -A '{IE11}' http://127.0.0.1:8000/" in text


def test_plain_asgi_example_lets_outlook_through() -> None:
    """The plain ASGI example passes Trident apps and adds Vary for the headers it reads."""
    response = TestClient(load_example("plain_asgi").app).get("/", headers={"User-Agent": OUTLOOK})
    assert response.status_code == 200
    assert response.headers["vary"] == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"


def test_check_docstring_example_holds() -> None:
    """The example in check()'s docstring runs and gives what it shows."""
    result = doctest.testmod(uagate.decision)
    assert result.attempted > 0
    assert result.failed == 0
