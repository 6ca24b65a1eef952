"""The framework-neutral core: one checked, frozen GateConfig; decide and respond without ASGI."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from uagate import Gate, GateConfig, Policy, UAGateMiddleware, check, decide, respond
from uagate.testing import CHROME, GOOGLEBOT, IE8, IE11

from .conftest import ROOT, app_that_must_not_run


def test_a_config_is_frozen_hashable_and_normalised() -> None:
    """Collections are made immutable, methods upper case, the language the tag served."""
    config = GateConfig(exclude_paths=["/health"], methods=["get", "post"], default_language="zh")
    assert config.exclude_paths == ("/health",)
    assert config.methods == frozenset({"GET", "POST"})
    assert config.default_language == "zh-Hans"
    assert hash(config) == hash(
        GateConfig(exclude_paths=("/health",), methods={"POST", "GET"}, default_language="zh-Hans")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.report_only = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [
        ({"status_code": 302}, ValueError, "status_code"),
        ({"report_only": "yes"}, TypeError, "report_only"),
        ({"exclude_paths": "/health"}, TypeError, "exclude_paths"),
        ({"exclude_paths": ["health"]}, ValueError, "exclude_paths"),
        ({"methods": ["GET", "NOT A METHOD"]}, ValueError, "methods"),
        ({"default_language": "xx-nonsense-tag-that-is-long"}, ValueError, "default_language"),
        ({"continue_path": "//evil"}, ValueError, "continue_path"),
        ({"methods": []}, ValueError, "methods is empty"),
        ({"exclude_paths": ["/static/", "/"]}, ValueError, "'/' is a prefix of every path"),
        ({"page": "<p>$nonsense</p>"}, ValueError, "nonsense"),
        ({"on_verdict": "print"}, TypeError, "on_verdict"),
    ],
)
def test_a_bad_option_is_refused_by_the_config_itself(
    options: dict[str, Any], error: type[Exception], name: str
) -> None:
    """GateConfig checks each option, naming it; dataclasses.replace checks again."""
    with pytest.raises(error, match=re.escape(name)):
        GateConfig(**options)
    with pytest.raises(error, match=re.escape(name)):
        dataclasses.replace(GateConfig(), **options)


def test_from_options_names_an_unknown_option() -> None:
    """A misspelt option is a TypeError that names it and the known ones."""
    with pytest.raises(TypeError, match=r"stauts_code.*known: allow_continue"):
        GateConfig.from_options({"stauts_code": 406})


def test_the_middleware_takes_a_config_or_options_and_keeps_it() -> None:
    """config= gives the same gate as the options, is kept as .config, and excludes options."""
    config = GateConfig(policy=Policy.modern(), exclude_paths=["/health"])
    by_config = UAGateMiddleware(app_that_must_not_run, config=config)
    by_options = UAGateMiddleware(
        app_that_must_not_run, policy=Policy.modern(), exclude_paths=["/health"]
    )
    assert by_config.config is config
    assert by_options.config == config
    with pytest.raises(TypeError, match="not both"):
        UAGateMiddleware(app_that_must_not_run, config=config, report_only=True)


@pytest.mark.parametrize("user_agent", [IE11, IE8, CHROME, GOOGLEBOT, "", "-", "\x00garbage"])
def test_decide_gives_checks_verdict(user_agent: str) -> None:
    """decide() on a header mapping (any case) agrees with check() on the User-Agent."""
    verdict = decide({"USER-AGENT": user_agent})
    expected = check(user_agent)
    assert (verdict.gated, verdict.reason, verdict.client) == (
        expected.gated,
        expected.reason,
        expected.client,
    )


def test_decide_reads_the_continue_cookie_only_with_allow_continue() -> None:
    """The continue cookie lets IE through only where the flow is on."""
    headers = {"User-Agent": IE11, "Cookie": "a=b; uagate_continue=1"}
    assert decide(headers).gated is True
    assert str(decide(headers, GateConfig(allow_continue=True)).reason) == "continued"


def test_respond_is_the_middlewares_response() -> None:
    """respond() gives the status, headers and bytes the ASGI middleware sends."""
    headers = {"User-Agent": IE11, "Accept-Language": "nl", "Accept": "application/problem+json"}
    status, out, body = respond(decide(headers), headers)
    served = TestClient(UAGateMiddleware(app_that_must_not_run)).get("/", headers=headers)
    assert (status, body) == (served.status_code, served.content)
    assert dict(out) == dict(served.headers)
    assert json.loads(body)["status"] == 406


def test_a_gate_keeps_no_state_between_requests() -> None:
    """One Gate answers many requests; each is judged by its own headers."""
    gate = Gate(GateConfig(default_language="fr"))
    answers = [gate.decide({"user-agent": agent}).gated for agent in (IE11, CHROME, IE11)]
    assert answers == [True, False, True]
    assert (
        dict(gate.respond(gate.decide({"user-agent": IE11}), {}).headers)["content-language"]
        == "fr"
    )


def test_decide_fails_open_on_a_broken_policy(caplog: pytest.LogCaptureFixture) -> None:
    """A predicate that raises is logged and the request passes; decide() itself never raises."""

    def broken(client: object) -> bool:
        raise RuntimeError("boom")

    verdict = decide({"User-Agent": CHROME}, GateConfig(policy=Policy(predicate=broken)))
    assert verdict.gated is False
    assert "boom" in caplog.text


def test_docs_adapters_snippets_run() -> None:
    """Each python block of docs/adapters.md runs; the Flask app gates IE and serves Chrome."""
    text = (ROOT / "docs" / "adapters.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 3
    spaces: list[dict[str, Any]] = []
    for block in blocks:
        namespace: dict[str, Any] = {"__name__": "snippet"}
        exec(compile(block, "docs/adapters.md", "exec"), namespace)
        spaces.append(namespace)
    flask_app = spaces[0]["app"]
    flask_app.add_url_rule("/", "home", lambda: "Hello")

    with httpx.Client(transport=httpx.WSGITransport(app=flask_app), base_url="http://t") as client:
        assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
        assert client.get("/", headers={"User-Agent": CHROME}).text == "Hello"
        assert client.get("/health", headers={"User-Agent": IE11}).status_code == 404
    assert spaces[1]["MIDDLEWARE"][0] == "uagate.django.UAGateMiddleware"
    assert spaces[2]["status"] == 406
    assert dict(spaces[2]["headers"])["content-language"] == "fr"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: decide({"User-Agent": IE11}, {"report_only": True}), TypeError, "GateConfig"),  # type: ignore[arg-type]
        (lambda: decide(None), TypeError, "mapping"),  # type: ignore[arg-type]
        (lambda: decide([("User-Agent", IE11)]), TypeError, "mapping"),  # type: ignore[arg-type]
        (lambda: decide({"User-Agent": 5}), TypeError, "str or bytes"),  # type: ignore[dict-item]
        (lambda: respond(check(CHROME), {}), ValueError, "passes"),
        (
            lambda: respond(check(IE11), {}, GateConfig(page=lambda request, verdict: None)),
            TypeError,
            "page callable",
        ),
    ],
)
def test_misuse_of_decide_and_respond_is_a_clear_error(
    call: Any, error: type[Exception], words: str
) -> None:
    """Wrong arguments are an error that says what is wrong, never a wrong answer."""
    with pytest.raises(error, match=words):
        call()


def test_respond_takes_bytes_and_any_case_of_head() -> None:
    """Header values as bytes are read as latin-1; method 'head' gets headers and no body."""
    status, headers, body = respond(check(IE11), {"Accept-Language": b"it"}, method="head")
    assert (status, body) == (406, b"")
    assert dict(headers)["content-language"] == "it"


def test_the_middleware_names_a_config_that_is_not_one() -> None:
    """config={...} is refused with the option's name."""
    with pytest.raises(TypeError, match="UAGateMiddleware option config"):
        UAGateMiddleware(app_that_must_not_run, config={"report_only": True})  # type: ignore[arg-type]


def test_a_lower_case_method_is_read_as_upper_case() -> None:
    """A server that passes 'get' (h11 does) meets methods=['GET'] as 'GET' does."""
    from .conftest import http_scope, run_asgi

    gate = UAGateMiddleware(app_that_must_not_run, methods=["GET"])
    scope = http_scope([(b"user-agent", IE11.encode())], method="get")
    sent = asyncio.run(run_asgi(gate, scope))
    assert sent[0]["status"] == 406
