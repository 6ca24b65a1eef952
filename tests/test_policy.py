"""Policies: minimum versions per family, the modern preset, IE's real version, predicates."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.testclient import TestClient

from uagate import Client, Policy, Reason, UAGateMiddleware, check
from uagate.testing import (
    BINGBOT,
    CHROME,
    CHROME_120,
    EDGE,
    EDGE_120,
    EDGE_LEGACY,
    FIREFOX,
    FIREFOX_121,
    GOOGLEBOT,
    IE8,
    IE10,
    IE11,
    IE11_COMPATIBILITY_VIEW,
    OUTLOOK,
    SAFARI,
    SAFARI_17_2,
)

from .conftest import hello_asgi


def chrome(major: int) -> str:
    """Chrome's desktop User-Agent at a given major version."""
    return (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )


def firefox(major: int) -> str:
    """Firefox's desktop User-Agent at a given major version."""
    return (
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{major}.0) Gecko/20100101 Firefox/{major}.0"
    )


def safari(version: str) -> str:
    """Safari's macOS User-Agent at a given version, such as '16.4'."""
    return (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        f"(KHTML, like Gecko) Version/{version} Safari/605.1.15"
    )


def iphone_safari(version: str) -> str:
    """Safari's iOS User-Agent at a given version."""
    return (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 "
        f"(KHTML, like Gecko) Version/{version} Mobile/15E148 Safari/604.1"
    )


RULES = Policy(min_versions={"chrome": 120, "safari": (16, 4), "firefox": 121})


@pytest.mark.parametrize(
    ("user_agent", "gated"),
    [
        pytest.param(chrome(119), True, id="chrome-below"),
        pytest.param(chrome(120), False, id="chrome-at"),
        pytest.param(chrome(131), False, id="chrome-above"),
        pytest.param(firefox(120), True, id="firefox-below"),
        pytest.param(firefox(121), False, id="firefox-at"),
        pytest.param(firefox(133), False, id="firefox-above"),
        pytest.param(safari("16.3"), True, id="safari-below-minor"),
        pytest.param(safari("15.6"), True, id="safari-below-major"),
        pytest.param(safari("16.4"), False, id="safari-at"),
        pytest.param(safari("17.0"), False, id="safari-above"),
        pytest.param(iphone_safari("16.1"), True, id="mobile-safari-below"),
        pytest.param(iphone_safari("16.5"), False, id="mobile-safari-above"),
    ],
)
def test_minimum_versions_at_below_and_above(user_agent: str, gated: bool) -> None:
    """A named family is gated below its minimum and passes at or above it."""
    verdict = check(user_agent, policy=RULES)
    assert verdict.gated is gated
    assert verdict.reason is (Reason.OUTDATED if gated else Reason.SUPPORTED)


def test_families_not_named_pass() -> None:
    """A family the rules do not name passes, however old."""
    old_opera = "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.229 Version/11.62"
    assert not check(old_opera, policy=RULES).gated
    assert not check(EDGE_LEGACY, policy=RULES).gated


def test_version_that_cannot_be_read_passes() -> None:
    """A named browser whose version cannot be read passes."""
    no_version = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome Safari"
    verdict = check(no_version, policy=Policy(min_versions={"chrome": 120}))
    assert not verdict.gated


def test_ie_is_still_gated_with_version_rules() -> None:
    """With min_versions and gate_ie left on, every IE is gated as internet-explorer."""
    assert check(IE11, policy=RULES).reason is Reason.INTERNET_EXPLORER


@pytest.mark.parametrize("name", ["Chrome", "CHROME", "chrome"])
def test_family_names_are_case_insensitive(name: str) -> None:
    """min_versions accepts family names in any case."""
    assert check(chrome(100), policy=Policy(min_versions={name: 120})).gated


def test_unknown_family_is_a_value_error_listing_the_known_ones() -> None:
    """An unknown family name raises ValueError that lists the known names."""
    with pytest.raises(ValueError, match=r"'netscape'.*chrome, edge, firefox"):
        Policy(min_versions={"netscape": 4})


@pytest.mark.parametrize(
    ("min_versions", "error"),
    [
        ({"chrome": "120"}, TypeError),
        ({"chrome": 120.5}, TypeError),
        ({"chrome": ()}, TypeError),
        ({"chrome": (16, "4")}, TypeError),
        ({"chrome": True}, TypeError),
        ({"chrome": -1}, ValueError),
        ([("chrome", 120)], TypeError),
    ],
)
def test_bad_minimum_versions_fail_at_construction(
    min_versions: Any, error: type[Exception]
) -> None:
    """A minimum that is not an int or tuple of ints fails when the Policy is made."""
    with pytest.raises(error, match="min_versions"):
        Policy(min_versions=min_versions)


