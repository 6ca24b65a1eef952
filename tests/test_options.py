"""Options are keyword-only and checked when the middleware is built."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from uagate import Policy, UAGateMiddleware

from .conftest import app_that_must_not_run


@pytest.mark.parametrize(
    ("options", "error", "names"),
    [
        ({"status_code": "406"}, TypeError, "status_code"),
        ({"status_code": 406.0}, TypeError, "status_code"),
        ({"status_code": True}, TypeError, "status_code"),
        ({"status_code": 302}, ValueError, "status_code"),
        ({"status_code": 204}, ValueError, "status_code"),
        ({"status_code": 600}, ValueError, "status_code"),
        ({"vary_user_agent": "yes"}, TypeError, "vary_user_agent"),
        ({"max_user_agent_length": 0}, ValueError, "max_user_agent_length"),
        ({"max_user_agent_length": "512"}, TypeError, "max_user_agent_length"),
        ({"policy": "default"}, TypeError, "policy"),
        ({"policy": None}, TypeError, "policy"),
    ],
)
def test_bad_option_raises_naming_it(
    options: dict[str, Any], error: type[Exception], names: str
) -> None:
    """A bad option raises TypeError or ValueError with the option's name in the message."""
    with pytest.raises(error, match=re.escape(names)):
        UAGateMiddleware(app_that_must_not_run, **options)


def test_unknown_option_is_a_type_error() -> None:
    """A misspelt option fails at construction, naming it."""
    with pytest.raises(TypeError, match="stauts_code"):
        UAGateMiddleware(app_that_must_not_run, stauts_code=406)  # type: ignore[call-arg]


def test_options_are_keyword_only() -> None:
    """Positional options are refused, so Middleware(cls, **kwargs) stays unambiguous."""
    with pytest.raises(TypeError):
        UAGateMiddleware(app_that_must_not_run, Policy())  # type: ignore[call-arg, arg-type]


def test_app_must_be_callable() -> None:
    """Wrapping something that is not an ASGI callable fails at once."""
    with pytest.raises(TypeError, match="app"):
        UAGateMiddleware("not an app")  # type: ignore[arg-type]


def test_bad_option_through_starlette_middleware_fails_at_startup() -> None:
    """Middleware(UAGateMiddleware, bad=...) fails when Starlette builds the stack."""
    app = Starlette(middleware=[Middleware(UAGateMiddleware, status_code=99)])
    with pytest.raises(ValueError, match="status_code"), TestClient(app):
        pass


@pytest.mark.parametrize("name", ["gate_trident_apps", "gate_bots"])
def test_policy_fields_must_be_bools(name: str) -> None:
    """Policy checks its own fields and names the bad one."""
    bad: dict[str, Any] = {name: "no"}
    with pytest.raises(TypeError, match=name):
        Policy(**bad)


def test_policy_is_frozen() -> None:
    """A Policy cannot be changed after it is made."""
    policy = Policy()
    with pytest.raises(AttributeError):
        policy.gate_bots = True  # type: ignore[misc]
