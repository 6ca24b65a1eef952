"""The verdict caches: bounded, keyed by everything a verdict depends on, never stale."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Receive, Scope, Send

from uagate import Policy, UAGateMiddleware
from uagate.decision import Decider, Verdicts
from uagate.testing import CHROME, FIREFOX, IE8, IE9, IE11

from .conftest import CHROME_119, CHROME_124, CHROME_125_UA, hello_asgi, http_scope, run_asgi


def status(app: UAGateMiddleware, headers: list[tuple[bytes, bytes]]) -> int:
    """The status ``app`` answers a request with these headers."""
    return int(asyncio.run(run_asgi(app, http_scope(headers)))[0]["status"])


def ua(value: str) -> tuple[bytes, bytes]:
    """A User-Agent header."""
    return (b"user-agent", value.encode("latin-1"))


@pytest.mark.parametrize("policy", [Policy(), Policy.modern()])
def test_tables_stay_bounded(policy: Policy) -> None:
    """However many distinct clients come, no table grows past cache_size."""
    app = UAGateMiddleware(hello_asgi, policy=policy, cache_size=50)
    for index in range(500):
        status(app, [ua(f"{CHROME} n{index}")])
        status(app, [ua(f"{IE11} n{index}")])
    verdicts = app._verdicts
    tables = verdicts._known, verdicts._unhinted, verdicts._hinted, app._page._kept
    assert all(0 < len(table) <= 50 for table in tables[:2])
    assert len(tables[2]) == 0
    assert len(tables[3]) <= 50


def test_verdicts_stay_right_after_the_tables_are_emptied() -> None:
    """After a table fills and empties, the same clients get the same answers."""
    app = UAGateMiddleware(hello_asgi, cache_size=3)
    for _ in range(5):
        for index in range(10):
            assert status(app, [ua(f"{FIREFOX} n{index}")]) == 200
            assert status(app, [ua(f"{IE11} n{index}")]) == 406


def test_hints_are_part_of_the_key_for_ie_strings() -> None:
    """The same IE string is gated without hints and passes with Chrome's, in any order."""
    app = UAGateMiddleware(hello_asgi)
    with_hints = [ua(IE11), (b"sec-ch-ua", CHROME_124.encode())]
    for _ in range(3):
        assert status(app, [ua(IE11)]) == 406
        assert status(app, with_hints) == 200


def test_hints_are_part_of_the_key_for_version_rules() -> None:
    """Under Policy.modern(), IE's string with old and new Chromium hints gets two answers."""
    app = UAGateMiddleware(hello_asgi, policy=Policy.modern())
    old = [ua(IE11), (b"sec-ch-ua", CHROME_119.encode())]
    new = [ua(IE11), (b"sec-ch-ua", CHROME_124.encode())]
    for _ in range(3):
        assert status(app, old) == 406
        assert status(app, new) == 200
        assert status(app, [ua(IE11)]) == 406
        assert status(app, [ua(CHROME_125_UA), (b"sec-ch-ua", CHROME_119.encode())]) == 200


def test_remembered_gate_page_follows_language_and_method() -> None:
    """A remembered gate response is kept apart by Accept-Language, Accept and method."""
    app = UAGateMiddleware(hello_asgi)

    def answer(language: str, method: str = "GET") -> tuple[bytes, bytes]:
        scope = http_scope([ua(IE11), (b"accept-language", language.encode())], method=method)
        messages = asyncio.run(run_asgi(app, scope))
        headers = dict(messages[0]["headers"])
        body = b"".join(m.get("body", b"") for m in messages[1:])
        return headers[b"content-language"], body

    for _ in range(2):
        assert answer("de")[0] == b"de"
        assert answer("fr")[0] == b"fr"
        assert answer("de", "HEAD")[1] == b""
        assert answer("de")[1] != b""


def body(app: UAGateMiddleware, user_agent: str) -> bytes:
    """The body ``app`` answers a GET with this User-Agent (without the padding for IE)."""
    messages = asyncio.run(run_asgi(app, http_scope([ua(user_agent)])))
    text = b"".join(message.get("body", b"") for message in messages[1:])
    return text.split(b"\n<!-- uagate: padding", 1)[0]