def test_ie_minimum_needs_gate_ie_off() -> None:
    """min_versions['ie'] with gate_ie=True is a contradiction and raises ValueError."""
    with pytest.raises(ValueError, match="gate_ie"):
        Policy(min_versions={"ie": 11})


def test_min_versions_cannot_be_changed_afterwards() -> None:
    """The Policy's min_versions is a read-only mapping."""
    policy = Policy(min_versions={"chrome": 120})
    with pytest.raises(TypeError):
        policy.min_versions["chrome"] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("user_agent", "gated", "reason"),
    [
        pytest.param(chrome(119), True, Reason.OUTDATED, id="chrome-119"),
        pytest.param(chrome(120), False, Reason.SUPPORTED, id="chrome-120"),
        pytest.param(firefox(120), True, Reason.OUTDATED, id="firefox-120"),
        pytest.param(firefox(121), False, Reason.SUPPORTED, id="firefox-121"),
        pytest.param(safari("17.1"), True, Reason.OUTDATED, id="safari-17.1"),
        pytest.param(safari("17.2"), False, Reason.SUPPORTED, id="safari-17.2"),
        pytest.param(EDGE_120, False, Reason.SUPPORTED, id="edge-120"),
        pytest.param(EDGE_LEGACY, True, Reason.OUTDATED, id="edgehtml-18"),
        pytest.param(CHROME, False, Reason.SUPPORTED, id="testing-chrome"),
        pytest.param(FIREFOX, False, Reason.SUPPORTED, id="testing-firefox"),
        pytest.param(SAFARI, False, Reason.SUPPORTED, id="testing-safari"),
        pytest.param(EDGE, False, Reason.SUPPORTED, id="testing-edge"),
        pytest.param(CHROME_120, False, Reason.SUPPORTED, id="testing-chrome-120"),
        pytest.param(FIREFOX_121, False, Reason.SUPPORTED, id="testing-firefox-121"),
        pytest.param(SAFARI_17_2, False, Reason.SUPPORTED, id="testing-safari-17.2"),
        pytest.param(IE11, True, Reason.INTERNET_EXPLORER, id="ie11"),
        pytest.param(GOOGLEBOT, False, Reason.BOT, id="googlebot"),
    ],
)
def test_modern_preset(user_agent: str, gated: bool, reason: Reason) -> None:
    """Policy.modern() gates browsers before Chrome 120 / Firefox 121 / Safari 17.2, and IE."""
    verdict = check(user_agent, policy=Policy.modern())
    assert (verdict.gated, verdict.reason) == (gated, reason)


IE_FROM_10 = Policy(gate_ie=False, min_versions={"ie": 10})


@pytest.mark.parametrize(
    ("user_agent", "gated", "reason"),
    [
        pytest.param(IE8, True, Reason.OUTDATED, id="ie8"),
        pytest.param(IE10, False, Reason.SUPPORTED, id="ie10"),
        pytest.param(IE11, False, Reason.SUPPORTED, id="ie11"),
        # IE 11 in compatibility view says MSIE 7.0; its engine (Trident/7.0) says 11.
        pytest.param(IE11_COMPATIBILITY_VIEW, True, Reason.COMPATIBILITY_VIEW, id="ie11-compat"),
        # IE 9 in IE 7 mode: Trident/5.0 is IE 9, below 10 whatever it reports.
        pytest.param(
            "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/5.0)",
            True,
            Reason.OUTDATED,
            id="ie9-compat",
        ),
    ],
)
def test_ie_version_rules_use_the_engine_version(
    user_agent: str, gated: bool, reason: Reason
) -> None:
    """IE is judged by its real (engine) version; compatibility view is gated to be turned off."""
    verdict = check(user_agent, policy=IE_FROM_10)
    assert (verdict.gated, verdict.reason) == (gated, reason)


def test_compatibility_view_can_be_allowed() -> None:
    """gate_compatibility_view=False lets IE in compatibility view through on its engine."""
    policy = Policy(gate_ie=False, min_versions={"ie": 10}, gate_compatibility_view=False)
    assert not check(IE11_COMPATIBILITY_VIEW, policy=policy).gated


def test_compatibility_view_page_says_how_to_turn_it_off() -> None:
    """The page for compatibility view names the setting to change, not 'use another browser'."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=IE_FROM_10))
    response = client.get("/", headers={"User-Agent": IE11_COMPATIBILITY_VIEW})
    assert response.status_code == 406
    assert "Compatibility View settings" in response.text
    assert "turn off Compatibility View" in response.text
    assert "We don't support Internet Explorer" not in response.text


def test_outdated_page_asks_to_update() -> None:
    """An outdated browser is told to update, not that IE is unsupported."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=Policy.modern()))
    response = client.get("/", headers={"User-Agent": chrome(100)})
    assert response.status_code == 406
    assert "Your browser is out of date" in response.text
    assert "We don't support Internet Explorer" not in response.text


