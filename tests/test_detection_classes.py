"""Classes of real strings that other projects' tests found misread, each as a table."""

from __future__ import annotations

import pytest

from uagate import Policy, Reason, check

# IE with tokens that other software adds to IE's own string: still IE itself.
IE_WITH_FEATURE_TOKENS = [
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; "
    "Media Center PC 6.0; Zune 4.0; Tablet PC 2.0)",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; Zune 3.0)",
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; WOW64; Trident/7.0; SLCC2; .NET CLR "
    "2.0.50727; .NET4.0C; .NET4.0E; InfoPath.3; ms-office; MSOffice 16)",
]


@pytest.mark.parametrize("user_agent", IE_WITH_FEATURE_TOKENS)
def test_feature_tokens_leave_the_client_ie(user_agent: str) -> None:
    """Zune, Media Center, Tablet PC, InfoPath and Office's link check do not make an app."""
    verdict = check(user_agent, policy=Policy(gate_trident_apps=False))
    assert (verdict.gated, verdict.reason, verdict.client.family) == (
        True,
        Reason.INTERNET_EXPLORER,
        "IE",
    )


@pytest.mark.parametrize(
    ("user_agent", "family", "version"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/118 Safari/537.36",
            "Chrome",
            (118, 0),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115",
            "Firefox",
            (115, 0),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/16 Safari/605.1.15",
            "Safari",
            (16, 0),
        ),
    ],
    ids=["chrome", "firefox", "safari"],
)
def test_versions_without_a_dot_are_read(
    user_agent: str, family: str, version: tuple[int, ...]
) -> None:
    """'Chrome/118' is Chrome 118, so Policy.modern() gates it as outdated."""
    verdict = check(user_agent, policy=Policy.modern())
    assert (verdict.client.family, verdict.client.version) == (family, version)
    assert verdict.reason is Reason.OUTDATED


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0; baidu Transcoder;)",
        "Mozilla/5.0 (compatible; MSIE 6.0; Windows NT 5.1; Google Wireless Transcoder;)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/16.6 Mobile/15E148 Safari/604.1 MobileSMS/1.0",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 "
        "skype-url-preview@microsoft.com",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/94.0.4606.81 Safari/537.36 MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview",
        "Iframely/1.3.1 (+https://iframely.com/docs/about)",
    ],
    ids=["baidu", "google-wireless", "imessage", "skype", "teams-outlook", "iframely"],
)
def test_fetchers_for_other_clients_pass(user_agent: str) -> None:
    """Transcoding proxies and link-preview fetchers pass as bots under both presets."""
    for policy in (Policy(), Policy.modern()):
        verdict = check(user_agent, policy=policy)
        assert (verdict.gated, verdict.reason, verdict.client.is_bot) == (False, Reason.BOT, True)


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        (
            "Outlook-Express/6.0 (MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 1.1.4322)",
            "Outlook Express",
        ),
        ("Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; SlimBrowser)", "SlimBrowser"),
    ],
)
def test_ie_shells_named_as_ie_are_trident_apps(user_agent: str, family: str) -> None:
    """Outlook Express and SlimBrowser are Trident apps: gate_trident_apps=False passes them."""
    assert check(user_agent).reason is Reason.TRIDENT_APP
    verdict = check(user_agent, policy=Policy(gate_trident_apps=False))
    assert (verdict.gated, verdict.reason, verdict.client.family) == (
        False,
        Reason.TRIDENT_APP_ALLOWED,
        family,
    )


@pytest.mark.parametrize(
    ("user_agent", "version"),
    [
        (
            "Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; "
            "NOKIA; Lumia 800)",
            (9, 0),
        ),
        ("Mozilla/4.0 (compatible; MSIE 7.0; Windows Phone OS 7.0; IEMobile/7.0; Samsung)", (7, 0)),
        ("Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 8.12; MSIEMobile 6.0)", (8, 12)),
    ],
)
def test_ie_mobile_version_comes_from_its_own_token(
    user_agent: str, version: tuple[int, ...]
) -> None:
    """IEMobile/x.y, not the desktop MSIE token, is IE Mobile's version."""
    client = check(user_agent).client
    assert (client.family, client.version) == ("IE Mobile", version)
    allowed = Policy(gate_ie=False, min_versions={"ie": version})
    assert check(user_agent, policy=allowed).reason is Reason.SUPPORTED


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15",
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "EdgiOS/118.2088.81 Version/16.0 Mobile/15E148 Safari/604.1",
    ],
    ids=["crios", "fxios", "edgios"],
)
def test_every_ios_browser_runs_webkit(user_agent: str) -> None:
    """Chrome, Firefox and Edge on iOS report the engine they run: WebKit."""
    assert check(user_agent).client.engine == "WebKit"


def test_four_part_minimums_are_refused_with_a_clear_error() -> None:
    """Versions are compared by three parts; a fourth in a minimum is an error, not a trap."""
    with pytest.raises(ValueError, match=r"min_versions\['chrome'\] has 4 parts"):
        Policy(min_versions={"chrome": (6, 0, 458, 1)})
    at_minimum = (
        "Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US) AppleWebKit/533.4 (KHTML, like Gecko) "
        "Chrome/6.0.458.1 Safari/533.4"
    )
    assert not check(at_minimum, policy=Policy(min_versions={"chrome": (6, 0, 458)})).gated


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (Windows NT 6.1; rv:6.0) Gecko/20110814 Firefox/6.0 Google Favicon",
        "Mozilla/5.0 (Linux; Android 4.2.1; en-us; Nexus 5 Build/JOP40D) AppleWebKit/535.19 "
        "(KHTML, like Gecko; googleweblight) Chrome/38.0.1025.166 Mobile Safari/535.19",
        "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko RuxitSynthetic/1.0 "
        "v123 t456",
        "ELB-HealthChecker/2.0",
        "GoogleHC/1.0",
        "Consul Health Check",
        "check_http/v2.3.3 (monitoring-plugins 2.3.3)",
        "Zabbix",
        "PostmanRuntime/7.36.0",
        "Java-http-client/17.0.9",
        "undici",
        "Deno/1.42.0",
        "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    ],
)
def test_monitors_health_checks_and_tools_are_bots(user_agent: str) -> None:
    """Health checks, synthetic monitors, HTTP tools and proxies pass as bots, never gated."""
    for policy in (Policy(), Policy.modern()):
        verdict = check(user_agent, policy=policy)
        assert (verdict.gated, verdict.client.is_bot) == (False, True), policy


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0; "
        "2345Explorer 5.0.0.14136)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0; LBBROWSER)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/6.0; BIDUBrowser 8.3)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0; QIHU 360EE)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; AOL Explorer 1.4)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; Windows Live Writer 1.0)",
        "Mozilla/5.0 (Windows NT 6.3; Win64; x64; Trident/7.0; MSAppHost/2.0; rv:11.0) like Gecko",
    ],
)
def test_more_ie_shells_are_trident_apps(user_agent: str) -> None:
    """Shells the parser calls IE are Trident apps: gate_trident_apps=False lets them pass."""
    verdict = check(user_agent, policy=Policy(gate_trident_apps=False))
    assert (verdict.gated, verdict.reason) == (False, Reason.TRIDENT_APP_ALLOWED)


def test_ios_browsers_in_desktop_mode_run_webkit() -> None:
    """Chrome and Edge on an iPad asking for desktop pages still name CriOS/EdgiOS: WebKit."""
    for token in ("CriOS/124.0.6367.111", "EdgiOS/124.2478.50"):
        user_agent = (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            f"Gecko) {token} Safari/605.1.15"
        )
        assert check(user_agent).client.engine == "WebKit"
