"""Which requests the gate looks at: path and method exclusions, and a request predicate."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

__all__ = ["Exclusions", "RequestPredicate", "is_path_prefix", "method_names"]

#: A callable on the request as the adapter knows it (under ASGI a Request, or an
#: HTTPConnection for a websocket handshake; the environ under WSGI; an HttpRequest
#: under Django); ``True`` means "leave this request alone".
RequestPredicate = Callable[[Any], bool]

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
    request that returns ``True`` to leave it alone. The options are checked
    by :class:`uagate.config.GateConfig` before they get here.
    """

    __slots__ = ("_exclude", "_methods", "_patterns", "_prefixes")

    def __init__(
        self,
        paths: Sequence[str | re.Pattern[str]],
        methods: Collection[str] | None,
        exclude: RequestPredicate | None,
    ) -> None:
        # Checked by GateConfig: prefixes are strings, the rest compiled patterns.
        prefixes = [item for item in paths if isinstance(item, str)]
        patterns = [item for item in paths if isinstance(item, re.Pattern)]
        self._prefixes = tuple(prefixes)
        self._patterns = tuple(patterns)
        self._methods = None if methods is None else frozenset(methods)
        self._exclude = exclude

    def __bool__(self) -> bool:
        return bool(self._prefixes or self._patterns or self._methods is not None or self._exclude)

    def skip(self, method: str, path: str, request: Callable[[], object]) -> bool:
        """True when the gate must leave this request to the app untouched.

        ``path`` is below the app's root path; ``request()`` builds what the
        ``exclude`` callable is given, only when there is one to ask.
        """
        if self._methods is not None and method not in self._methods:
            return True
        if path.startswith(self._prefixes) or any(p.search(path) for p in self._patterns):
            return True
        if self._exclude is None:
            return False
        answer = self._exclude(request())
        if not isinstance(answer, bool):
            raise TypeError(f"the exclude callable returned {type(answer).__name__}, not a bool")
        return answer
