"""Which requests the gate looks at: path and method exclusions, and a request predicate."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import Scope

from uagate._shared import is_async_callable, route_path

__all__ = ["Exclusions", "RequestPredicate", "is_path_prefix", "method_names"]

#: A callable on the request (a Request, or an HTTPConnection for a websocket
#: handshake); ``True`` means "leave this request alone".
RequestPredicate = Callable[[HTTPConnection], bool]

_METHOD = re.compile(r"[A-Z]{1,20}")


def method_names(methods: Collection[str], option: str) -> frozenset[str]:
    """HTTP method names, upper case; ValueError naming ``option`` for anything else."""
    bad = (
        [methods]
        if isinstance(methods, str)
        else [m for m in methods if not (isinstance(m, str) and _METHOD.fullmatch(m.upper()))]
    )
    if bad:
        names = ", ".join(map(repr, bad))
        raise ValueError(f"{option} must be a collection of HTTP method names, not {names}")
    return frozenset(m.upper() for m in methods)


def is_path_prefix(item: object) -> bool:
    """True for what exclude_paths takes as a prefix: a string that starts with ``/``."""
    return isinstance(item, str) and item.startswith("/")


class Exclusions:
    """Requests the gate never looks at.

    ``paths``: a prefix string (``"/static/"``, ``"/health"``) excludes every
    path that starts with it; a compiled regular expression excludes every
    path it matches with ``search``. Paths are matched below the app's root
    path, as routes are. ``methods``: when given, only requests with these
    methods are gated. ``exclude``: a plain (not async) callable on the
    request that returns ``True`` to leave it alone.
    """

    __slots__ = ("_exclude", "_methods", "_patterns", "_prefixes")

    def __init__(
        self,
        paths: Sequence[str | re.Pattern[str]],
        methods: Collection[str] | None,
        exclude: RequestPredicate | None,
    ) -> None:
        if isinstance(paths, (str, re.Pattern)) or not isinstance(paths, Sequence):
            raise TypeError(
                "UAGateMiddleware option exclude_paths must be a list of prefixes and "
                f"compiled patterns, not {paths!r}"
            )
        prefixes: list[str] = []
        patterns: list[re.Pattern[str]] = []
        for item in paths:
            if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                patterns.append(item)
            elif is_path_prefix(item):
                prefixes.append(item)
            else:
                raise ValueError(
                    "UAGateMiddleware option exclude_paths takes prefixes that start with '/' "
                    f"and re.compile() patterns, not {item!r}"
                )
        if methods is not None:
            methods = method_names(methods, "UAGateMiddleware option methods")
        if exclude is not None and (not callable(exclude) or is_async_callable(exclude)):
            raise TypeError(
                "UAGateMiddleware option exclude must be a plain (not async) callable, "
                f"not {exclude!r}"
            )
        self._prefixes = tuple(prefixes)
        self._patterns = tuple(patterns)
        self._methods = methods
        self._exclude = exclude

    def __bool__(self) -> bool:
        return bool(self._prefixes or self._patterns or self._methods is not None or self._exclude)

    def skip(self, scope: Scope) -> bool:
        """True when the gate must leave this request to the app untouched."""
        is_http = scope["type"] == "http"
        # A websocket handshake is a GET.
        method = scope["method"] if is_http else "GET"
        if self._methods is not None and method not in self._methods:
            return True
        path = route_path(scope)
        if path.startswith(self._prefixes) or any(p.search(path) for p in self._patterns):
            return True
        if self._exclude is None:
            return False
        answer = self._exclude(Request(scope) if is_http else HTTPConnection(scope))
        if not isinstance(answer, bool):
            raise TypeError(f"the exclude callable returned {type(answer).__name__}, not a bool")
        return answer
