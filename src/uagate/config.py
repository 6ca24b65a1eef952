"""The gate's options: one checked, frozen object that every adapter and the CLI take.

:class:`GateConfig` holds what :class:`uagate.UAGateMiddleware` takes as
keyword options, checks each when it is made and normalises the collections
(``exclude_paths`` to a tuple, ``methods`` to a frozenset of upper-case names,
``default_language`` to the tag served), so a config can be shared, hashed and
read back: ``uagate export nginx --app``, ``uagate check --app`` and
``uagate scan --app`` read the config of the gate an app mounts.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any

from uagate._locales import known_language
from uagate._shared import is_async_callable
from uagate._templates import check_site_name
from uagate.decision import DEFAULT_CACHE_SIZE
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.exclusions import RequestPredicate, is_path_prefix, method_names
from uagate.page import DEFAULT_STATUS_CODE, Page
from uagate.policy import DEFAULT_POLICY, Policy, Verdict

__all__ = ["CONTINUE_PATH", "THIRTY_DAYS", "GateConfig", "RequestPredicate", "VerdictHook"]

#: ``on_verdict``: called with the request (as for ``exclude``) and its verdict;
#: may be async under ASGI and Django.
VerdictHook = Callable[[Any, Verdict], Awaitable[None] | None]

#: ``continue_max_age``'s default: thirty days, in seconds.
THIRTY_DAYS = 30 * 24 * 60 * 60

#: ``continue_path``'s default.
CONTINUE_PATH = "/_uagate/continue"

# ASCII letters, digits, '_', '-', '.' and '/', starting with one '/'.
_CONTINUE_PATH = re.compile(r"/[\w.-][\w./-]*", re.ASCII)

_PREFIX = "UAGateMiddleware option"


def _require_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{_PREFIX} {name} must be a bool, not {value!r}")


def _require_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{_PREFIX} {name} must be an int, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{_PREFIX} {name} must be from {low} to {high}, not {value}")


def _exclude_paths(paths: object) -> tuple[str | re.Pattern[str], ...]:
    if isinstance(paths, (str, re.Pattern)) or not isinstance(paths, Sequence):
        raise TypeError(
            f"{_PREFIX} exclude_paths must be a list of prefixes and compiled patterns, "
            f"not {paths!r}"
        )
    for item in paths:
        if item == "/":
            raise ValueError(
                f"{_PREFIX} exclude_paths: '/' is a prefix of every path and would gate "
                "nothing; to gate nothing, do not mount the gate (or use report_only)"
            )
        if not (isinstance(item, re.Pattern) and isinstance(item.pattern, str)) and not (
            is_path_prefix(item)
        ):
            raise ValueError(
                f"{_PREFIX} exclude_paths takes prefixes that start with '/' "
                f"and re.compile() patterns, not {item!r}"
            )
    return tuple(paths)


def _continue_path(path: object) -> None:
    if (
        not isinstance(path, str)
        or not _CONTINUE_PATH.fullmatch(path)
        # A '.' or '..' segment: a browser would resolve it away, and miss the route.
        or any(segment in (".", "..") for segment in path.split("/"))
    ):
        raise ValueError(
            f"{_PREFIX} continue_path must be a path of its own of ASCII "
            "letters, digits and '_-./' such as '/_uagate/continue' (not '/', not '//...', "
            f"no '.' or '..' segment), not {path!r}"
        )


@dataclasses.dataclass(frozen=True)
class GateConfig:
    """Every option of the gate, checked when made; the README's options table documents each.

    Made by :class:`uagate.UAGateMiddleware` from its keyword options, or
    passed to it (and to :class:`uagate.wsgi.UAGateWSGIMiddleware` and
    :class:`uagate.django.UAGateMiddleware`) whole. Frozen and hashable:
    :func:`dataclasses.replace` makes a changed copy, checked again. A bad
    option raises :class:`TypeError` or :class:`ValueError` naming it.
    """

    policy: Policy = DEFAULT_POLICY
    status_code: int = DEFAULT_STATUS_CODE
    page: str | os.PathLike[str] | Callable[..., Any] | None = None
    default_language: str = "en"
    exclude_paths: Sequence[str | re.Pattern[str]] = ()
    methods: Collection[str] | None = None
    exclude: RequestPredicate | None = None
    gate_websockets: bool = False
    allow_continue: bool = False
    continue_path: str = CONTINUE_PATH
    continue_max_age: int = THIRTY_DAYS
    report_only: bool = False
    on_verdict: VerdictHook | None = None
    vary_user_agent: bool = False
    max_user_agent_length: int = DEFAULT_MAX_LENGTH
    cache_size: int = DEFAULT_CACHE_SIZE
    site_name: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.policy, Policy):
            raise TypeError(f"{_PREFIX} policy must be a uagate.Policy, not {self.policy!r}")
        _require_int("status_code", self.status_code, 200, 599)
        if not (self.status_code == 200 or self.status_code >= 400):
            raise ValueError(
                f"{_PREFIX} status_code must be 200 or 400-599 (a status "
                f"that carries a page), not {self.status_code}"
            )
        for name in ("on_verdict", "exclude"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(f"{_PREFIX} {name} must be callable, not {value!r}")
        if self.exclude is not None and is_async_callable(self.exclude):
            raise TypeError(
                f"{_PREFIX} exclude must be a plain (not async) callable, not {self.exclude!r}"
            )
        for name in ("gate_websockets", "allow_continue", "report_only", "vary_user_agent"):
            _require_bool(name, getattr(self, name))
        _require_int("max_user_agent_length", self.max_user_agent_length, 16, 65536)
        _require_int("cache_size", self.cache_size, 0, 10_000_000)
        _continue_path(self.continue_path)
        _require_int("continue_max_age", self.continue_max_age, 1, 10 * 365 * 86400)
        self._set("exclude_paths", _exclude_paths(self.exclude_paths))
        if self.methods is not None:
            self._set("methods", method_names(self.methods, f"{_PREFIX} methods"))
            if not self.methods:
                raise ValueError(
                    f"{_PREFIX} methods is empty and would gate nothing; None gates every method"
                )
        self._set(
            "default_language",
            known_language(self.default_language, f"{_PREFIX} default_language"),
        )
        check_site_name(self.site_name, f"{_PREFIX} site_name")
        # The page checks itself (a template renders once in every language now).
        Page(
            self.page,
            status_code=self.status_code,
            default_language=self.default_language,
            vary_cookie=self.allow_continue,
            cache_size=0,
            site_name=self.site_name,
        )

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)  # normalising a frozen field, once, when made

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> GateConfig:
        """A config from keyword options; an unknown name is a TypeError that lists the known."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(
                f"unknown uagate option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**options)  # type: ignore[arg-type]
