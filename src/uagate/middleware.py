"""The ASGI middleware: one path from a request to the gate page or the app.

Options switch steps on along that path; they never fork it::

    scope ── not http (lifespan; websocket unless gate_websockets) ──> app, untouched
      │  shortcut    a client seen before: its verdict, then the app or its kept page
      │  continue    allow_continue: the continue endpoint sets its cookie
      │  exclusions  exclude_paths, methods, exclude: the app, untouched
      ▼
    verdict (Verdicts: the decider and its cache; with allow_continue, the cookie)
      ▼
    finish: log (gated) ─> on_verdict ─> report_only? ─> the page (page=, status_code,
            default_language)  or  the app, the verdict in scope state (vary_user_agent)

Which option switches on or shapes which step:

- ``gate_websockets``: which scopes take the path at all;
- ``allow_continue``, ``continue_path``, ``continue_max_age``: the continue
  step, the verdict (its cookie) and the page (its link);
- ``exclude_paths``, ``methods``, ``exclude``: the exclusions step;
- ``policy``, ``max_user_agent_length``, ``cache_size``: the verdict (and
  ``cache_size`` the kept pages, and whether the shortcut is taken at all);
- ``report_only``, ``on_verdict``: finish;
- ``page``, ``status_code``, ``default_language``, ``site_name``: the page;
- ``vary_user_agent``: the app's response (its ``Vary``; with ``allow_continue``
  it names ``Cookie`` too).

The shortcut is taken only where no option adds a step to a request it
settles (no exclusions, hook, continue flow or Vary, and a cache); it asks the
cache through :meth:`uagate.decision.Verdicts.seen`, whose rule is written
there. A property test compares every combination of options with and without it.

The options are one :class:`uagate.config.GateConfig`, and the decision, the
page, the continue flow and the exclusions one :class:`uagate.core.Gate`,
which the WSGI and Django adapters share; this module adds what only ASGI has
(scopes, websockets, page callables, the shortcut).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from uagate._headers import accepts as read_accepts
from uagate._headers import cookie_header, scan, with_vary
from uagate._log import logger
from uagate._shared import Answer, route_path
from uagate.config import CONTINUE_PATH, THIRTY_DAYS, GateConfig, RequestPredicate, VerdictHook
from uagate.core import Gate, RequestLine, call_hook, log_gated
from uagate.decision import DEFAULT_CACHE_SIZE
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.page import DEFAULT_STATUS_CODE, PageCallable
from uagate.policy import DEFAULT_POLICY, Policy, Verdict

__all__ = ["UAGateMiddleware", "VerdictHook"]


class UAGateMiddleware:
    """Answer Internet Explorer with the "We don't support Internet Explorer" page.

    Every other client reaches ``app`` untouched. All options are keyword-only
    and all are checked (by :class:`~uagate.config.GateConfig`) before
    anything is built; the README documents each with its type and default.
    ``config`` passes them as one GateConfig instead, with no other option.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        config: GateConfig | None = None,
        policy: Policy = DEFAULT_POLICY,
        status_code: int = DEFAULT_STATUS_CODE,
        page: str | os.PathLike[str] | PageCallable | None = None,
        default_language: str = "en",
        exclude_paths: Sequence[str | re.Pattern[str]] = (),
        methods: Collection[str] | None = None,
        exclude: RequestPredicate | None = None,
        gate_websockets: bool = False,
        allow_continue: bool = False,
        continue_path: str = CONTINUE_PATH,
        continue_max_age: int = THIRTY_DAYS,
        report_only: bool = False,
        on_verdict: VerdictHook | None = None,
        vary_user_agent: bool = False,
        max_user_agent_length: int = DEFAULT_MAX_LENGTH,
        cache_size: int = DEFAULT_CACHE_SIZE,
        site_name: str | None = None,
    ) -> None:
        if not callable(app):
            raise TypeError(f"UAGateMiddleware app must be an ASGI callable, not {app!r}")
        options = GateConfig(
            policy=policy,
            status_code=status_code,
            page=page,
            default_language=default_language,
            exclude_paths=exclude_paths,
            methods=methods,
            exclude=exclude,
            gate_websockets=gate_websockets,
            allow_continue=allow_continue,
            continue_path=continue_path,
            continue_max_age=continue_max_age,
            report_only=report_only,
            on_verdict=on_verdict,
            vary_user_agent=vary_user_agent,
            max_user_agent_length=max_user_agent_length,
            cache_size=cache_size,
            site_name=site_name,
        )
        if config is not None and not isinstance(config, GateConfig):
            raise TypeError(
                f"UAGateMiddleware option config must be a uagate.GateConfig, not {config!r}"
            )
        if config is not None and options != GateConfig():
            raise TypeError("UAGateMiddleware takes config= or options, not both")
        gate = Gate(options if config is None else config)
        config = gate.config
        self.app = app
        #: The gate's options, as one frozen GateConfig (what ``--app`` reads).
        self.config = config
        self.policy = config.policy
        self._gate = gate
        self._verdicts = gate.verdicts
        self._page = gate.page
        # The steps' options, read on every request the shortcut does not settle.
        self._continue = gate.continue_flow
        self._routed = gate.continue_flow is not None or gate.exclusions is not None
        self._report_only = config.report_only
        self._on_verdict = config.on_verdict
        self._vary = tuple(name.encode("latin-1") for name in gate.vary)
        plain = not (gate.exclusions or config.on_verdict or gate.continue_flow or gate.vary)
        # The shortcut: on only where no option adds a step to a request it settles.
        self._known = gate.verdicts.settled if plain and config.cache_size else None
        self._seen = gate.verdicts.seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        kind = scope["type"]
        if kind == "http":
            known = self._known
            if known is not None:
                # The shortcut: a client seen before costs one lookup of its raw User-Agent.
                headers = scope["headers"]
                for name, value in headers:
                    if name == b"user-agent":
                        try:
                            verdict = known(value)
                        except TypeError:  # a value that is not bytes, against the ASGI spec
                            break
                        if verdict is None:
                            verdict = self._seen(value, headers)  # an IE-like string
                            if verdict is None:
                                break
                        if verdict.gated:  # the gate page is a step of finish
                            await self._finish(verdict, scope, receive, send)
                            return
                        # A passing client needs nothing but its verdict: the app.
                        try:
                            scope["state"]["uagate"] = verdict
                        except KeyError:
                            scope["state"] = {"uagate": verdict}
                        await self.app(scope, receive, send)
                        return
        elif kind != "websocket" or not self.config.gate_websockets:
            await self.app(scope, receive, send)
            return
        await self._steps(scope, receive, send)

    async def _steps(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The path of a request the shortcut did not settle: its steps, then the verdict."""
        gate = self._gate
        if self._routed:  # the continue endpoint, or exclusions: they read the request line
            is_http = scope["type"] == "http"
            # A websocket handshake is a GET; a method name is upper case, as ASGI asks.
            method = scope["method"].upper() if is_http else "GET"
            line = RequestLine(method, route_path(scope), scope["path"])
            if is_http and self._continue is not None:
                query, secure = scope.get("query_string", b""), scope.get("scheme") == "https"
                answer = gate.continue_answer(line._replace(query=query, secure=secure))
                if answer is not None:
                    await _send_answer(answer, send)
                    return
            if gate.skips(line, lambda: Request(scope) if is_http else HTTPConnection(scope)):
                await self.app(scope, receive, send)
                return
        headers = scope["headers"]
        user_agent, sec_ch_ua, full_list, accept, accept_language = scan(headers)
        cookie = cookie_header(headers) if self._continue is not None else None
        verdict = gate.verdict(user_agent, sec_ch_ua, full_list, cookie)
        await self._finish(verdict, scope, receive, send, (accept, accept_language))

    async def _finish(
        self,
        verdict: Verdict,
        scope: Scope,
        receive: Receive,
        send: Send,
        accepts: tuple[bytes | None, bytes | None] | None = None,
    ) -> None:
        """Log, hook, then report-only, the page or the app.

        ``accepts``: the request's Accept and Accept-Language, where already read.
        """
        is_http = scope["type"] == "http"
        if verdict.gated and logger.isEnabledFor(logging.INFO):
            method = str(scope.get("method", "WEBSOCKET"))
            log_gated(method, scope.get("path", ""), verdict, self._report_only)
        if self._on_verdict is not None:
            # Without the body: reading it here would leave none for the app.
            request = Request(scope) if is_http else HTTPConnection(scope)
            await call_hook(self._on_verdict, request, verdict)
        if verdict.gated and not self._report_only:
            flow = self._continue
            link = (
                flow.link(scope.get("root_path", ""), scope["path"], scope.get("query_string", b""))
                if flow is not None and is_http
                else ""
            )
            accept, accept_language = accepts or read_accepts(scope["headers"])
            await self._page.send(scope, verdict, link, accept, accept_language, receive, send)
            return
        try:
            scope["state"]["uagate"] = verdict
        except KeyError:
            scope["state"] = {"uagate": verdict}
        if self._vary and is_http:
            send = with_vary(send, self._vary)
        await self.app(scope, receive, send)


async def _send_answer(answer: Answer, send: Send) -> None:
    """Send one of the gate's own answers as an ASGI response."""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
