"""Property tests: arbitrary requests never break the gate or the app.

Hypothesis draws header lists (any latin-1 bytes, values up to 64 KB,
duplicates, missing headers, odd Accept, Accept-Language, cookies and client
hints), methods, paths and query strings, and sends them through gates with
different options. Under ``CI=true`` each property runs 2,000 examples (the
``ci`` profile in conftest.py); elsewhere 200.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send

from uagate import Policy, UAGateMiddleware, Verdict, _log, testing

from .conftest import http_scope, run_asgi

APP_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"x-app", b"1")]
APP_BODY = b"the app's own answer"
PROBE = b"<x-probe onload=alert(1)>"  # must never come back unescaped
CONTINUE_PATH = "/_uagate/continue"


class App:
    """The wrapped app: counts its calls and always gives the same answer."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 200, "headers": list(APP_HEADERS)})
        await send({"type": "http.response.body", "body": APP_BODY})


def gate(app: App, **options: Any) -> UAGateMiddleware:
    """A gate in front of ``app``."""
    return UAGateMiddleware(app, **options)


# Gates with different options, built once: their caches then carry over from one
# example to the next, as they would in a server.
OPTIONS: list[dict[str, Any]] = [
    {},
    {"policy": Policy.modern()},
    {"allow_continue": True},
    {"vary_user_agent": True, "cache_size": 0},
    {"report_only": True},
    {"page": "<p lang='$lang'>$heading $family $version $reason</p>", "allow_continue": True},
    {"policy": Policy(gate_bots=True), "max_user_agent_length": 64},
]
APPS = [App() for _ in OPTIONS]
GATES = [gate(app, **options) for app, options in zip(APPS, OPTIONS, strict=True)]

KNOWN_USER_AGENTS = [
    value.encode("latin-1")
    for name, value in vars(testing).items()
    if name.isupper() and isinstance(value, str)
]
TOKENS = [
    b"MSIE ",
    b"MSIE 7.0",
    b"Trident/",
    b"Trident/7.0",
    b"rv:11.0",
    b"IEMobile/10.0",
    b"Chrome/124.0",
    b";",
    b"(",
    b")",
    b" ",
    b"9" * 50,
    PROBE,
    b"\r\n",
    b"\x00",
    b"\xff",
    b'"',
]


@st.composite
def header_values(draw: st.DrawFn) -> bytes:
    """A header value: real, mangled, random, or a long run of one piece (up to 64 KB)."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.binary(max_size=300))
    if kind == 1:
        return draw(st.sampled_from(KNOWN_USER_AGENTS))
    if kind == 2:
        base = draw(st.sampled_from(KNOWN_USER_AGENTS))
        at = draw(st.integers(0, len(base)))
        return base[:at] + draw(st.sampled_from(TOKENS)) + base[at:]
    if kind == 3:
        parts = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30))
        return b"".join(parts)
    unit = draw(st.sampled_from([*TOKENS, b"(;", b"MSIE 6.0; ", b"a"]))
    return unit * draw(st.integers(1, 65536 // len(unit)))


ACCEPTS = [
    b"text/html",
    b"application/json",
    b"application/problem+json",
    b"*/*;q=0",
    b"text/html;q=0, application/json;q=0.5",
    b"application/json;q=abc",
    b";;;,,,",
]
LANGUAGES = [b"ar", b"de-DE, fr;q=0.9", b"*", b"xx-YY", b"en;q=0, *;q=0.1", b"zh-Hant-TW", b"; q=1"]
HINTS = [
    b'"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    b'"Chromium";v="90"',
    b'"Microsoft Edge";v="120.0.2210.91"',
    b'"\\"";v=";"',
    b"",
]
COOKIES = [b"uagate_continue=1", b"uagate_continue=0; a=b", b"=;=;=", b"uagate_continue"]


@st.composite
def header_lists(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    """A request's headers: any names among those the gate reads (or not), in any order."""
    names = st.sampled_from(
        [
            b"user-agent",
            b"accept",
            b"accept-language",
            b"cookie",
            b"sec-ch-ua",
            b"sec-ch-ua-full-version-list",
            b"host",
            b"x-other",
        ]
    )
    known = {
        b"accept": ACCEPTS,
        b"accept-language": LANGUAGES,
        b"sec-ch-ua": HINTS,
        b"sec-ch-ua-full-version-list": HINTS,
        b"cookie": COOKIES,
    }
    headers = []
    for name in draw(st.lists(names, max_size=10)):
        if name in known and draw(st.booleans()):
            value = draw(st.sampled_from(known[name]))
        else:
            value = draw(header_values())
        headers.append((name, value))
    # Most requests carry a User-Agent, half of them one of IE's family (real, or mangled),
    # so that the gate's own answers are drawn about as often as the app's.
    if draw(st.integers(0, 9)):
        user_agent = draw(st.one_of(ie_user_agents(), header_values()))
        headers.insert(draw(st.integers(0, len(headers))), (b"user-agent", user_agent))
    return headers


