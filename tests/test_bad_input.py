"""Bad input fails open: huge, unparseable or odd User-Agents pass or decide normally."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from uagate import Client, Policy, Reason, UAGateMiddleware, Verdict, check
from uagate.detect import DEFAULT_MAX_LENGTH, cap
from uagate.testing import CHROME, IE6, IE11

from .conftest import app_that_must_not_run, hello_asgi, http_scope, run_asgi

# A version number of more than 4,300 digits makes the parser's int() raise ValueError.
HUGE_VERSION_IE = "Mozilla/4.0 (compatible; MSIE " + "9" * 5000 + ".0; Windows NT 5.1)"


def test_cap_keeps_the_first_512_characters_after_leading_space() -> None:
    """The cap keeps the first 512 characters, counted after leading whitespace."""
    assert DEFAULT_MAX_LENGTH == 512
    assert cap("  " + "x" * 100_000) == "x" * 512
    assert cap(" " * 600 + IE11) == IE11


@pytest.mark.parametrize("size", [10_000, 1_000_000])
def test_huge_header_decides_on_its_first_512_characters(size: int) -> None:
    """IE 11 padded to 10 KB or 1 MB is still gated; Chrome padded the same still passes."""
    padded = IE11 + ";" * size
    verdict = check(padded)
    assert verdict.gated
    assert verdict.client.user_agent == padded[:512]
    assert not check(CHROME + " MSIE" * (size // 5)).gated


def test_leading_whitespace_does_not_hide_ie_behind_the_cap() -> None:
    """600 spaces before IE 11's string neither use up the cap nor make it pass."""
    app = UAGateMiddleware(hello_asgi)
    scope = http_scope([(b"user-agent", b" " * 600 + IE11.encode())])
    assert asyncio.run(run_asgi(app, scope))[0]["status"] == 406


def test_parser_error_passes_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    """The parser's ValueError on a 5,000-digit version passes the request, logged once."""
    app = UAGateMiddleware(hello_asgi, max_user_agent_length=65536)
    scope = http_scope([(b"user-agent", HUGE_VERSION_IE.encode())])
    with caplog.at_level(logging.WARNING, logger="uagate"):
        first = asyncio.run(run_asgi(app, scope))
        second = asyncio.run(run_asgi(app, scope))
    assert first[0]["status"] == second[0]["status"] == 200
    records = [r for r in caplog.records if r.name == "uagate" and "ValueError" in r.getMessage()]
    assert len(records) == 1
    assert records[0].exc_info is None


def test_parser_error_gives_an_unparseable_verdict() -> None:
    """check() reports the parser failure as reason 'unparseable', not gated."""
    from uagate.decision import Decider

    verdict = Decider(max_length=65536)(HUGE_VERSION_IE)
    assert verdict == Verdict(False, Reason.UNPARSEABLE, Client(HUGE_VERSION_IE))


class BrokenPolicy(Policy):
    """A policy whose decision raises, standing in for any bug in detection."""

    def decide(self, client: Client) -> Verdict:
        raise RuntimeError("policy bug")


