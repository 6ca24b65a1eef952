"""The ASGI middleware: asks for a verdict, then sends the gate page or calls the app."""

from __future__ import annotations

import inspect
import logging
import os
import re
from collections.abc import Awaitable, Callable, Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from uagate.bypass import ContinueFlow
from uagate.decision import Decider
from uagate.detect import DEFAULT_MAX_LENGTH, log_once
from uagate.exclusions import Exclusions, RequestPredicate
from uagate.page import DEFAULT_STATUS_CODE, Page, PageCallable
from uagate.policy import DEFAULT_POLICY, Policy, Verdict

__all__ = ["UAGateMiddleware", "VerdictHook"]

logger = logging.getLogger("uagate")

#: ``on_verdict``: called with the request (a Request, or an HTTPConnection for a
#: websocket handshake) and its verdict; may be async.
VerdictHook = Callable[[HTTPConnection, Verdict], Awaitable[None] | None]

_THIRTY_DAYS = 30 * 24 * 60 * 60
_WEBSOCKET_DENIAL = "websocket.http.response"


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
        is_http = scope["type"] == "http"
        if (
            flow is not None
            and is_http
            and scope["path"] == scope.get("root_path", "") + flow.path
            and scope["method"] in ("GET", "HEAD")
        ):
            await flow.respond(Request(scope))(scope, receive, send)
            return
        if self._exclusions and self._skip(scope):
            await self.app(scope, receive, send)
            return
        user_agent, sec_ch_ua, full_list, cookie = _read_headers(
            scope, self.max_user_agent_length, flow is not None
        )
        if flow is not None and flow.has_cookie(cookie):
            await self.app(scope, receive, send)
            return
        try:
            verdict = self._decide(user_agent, sec_ch_ua, full_list)
        except Exception as exc:  # fail open: a bug in detection never breaks the site
            log_once(exc, "deciding for a request", traceback=True)
            await self.app(scope, receive, send)
            return
        if verdict.gated or self.on_verdict is not None:
            request = Request(scope) if is_http else HTTPConnection(scope)
            if verdict.gated:
                _log_gated(request, verdict, self.report_only)
            if self.on_verdict is not None:
                await self._call_hook(self.on_verdict, request, verdict)
            if verdict.gated and not self.report_only:
                await self._refuse(request, verdict, scope, receive, send)
                return
        scope.setdefault("state", {})["uagate"] = verdict
        if self.vary_user_agent and is_http:
            send = _vary_user_agent(send)
        await self.app(scope, receive, send)

    def _skip(self, scope: Scope) -> bool:
        try:
            return self._exclusions.skip(scope)
        except Exception as exc:  # fail open: an exclusion that raises lets the request through
            log_once(exc, "the exclude predicate", traceback=True)
            return True

    @staticmethod
    async def _call_hook(hook: VerdictHook, request: HTTPConnection, verdict: Verdict) -> None:
        try:
            result = hook(request, verdict)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # a metrics hook never breaks a request
            log_once(exc, "the on_verdict hook", traceback=True)

    async def _refuse(
        self, request: HTTPConnection, verdict: Verdict, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Send the gate page; a websocket gets 403 where the server can send it, else 1008."""
        if isinstance(request, Request):
            link = self._continue.link(request) if self._continue is not None else ""
            page = await self._page.respond(request, verdict, link)
            await page(scope, receive, send)
        elif _WEBSOCKET_DENIAL in scope.get("extensions", {}):
            response = self._page.answer(request, verdict, "")
            response.status_code = 403
            await response(scope, receive, send)
        elif (await receive())["type"] == "websocket.connect":
            await send({"type": "websocket.close", "code": 1008, "reason": "unsupported browser"})


def _read_headers(
    scope: Scope, max_length: int, want_cookie: bool
) -> tuple[str | None, str | None, str | None, str | None]:
    """User-Agent (capped), Sec-CH-UA, its full version list and Cookie, in one pass.

    The first of duplicate headers counts, as in ``request.headers``. The
    User-Agent is cut as bytes before decoding, so a 1 MB header costs what a
    short one does (latin-1 maps one byte to one character).
    """
    user_agent = sec_ch_ua = full_list = None
    cookies: list[bytes] = []
    for name, value in scope["headers"]:
        name = name.lower()
        if name == b"user-agent":
            if user_agent is None:
                user_agent = value.lstrip()[:max_length].decode("latin-1")
        elif name == b"sec-ch-ua":
            if sec_ch_ua is None:
                sec_ch_ua = value[:1025].decode("latin-1")
        elif name == b"sec-ch-ua-full-version-list":
            if full_list is None:
                full_list = value[:1025].decode("latin-1")
        elif want_cookie and name == b"cookie":
            cookies.append(value)
    cookie = b"; ".join(cookies).decode("latin-1") if cookies else None
    return user_agent, sec_ch_ua, full_list, cookie


def _log_gated(request: HTTPConnection, verdict: Verdict, report_only: bool) -> None:
    """One INFO record per gated (or, in report-only mode, would-be gated) request."""
    client = verdict.client
    version = ".".join(map(str, client.version)) or "?"
    logger.info(
        "uagate: %s %s %s (%s) %s %s",
        "would gate" if report_only else "gated",
        client.family,
        version,
        verdict.reason.value,
        request.scope.get("method", "WEBSOCKET"),
        request.url.path,
        extra={
            "uagate_family": client.family,
            "uagate_version": version,
            "uagate_reason": verdict.reason.value,
            "uagate_path": request.url.path,
            "uagate_report_only": report_only,
        },
    )


def _vary_user_agent(send: Send) -> Send:
    """Wrap ``send`` so that the response start says ``Vary: User-Agent``."""

    async def send_with_vary(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": _merge_vary(list(message.get("headers", [])))}
        await send(message)

    return send_with_vary


def _merge_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Add ``User-Agent`` to the first ``Vary`` header, or add one; ``*`` is left alone."""
    first = None
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            fields = {field.strip().lower() for field in value.split(b",")}
            if b"*" in fields or b"user-agent" in fields:
                return headers
            first = index if first is None else first
    if first is None:
        headers.append((b"vary", b"User-Agent"))
    else:
        name, value = headers[first]
        kept = value.rstrip(b", \t")
        headers[first] = (name, kept + b", User-Agent" if kept.strip() else b"User-Agent")
    return headers
