"""uagate as a library in someone else's tests: the uagate.testing strings, presets and pages."""

from __future__ import annotations

import ast
import inspect

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

import uagate.testing
from uagate import Policy, Reason, UAGateMiddleware, check
from uagate.testing import (
    BINGBOT,
    CHROME,
    CHROME_120,
    CHROME_ANDROID,
    EDGE,
    EDGE_120,
    EDGE_LEGACY,
    FIREFOX,
    FIREFOX_121,
    GATED,
    GOOGLEBOT,
    IE11,
    OPERA_AS_MSIE,
    PASSED,
    SAFARI,
    SAFARI_17_2,
    SAFARI_IPHONE,
)

# The strings as a user's tests name them: every public str constant of uagate.testing.
NAMED = {
    name: value
    for name, value in vars(uagate.testing).items()
    if name.isupper() and isinstance(value, str)
}

# A policy a site might set a year after Policy.modern(): stricter on every family.
STRICTER = Policy(min_versions={"chrome": 130, "edge": 130, "firefox": 132, "safari": (18, 0)})


def home(request: Request) -> PlainTextResponse:
    """The user's app: a plain home page."""
    return PlainTextResponse("home")


def site(**options: object) -> TestClient:
    """A user's Starlette site behind the gate, as their test suite would build it."""
    app = Starlette(routes=[Route("/", home)])
    app.add_middleware(UAGateMiddleware, **options)  # type: ignore[arg-type]
    return TestClient(app)


@pytest.mark.parametrize(
    ("name", "family", "lowest"),
    [
        ("CHROME", "Chrome", (131,)),
        ("CHROME_ANDROID", "Chrome Mobile", (131,)),
        ("FIREFOX", "Firefox", (133,)),
        ("EDGE", "Edge", (131,)),
        ("SAFARI", "Safari", (18,)),
        ("SAFARI_IPHONE", "Mobile Safari", (18,)),
    ],
)
def test_current_browser_constants_are_current(
    name: str, family: str, lowest: tuple[int, ...]
) -> None:
    """CHROME, FIREFOX, EDGE, SAFARI and their mobile kin are late-2024 browsers, not minimums."""
    client = check(NAMED[name]).client
    assert client.family == family
    assert client.version >= lowest


@pytest.mark.parametrize(
    "user_agent", [CHROME, CHROME_ANDROID, FIREFOX, EDGE, SAFARI, SAFARI_IPHONE]
)
def test_current_constants_pass_a_policy_stricter_than_modern(user_agent: str) -> None:
    """A site that raises its minimums past Policy.modern()'s still lets CHROME & co. in."""
    client = site(policy=STRICTER)
    assert client.get("/", headers={"User-Agent": user_agent}).text == "home"
    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406


@pytest.mark.parametrize(
    ("user_agent", "version", "older"),
    [
        (CHROME_120, "Chrome/120.", "Chrome/119."),
        (FIREFOX_121, "Firefox/121.", "Firefox/120."),
        (EDGE_120, "Edg/120.", "Edg/119."),
        (SAFARI_17_2, "Version/17.2", "Version/17.1"),
    ],
)
def test_versioned_constants_sit_exactly_at_the_modern_minimums(
    user_agent: str, version: str, older: str
) -> None:
    """CHROME_120 & co. pass Policy.modern(); one version less is gated as outdated."""
    assert version in user_agent
    assert check(user_agent, policy=Policy.modern()).reason is Reason.SUPPORTED
    below = check(user_agent.replace(version, older), policy=Policy.modern())
    assert below.reason is Reason.OUTDATED
    assert check(user_agent, policy=STRICTER).reason is Reason.OUTDATED


def test_gated_and_passed_sort_every_constant_by_the_default_policy() -> None:
    """Each public string is in GATED or PASSED, never both, as the default policy decides."""
    assert set(GATED).isdisjoint(PASSED)
    assert set(GATED) | set(PASSED) == set(NAMED.values())
    assert len(GATED) + len(PASSED) == len(NAMED)
    assert all(check(user_agent).gated for user_agent in GATED)
    assert not any(check(user_agent).gated for user_agent in PASSED)


def test_every_public_name_is_exported_and_documented() -> None:
    """__all__ lists every public constant, and each has a #: comment saying what it is."""
    assert set(uagate.testing.__all__) == set(NAMED) | {"GATED", "PASSED"}
    lines = inspect.getsource(uagate.testing).splitlines()
    tree = ast.parse("\n".join(lines))
    documented = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            assert isinstance(target, ast.Name)
            if lines[node.lineno - 2].startswith("#: "):
                documented.add(target.id)
    assert documented >= set(uagate.testing.__all__)
    assert uagate.testing.__doc__ is not None
    assert "CHROME_120" in uagate.testing.__doc__


def test_a_users_suite_with_the_modern_preset_and_a_page_of_their_own() -> None:
    """The whole workflow: Policy.modern(changes), a short template, uagate.testing strings."""
    client = site(
        policy=Policy.modern(gate_bots=True),
        page="<h1>$heading</h1><p>$family $version</p>",
    )
    for user_agent in (CHROME, FIREFOX, EDGE, SAFARI, CHROME_120, FIREFOX_121, GOOGLEBOT):
        assert client.get("/", headers={"User-Agent": user_agent}).text == "home"
    for user_agent in (BINGBOT, EDGE_LEGACY, OPERA_AS_MSIE):  # a bot as IE, and old browsers
        assert client.get("/", headers={"User-Agent": user_agent}).status_code == 406
    gated = client.get("/", headers={"User-Agent": IE11})
    assert gated.status_code == 406
    assert gated.text.startswith(
        "<h1>We don&#x27;t support Internet Explorer</h1><p>IE 11.0</p>\n<!-- "
    )
    assert len(gated.content) > 512  # IE shows it, rather than its own "friendly" page


def test_importing_uagate_configures_no_logging() -> None:
    """A fresh process that imports uagate (and builds a gate) has no handlers or levels set."""
    import subprocess
    import sys

    code = (
        "import logging, uagate\n"
        "from uagate import UAGateMiddleware\n"
        "UAGateMiddleware(lambda scope, receive, send: None)\n"
        "logger = logging.getLogger('uagate')\n"
        "print(logger.handlers, logger.level, logging.getLogger().handlers)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[] 0 []"