def test_predicate_gates_what_it_returns_true_for() -> None:
    """A predicate gates the clients it returns True for, with reason 'predicate'."""
    policy = Policy(predicate=lambda client: client.family == "Firefox")
    assert check(FIREFOX, policy=policy).reason is Reason.PREDICATE
    assert not check(CHROME, policy=policy).gated


def test_predicate_sees_the_full_client_through_the_middleware() -> None:
    """Through the middleware, the predicate gets a fully described client (no pre-check)."""
    seen: list[Client] = []

    def gate_firefox(client: Client) -> bool:
        seen.append(client)
        return client.family == "Firefox"

    client = TestClient(UAGateMiddleware(hello_asgi, policy=Policy(predicate=gate_firefox)))
    assert client.get("/", headers={"User-Agent": FIREFOX}).status_code == 406
    assert client.get("/", headers={"User-Agent": CHROME}).status_code == 200
    assert [c.family for c in seen] == ["Firefox", "Chrome"]
    unsupported = client.get("/", headers={"User-Agent": FIREFOX}).text
    assert "We don't support your browser" in unsupported


def test_predicate_is_not_asked_about_clients_already_gated_or_bots() -> None:
    """IE is gated before the predicate; bots pass before it; trident apps too."""
    asked: list[str] = []

    def record(client: Client) -> bool:
        asked.append(client.family)
        return False

    policy = Policy(predicate=record)
    assert check(IE11, policy=policy).gated
    assert not check(GOOGLEBOT, policy=policy).gated
    assert check(OUTLOOK, policy=policy).gated
    assert asked == []


def test_predicate_must_be_callable() -> None:
    """A predicate that is not callable fails when the Policy is made."""
    with pytest.raises(TypeError, match="predicate"):
        Policy(predicate="firefox")  # type: ignore[arg-type]


def test_outdated_browser_through_the_middleware() -> None:
    """Through the middleware, an old Chrome gets the page and a new one the app."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=Policy.modern()))
    assert client.get("/", headers={"User-Agent": chrome(100)}).status_code == 406
    assert client.get("/", headers={"User-Agent": chrome(120)}).content == b"plain"


def opera(major: int) -> str:
    """Desktop Opera's User-Agent at a given major version."""
    return (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/120.0.0.0 Safari/537.36 OPR/{major}.0.0.0"
    )


def edge(major: int) -> str:
    """Chromium Edge's desktop User-Agent at a given major version."""
    return (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36 Edg/{major}.0.0.0"
    )


OPERA_ANDROID_86 = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0"
)


@pytest.mark.parametrize(
    ("user_agent", "status"),
    [
        pytest.param(chrome(119), 406, id="chrome-119"),
        pytest.param(chrome(120), 200, id="chrome-120"),
        pytest.param(firefox(120), 406, id="firefox-120"),
        pytest.param(firefox(121), 200, id="firefox-121"),
        pytest.param(safari("17.1"), 406, id="safari-17.1"),
        pytest.param(safari("17.2"), 200, id="safari-17.2"),
        pytest.param(iphone_safari("17.1"), 406, id="mobile-safari-17.1"),
        pytest.param(opera(105), 406, id="opera-105"),
        pytest.param(opera(106), 200, id="opera-106"),
        pytest.param(edge(119), 406, id="edge-119"),
        pytest.param(edge(120), 200, id="edge-120"),
        pytest.param(EDGE_LEGACY, 406, id="edgehtml-18"),
        # Opera for Android numbers its versions apart from desktop Opera: not judged by 'opera'.
        pytest.param(OPERA_ANDROID_86, 200, id="opera-android-86"),
        pytest.param(IE11, 406, id="ie11"),
        pytest.param(GOOGLEBOT, 200, id="googlebot"),
    ],
)
def test_modern_preset_through_the_middleware(user_agent: str, status: int) -> None:
    """Policy.modern() through the middleware: each family at and below its limit."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=Policy.modern()))
    assert client.get("/", headers={"User-Agent": user_agent}).status_code == status


@pytest.mark.parametrize(
    ("user_agent", "status"),
    [
        pytest.param(IE8, 406, id="ie8"),
        pytest.param(IE10, 200, id="ie10"),
        pytest.param(IE11_COMPATIBILITY_VIEW, 406, id="ie11-compat"),
        pytest.param(
            "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/5.0)", 406, id="ie9"
        ),
        pytest.param(safari("16.3"), 200, id="safari-not-named"),
    ],
)
def test_ie_engine_version_rule_through_the_middleware(user_agent: str, status: int) -> None:
    """gate_ie=False with min_versions['ie'] judges IE by its engine, through the middleware."""
    client = TestClient(UAGateMiddleware(hello_asgi, policy=IE_FROM_10))
    assert client.get("/", headers={"User-Agent": user_agent}).status_code == status


def test_opera_mobile_has_its_own_family_name() -> None:
    """min_versions={'opera_mobile': 87} judges Opera for Android by its own numbers."""
    assert check(OPERA_ANDROID_86, policy=Policy(min_versions={"opera_mobile": 87})).gated
    assert not check(OPERA_ANDROID_86, policy=Policy(min_versions={"opera": 200})).gated


def test_async_predicate_is_refused() -> None:
    """An async predicate would always look true, so Policy refuses it."""

    async def is_opera_mini(client: Client) -> bool:
        return client.family == "Opera Mini"

    with pytest.raises(TypeError, match="not async"):
        Policy(predicate=is_opera_mini)  # type: ignore[arg-type]


def test_predicate_that_raises_or_returns_no_bool_passes_the_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A predicate that raises or returns a non-bool is logged, and the request passes."""

    def broken(client: Client) -> bool:
        raise RuntimeError("predicate bug")

    def not_bool(client: Client) -> bool:
        return "yes"  # type: ignore[return-value]

    for predicate, cause in ((broken, "predicate bug"), (not_bool, "not a bool")):
        app = UAGateMiddleware(hello_asgi, policy=Policy(predicate=predicate))
        with caplog.at_level(logging.WARNING, logger="uagate"):
            response = TestClient(app).get("/", headers={"User-Agent": CHROME})
        assert response.status_code == 200
        assert any(cause in record.getMessage() for record in caplog.records)


