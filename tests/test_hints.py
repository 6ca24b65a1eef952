"""Client hints: a Chromium brand is never IE; any other string names its client itself."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from uagate import Policy, Reason, UAGateMiddleware, check
from uagate.detect import ClientHints
from uagate.testing import IE11, IE11_COMPATIBILITY_VIEW

from .conftest import CHROME_119, CHROME_124, CHROME_125_UA, hello_asgi

CHROME_124_FULL = (
    '"Chromium";v="124.0.6367.91", "Google Chrome";v="124.0.6367.91", "Not-A.Brand";v="99.0.0.0"'
)
EDGE_110 = '"Not A(Brand";v="24", "Microsoft Edge";v="110", "Chromium";v="110"'


def test_chromium_brand_is_never_internet_explorer() -> None:
    """A client that names a Chromium brand passes even with IE's User-Agent string."""
    verdict = check(IE11, {"Sec-CH-UA": CHROME_124})
    assert not verdict.gated
    assert (verdict.client.family, verdict.client.engine) == ("Chrome", "Blink")


def test_chromium_hints_pass_ie_string_through_the_middleware() -> None:
    """Through the middleware, IE's string plus Chrome's hints reaches the app."""
    client = TestClient(UAGateMiddleware(hello_asgi))
    response = client.get("/", headers={"User-Agent": IE11, "Sec-CH-UA": CHROME_124})
    assert response.status_code == 200
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406


def test_hints_are_not_read_for_strings_without_an_ie_marker() -> None:
    """Chrome's own string is judged by itself: hints of another version change nothing."""
    policy = Policy(min_versions={"chrome": 120})
    alone = check(CHROME_125_UA, policy=policy)
    hinted = check(CHROME_125_UA, {"sec-ch-ua": CHROME_119}, policy=policy)
    assert hinted == alone
    assert (hinted.gated, hinted.client.family, hinted.client.version) == (
        False,
        "Chrome",
        (125, 0, 0),
    )


def test_hinted_version_is_used_for_ie_strings() -> None:
    """IE's string with Chromium hints is the hinted browser, version and all."""
    policy = Policy(min_versions={"chrome": 120})
    verdict = check(IE11, {"sec-ch-ua": CHROME_119}, policy=policy)
    assert verdict.gated
    assert verdict.reason is Reason.OUTDATED
    assert (verdict.client.family, verdict.client.version) == ("Chrome", (119,))


def test_full_version_list_gives_the_full_version() -> None:
    """Sec-CH-UA-Full-Version-List, where sent with an IE string, gives the whole version."""
    headers = {"Sec-CH-UA": CHROME_124, "Sec-CH-UA-Full-Version-List": CHROME_124_FULL}
    assert check(IE11, headers).client.version == (124, 0, 6367, 91)


def test_edge_hint_names_edge() -> None:
    """Edge's hints on an IE string make the client Edge, judged by the edge rule."""
    policy = Policy(min_versions={"edge": 120, "chrome": 100})
    verdict = check(IE11, {"Sec-CH-UA": EDGE_110}, policy=policy)
    assert (verdict.client.family, verdict.client.version) == ("Edge", (110,))
    assert verdict.gated


def test_hints_through_the_middleware_follow_the_same_rule() -> None:
    """Through the middleware under Policy.modern(): hints decide for IE's string only."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=Policy.modern()))
    old = client.get("/", headers={"User-Agent": IE11, "Sec-CH-UA": CHROME_119})
    new = client.get("/", headers={"User-Agent": IE11, "Sec-CH-UA": CHROME_124})
    chrome = client.get("/", headers={"User-Agent": CHROME_125_UA, "Sec-CH-UA": CHROME_119})
    assert (old.status_code, new.status_code, chrome.status_code) == (406, 200, 200)


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        '"Chromium";v=124',
        '"Chromium";v="abc"',
        '"Chromium";v="124",',
        '"Chromium"',
        '"Chromium";v="124" "Google Chrome";v="124"',
        '"' + "A" * 100 + '";v="1"',
        ", ".join(f'"Brand{i}";v="{i}"' for i in range(40)),
        '"Chromium";v="' + "9" * 5000 + '"',
        '"Chrom\x00ium";v="124"',
    ],
)
def test_malformed_hints_are_ignored(value: str) -> None:
    """A malformed Sec-CH-UA is ignored: IE's string is judged alone, never an error."""
    assert ClientHints.parse(value) is None
    verdict = check(IE11, {"Sec-CH-UA": value})
    assert verdict.reason is Reason.INTERNET_EXPLORER


def test_malformed_full_version_list_falls_back_to_sec_ch_ua() -> None:
    """A malformed full version list is ignored in favour of Sec-CH-UA's major versions."""
    headers = {"Sec-CH-UA": CHROME_124, "Sec-CH-UA-Full-Version-List": "nonsense"}
    assert check(IE11, headers).client.version == (124,)


def test_non_chromium_brands_leave_the_string_to_decide() -> None:
    """Hints naming no Chromium brand do not change the verdict on IE's string."""
    verdict = check(IE11_COMPATIBILITY_VIEW, {"Sec-CH-UA": '"Not A Brand";v="99"'})
    assert verdict.reason is Reason.INTERNET_EXPLORER


def test_malformed_hints_through_the_middleware_never_raise() -> None:
    """Odd hint bytes through the middleware give a normal answer."""
    client = TestClient(UAGateMiddleware(hello_asgi))
    for value in (b"\xff\xfe", b'"Chromium";v="1' + b"2" * 2000 + b'"', b";;;,,,"):
        response = client.get("/", headers=[(b"user-agent", IE11.encode()), (b"sec-ch-ua", value)])
        assert response.status_code == 406


def test_full_version_list_alone_is_enough() -> None:
    """Sec-CH-UA-Full-Version-List sent without Sec-CH-UA still names the brand."""
    verdict = check(IE11, {"Sec-CH-UA-Full-Version-List": CHROME_124_FULL})
    assert not verdict.gated
    assert verdict.client.version == (124, 0, 6367, 91)
    client = TestClient(UAGateMiddleware(hello_asgi))
    headers = {"User-Agent": IE11, "Sec-CH-UA-Full-Version-List": CHROME_124_FULL}
    assert client.get("/", headers=headers).status_code == 200
