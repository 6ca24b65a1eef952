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

from uagate.middleware import UAGateMiddleware
from uagate.policy import preset

__all__ = ["CONFIG_VARIABLE", "gated_app", "load_target"]

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


def gated_app() -> ASGIApp:
    """Build the app to serve from the configuration in :data:`CONFIG_VARIABLE`."""
    config = json.loads(os.environ[CONFIG_VARIABLE])
    app = load_target(config["app"], factory=config["factory"])
    return UAGateMiddleware(app, policy=preset(config["policy"]), **config["options"])
