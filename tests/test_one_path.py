"""One request path: the same reading, the same verdict, safe links and an honest Vary."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from uagate import UAGateMiddleware, check, testing
from uagate.detect import IE_MARKERS, cap, has_ie_marker

from .conftest import app_that_must_not_run, corpus_path, hello_asgi, http_scope, run_asgi


def status_for(user_agent: bytes, **options: object) -> int:
    """The status the gate answers a GET with this raw User-Agent."""
    app = UAGateMiddleware(hello_asgi, **options)  # type: ignore[arg-type]
    return int(asyncio.run(run_asgi(app, http_scope([(b"user-agent", user_agent)])))[0]["status"])


@pytest.mark.parametrize(
    "padding",
    ["\xa0" * 600, " " * 600, "\t\x0b\x0c\r\n\x1c\x1d\x1e\x1f\x85" * 70, "\xa0 \x85" * 300],
    ids=["nbsp", "spaces", "latin-1-controls", "mixed"],
)
def test_check_and_the_middleware_strip_and_cut_alike(padding: str) -> None:
    """Leading whitespace of any kind is stripped before the cut, by check() and the gate alike."""
    user_agent = padding + testing.IE11
    assert check(user_agent).gated
    assert status_for(user_agent.encode("latin-1")) == 406


@given(st.binary(max_size=1200), st.integers(16, 700))
def test_cap_reads_bytes_as_their_latin_1_text(raw: bytes, max_length: int) -> None:
    """cap(raw) is cap(raw.decode('latin-1')) for any bytes and any cap."""
    assert cap(raw, max_length) == cap(raw.decode("latin-1"), max_length)


def test_every_ie_and_trident_string_has_a_marker() -> None:
    """Every IE and Trident string in uagate.testing and the corpus holds one of IE_MARKERS."""
    named = [
        value
        for name, value in vars(testing).items()
        if name.isupper() and isinstance(value, str) and check(value).client.is_trident
    ]
    assert len(named) >= 10
    with corpus_path().open(encoding="utf-8") as corpus:
        next(corpus)
        rows = [line.rstrip("\n").split("\t") for line in corpus]
    trident = [row[4] for row in rows if row[0] in ("ie", "app_embedding_trident")]
    assert len(trident) == 5829 + 431
    missing = [ua for ua in named + trident if not has_ie_marker(ua.lower())]
    assert missing == []
    assert IE_MARKERS == ("msie", "trident", "iemobile", "internet explorer", "browser/ie", "mspie")


@pytest.mark.parametrize(
    ("root_path", "href_start"),
    [
        ("/\\evil.com", "/%5Cevil.com/_uagate/continue?next="),
        ("//evil.com", "/evil.com/_uagate/continue?next="),
        ("/https://evil.com", "/https%3A//evil.com/_uagate/continue?next="),
        ("/tenant", "/tenant/_uagate/continue?next="),
        ("/", "/_uagate/continue?next=%2Fpage"),
        ("///", "/_uagate/continue?next=%2Fpage"),
        ("/t\u00e9nant", "/t%C3%A9nant/_uagate/continue?next="),
    ],
)
def test_the_continue_link_stays_on_this_site_whatever_the_root_path(
    root_path: str, href_start: str
) -> None:
    """A root path with a backslash, '//' or a scheme never makes the link leave the site."""
    gate = UAGateMiddleware(app_that_must_not_run, allow_continue=True)
    scope = http_scope([(b"user-agent", testing.IE11.encode())], path=root_path + "/page")
    scope["root_path"] = root_path
    messages = asyncio.run(run_asgi(gate, scope))
    body = b"".join(message.get("body", b"") for message in messages[1:]).decode()
    href = body.split('class="continue"><a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert href.startswith(href_start)
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("", "")
    assert "\\" not in href
    scope["headers"].append((b"accept", b"application/problem+json"))
    messages = asyncio.run(run_asgi(gate, scope))
    problem = b"".join(message.get("body", b"") for message in messages[1:]).decode()
    assert f'"continue_url": "{href}"' in problem


def test_a_mounted_tenant_path_cannot_link_to_another_site() -> None:
    """Under Mount('/{tenant}'), a request for /%5Cevil.com/page links below /%5Cevil.com."""
    gated = UAGateMiddleware(app_that_must_not_run, allow_continue=True)
    app = Starlette(routes=[Mount("/{tenant}", app=gated)])
    response = TestClient(app).get("/%5Cevil.com/page", headers={"User-Agent": testing.IE11})
    assert response.status_code == 406
    href = response.text.split('class="continue"><a href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/%5Cevil.com/_uagate/continue?next=")
    assert unquote(href.split("next=", 1)[1]).startswith("/")


def test_a_lone_surrogate_in_the_path_still_gets_a_link() -> None:
    """A path with a lone surrogate (a server may pass one) gives the page and a link."""
    gate = UAGateMiddleware(app_that_must_not_run, allow_continue=True)
    scope = http_scope([(b"user-agent", testing.IE11.encode())])
    scope["path"] = "/a\ud800b"
    messages = asyncio.run(run_asgi(gate, scope))
    assert messages[0]["status"] == 406
    body = b"".join(message.get("body", b"") for message in messages[1:])
    assert b"/_uagate/continue?next=%2Fa%25ED%25A0%2580b" in body


def test_the_gate_page_names_every_header_it_depends_on() -> None:
    """The gate page's Vary names the User-Agent, both hint headers, Accept and its language."""
    response = TestClient(UAGateMiddleware(hello_asgi, allow_continue=True)).get(
        "/", headers={"User-Agent": testing.IE11}
    )
    assert response.headers["vary"] == (
        "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language, Cookie"
    )


