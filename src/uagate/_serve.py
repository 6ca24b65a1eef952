"""``uagate serve``: an app, imported as uvicorn imports it, behind the gate.

uvicorn's workers and reloader start fresh processes that import the app by an
import string, so the wrapped app is built by :func:`gated_app`, a factory that
reads what to wrap and how from an environment variable the parent sets.
"""

from __future__ import annotations

import json
import os
from typing import Any

from starlette.types import ASGIApp

from uagate._app import ImportStringError, import_attribute
from uagate.middleware import UAGateMiddleware
from uagate.policy import PRESETS, Policy, preset

__all__ = ["CONFIG_VARIABLE", "PolicyError", "gated_app", "load_policy", "load_target"]

#: The environment variable that carries the serve configuration, as JSON.
CONFIG_VARIABLE = "UAGATE_SERVE_CONFIG"


def load_target(import_string: str, *, factory: bool) -> ASGIApp:
    """Import ``module:attribute`` as uvicorn does; call it first with ``factory``."""
    from uvicorn.importer import import_from_string

    target: Any = import_from_string(import_string)
    if factory:
        target = target()
    if not callable(target):
        raise TypeError(f"{import_string} is not an ASGI app (not callable)")
    return target  # type: ignore[no-any-return]


class PolicyError(ImportStringError):
    """A ``--policy`` that is neither a preset nor an import string of a :class:`Policy`."""


def load_policy(name: str) -> Policy:
    """The policy ``name`` stands for: a preset, or ``module:attribute`` imported as uvicorn does.

    ``module`` is imported with :func:`importlib.import_module` (from
    ``sys.path``, which the caller makes hold the current directory or the app
    directory), then ``attribute`` is looked up on it, dots walking into
    attributes of attributes, and must be a :class:`uagate.Policy`. Anything
    else raises :class:`PolicyError`, whose message is one line; an exception
    raised while importing the module propagates.
    """
    if name in PRESETS:
        return preset(name)
    choices = " or ".join(PRESETS)
    try:
        target = import_attribute(name, "--policy", f"{choices}, nor MODULE:ATTRIBUTE")
    except ImportStringError as exc:
        raise PolicyError(str(exc)) from exc
    if not isinstance(target, Policy):
        raise PolicyError(
            f"--policy {name}: {name.partition(':')[2]} is {_article(type(target).__name__)}, "
            "not a uagate.Policy"
        )
    return target


def _article(noun: str) -> str:
    """``noun`` with "a" or "an" in front: "an int", "a str"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def gated_app() -> ASGIApp:
    """Build the app to serve from the configuration in :data:`CONFIG_VARIABLE`."""
    config = json.loads(os.environ[CONFIG_VARIABLE])
    app = load_target(config["app"], factory=config["factory"])
    return UAGateMiddleware(app, policy=load_policy(config["policy"]), **config["options"])
