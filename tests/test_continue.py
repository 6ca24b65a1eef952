"""The "Continue anyway" escape hatch: the link, the cookie and the safe redirect back."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Message, Scope

from uagate import Reason, UAGateMiddleware, Verdict
from uagate.continue_flow import safe_next
from uagate.testing import CHROME, IE11

from .conftest import http_scope, run_asgi

CONTINUE_PATH = "/_uagate/continue"
COOKIE_NAME = "uagate_continue"
THIRTY_DAYS = 30 * 24 * 60 * 60
CONTINUE_TEXT = "Continue anyway"
PAGE_BODY = "the docs page, x=1"
IE = {"User-Agent": IE11}

#: ``next`` values as the server sees them (after its one decoding of the query string).
#: Each one tries to leave the site, or is not a usable path; every one must land on ``/``.
REDIRECT_ATTACKS = [
    pytest.param("//evil.example", id="protocol-relative"),
    pytest.param("https://evil.example", id="absolute-https"),
    pytest.param("http://evil.example/x", id="absolute-http"),
    pytest.param("HTTPS://evil.example", id="absolute-upper-case-scheme"),
    pytest.param("https:/evil.example", id="scheme-one-slash"),
    pytest.param("/\\evil.example", id="slash-backslash"),
    pytest.param("\\\\evil.example", id="two-backslashes"),
    pytest.param("/\\/evil.example", id="slash-backslash-slash"),
    pytest.param("%2F%2Fevil.example", id="encoded-protocol-relative"),
    pytest.param("/%2F/evil.example", id="slash-encoded-slash"),
    pytest.param("/%252F/evil.example", id="slash-double-encoded-slash"),
    pytest.param("/%5Cevil.example", id="slash-encoded-backslash"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("/\t/evil.example", id="tab"),
    pytest.param("/%09/evil.example", id="encoded-tab"),
    pytest.param("/foo%0d%0aSet-Cookie:%20x=1", id="encoded-crlf"),
    pytest.param("/foo\r\nSet-Cookie: x=1", id="raw-crlf"),
    pytest.param("data:text/html,<script>", id="data-url"),
    pytest.param("///evil.example", id="three-slashes"),
    pytest.param(" //evil.example", id="leading-space"),
    pytest.param("", id="empty"),
    pytest.param("/" + "a" * 8192, id="8193-characters"),
]

#: Raw query strings, sent byte for byte (no client re-encodes them); each must land on ``/``.
RAW_QUERY_ATTACKS = [
    pytest.param(b"next=//evil.example", id="protocol-relative"),
    pytest.param(b"next=%2F%2Fevil.example", id="encoded-once-protocol-relative"),
    pytest.param(b"next=%252F%252Fevil.example", id="encoded-twice-protocol-relative"),
    pytest.param(b"next=https://evil.example", id="absolute"),
    pytest.param(b"next=http:%2F%2Fevil.example", id="absolute-encoded-slashes"),
    pytest.param(b"next=/\\evil.example", id="raw-backslash"),
    pytest.param(b"next=/%5Cevil.example", id="encoded-backslash"),
    pytest.param(b"next=/%255Cevil.example", id="double-encoded-backslash"),
    pytest.param(b"next=/\t/evil.example", id="raw-tab"),
    pytest.param(b"next=/%09/evil.example", id="encoded-tab"),
    pytest.param(b"next=/foo\r\nSet-Cookie:%20x=1", id="raw-crlf"),
    pytest.param(b"next=/foo%0d%0aSet-Cookie:%20x=1", id="encoded-crlf"),
    pytest.param(b"next=/foo%250d%250aSet-Cookie:%20x=1", id="double-encoded-crlf"),
    pytest.param(b"next=javascript:alert(1)", id="javascript"),
    pytest.param(b"next=///evil.example", id="three-slashes"),
    pytest.param(b"next=", id="empty"),
    pytest.param(b"", id="missing"),
]

SAFE_TARGETS = ["/", "/docs", "/docs/page?x=1&y=2", "/caf%C3%A9"]


class _Links(HTMLParser):
    """Collects every ``<a>`` in a page as (text, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    """Every link of ``html`` as (text, href), the href with its entities decoded."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links


def continue_link(html: str) -> str:
    """The href of the page's one "Continue anyway" link."""
    found = [href for text, href in links(html) if text == CONTINUE_TEXT]
    assert len(found) == 1, f"expected one {CONTINUE_TEXT!r} link, found {found!r}"
    return found[0]


def cookie_parts(header: str) -> tuple[str, str, dict[str, str]]:
    """A Set-Cookie header as (name, value, {lower-case attribute: value})."""
    first, *rest = header.split(";")
    name, _, value = first.strip().partition("=")
    attributes: dict[str, str] = {}
    for item in rest:
        key, _, attribute = item.strip().partition("=")
        attributes[key.lower()] = attribute
    return name, value, attributes


async def docs_page(request: Request) -> PlainTextResponse:
    """The app's own page; its body proves the request reached the app."""
    return PlainTextResponse(f"the docs page, x={request.query_params.get('x')}")


async def home(request: Request) -> PlainTextResponse:
    """The app's home page."""
    return PlainTextResponse("home")


def gated_app(**options: Any) -> UAGateMiddleware:
    """A real Starlette app wrapped in the gate with ``options``."""
    inner = Starlette(routes=[Route("/", home), Route("/docs/page", docs_page)])
    return UAGateMiddleware(inner, **options)


def continue_client(**options: Any) -> TestClient:
    """A TestClient for the gated app with the continue flow on."""
    return TestClient(gated_app(allow_continue=True, **options))


def the_cookie(set_cookie_headers: list[str]) -> tuple[str, str, dict[str, str]]:
    """The one Set-Cookie of a continue redirect, parsed; it must be the continue cookie."""
    assert len(set_cookie_headers) == 1, set_cookie_headers
    parts = cookie_parts(set_cookie_headers[0])
    assert parts[0] == COOKIE_NAME
    return parts


def assert_clean_redirect_to_root(status: int, headers: list[tuple[bytes, bytes]]) -> None:
    """A 303 to exactly ``/``, no CR/LF in any header, the continue cookie its only cookie."""
    assert status == 303
    for name, value in headers:
        assert b"\r" not in name + value, (name, value)
        assert b"\n" not in name + value, (name, value)
    locations = [value for name, value in headers if name.lower() == b"location"]
    assert locations == [b"/"]
    cookies = [value.decode("latin-1") for name, value in headers if name.lower() == b"set-cookie"]
    assert the_cookie(cookies)[1] == "1"


def continue_scope(query_string: bytes) -> Scope:
    """An ASGI scope for IE 11 asking for the continue path with a raw query string."""
    scope = http_scope(
        [(b"host", b"testserver"), (b"user-agent", IE11.encode())], path=CONTINUE_PATH
    )
    scope["query_string"] = query_string
    return scope


def response_start(messages: list[Message]) -> Message:
    """The ``http.response.start`` message of a response."""
    starts = [message for message in messages if message["type"] == "http.response.start"]
    assert len(starts) == 1
    return starts[0]


def response_body(messages: list[Message]) -> bytes:
    """The whole body of a response."""
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


# --- the whole flow -------------------------------------------------------------------------


def test_ie_follows_the_continue_link_gets_the_cookie_and_reaches_the_page() -> None:
    """IE 11 gets the page, follows its link, gets the cookie by 303 and then reaches the app."""
    client = continue_client()

    gate = client.get("/docs/page?x=1", headers=IE)
    assert gate.status_code == 406
    assert gate.text != PAGE_BODY
    href = continue_link(gate.text)
    assert urlsplit(href).path == CONTINUE_PATH

    redirect = client.get(href, headers=IE, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/docs/page?x=1"
    name, value, attributes = the_cookie(redirect.headers.get_list("set-cookie"))
    assert (name, value) == (COOKIE_NAME, "1")
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "lax"
    assert attributes["path"] == "/"
    assert attributes["max-age"] == str(THIRTY_DAYS)
    assert "secure" not in attributes

    after = client.get("/docs/page?x=1", headers=IE)
    assert after.status_code == 200
    assert after.text == PAGE_BODY


def test_head_to_the_continue_path_also_sets_the_cookie_and_redirects() -> None:
    """A HEAD to the continue path answers like a GET: 303 to ``next`` with the cookie."""
    client = continue_client()
    response = client.head(f"{CONTINUE_PATH}?next=%2Fdocs", headers=IE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/docs"
    assert the_cookie(response.headers.get_list("set-cookie"))[1] == "1"


def test_the_cookie_is_secure_over_https() -> None:
    """Over https the continue cookie carries the Secure flag."""
    client = TestClient(gated_app(allow_continue=True), base_url="https://testserver")
    response = client.get(f"{CONTINUE_PATH}?next=%2F", headers=IE, follow_redirects=False)
    assert response.status_code == 303
    _, _, attributes = the_cookie(response.headers.get_list("set-cookie"))
    assert "secure" in attributes


def test_continue_max_age_sets_the_cookie_max_age() -> None:
    """``continue_max_age`` is the cookie's Max-Age."""
    client = continue_client(continue_max_age=3600)
    response = client.get(f"{CONTINUE_PATH}?next=%2F", headers=IE, follow_redirects=False)
    _, _, attributes = the_cookie(response.headers.get_list("set-cookie"))
    assert attributes["max-age"] == "3600"


# --- off by default -------------------------------------------------------------------------

OFF = [pytest.param({}, id="default"), pytest.param({"allow_continue": False}, id="False")]


@pytest.mark.parametrize("options", OFF)
def test_without_allow_continue_the_page_has_no_continue_link(options: dict[str, Any]) -> None:
    """Without ``allow_continue`` the gate page offers no way to continue."""
    response = TestClient(gated_app(**options)).get("/docs/page?x=1", headers=IE)
    assert response.status_code == 406
    assert CONTINUE_TEXT not in response.text
    assert not [href for _, href in links(response.text) if CONTINUE_PATH in href]


@pytest.mark.parametrize("options", OFF)
def test_without_allow_continue_the_continue_path_belongs_to_the_app(
    options: dict[str, Any],
) -> None:
    """Without ``allow_continue`` the continue path is the app's (here a 404) and sets no cookie."""
    client = TestClient(gated_app(**options))
    response = client.get(
        f"{CONTINUE_PATH}?next=%2Fdocs", headers={"User-Agent": CHROME}, follow_redirects=False
    )
    assert response.status_code == 404
    assert "set-cookie" not in response.headers
    assert "location" not in response.headers


@pytest.mark.parametrize("options", OFF)
def test_without_allow_continue_ie_is_gated_on_the_continue_path(options: dict[str, Any]) -> None:
    """Without ``allow_continue`` IE asking for the continue path gets the gate, not a cookie."""
    client = TestClient(gated_app(**options))
    response = client.get(f"{CONTINUE_PATH}?next=%2Fdocs", headers=IE, follow_redirects=False)
    assert response.status_code == 406
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("options", OFF)
def test_without_allow_continue_the_cookie_does_not_let_ie_through(
    options: dict[str, Any],
) -> None:
    """Without ``allow_continue`` a ``uagate_continue=1`` cookie does not let IE through."""
    client = TestClient(gated_app(**options))
    response = client.get(
        "/docs/page?x=1", headers={"User-Agent": IE11, "Cookie": f"{COOKIE_NAME}=1"}
    )
    assert response.status_code == 406
    assert response.text != PAGE_BODY


# --- open redirects -------------------------------------------------------------------------


@pytest.mark.parametrize("value", REDIRECT_ATTACKS)
def test_an_unsafe_next_redirects_to_the_root(value: str) -> None:
    """An unsafe ``next`` (encoded properly in the query) gets a clean 303 to exactly ``/``."""
    client = continue_client()
    response = client.get(
        f"{CONTINUE_PATH}?{urlencode({'next': value})}", headers=IE, follow_redirects=False
    )
    assert_clean_redirect_to_root(response.status_code, response.headers.raw)


def test_a_missing_next_redirects_to_the_root() -> None:
    """The continue path without ``next`` gets a clean 303 to exactly ``/``."""
    response = continue_client().get(CONTINUE_PATH, headers=IE, follow_redirects=False)
    assert_clean_redirect_to_root(response.status_code, response.headers.raw)


@pytest.mark.parametrize("query_string", RAW_QUERY_ATTACKS)
def test_an_unsafe_raw_query_string_redirects_to_the_root(query_string: bytes) -> None:
    """An unsafe query string sent byte for byte gets a clean 303 to exactly ``/``."""
    app = gated_app(allow_continue=True)
    messages = asyncio.run(run_asgi(app, continue_scope(query_string)))
    start = response_start(messages)
    assert_clean_redirect_to_root(start["status"], list(start["headers"]))


@pytest.mark.parametrize("value", REDIRECT_ATTACKS)
def test_safe_next_refuses_an_unsafe_value(value: str) -> None:
    """``safe_next`` turns an unsafe value into ``/``."""
    assert safe_next(value) == "/"


def test_safe_next_turns_none_into_the_root() -> None:
    """``safe_next(None)`` (no ``next`` at all) is ``/``."""
    assert safe_next(None) == "/"


# --- safe targets are kept ------------------------------------------------------------------


@pytest.mark.parametrize("value", SAFE_TARGETS)
def test_a_safe_next_is_the_redirect_target(value: str) -> None:
    """A same-origin path in ``next`` is where the 303 goes, unchanged."""
    client = continue_client()
    response = client.get(
        f"{CONTINUE_PATH}?{urlencode({'next': value})}", headers=IE, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == value


@pytest.mark.parametrize("value", SAFE_TARGETS)
def test_safe_next_keeps_a_safe_value(value: str) -> None:
    """``safe_next`` returns a same-origin path as it is."""
    assert safe_next(value) == value


# --- the cookie -----------------------------------------------------------------------------


def test_the_cookie_among_others_lets_ie_through() -> None:
    """IE whose Cookie header carries ``uagate_continue=1`` among other cookies reaches the app."""
    client = continue_client()
    cookie = f"a=1; {COOKIE_NAME}=1; b=2"
    response = client.get("/docs/page?x=1", headers={"User-Agent": IE11, "Cookie": cookie})
    assert response.status_code == 200
    assert response.text == PAGE_BODY


def test_the_cookie_with_another_value_does_not_let_ie_through() -> None:
    """IE with ``uagate_continue=0`` is still gated."""
    client = continue_client()
    response = client.get(
        "/docs/page?x=1", headers={"User-Agent": IE11, "Cookie": f"{COOKIE_NAME}=0"}
    )
    assert response.status_code == 406
    assert response.text != PAGE_BODY


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param(
            {"allow_continue": True, "continue_path": "no-slash"}, "continue_path", id="no-slash"
        ),
        pytest.param({"allow_continue": True, "continue_path": 5}, "continue_path", id="path-int"),
        pytest.param(
            {"allow_continue": True, "continue_path": "//evil.example"},
            "continue_path",
            id="path-protocol-relative",
        ),
        pytest.param(
            {"allow_continue": True, "continue_max_age": 0}, "continue_max_age", id="max-age-0"
        ),
        pytest.param(
            {"allow_continue": True, "continue_max_age": "1"}, "continue_max_age", id="max-age-str"
        ),
        pytest.param({"allow_continue": "yes"}, "allow_continue", id="allow-continue-str"),
    ],
)
def test_a_bad_continue_option_fails_at_construction(options: dict[str, Any], name: str) -> None:
    """A bad continue option raises when the middleware is built, naming the option."""
    with pytest.raises((TypeError, ValueError), match=name):
        gated_app(**options)


# --- the link cannot inject markup ----------------------------------------------------------

INJECTIONS = [
    pytest.param(
        '/a"><script>alert(1)</script>',
        b"",
        "/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E",  # the path, percent-encoded
        id="in-path",
    ),
    pytest.param(
        "/a",
        b'q="><script>alert(1)</script>',
        "/a?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",  # the query as a browser encodes it
        id="in-query",
    ),
]


@pytest.mark.parametrize(("path", "query_string", "target"), INJECTIONS)
def test_the_continue_link_cannot_break_out_of_its_attribute(
    path: str, query_string: bytes, target: str
) -> None:
    """A request target with ``"><script>`` gives a page without ``<script>``, link intact."""
    scope = http_scope([(b"host", b"testserver"), (b"user-agent", IE11.encode())], path=path)
    scope["query_string"] = query_string
    messages = asyncio.run(run_asgi(gated_app(allow_continue=True), scope))
    assert response_start(messages)["status"] == 406
    html = response_body(messages)
    assert b"<script" not in html.lower()
    href = continue_link(html.decode("utf-8"))
    assert urlsplit(href).path == CONTINUE_PATH
    assert parse_qs(urlsplit(href).query) == {"next": [target]}


def test_continue_link_and_endpoint_live_under_the_root_path() -> None:
    """Behind a root path (--root-path /app), the link and the endpoint include it."""
    app = gated_app(allow_continue=True)
    headers = [(b"host", b"testserver"), (b"user-agent", IE11.encode())]
    page_scope = {**http_scope(headers, path="/app/docs/page"), "root_path": "/app"}
    page = response_body(asyncio.run(run_asgi(app, page_scope))).decode()
    link = continue_link(page)
    assert link == "/app" + CONTINUE_PATH + "?next=%2Fapp%2Fdocs%2Fpage"
    follow_scope = {**http_scope(headers, path="/app" + CONTINUE_PATH), "root_path": "/app"}
    follow_scope["query_string"] = urlsplit(link).query.encode()
    start = response_start(asyncio.run(run_asgi(app, follow_scope)))
    assert start["status"] == 303
    assert dict(start["headers"])[b"location"] == b"/app/docs/page"


def test_continued_request_carries_its_verdict_and_reaches_the_hook() -> None:
    """A request let through by the cookie gets reason 'continued' in state and in the hook."""
    seen: list[tuple[bool, Reason]] = []

    async def show(request: Request) -> PlainTextResponse:
        verdict = request.state.uagate
        return PlainTextResponse(f"{verdict.gated} {verdict.reason} {verdict.client.family}")

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        seen.append((verdict.gated, verdict.reason))

    app = UAGateMiddleware(
        Starlette(routes=[Route("/", show)]), allow_continue=True, on_verdict=hook
    )
    client = TestClient(app)
    client.cookies.set(COOKIE_NAME, "1")
    response = client.get("/", headers={"User-Agent": IE11})
    assert response.text == "False continued IE"
    assert seen == [(False, Reason.CONTINUED)]