def test_the_verdict_carries_the_parsed_user_agent_once() -> None:
    """verdict.parsed is user_agents' whole description, parsed once and kept."""
    seen = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.append(scope["state"]["uagate"])  # type: ignore[index]
        await hello_asgi(scope, receive, send)  # type: ignore[arg-type]

    gate = UAGateMiddleware(app)  # type: ignore[arg-type]
    for _ in range(2):
        asyncio.run(run_asgi(gate, http_scope([(b"user-agent", testing.CHROME_ANDROID.encode())])))
    first, second = seen
    assert first is second
    parsed = first.parsed
    assert parsed is second.parsed
    assert (parsed.is_mobile, parsed.os.family, parsed.browser.family) == (
        True,
        "Android",
        "Chrome Mobile",
    )


def test_a_predicate_that_fails_passes_the_client_with_its_verdict() -> None:
    """A predicate that raises counts as False: the app, a hook and check() all see a pass."""
    from starlette.requests import HTTPConnection

    from uagate import Policy, Reason, Verdict

    def predicate(client: object) -> bool:
        return {"Chrome": False}[client.family]  # type: ignore[attr-defined]

    policy = Policy(predicate=predicate)
    seen: list[Verdict] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.append(scope["state"]["uagate"])  # type: ignore[index]
        await hello_asgi(scope, receive, send)  # type: ignore[arg-type]

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        seen.append(verdict)

    gate = UAGateMiddleware(app, policy=policy, on_verdict=hook)  # type: ignore[arg-type]
    response = TestClient(gate).get("/", headers={"User-Agent": testing.FIREFOX})
    assert response.status_code == 200
    expected = check(testing.FIREFOX, policy=policy)
    assert (expected.gated, expected.reason) == (False, Reason.SUPPORTED)
    assert seen == [expected, expected]


def test_a_hook_that_reads_the_body_cannot_take_it_from_the_app() -> None:
    """The hook gets the request without its body; the app still reads all of it."""
    from starlette.requests import HTTPConnection, Request
    from starlette.responses import PlainTextResponse

    from uagate import Verdict

    async def hook(request: HTTPConnection, verdict: Verdict) -> None:
        await request.body()  # type: ignore[attr-defined]

    async def echo(scope: dict[str, object], receive: object, send: object) -> None:
        body = await Request(scope, receive).body()  # type: ignore[arg-type]
        await PlainTextResponse(body)(scope, receive, send)  # type: ignore[arg-type]

    client = TestClient(UAGateMiddleware(echo, on_verdict=hook))  # type: ignore[arg-type]
    response = client.post("/", content=b"the body", headers={"User-Agent": testing.CHROME})
    assert response.text == "the body"


def test_check_refuses_a_bad_cap_and_reads_text_no_request_could_carry() -> None:
    """check() takes max_length as the middleware does, and lone surrogates never raise."""
    from uagate import Reason

    with pytest.raises(ValueError, match="max_length"):
        check(testing.IE11, max_length=-1)
    with pytest.raises(TypeError, match="max_length"):
        check(testing.IE11, max_length="512")  # type: ignore[arg-type]
    assert check(testing.IE11 + "\udcff").reason is Reason.INTERNET_EXPLORER
    assert check(testing.CHROME + "\udcff").reason is Reason.SUPPORTED
    long_chrome = testing.CHROME + " " + "x" * 900
    assert check(long_chrome, max_length=1024).client.user_agent == long_chrome
