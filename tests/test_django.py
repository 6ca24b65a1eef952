"""The Django adapter: Django's test clients (sync and async stacks), uvicorn and gunicorn.

``MIDDLEWARE = ["uagate.django.UAGateMiddleware"]`` with its options in the
``UAGATE`` setting, in front of a sync and an async view.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.http import HttpRequest
from django.test import AsyncClient, Client, override_settings

from uagate import GateConfig, Policy, Verdict
from uagate.testing import CHROME, IE11

from .conftest import example, free_port, running_server
from .django_site import URLConf, calls

hooked: list[tuple[str, bool]] = []


async def hook(request: HttpRequest, verdict: Verdict) -> None:
    """An async on_verdict hook: it records the path and the verdict."""
    hooked.append((request.path, verdict.gated))


@pytest.fixture
def site() -> Iterator[None]:
    """Django settings with the gate in MIDDLEWARE (configured once per process)."""
    example("django_app")  # the process's settings, as the framework tests need them
    calls.clear()
    hooked.clear()
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=URLConf,
        MIDDLEWARE=["uagate.django.UAGateMiddleware"],
        UAGATE={"exclude_paths": ["/health"], "vary_user_agent": True, "on_verdict": hook},
    ):
        yield


@pytest.mark.parametrize("view", ["/", "/async"])
def test_sync_stack_gates_ie_and_passes_chrome(site: None, view: str) -> None:
    """Django's test client (a sync stack): IE gets the page; Chrome the view, with a Vary."""
    client = Client()
    gated = client.get(view, headers={"User-Agent": IE11, "Accept-Language": "pl"})
    assert gated.status_code == 406
    assert gated["Content-Language"] == "pl"
    assert b'<html lang="pl"' in gated.content
    assert calls == []
    passed = client.get(view, headers={"User-Agent": CHROME})
    assert passed.status_code == 200
    assert passed.content.decode() == f"{'async' if view == '/async' else 'sync'} view (supported)"
    assert passed["Vary"] == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"
    assert hooked == [(view, True), (view, False)]
    assert client.get("/health", headers={"User-Agent": IE11}).content == b"ok"


@pytest.mark.parametrize("view", ["/", "/async"])
def test_async_stack_gates_ie_and_passes_chrome(site: None, view: str) -> None:
    """Django's async test client (an async stack): the same answers."""

    async def requests() -> tuple[Any, Any]:
        client = AsyncClient()
        gated = await client.get(view, headers={"User-Agent": IE11})
        passed = await client.get(view, headers={"User-Agent": CHROME})
        return gated, passed

    gated, passed = asyncio.run(requests())
    assert (gated.status_code, passed.status_code) == (406, 200)
    assert b"We don't support Internet Explorer" in gated.content
    assert passed.content.decode().endswith("(supported)")
    assert calls == [view]
    assert hooked == [(view, True), (view, False)]


def test_continue_flow_sets_its_cookie_through_django(site: None) -> None:
    """allow_continue under Django: the redirect sets the cookie, which then lets IE through."""
    with override_settings(UAGATE={"allow_continue": True}):
        client = Client()
        redirect = client.get("/_uagate/continue", {"next": "/async"}, headers={"User-Agent": IE11})
        assert (redirect.status_code, redirect["Location"]) == (303, "/async")
        assert redirect.cookies["uagate_continue"].value == "1"
        after = client.get("/async", headers={"User-Agent": IE11})
    assert after.content == b"async view (continued)"


def test_a_gate_config_is_taken_as_the_setting(site: None) -> None:
    """UAGATE may be a GateConfig; report_only lets IE through to the view."""
    with override_settings(UAGATE=GateConfig(policy=Policy.modern(), report_only=True)):
        response = Client().get("/", headers={"User-Agent": IE11})
    assert response.content == b"sync view (internet-explorer)"


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ({"page": lambda request, verdict: None}, "page callable"),
        ({"stauts_code": 406}, "stauts_code"),
        ("modern", "dict or a GateConfig"),
    ],
)
def test_a_bad_setting_fails_when_django_builds_the_stack(
    site: None, setting: object, words: str
) -> None:
    """A bad UAGATE setting raises, naming the problem, on the first request."""
    with override_settings(UAGATE=setting), pytest.raises(TypeError, match=words):
        Client().get("/", headers={"User-Agent": CHROME})


SERVERS = {
    "uvicorn": [
        *("-m", "uvicorn", "--factory", "tests.django_site:asgi"),
        *("--host", "127.0.0.1", "--port"),
    ],
    "gunicorn": ["-m", "gunicorn", "tests.django_site:wsgi()", "--workers", "1", "--bind"],
}


@pytest.fixture(scope="module", params=list(SERVERS))
def server_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The Django site of tests/django_site.py under uvicorn (ASGI) or gunicorn (WSGI)."""
    name: str = request.param
    port = free_port()
    address = str(port) if name == "uvicorn" else f"127.0.0.1:{port}"
    command = [sys.executable, *SERVERS[name], address]
    log: Path = tmp_path_factory.mktemp(name) / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/health", log):
        yield url


@pytest.mark.parametrize("view", ["/", "/async"])
def test_behind_a_real_server(server_url: str, view: str) -> None:
    """Over real HTTP: IE gets 406 and the page; Chrome reaches the sync and the async view."""
    gated = httpx.get(server_url + view, headers={"User-Agent": IE11, "Accept-Language": "ko"})
    assert gated.status_code == 406
    assert gated.headers["content-language"] == "ko"
    assert int(gated.headers["content-length"]) == len(gated.content)
    passed = httpx.get(server_url + view, headers={"User-Agent": CHROME})
    kind = "async" if view == "/async" else "sync"
    assert (passed.status_code, passed.text) == (200, f"{kind} view (supported)")
    assert passed.headers["vary"] == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"


def test_a_sync_hook_runs_off_the_event_loop_on_an_async_stack(site: None) -> None:
    """Under ASGI a plain on_verdict runs in a thread, as Django runs sync code (DB allowed)."""
    on_loop: list[bool] = []

    def sync_hook(request: HttpRequest, verdict: Verdict) -> None:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)

    async def requests() -> int:
        response = await AsyncClient().get("/async", headers={"User-Agent": IE11})
        return int(response.status_code)

    with override_settings(UAGATE={"on_verdict": sync_hook}):
        assert asyncio.run(requests()) == 406
    assert on_loop == [False]


def test_the_continue_redirect_has_no_content_type(site: None) -> None:
    """The 303 carries the gate's own headers, as under ASGI and WSGI: no Content-Type."""
    with override_settings(UAGATE={"allow_continue": True}):
        redirect = Client().get("/_uagate/continue", {"next": "/"}, headers={"User-Agent": IE11})
    assert redirect.status_code == 303
    assert "Content-Type" not in redirect


def test_vary_is_merged_as_the_other_adapters_merge_it(site: None) -> None:
    """An app's Vary with a stray comma gets the verdict's names once, as ASGI and WSGI add them."""
    response = Client().get("/vary", headers={"User-Agent": CHROME})
    assert response["Vary"] == (
        "Accept-Encoding, User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"
    )