def test_an_exception_while_deciding_passes_the_request(caplog: pytest.LogCaptureFixture) -> None:
    """Fail open: an error while deciding is logged and the app answers, never a 500."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=BrokenPolicy()))
    with caplog.at_level(logging.WARNING, logger="uagate"):
        response = client.get("/", headers={"User-Agent": IE6})
    assert response.status_code == 200
    assert response.content == b"plain"
    assert any("policy bug" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("value", [None, "", "-", "null", "NULL", "none", "undefined", "   "])
def test_missing_and_placeholder_user_agents_pass(value: str | None) -> None:
    """No User-Agent, an empty one or a placeholder passes with reason 'no-user-agent'."""
    verdict = check(value)
    assert not verdict.gated
    assert verdict.reason is Reason.NO_USER_AGENT


@pytest.mark.parametrize(
    "value",
    [
        "MSIE",
        "Trident/",
        "MSIE MSIE MSIE",
        "(" * 5000,
        ";" * 5000,
        "Mozilla/4.0 (compatible; MSIE 6.0;" + " ;" * 3000,
        "\x00\x01\x02 MSIE \xff",
        "Trident/99999999999999999999",
    ],
)
def test_garbage_never_raises(value: str) -> None:
    """Garbage and crafted strings give a verdict, never an exception."""
    verdict = check(value)
    assert isinstance(verdict.gated, bool)


def test_a_query_string_that_is_not_utf8_survives_the_continue_link(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Raw non-UTF-8 query bytes (IE's code page) survive the page, link, endpoint and log."""
    app = UAGateMiddleware(hello_asgi, allow_continue=True)
    scope = http_scope([(b"user-agent", IE11.encode())], path="/docs")
    scope["query_string"] = b"q=caf\xe9\xff"
    with caplog.at_level(logging.INFO, logger="uagate"):
        messages = asyncio.run(run_asgi(app, scope))
    assert messages[0]["status"] == 406
    assert "gated GET /docs: IE 11.0 (internet-explorer)" in caplog.text
    body = b"".join(m.get("body", b"") for m in messages[1:]).decode("utf-8")
    found = re.search(r'href="(/_uagate/continue[^"]*)"', body)
    assert found is not None
    link = urlsplit(html.unescape(found[1]))
    follow = http_scope([(b"user-agent", IE11.encode())], path=link.path)
    follow["query_string"] = link.query.encode("ascii")
    start = asyncio.run(run_asgi(app, follow))[0]
    assert start["status"] == 303
    assert dict(start["headers"])[b"location"] == b"/docs?q=caf%E9%FF"


def test_a_non_utf8_next_on_the_continue_endpoint_redirects_safely() -> None:
    """Raw non-UTF-8 bytes sent straight to the continue endpoint still give a local redirect."""
    app = UAGateMiddleware(hello_asgi, allow_continue=True)
    scope = http_scope([(b"user-agent", IE11.encode())], path="/_uagate/continue")
    scope["query_string"] = b"next=/a%3Fb\x80"
    start = asyncio.run(run_asgi(app, scope))[0]
    assert start["status"] == 303
    location = dict(start["headers"])[b"location"]
    assert location.startswith(b"/a?b")
    assert location.isascii()


def test_a_hook_whose_errors_hold_request_text_cannot_silence_other_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Warnings are kept apart by where they come from, not by their text."""

    def hook(request: object, verdict: object) -> None:
        raise RuntimeError(f"metrics down for {request.headers['user-agent']}")  # type: ignore[attr-defined]

    client = TestClient(UAGateMiddleware(hello_asgi, on_verdict=hook))
    with caplog.at_level(logging.WARNING, logger="uagate"):
        for index in range(150):
            client.get("/", headers={"User-Agent": "Client " + "x" * index})

        def broken_exclude(request: object) -> bool:
            raise ValueError("exclusion bug")

        other = TestClient(UAGateMiddleware(hello_asgi, exclude=broken_exclude))
        other.get("/", headers={"User-Agent": "Client"})
    messages = [record.getMessage() for record in caplog.records if record.name == "uagate"]
    assert sum("on_verdict hook" in message for message in messages) == 1
    assert sum("exclude callable" in message for message in messages) == 1


def test_control_characters_never_reach_a_gated_log_line(caplog: pytest.LogCaptureFixture) -> None:
    """A family copied from the request by a parser rule is logged without control bytes."""
    # uap-core names this client from the text before "CFNetwork", escape bytes and all.
    user_agent = b"Evil\x1b[2J\x1b]0;pwned\x07App/1.0 CFNetwork/1.0 Darwin/9.0 MSIE 6.0; Windows"
    gate = UAGateMiddleware(app_that_must_not_run, policy=Policy(gate_bots=True))
    with caplog.at_level(logging.INFO, logger="uagate"):
        asyncio.run(run_asgi(gate, http_scope([(b"user-agent", user_agent)])))
    records = [record for record in caplog.records if record.name == "uagate"]
    assert records
    for record in records:
        text = record.getMessage() + str(record.__dict__.get("uagate_family", ""))
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text), text