def test_remembered_page_follows_the_client_where_the_template_shows_it() -> None:
    """A template with $family/$version gets a page per version; the built-in page is shared."""
    shows = UAGateMiddleware(hello_asgi, page="<p>$family $version</p>")
    plain = UAGateMiddleware(hello_asgi, page="<p>$heading</p>")
    for _ in range(2):
        assert [body(shows, agent) for agent in (IE8, IE9, IE11)] == [
            b"<p>IE 8.0</p>",
            b"<p>IE 9.0</p>",
            b"<p>IE 11.0</p>",
        ]
        assert {body(plain, agent) for agent in (IE8, IE9, IE11)} == {
            b"<p>We don&#x27;t support Internet Explorer</p>"
        }
    assert len(plain._page._kept) == 1


def test_cache_size_zero_decides_every_request() -> None:
    """cache_size=0 keeps nothing and still answers correctly."""
    app = UAGateMiddleware(hello_asgi, cache_size=0)
    for _ in range(2):
        assert status(app, [ua(IE11)]) == 406
        assert status(app, [ua(CHROME)]) == 200
    assert len(app._verdicts._known) == 0


@pytest.mark.parametrize("value", [-1, 10_000_001])
def test_bad_cache_size_fails_at_construction(value: int) -> None:
    """cache_size out of range raises ValueError naming it."""
    with pytest.raises(ValueError, match="cache_size"):
        UAGateMiddleware(hello_asgi, cache_size=value)


def test_report_only_still_reads_the_continue_cookie() -> None:
    """With report_only and allow_continue, a cookie turns a would-be gate into 'continued'."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["state"]["uagate"].reason.value)
        await hello_asgi(scope, receive, send)

    gate = UAGateMiddleware(app, report_only=True, allow_continue=True)
    cookie = (b"cookie", b"uagate_continue=1")
    for _ in range(2):
        assert status(gate, [ua(IE11)]) == 200
        assert status(gate, [ua(IE11), cookie]) == 200
    assert seen == ["internet-explorer", "continued"] * 2


def test_long_values_are_kept_by_digest_within_the_byte_budget() -> None:
    """Long User-Agents and hints are remembered by a digest, and their text within the budget."""
    verdicts = Verdicts(Decider(max_length=65536), size=1000, max_bytes=1_000_000)
    for index in range(100):
        long_agent = f"{CHROME} {index} ".encode() + b"x" * 60_000
        assert not verdicts(long_agent).gated
        hint = f'"Chromium";v="{index}"'.encode() + b"x" * 3000
        assert verdicts(IE11.encode(), hint).gated  # malformed hint: IE's string decides
    for table in (verdicts._known, verdicts._hinted):
        assert 0 < table.bytes <= 1_000_000
        assert all(not isinstance(key, bytes) or len(key) <= 2048 for key in table.data)
    assert len(verdicts._known) < 20


def test_page_table_follows_cache_size() -> None:
    """The remembered gate pages are limited by cache_size too."""
    app = UAGateMiddleware(hello_asgi, cache_size=5)
    for index in range(30):
        status(app, [ua(IE11), (b"accept-language", f"x{index}, de".encode())])
    assert len(app._page._kept) <= 5


def test_values_that_are_not_bytes_never_break_a_request() -> None:
    """A server that hands over bytearray values (against the ASGI spec) still gets answers."""
    app = UAGateMiddleware(hello_asgi)
    for _ in range(2):
        assert status(app, [(b"user-agent", bytearray(CHROME.encode()))]) == 200  # type: ignore[list-item]
        ie = [(b"user-agent", bytearray(IE11.encode())), (b"accept", bytearray(b"*/*"))]
        assert status(app, ie) == 406  # type: ignore[arg-type]


def test_padded_or_overlong_hints_are_refused() -> None:
    """A hint over the length limit is malformed, even when padded with leading spaces."""
    app = UAGateMiddleware(hello_asgi)
    padded = b" " * 1100 + CHROME_124.encode()
    assert status(app, [ua(IE11), (b"sec-ch-ua", padded)]) == 406
