"""Each framework example gates IE at "/" and leaves /health and /static/ to every client."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator

import httpx
import httpx2
import pytest
from litestar import Litestar
from litestar.testing import TestClient as LitestarTestClient
from starlette.testclient import TestClient

from uagate.testing import CHROME, IE11

from .conftest import ROOT, ASGIApp, example, import_example

#: A response from either test client: Starlette's speaks httpx2, the others httpx.
Response = httpx.Response | httpx2.Response
#: ``fetch(path, user_agent)``: one GET through the example's whole ASGI stack.
Fetch = Callable[[str, str], Response]

#: The framework's name as its home page says it, by example.
FRAMEWORKS = {
    "starlette_app": "Starlette",
    "fastapi_app": "FastAPI",
    "django_app": "Django",
    "litestar_app": "Litestar",
    "quart_app": "Quart",
}
HEADING = "We don't support Internet Explorer"
STYLESHEET = (ROOT / "examples" / "static" / "site.css").read_bytes()


def home_calls(name: str) -> list[str]:
    """The paths the example's home route has served so far."""
    calls: list[str] = example(name).home_calls
    return calls


def fetch_with(client: TestClient | LitestarTestClient[Litestar]) -> Fetch:
    """GET through a framework's test client, which runs the app's lifespan too."""
    return lambda path, user_agent: client.get(path, headers={"User-Agent": user_agent})


def fetch_with_httpx(app: ASGIApp) -> Fetch:
    """GET through httpx's ASGI transport, one event loop per request."""

    async def get(path: str, user_agent: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path, headers={"User-Agent": user_agent})

    return lambda path, user_agent: asyncio.run(get(path, user_agent))


@pytest.fixture(scope="module", autouse=True)
def _root_logger_kept() -> Iterator[None]:
    """The root logger's handlers and level as they were before this module.

    Importing the Litestar example configures logging for the whole process (a queue
    handler on the stderr of that moment, level INFO); later tests in this process,
    in whatever order pytest-xdist gives them, must not log through it.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [handler for handler in root.handlers if handler not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="module", params=list(FRAMEWORKS))
def framework(request: pytest.FixtureRequest) -> Iterator[tuple[str, Fetch]]:
    """Each example's name and a way to GET from its ``app``, started and stopped around it."""
    name: str = request.param
    app = example(name).app
    if name in ("starlette_app", "fastapi_app"):
        with TestClient(app) as client:
            yield name, fetch_with(client)
    elif name == "litestar_app":
        with LitestarTestClient(app) as litestar_client:
            yield name, fetch_with(litestar_client)
    else:
        # Django's own test client calls its handler, not the ASGI app that uagate wraps,
        # and Django has no lifespan; Quart's returns Quart responses, not httpx ones.
        yield name, fetch_with_httpx(app)


def test_ie11_gets_the_gate_page_and_not_the_app(framework: tuple[str, Fetch]) -> None:
    """IE 11 at "/" gets the 406 gate page with no-store, and the home route never runs."""
    name, fetch = framework
    before = list(home_calls(name))
    response = fetch("/", IE11)
    assert response.status_code == 406
    assert f"<h1>{HEADING}</h1>" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert f"Hello from {FRAMEWORKS[name]}" not in response.text
    assert home_calls(name) == before


def test_chrome_gets_the_apps_own_home_page(framework: tuple[str, Fetch]) -> None:
    """Chrome at "/" gets the framework's own page, served by its home route."""
    name, fetch = framework
    before = len(home_calls(name))
    response = fetch("/", CHROME)
    assert response.status_code == 200
    assert f"Hello from {FRAMEWORKS[name]}" in response.text
    assert HEADING not in response.text
    assert len(home_calls(name)) == before + 1


def test_ie11_reaches_the_health_check(framework: tuple[str, Fetch]) -> None:
    """IE 11 at the excluded /health gets the app's "ok"."""
    _, fetch = framework
    response = fetch("/health", IE11)
    assert response.status_code == 200
    assert response.text == "ok"


def test_ie11_gets_the_stylesheet(framework: tuple[str, Fetch]) -> None:
    """IE 11 under the excluded /static/ gets the stylesheet, byte for byte."""
    _, fetch = framework
    response = fetch("/static/site.css", IE11)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == STYLESHEET


def test_django_example_imports_twice() -> None:
    """A second import of the Django example reuses the settings and still gates IE."""
    example("django_app")  # the first import configures Django's settings
    fetch = fetch_with_httpx(import_example("django_app").app)
    assert fetch("/", IE11).status_code == 406
    passed = fetch("/", CHROME)
    assert passed.status_code == 200
    assert "Hello from Django" in passed.text
