"""The WSGI adapter: in-process through Werkzeug's client, and behind a real gunicorn."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from werkzeug.test import Client

from uagate import GateConfig, Policy, UAGateMiddleware, Verdict
from uagate.testing import CHROME, FIREFOX_121, IE8, IE11
from uagate.wsgi import ENVIRON_KEY, UAGateWSGIMiddleware

from .conftest import free_port, running_server

HEADING = "<h1>We don't support Internet Explorer</h1>"


async def hello_asgi(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI app that answers 'hello' (the ASGI middleware's side of a comparison)."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


class Recorder:
    """A WSGI app that records the environs it is called with and answers 'hello'."""

    def __init__(self, headers: list[tuple[str, str]] | None = None) -> None:
        self.environs: list[dict[str, Any]] = []
        self.headers = headers or [("Content-Type", "text/plain")]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.environs.append(environ)
        start_response("200 OK", self.headers)
        return [b"hello"]


def client(app: Recorder, **options: Any) -> Client:
    """Werkzeug's test client on ``app`` behind the WSGI adapter with ``options``."""
    return Client(UAGateWSGIMiddleware(app, **options))


def test_ie_gets_the_page_and_the_app_is_never_called() -> None:
    """IE 11 gets 406 and the page in its language; the app is not called."""
    app = Recorder()
    response = client(app).get("/", headers={"User-Agent": IE11, "Accept-Language": "de"})
    assert response.status_code == 406
    assert response.headers["Content-Language"] == "de"
    assert response.headers["Cache-Control"] == "no-store"
    assert '<html lang="de"' in response.get_data(as_text=True)
    assert app.environs == []


