"""Small helpers that several modules use: callables, ASGI paths, the gate's own answers."""

from __future__ import annotations

import inspect
from typing import NamedTuple

from starlette.types import Scope

__all__ = ["Answer", "is_async_callable", "route_path"]


class Answer(NamedTuple):
    """A response the gate sends itself: status, headers (lower-case names) and body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def is_async_callable(function: object) -> bool:
    """True for an async function, or an object whose __call__ is one."""
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        getattr(function, "__call__", None)  # noqa: B004 - looking at __call__ itself
    )


def route_path(scope: Scope) -> str:
    """The path below the app's root path, as Starlette's routing sees it.

    Under a ``Mount("/api", ...)`` or ``uvicorn --root-path /api``, a request
    for ``/api/health`` has the route path ``/health``.
    """
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (len(path) == len(root) or path[len(root)] == "/"):
        return path[len(root) :] or "/"
    return path
