"""The ASGI middleware: asks for a verdict, then sends the gate page or calls the app."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Awaitable, Callable, Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from uagate._headers import read_headers, scan, vary_user_agent
from uagate._log import log_gated, log_once
from uagate.bypass import ContinueFlow
from uagate.decision import DEFAULT_CACHE_SIZE, Decider, HeaderDecider
from uagate.detect import DEFAULT_MAX_LENGTH, warm_up
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
        cache_size: int = DEFAULT_CACHE_SIZE,
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
        self.cache_size = _require_int("cache_size", cache_size, 0, 10_000_000)
        self._decide = Decider(policy, max_length=max_user_agent_length, cache_size=cache_size)
        warm_up()  # build the parser at startup, not on the first request that needs it
        self._exclusions = Exclusions(exclude_paths, methods, exclude)
        self._verdicts = HeaderDecider(
            self._decide, max_length=max_user_agent_length, cache_size=max(cache_size, 1)
        )
        # The fast path serves requests that need nothing but their verdict.
        self._fast = bool(cache_size) and not self._exclusions and on_verdict is None
        # The hot path's table, where nothing but the verdict is needed.
        plain = self._fast and allow_continue is False and not vary_user_agent
        self._hot = self._verdicts.by_user_agent if plain else None
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
            cache_size=cache_size,
        )
        # Built-in gate responses are kept by the headers they depend on; not with
        # a page callable (it may vary on anything) or a continue link (it holds
        # the path, and the cookie must be read).
        self._cache_refusals = self._continue is None and not self._page.is_callable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        hot = self._hot
        if hot is not None and scope["type"] == "http":
            # The hot path, written out: a client seen before whose verdict
            # depends on its User-Agent alone costs one dictionary lookup.
            for name, value in scope["headers"]:
                if name == b"user-agent":
                    try:
                        verdict = hot.get(value)
                    except TypeError:  # a value that is not bytes, against the ASGI spec
                        break
                    if verdict is not None:
                        try:
                            scope["state"]["uagate"] = verdict
                        except KeyError:
                            scope["state"] = {"uagate": verdict}
                        await self.app(scope, receive, send)
                        return
                    break
        await self._route(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http" and self._fast and not (self._continue and self._continue.matches(scope)):
            # The fast path: a verdict from the raw headers, remembered by their bytes.
            user_agent, sec_ch_ua, full_list, accept, accept_language = scan(scope["headers"])
            try:
                verdict = self._verdicts(user_agent, sec_ch_ua, full_list)
            except TypeError:  # a header value that is not bytes: the full path decodes it
                verdict = None
            except Exception as exc:  # fail open: a bug in detection never breaks the site
                log_once(exc, "deciding for a request", traceback=True)
                await self.app(scope, receive, send)
                return
            if verdict is not None:
                # With a continue flow, a gated request must read its cookie: full path.
                if not verdict.gated or (self.report_only and self._continue is None):
                    if verdict.gated:
                        log_gated(scope, verdict, True)
                    await self._pass(verdict, scope, receive, send)
                    return
                if self._cache_refusals:
                    log_gated(scope, verdict, False)
                    await self._page.send_built_in(scope, verdict, accept, accept_language, send)
                    return
        if kind == "http" or (kind == "websocket" and self.gate_websockets):
            await self._gate(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _pass(self, verdict: Verdict, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the app, with the verdict in scope state (and Vary, if asked)."""
        state = scope.get("state")
        if state is None:
            scope["state"] = state = {}
        state["uagate"] = verdict
        if self.vary_user_agent and scope["type"] == "http":
            send = vary_user_agent(send)
        await self.app(scope, receive, send)

    async def _gate(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The full path: continue link, exclusions, hooks, page callables, websockets."""
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
                log_gated(scope, verdict, self.report_only)
            if self.on_verdict is not None:
                await self._call_hook(self.on_verdict, request, verdict)
            if verdict.gated and not self.report_only:
                link = (
                    flow.link(request) if flow is not None and isinstance(request, Request) else ""
                )
                await self._page.send(request, verdict, link, receive, send)
                return
        await self._pass(verdict, scope, receive, send)

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