def test_other_clients_reach_the_app_untouched_with_their_verdict() -> None:
    """Chrome gets the app's own response, headers unchanged, and its verdict in the environ."""
    app = Recorder([("Content-Type", "text/plain"), ("X-App", "1")])
    response = client(app).get("/", headers={"User-Agent": CHROME})
    assert (response.status_code, response.get_data()) == (200, b"hello")
    assert sorted(response.headers.keys()) == ["Content-Type", "X-App"]
    verdict = app.environs[0][ENVIRON_KEY]
    assert isinstance(verdict, Verdict)
    assert (verdict.gated, str(verdict.reason), verdict.client.family) == (
        False,
        "supported",
        "Chrome",
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": IE11},
        {"User-Agent": IE8, "Accept-Language": "fr-CA, de;q=0.5"},
        {"User-Agent": IE11, "Accept": "application/problem+json", "Accept-Language": "ja"},
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_page_is_the_asgi_middlewares_byte_for_byte(
    headers: dict[str, str], method: str
) -> None:
    """For the same request, the WSGI adapter and the ASGI middleware answer alike."""
    wsgi = client(Recorder()).open("/page", method=method, headers=headers)
    asgi = TestClient(UAGateMiddleware(hello_asgi)).request(method, "/page", headers=headers)
    assert wsgi.status_code == asgi.status_code == 406
    assert wsgi.get_data() == asgi.content
    wanted = ("cache-control", "vary", "content-type", "content-length", "content-language")
    assert {k.lower(): v for k, v in wsgi.headers.items() if k.lower() in wanted} == {
        k: v for k, v in asgi.headers.items() if k in wanted
    }


def test_exclusions_methods_and_the_exclude_callable_get_the_environ() -> None:
    """exclude_paths, methods and exclude (called with the environ) leave requests to the app."""
    seen: list[object] = []

    def exclude(environ: dict[str, Any]) -> bool:
        seen.append(environ)
        return environ.get("HTTP_X_PREVIEW") == "1"

    app = Recorder()
    gate = client(
        app, exclude_paths=["/static/", re.compile(r"\.txt$")], methods=["GET"], exclude=exclude
    )
    ie = {"User-Agent": IE11}
    assert gate.get("/static/site.css", headers=ie).status_code == 200
    assert gate.get("/robots.txt", headers=ie).status_code == 200
    assert gate.post("/form", headers=ie).status_code == 200
    assert gate.get("/", headers={**ie, "X-Preview": "1"}).status_code == 200
    assert gate.get("/", headers=ie).status_code == 406
    assert all(isinstance(environ, dict) for environ in seen)
    assert len(seen) == 2  # asked only where the paths and methods did not settle it


def test_exclusions_match_below_the_script_name() -> None:
    """A prefix matches the path below SCRIPT_NAME, as a mounted app's routes see it."""
    gate = client(Recorder(), exclude_paths=["/health"])
    environ = {"SCRIPT_NAME": "/shop", "HTTP_USER_AGENT": IE11}
    assert gate.get("/health", environ_overrides=environ).status_code == 200
    assert gate.get("/other", environ_overrides=environ).status_code == 406


def test_report_only_logs_and_passes(caplog: pytest.LogCaptureFixture) -> None:
    """report_only: IE reaches the app, and the would-be gate is logged with its path."""
    app = Recorder()
    with caplog.at_level(logging.INFO, logger="uagate"):
        response = client(app, report_only=True).get("/account", headers={"User-Agent": IE11})
    assert response.status_code == 200
    assert app.environs[0][ENVIRON_KEY].gated is True
    assert [r.getMessage() for r in caplog.records] == [
        f'uagate: would gate GET /account: IE 11.0 (internet-explorer) "{IE11}"'
    ]


def test_on_verdict_gets_the_environ_and_a_failing_hook_is_logged() -> None:
    """on_verdict is called with the environ and the verdict; a hook that raises breaks nothing."""
    calls: list[tuple[str, bool]] = []

    def hook(environ: dict[str, Any], verdict: Verdict) -> None:
        calls.append((environ["PATH_INFO"], verdict.gated))
        raise RuntimeError("metrics are down")

    gate = client(Recorder(), on_verdict=hook)
    assert gate.get("/a", headers={"User-Agent": IE11}).status_code == 406
    assert gate.get("/b", headers={"User-Agent": CHROME}).status_code == 200
    assert calls == [("/a", True), ("/b", False)]


def test_continue_anyway_sets_the_cookie_and_lets_the_client_through() -> None:
    """allow_continue: the page links to the continue path, which sets the cookie and redirects."""
    app = Recorder()
    gate = client(app, allow_continue=True)
    page = gate.get("/orders", query_string="id=7", headers={"User-Agent": IE11})
    link = re.search(r'href="(/_uagate/continue\?next=[^"]+)"', page.get_data(as_text=True))
    assert link is not None
    redirect = gate.get(link.group(1).replace("&amp;", "&"), headers={"User-Agent": IE11})
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == "/orders?id=7"
    assert "uagate_continue=1" in redirect.headers["Set-Cookie"]
    passed = gate.get("/orders", headers={"User-Agent": IE11})  # the client keeps the cookie
    assert passed.status_code == 200
    assert str(app.environs[-1][ENVIRON_KEY].reason) == "continued"


def test_vary_user_agent_is_merged_into_the_apps_vary() -> None:
    """vary_user_agent adds the verdict's headers to the app's own Vary, once."""
    app = Recorder([("Content-Type", "text/plain"), ("Vary", "Accept-Encoding, User-Agent")])
    response = client(app, vary_user_agent=True).get("/", headers={"User-Agent": CHROME})
    assert response.headers.getlist("Vary") == [
        "Accept-Encoding, User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"
    ]


def test_a_policy_and_a_config_object_are_honoured() -> None:
    """A GateConfig passed whole, with a stricter policy, gates an outdated Firefox."""
    config = GateConfig(policy=Policy(min_versions={"firefox": 130}))
    gate = Client(UAGateWSGIMiddleware(Recorder(), config=config))
    assert gate.get("/", headers={"User-Agent": FIREFOX_121}).status_code == 406


def test_a_streamed_body_is_passed_on_without_being_read() -> None:
    """The app's iterable reaches the server as it is: the gate reads none of it."""
    produced: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        for chunk in (b"one\n", b"two\n"):
            produced.append(chunk)
            yield chunk

    gated = UAGateWSGIMiddleware(app)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_USER_AGENT": CHROME}
    body = gated(environ, lambda status, headers, exc_info=None: lambda data: None)
    assert produced == []  # nothing read yet
    assert next(iter(body)) == b"one\n"
    assert produced == [b"one\n"]


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"page": lambda request, verdict: None}, TypeError, "page callable"),
        ({"on_verdict": lambda *_: None, "stauts_code": 1}, TypeError, "stauts_code"),
        ({"status_code": 302}, ValueError, "status_code"),
        ({"config": GateConfig(), "report_only": True}, TypeError, "not both"),
    ],
)
def test_bad_options_fail_at_construction(
    options: dict[str, Any], error: type[Exception], words: str
) -> None:
    """What WSGI cannot do, and a bad or misspelt option, fail when the middleware is built."""
    with pytest.raises(error, match=words):
        UAGateWSGIMiddleware(Recorder(), **options)