IE_FAMILY = [ua for ua in KNOWN_USER_AGENTS if b"MSIE" in ua or b"Trident" in ua]


@st.composite
def ie_user_agents(draw: st.DrawFn) -> bytes:
    """One of IE's family, as it is or with a token or junk put in somewhere."""
    base = draw(st.sampled_from(IE_FAMILY))
    if draw(st.booleans()):
        return base
    at = draw(st.integers(0, len(base)))
    return base[:at] + draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=20))) + base[at:]


PATHS = st.one_of(
    st.sampled_from(["/", "/docs/page", CONTINUE_PATH, "/" + PROBE.decode(), "//evil.example"]),
    st.text(alphabet=st.characters(codec="latin-1"), max_size=40).map(lambda t: "/" + t),
)
QUERIES = st.one_of(
    st.sampled_from(
        [b"", b"next=//evil.example", b"next=%2F%2Fevil.example", b"next=/%3Cx-probe%3E", b"x=1"]
    ),
    st.binary(max_size=60),
)


def send_through(index: int, scope: Scope) -> tuple[list[Message], bool]:
    """The messages gate ``index`` sends for ``scope``, and whether its app was called."""
    app = APPS[index]
    before = app.calls
    messages = asyncio.run(run_asgi(GATES[index], scope))
    return messages, app.calls > before


def check_gate_response(messages: list[Message], scope: Scope, index: int) -> None:
    """A well-formed answer of the gate's own: the page, problem+json, or the continue redirect."""
    start, *bodies = messages
    assert start["type"] == "http.response.start"
    assert all(message["type"] == "http.response.body" for message in bodies)
    headers = start["headers"]
    for name, value in headers:
        assert name == name.lower()
        assert not set(b"\r\n\x00") & set(value), (name, value)
    fields = {name.decode(): value.decode("latin-1") for name, value in headers}
    body = b"".join(message.get("body", b"") for message in bodies)
    if start["status"] == 303:  # the continue link: back to a path on this site, with the cookie
        assert OPTIONS[index].get("allow_continue")
        location = fields["location"]
        assert location.startswith("/")
        assert not location.startswith(("//", "/\\"))
        cookie = fields["set-cookie"].lower()
        assert cookie.startswith("uagate_continue=1;")
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        return
    assert start["status"] == 406
    assert fields["cache-control"] == "no-store"
    assert fields["vary"].startswith(
        "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language"
    )
    assert fields["content-type"] in ("text/html; charset=utf-8", "application/problem+json")
    if scope["method"] == "HEAD":
        assert body == b""
        return
    assert int(fields["content-length"]) == len(body)
    assert PROBE not in body
    if fields["content-type"] == "application/problem+json":
        assert json.loads(body)["status"] == 406
    else:
        text = body.decode("utf-8")
        assert text.count("<h1>") == 1 or text.startswith("<p lang=")


def check_app_response(messages: list[Message], index: int) -> None:
    """The app's own answer, untouched (with ``vary_user_agent``: plus Vary)."""
    start, body = messages
    expected = list(APP_HEADERS)
    if OPTIONS[index].get("vary_user_agent"):
        expected.append((b"vary", b"User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List"))
    assert (start["status"], start["headers"]) == (200, expected)
    assert body == {"type": "http.response.body", "body": APP_BODY}


@given(
    index=st.integers(0, len(GATES) - 1),
    headers=header_lists(),
    method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS"]),
    path=PATHS,
    query=QUERIES,
)
def test_any_request_gets_the_apps_answer_or_a_well_formed_gate_answer(
    index: int, headers: list[tuple[bytes, bytes]], method: str, path: str, query: bytes
) -> None:
    """Whatever the headers, the middleware never raises, and answers as the app or as the gate."""
    scope = http_scope(headers, method=method, path=path)
    scope["query_string"] = query
    scope["raw_path"] = path.encode("latin-1")
    messages, app_called = send_through(index, scope)
    if app_called:
        event("the app answered")
        check_app_response(messages, index)
    else:
        event(f"the gate answered {messages[0]['status']}")
        check_gate_response(messages, scope, index)


# The same options with caching off: what each gate must answer, example after example.
UNCACHED_APPS = [App() for _ in OPTIONS]
UNCACHED = [
    gate(app, **{**options, "cache_size": 0})
    for app, options in zip(UNCACHED_APPS, OPTIONS, strict=True)
]


@given(index=st.integers(0, len(GATES) - 1), headers=header_lists())
def test_caches_never_change_an_answer(index: int, headers: list[tuple[bytes, bytes]]) -> None:
    """A gate that remembers (after all the examples before) answers as one that does not."""
    cached = send_through(index, http_scope(list(headers)))
    again = send_through(index, http_scope(list(headers)))
    before = UNCACHED_APPS[index].calls
    uncached = asyncio.run(run_asgi(UNCACHED[index], http_scope(list(headers))))
    assert cached == again
    assert cached == (uncached, UNCACHED_APPS[index].calls > before)


