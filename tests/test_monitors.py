"""Monitors, raters, media clients and screenshot services that write an older IE string.

Each string is a public tool's own, as its makers or public bot lists give it. They
pass as bots in ``check()``, in ``uagate check`` and ``uagate scan``, and in the
exported nginx configuration, under both presets; IE itself with the same feature
tokens (Media Center, a Trident engine) is still gated.
"""

from __future__ import annotations

import json

import pytest

from uagate import Policy, Reason, check, testing

from .conftest import RunCli, nginx_serving
from .conftest import http_get as get

MONITORS = {
    # WebPageTest 2.x drove IE and wrote "PTST 2.xxx" inside IE's own string.
    "webpagetest-2-ie8": (
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; PTST 2.295)"
    ),
    "webpagetest-2-ie9": (
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; PTST 2.361)"
    ),
    "webpagetest-ie11": (
        "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0) like Gecko PTST/1.0"
    ),
    "dotcom-monitor-ie10": (
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0) DMBrowser/2.1 (UV)"
    ),
    "dotcom-monitor-bv": (
        "Mozilla/5.0 (Windows NT 6.2; WOW64; rv:29.0) Gecko/20100101 /29.0 DMBrowser-BV"
    ),
    "blue-coat-site-rating": "Mozilla/4.0 (compatible; Cerberian Drtrs Version-3.2-Build-0)",
    "windows-media-player-as-ie7": (
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; FunWebProducts; SLCC1; .NET CLR "
        "2.0.50727; Media Center PC 5.0; .NET CLR 3.0.04506; Windows-Media-Player/10.00.00.3990)"
    ),
    "windows-media-player": "Windows-Media-Player/10.00.00.4019",
    "google-wireless-transcoder-as-ie6": (
        "Mozilla/5.0 (compatible; MSIE 6.0; Windows NT 5.1; Google Wireless Transcoder;)"
    ),
    "webflow-screenshot": "Webflow 1.0 - Site Screenshot",
    "pagepeeker": "PagePeeker.com",
    # Link checkers, synthetic monitors and scanners, in the forms their tools send.
    "gomez-as-ie7": (
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; GomezA/1.0; .NET CLR 2.0.50727)"
    ),
    "browsershots": "Browsershots",
    "xenu-link-sleuth": "Xenu Link Sleuth/1.3.8",
    "acunetix": "acunetix-product/wvs",
    "dynatrace-synthetic": "DynatraceSynthetic/1.179",
}

#: IE itself, with the tokens the monitors' strings share: still gated.
STILL_IE = {
    "ie8-media-center": (
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR "
        "2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0)"
    ),
    "ie9": "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
    "ie11": testing.IE11,
}


@pytest.mark.parametrize("policy", [Policy(), Policy.modern()], ids=["default", "modern"])
@pytest.mark.parametrize("user_agent", list(MONITORS.values()), ids=list(MONITORS))
def test_monitors_pass_as_bots(user_agent: str, policy: Policy) -> None:
    """check(): not gated, for the reason that it is a bot."""
    verdict = check(user_agent, policy=policy)
    assert (verdict.gated, verdict.reason, verdict.client.is_bot) == (False, Reason.BOT, True)


@pytest.mark.parametrize("user_agent", list(STILL_IE.values()), ids=list(STILL_IE))
def test_ie_with_the_same_feature_tokens_is_still_gated(user_agent: str) -> None:
    """Media Center and Trident tokens alone do not make a bot."""
    verdict = check(user_agent)
    assert (verdict.gated, verdict.reason, verdict.client.is_bot) == (
        True,
        Reason.INTERNET_EXPLORER,
        False,
    )


def test_uagate_check_reports_them_as_bots(run_cli: RunCli) -> None:
    """``uagate check --json``: each one passed, as a bot; exit status 0."""
    result = run_cli("check", "--json", *MONITORS.values())
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 0
    assert [(line["gated"], line["reason"], line["bot"]) for line in lines] == [
        (False, "bot", True)
    ] * len(MONITORS)


def test_uagate_scan_counts_them_as_bots(run_cli: RunCli) -> None:
    """``uagate scan``: every request a bot's, none gated, beside the IE requests gated."""
    log = "\n".join([*MONITORS.values(), *STILL_IE.values()]) + "\n"
    result = run_cli("scan", "--format", "json", "--no-progress", "-", stdin=log.encode())
    report = json.loads(result.out)
    assert result.code == 0
    assert (report["requests"], report["bots"], report["gated"]) == (
        len(MONITORS) + len(STILL_IE),
        len(MONITORS),
        len(STILL_IE),
    )


def test_exported_nginx_passes_them() -> None:
    """The export of the default policy, in a real nginx: 200 for each, 406 for IE."""
    with nginx_serving(Policy()) as connection:
        statuses = {
            name: get(connection, {"User-Agent": user_agent})[0]
            for name, user_agent in {**MONITORS, **STILL_IE}.items()
        }
    assert statuses == {**dict.fromkeys(MONITORS, 200), **dict.fromkeys(STILL_IE, 406)}