def test_an_async_hook_is_refused() -> None:
    """WSGI has no loop to await on_verdict on: an async hook fails at construction."""

    async def hook(environ: object, verdict: Verdict) -> None:
        return None

    with pytest.raises(TypeError, match="on_verdict"):
        UAGateWSGIMiddleware(Recorder(), on_verdict=hook)


@pytest.fixture(scope="module")
def gunicorn_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve tests.adapter_apps:flask_app on a free loopback port."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "tests.adapter_apps:flask_app",
    ]
    log: Path = tmp_path_factory.mktemp("gunicorn") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/health", log):
        yield url


def test_behind_gunicorn_ie_gets_the_page_and_chrome_the_app(gunicorn_url: str) -> None:
    """Over real HTTP through gunicorn: IE 11 gets 406 and the page, Chrome the Flask view."""
    gated = httpx.get(gunicorn_url + "/", headers={"User-Agent": IE11, "Accept-Language": "es"})
    assert gated.status_code == 406
    assert gated.headers["content-language"] == "es"
    assert int(gated.headers["content-length"]) == len(gated.content)
    passed = httpx.get(gunicorn_url + "/", headers={"User-Agent": CHROME})
    assert (passed.status_code, passed.text) == (200, "hello from flask (supported)")
    assert httpx.get(gunicorn_url + "/health", headers={"User-Agent": IE11}).text == "ok"


def test_behind_gunicorn_the_continue_flow_works(gunicorn_url: str) -> None:
    """The continue link, its redirect and cookie, over real HTTP."""
    with httpx.Client(base_url=gunicorn_url, headers={"User-Agent": IE11}) as browser:
        page = browser.get("/?q=1")
        link = re.search(r'href="(/_uagate/continue\?next=[^"]+)"', page.text)
        assert link is not None
        redirect = browser.get(link.group(1).replace("&amp;", "&"))
        assert (redirect.status_code, redirect.headers["location"]) == (303, "/?q=1")
        after = browser.get("/")
    assert (after.status_code, after.text) == (200, "hello from flask (continued)")


def test_behind_gunicorn_a_stream_arrives_whole(gunicorn_url: str) -> None:
    """A streamed Flask response passes the gate whole."""
    response = httpx.get(gunicorn_url + "/stream", headers={"User-Agent": CHROME})
    assert response.text == "first chunk\nsecond chunk\n"


def test_a_status_python_has_no_name_for_is_sent_as_it_is() -> None:
    """status_code=499 (allowed, but not in http.HTTPStatus) answers 499, not a 500."""
    response = client(Recorder(), status_code=499).get("/", headers={"User-Agent": IE11})
    assert response.status_code == 499
    assert HEADING in response.get_data(as_text=True)


def test_the_continue_link_reads_paths_as_asgi_servers_do() -> None:
    """A path byte that is not UTF-8 becomes U+FFFD, as uvicorn reads it; SCRIPT_NAME's '/' once."""
    gate = client(Recorder(), allow_continue=True)
    environ = {"SCRIPT_NAME": "/app/", "HTTP_USER_AGENT": IE11}
    page = gate.get("/p/caf%E9", environ_overrides=environ).get_data(as_text=True)
    assert "/app/_uagate/continue?next=%2Fapp%2Fp%2Fcaf%25EF%25BF%25BD" in page


def test_config_is_keyword_only() -> None:
    """A config passed by position is refused, as every option is keyword-only."""
    with pytest.raises(TypeError):
        UAGateWSGIMiddleware(Recorder(), GateConfig())  # type: ignore[call-arg]


def test_a_hook_that_returns_a_coroutine_is_logged_and_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A plain function that returns a coroutine: closed (no 'never awaited'), and logged."""

    async def later(verdict: Verdict) -> None:
        return None

    gate = client(Recorder(), on_verdict=lambda environ, verdict: later(verdict))
    assert gate.get("/", headers={"User-Agent": IE11}).status_code == 406
    assert "WSGI cannot await it" in caplog.text