@given(
    text=st.sampled_from(
        ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'-alert(1)-'"]
    ),
    where=st.sampled_from(["path", "query", "accept-language", "user-agent"]),
)
def test_nothing_from_the_request_comes_back_unescaped(text: str, where: str) -> None:
    """XSS through the path, query, Accept-Language or User-Agent is never reflected raw."""
    user_agent = testing.IE11
    path, query, language = "/docs", b"", b"en"
    if where == "path":
        path = "/" + text
    elif where == "query":
        query = b"next=" + text.encode()
    elif where == "accept-language":
        language = text.encode()
    else:
        user_agent = f"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; {text})"
    for index in (2, 5):  # with a continue link (it carries the path), and a template
        headers = [(b"user-agent", user_agent.encode()), (b"accept-language", language)]
        scope = http_scope(headers, path=path)
        scope["query_string"] = query
        messages, app_called = send_through(index, scope)
        assert not app_called
        body = b"".join(message.get("body", b"") for message in messages[1:])
        assert text.encode() not in body


class Keeper(logging.Handler):
    """Keeps each uagate record's message and its extra fields."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.kept: list[tuple[str, dict[str, object]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        extra = {key: value for key, value in vars(record).items() if key.startswith("uagate_")}
        self.kept.append((record.getMessage(), extra))


class VerdictApp:
    """An app that keeps the verdict each request reached it with."""

    def __init__(self) -> None:
        self.verdicts: list[Verdict | None] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.verdicts.append(scope.get("state", {}).get("uagate"))
        await send({"type": "http.response.start", "status": 200, "headers": list(APP_HEADERS)})
        await send({"type": "http.response.body", "body": APP_BODY})


def _hook(request: object, verdict: Verdict) -> None:
    return None


def _page(request: object, verdict: Verdict) -> Response:
    return PlainTextResponse(f"old {verdict.client.family}", status_code=406)


def _exclude(request: HTTPConnection) -> bool:
    return request.url.path.startswith("/docs")


GATE_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "policy": st.sampled_from([Policy(), Policy.modern(), Policy(gate_bots=True)]),
        "report_only": st.booleans(),
        "exclude_paths": st.sampled_from([[], ["/static/"]]),
        "methods": st.sampled_from([None, ["GET"]]),
        "on_verdict": st.sampled_from([None, _hook]),
        "allow_continue": st.booleans(),
        "vary_user_agent": st.booleans(),
        "page": st.sampled_from([None, "<p>$heading $family $version</p>", _page]),
        "exclude": st.sampled_from([None, _exclude]),
        "gate_websockets": st.booleans(),
        "default_language": st.sampled_from(["en", "de", "ar"]),
        "cache_size": st.sampled_from([1, 10, 10_000]),
        "max_user_agent_length": st.sampled_from([64, 512]),
        "status_code": st.sampled_from([406, 200]),
    },
)


@given(
    options=GATE_OPTIONS,
    requests=st.lists(
        st.tuples(header_lists(), st.sampled_from(["GET", "HEAD", "POST"]), PATHS),
        min_size=1,
        max_size=4,
    ),
)
def test_the_shortcut_changes_no_response_and_no_verdict(
    options: dict[str, Any], requests: list[tuple[list[tuple[bytes, bytes]], str, str]]
) -> None:
    """With any options, a gate with its shortcut and one without answer byte for byte alike.

    Each request is sent twice, so the second one can take the shortcut; the
    app records the verdict it was given, which must be equal too.
    """
    with_app, without_app = VerdictApp(), VerdictApp()
    with_shortcut = UAGateMiddleware(with_app, **options)
    without_shortcut = UAGateMiddleware(without_app, **options)
    without_shortcut._known = None
    logger = logging.getLogger("uagate")
    records: dict[bool, list[tuple[str, dict[str, object]]]] = {True: [], False: []}
    taken = 0
    for headers, method, path in requests * 2:
        scope = http_scope(list(headers), method=method, path=path)
        known = with_shortcut._known
        taken += known is not None and any(
            name == b"user-agent" and with_shortcut._verdicts.seen(value, list(headers)) is not None
            for name, value in headers
        )
        answers = []
        for shortcut, gate in ((True, with_shortcut), (False, without_shortcut)):
            keeper = Keeper()
            _log._logged_causes.clear()  # each gate may log its once-per-cause warnings
            logger.addHandler(keeper)
            level, propagate = logger.level, logger.propagate
            logger.setLevel(logging.INFO)
            logger.propagate = False
            try:
                answers.append(asyncio.run(run_asgi(gate, dict(scope, headers=list(headers)))))
            finally:
                logger.removeHandler(keeper)
                logger.setLevel(level)
                logger.propagate = propagate
            records[shortcut] += keeper.kept
        assert answers[0] == answers[1]
    assert with_app.verdicts == without_app.verdicts
    assert records[True] == records[False]
    event("the shortcut was taken" if taken else "the shortcut was not taken")