def test_duplicate_family_names_are_refused() -> None:
    """'Chrome' and 'chrome' in one min_versions are the same family named twice."""
    with pytest.raises(ValueError, match="twice"):
        Policy(min_versions={"Chrome": 100, "chrome": 120})


def test_policies_are_hashable_values() -> None:
    """Equal policies are equal and hash alike."""
    assert Policy.modern() == Policy.modern()
    assert hash(Policy.modern()) == hash(Policy.modern())
    assert hash(Policy()) != hash(Policy.modern())


def test_policy_fields_are_keyword_only() -> None:
    """Policy(True) is refused like UAGateMiddleware's positional options: name each field."""
    with pytest.raises(TypeError, match="positional"):
        Policy(True)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional"):
        Policy(False, False, True)  # type: ignore[call-arg]
    assert Policy(gate_ie=True) == Policy()


def test_modern_takes_changes_to_its_fields() -> None:
    """Policy.modern(gate_bots=True) is the modern preset with that field changed."""
    policy = Policy.modern(gate_bots=True)
    assert policy.gate_bots is True
    assert policy.min_versions == Policy.modern().min_versions
    assert policy == Policy(gate_bots=True, min_versions=Policy.modern().min_versions)
    assert check(BINGBOT, policy=policy).reason is Reason.INTERNET_EXPLORER
    assert check(BINGBOT, policy=Policy.modern()).reason is Reason.BOT


def test_modern_min_versions_replaces_the_preset_minimums() -> None:
    """min_versions= replaces the preset's minimums; merged with them, it adds a family."""
    replaced = Policy.modern(min_versions={"chrome": 125})
    assert dict(replaced.min_versions) == {"chrome": (125,)}
    assert check(chrome(124), policy=replaced).gated
    assert not check(firefox(100), policy=replaced).gated
    merged = Policy.modern(min_versions={**Policy.modern().min_versions, "chrome": 125})
    assert check(chrome(124), policy=merged).gated
    assert check(firefox(120), policy=merged).gated
    assert merged.min_versions["safari"] == (17, 2)


def test_modern_changes_are_checked_like_the_constructors() -> None:
    """A change is validated as in Policy(...): IE's minimum needs gate_ie off."""
    with pytest.raises(ValueError, match="gate_ie"):
        Policy.modern(min_versions={"ie": 11})
    allowed = Policy.modern(gate_ie=False, min_versions={"ie": 11})
    assert not check(IE11, policy=allowed).gated
    assert check(IE10, policy=allowed).reason is Reason.OUTDATED
    with pytest.raises(TypeError, match="gate_bots must be a bool"):
        Policy.modern(gate_bots="yes")


def test_modern_names_every_unknown_field() -> None:
    """Misspelt names raise TypeError naming each of them, and listing the real fields."""
    with pytest.raises(TypeError) as raised:
        Policy.modern(gate_bot=True, min_version={"chrome": 125})
    message = str(raised.value)
    assert "'gate_bot'" in message
    assert "'min_version'" in message
    assert "gate_bots" in message.split("fields are:")[1]
    assert "min_versions" in message.split("fields are:")[1]
