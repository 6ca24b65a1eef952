"""The ASGI middleware: asks for a verdict, then sends the gate page or calls the app."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Awaitable, Callable, Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from uagate._headers import read_headers, vary_user_agent
from uagate._log import log_gated, log_once
from uagate.bypass import ContinueFlow
from uagate.decision import Decider
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.exclusions import Exclusions, RequestPredicate
from uagate.page import DEFAULT_STATUS_CODE, Page, PageCallable
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = ["UAGateMiddleware", "VerdictHook"]

#: ``on_verdict``: called with the request (a Request, or an HTTPConnection for a
#: websocket handshake) and its verdict; may be async.
VerdictHook = Callable[[HTTPConnection, Verdict], Awaitable[None] | None]

_THIRTY_DAYS = 30 * 24 * 60 * 60


def _require_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"UAGateMiddleware option {name} must be a bool, not {value!r}")
    return value


def _require_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"UAGateMiddleware option {name} must be an int, not {value!r}")
    if not low <= value <= high:
        raise ValueError(
            f"UAGateMiddleware option {name} must be from {low} to {high}, not {value}"
        )
    return value


class UAGateMiddleware:
    """Answer Internet Explorer with the "We don't support Internet Explorer" page.

    Every other client reaches ``app`` untouched. All options are keyword-only
    and checked here; the README documents each with its type and default.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: Policy = DEFAULT_POLICY,
        status_code: int = DEFAULT_STATUS_CODE,
        page: str | os.PathLike[str] | PageCallable | None = None,
        default_language: str = "en",
        exclude_paths: Sequence[str | re.Pattern[str]] = (),
        methods: Collection[str] | None = None,
        exclude: RequestPredicate | None = None,
        gate_websockets: bool = False,
        allow_continue: bool = False,
        continue_path: str = "/_uagate/continue",
        continue_max_age: int = _THIRTY_DAYS,
        report_only: bool = False,
        on_verdict: VerdictHook | None = None,
        vary_user_agent: bool = False,
        max_user_agent_length: int = DEFAULT_MAX_LENGTH,
    ) -> None:
        if not callable(app):
            raise TypeError(f"UAGateMiddleware app must be an ASGI callable, not {app!r}")
        if not isinstance(policy, Policy):
            raise TypeError(
                f"UAGateMiddleware option policy must be a uagate.Policy, not {policy!r}"
            )
        _require_int("status_code", status_code, 200, 599)
        if not (status_code == 200 or status_code >= 400):
            raise ValueError(
                "UAGateMiddleware option status_code must be 200 or 400-599 (a status "
                f"that carries a page), not {status_code}"
            )
        if on_verdict is not None and not callable(on_verdict):
            raise TypeError(
                f"UAGateMiddleware option on_verdict must be callable, not {on_verdict!r}"
            )
        self.app = app
        self.policy = policy
        self.report_only = _require_bool("report_only", report_only)
        self.gate_websockets = _require_bool("gate_websockets", gate_websockets)
        self.vary_user_agent = _require_bool("vary_user_agent", vary_user_agent)
        self.max_user_agent_length = _require_int(
            "max_user_agent_length", max_user_agent_length, 16, 65536
        )
        self.on_verdict = on_verdict
        self._decide = Decider(policy, max_length=max_user_agent_length)
        self._exclusions = Exclusions(exclude_paths, methods, exclude)
        if not isinstance(continue_path, str) or not re.fullmatch(
            r"/[\w.-][\w./-]*", continue_path
        ):
            raise ValueError(
                "UAGateMiddleware option continue_path must be a path of its own such as "
                f"'/_uagate/continue' (not '/', not '//...'), not {continue_path!r}"
            )
        max_age = _require_int("continue_max_age", continue_max_age, 1, 10 * 365 * 86400)
        self._continue = (
            ContinueFlow(continue_path, max_age)
            if _require_bool("allow_continue", allow_continue)
            else None
        )
        self._page = Page(
            page,
            status_code=status_code,
            default_language=default_language,
            vary_cookie=allow_continue,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        kind = scope["type"]
        if kind == "http" or (kind == "websocket" and self.gate_websockets):
            await self._gate(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _gate(self, scope: Scope, receive: Receive, send: Send) -> None:
        flow = self._continue
        if flow is not None and flow.matches(scope):
            await flow.respond(Request(scope))(scope, receive, send)
            return
        if self._exclusions and self._skip(scope):
            await self.app(scope, receive, send)
            return
        user_agent, sec_ch_ua, full_list, cookie = read_headers(
            scope, self.max_user_agent_length, flow is not None
        )
        try:
            verdict = self._decide(user_agent, sec_ch_ua, full_list)
        except Exception as exc:  # fail open: a bug in detection never breaks the site
            log_once(exc, "deciding for a request", traceback=True)
            await self.app(scope, receive, send)
            return
        if verdict.gated and flow is not None and flow.has_cookie(cookie):
            verdict = Verdict(False, Reason.CONTINUED, verdict.client)
        if verdict.gated or self.on_verdict is not None:
            request = Request(scope) if scope["type"] == "http" else HTTPConnection(scope)
            if verdict.gated:
                log_gated(request, verdict, self.report_only)
            if self.on_verdict is not None:
                await self._call_hook(self.on_verdict, request, verdict)
            if verdict.gated and not self.report_only:
                link = (
                    flow.link(request) if flow is not None and isinstance(request, Request) else ""
                )
                await self._page.send(request, verdict, link, receive, send)
                return
        scope.setdefault("state", {})["uagate"] = verdict
        if self.vary_user_agent and scope["type"] == "http":
            send = vary_user_agent(send)
        await self.app(scope, receive, send)

    def _skip(self, scope: Scope) -> bool:
        try:
            return self._exclusions.skip(scope)
        except Exception as exc:  # fail open: an exclusion that raises lets the request through
            log_once(exc, "the exclude callable", traceback=True)
            return True

    @staticmethod
    async def _call_hook(hook: VerdictHook, request: HTTPConnection, verdict: Verdict) -> None:
        try:
            result = hook(request, verdict)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # a metrics hook never breaks a request
            log_once(exc, "the on_verdict hook", traceback=True)
