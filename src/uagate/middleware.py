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
- ``page``, ``status_code``, ``default_language``: the page;
- ``vary_user_agent``: the app's response (its ``Vary``; with ``allow_continue``
  it names ``Cookie`` too).

The shortcut is taken only where no option adds a step to a request it
settles (no exclusions, hook, continue flow or Vary, and a cache; for a gated
client, no report-only and no page callable); the rule of the tables it reads
is written in :class:`uagate.decision.Verdicts`, which stores their entries. A
property test compares every combination of options with and without it.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
from collections.abc import Awaitable, Callable, Collection, Sequence

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from uagate._headers import accepts as read_accepts
from uagate._headers import cookie_header, has_hints, scan, with_vary
from uagate._log import CONTROL, log_once, logger
from uagate.continue_flow import ContinueFlow
from uagate.decision import DEFAULT_CACHE_SIZE, Decider, Verdicts
from uagate.detect import DEFAULT_MAX_LENGTH, Client, cap, warm_up
from uagate.exclusions import Exclusions, RequestPredicate
from uagate.page import DEFAULT_STATUS_CODE, Page, PageCallable
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = ["UAGateMiddleware", "VerdictHook"]

#: ``on_verdict``: called with the request (a Request, or an HTTPConnection for a
#: websocket handshake) and its verdict; may be async.
VerdictHook = Callable[[HTTPConnection, Verdict], Awaitable[None] | None]

_THIRTY_DAYS = 30 * 24 * 60 * 60
# ASCII letters, digits, '_', '-', '.' and '/', starting with one '/'.
_CONTINUE_PATH = re.compile(r"/[\w.-][\w./-]*", re.ASCII)
# What a passed response's Vary names with vary_user_agent: every request header
# the verdict may depend on.
_VARY = (b"User-Agent", b"Sec-CH-UA", b"Sec-CH-UA-Full-Version-List")


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
    and all are checked before anything is built; the README documents each
    with its type and default.
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
        # 1. Check every option (the exclusions and the page check their own, and a
        #    page template is rendered once to check it); nothing else is built
        #    until all of them are good.
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
        for name, flag in (
            ("gate_websockets", gate_websockets),
            ("allow_continue", allow_continue),
            ("report_only", report_only),
            ("vary_user_agent", vary_user_agent),
        ):
            _require_bool(name, flag)
        _require_int("max_user_agent_length", max_user_agent_length, 16, 65536)
        _require_int("cache_size", cache_size, 0, 10_000_000)
        if (
            not isinstance(continue_path, str)
            or not _CONTINUE_PATH.fullmatch(continue_path)
            # A '.' or '..' segment: a browser would resolve it away, and miss the route.
            or any(segment in (".", "..") for segment in continue_path.split("/"))
        ):
            raise ValueError(
                "UAGateMiddleware option continue_path must be a path of its own of ASCII "
                "letters, digits and '_-./' such as '/_uagate/continue' (not '/', not '//...', "
                f"no '.' or '..' segment), not {continue_path!r}"
            )
        _require_int("continue_max_age", continue_max_age, 1, 10 * 365 * 86400)
        exclusions = Exclusions(exclude_paths, methods, exclude)  # checks its three options
        gate_page = Page(  # checks page and default_language (a template renders once now)
            page,
            status_code=status_code,
            default_language=default_language,
            vary_cookie=allow_continue,
            cache_size=cache_size,
        )

        # 2. Build the steps the options switch on.
        self.app = app
        self.policy = policy
        self._verdicts = Verdicts(
            Decider(policy, max_length=max_user_agent_length), size=cache_size
        )
        warm_up()  # build the parser at startup, not on the first request that needs it
        self._gate_websockets = gate_websockets
        self._continue = ContinueFlow(continue_path, continue_max_age) if allow_continue else None
        self._exclusions = exclusions if exclusions else None
        self._report_only = report_only
        self._on_verdict = on_verdict
        self._vary = _VARY + ((b"Cookie",) if allow_continue else ()) if vary_user_agent else ()
        self._page = gate_page
        plain = not (exclusions or on_verdict or allow_continue or vary_user_agent)
        self._known = self._verdicts.known if plain and cache_size else None
        self._unhinted = self._verdicts.unhinted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        kind = scope["type"]
        if kind == "http":
            known = self._known
            if known is not None:
                # The shortcut: a client seen before costs one lookup of its raw User-Agent.
                # The rule of each table is written in Verdicts' docstring: ``known`` holds
                # whole verdicts; ``unhinted`` those of requests that send no hint header.
                headers = scope["headers"]
                for name, value in headers:
                    if name == b"user-agent":
                        try:
                            verdict = known.get(value)
                            if verdict is None:
                                verdict = self._unhinted.get(value)
                                if verdict is None or has_hints(headers):
                                    break
                        except TypeError:  # a value that is not bytes, against the ASGI spec
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
        elif kind != "websocket" or not self._gate_websockets:
            await self.app(scope, receive, send)
            return
        await self._gate(scope, receive, send)

    async def _gate(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The path of a request the shortcut did not settle: its steps, then the verdict."""
        flow = self._continue
        if flow is not None and flow.matches(scope):
            await flow.respond(Request(scope))(scope, receive, send)
            return
        if self._exclusions is not None and self._skip(self._exclusions, scope):
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        user_agent, sec_ch_ua, full_list, accept, accept_language = scan(headers)
        try:
            verdict = self._verdicts(user_agent, sec_ch_ua, full_list)
            if verdict.gated and flow is not None and flow.has_cookie(cookie_header(headers)):
                verdict = Verdict(False, Reason.CONTINUED, verdict.client)
        except Exception as exc:  # fail open: a bug in detection never breaks the site
            log_once(exc, "deciding for a request", traceback=True)
            verdict = _unparseable(user_agent, self._verdicts.decider.max_length)
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
        if verdict.gated:
            log_gated(scope, verdict, self._report_only)
        if self._on_verdict is not None:
            # Without the body: reading it here would leave none for the app.
            request = Request(scope) if is_http else HTTPConnection(scope)
            await _call_hook(self._on_verdict, request, verdict)
        if verdict.gated and not self._report_only:
            flow = self._continue
            link = flow.link(scope) if flow is not None and is_http else ""
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

    @staticmethod
    def _skip(exclusions: Exclusions, scope: Scope) -> bool:
        try:
            return exclusions.skip(scope)
        except Exception as exc:  # fail open: an exclusion that raises lets the request through
            log_once(exc, "the exclude callable", traceback=True)
            return True


def _unparseable(user_agent: object, max_length: int) -> Verdict:
    """The passing verdict of a request whose decision failed: reason ``unparseable``."""
    raw = user_agent if isinstance(user_agent, (bytes, str)) else b""
    return Verdict(False, Reason.UNPARSEABLE, Client(cap(raw, max_length)))


async def _call_hook(hook: VerdictHook, request: HTTPConnection, verdict: Verdict) -> None:
    try:
        result = hook(request, verdict)
        if inspect.isawaitable(result):
            await result
    except Exception as exc:  # a metrics hook never breaks a request
        log_once(exc, "the on_verdict hook", traceback=True)


def log_gated(scope: Scope, verdict: Verdict, report_only: bool) -> None:
    r"""One INFO record per gated (or, in report-only mode, would-be gated) request.

    It names what an operator needs to decide: the method and path, the browser
    and its version, the reason and the User-Agent, as in ``uagate: would gate
    GET /account: IE 8.0 (internet-explorer) "Mozilla/4.0 (compatible; MSIE
    8.0; ...)"``; the same fields are record attributes (``uagate_method``,
    ``uagate_path``, ``uagate_family``, ``uagate_version``, ``uagate_reason``,
    ``uagate_user_agent``, ``uagate_report_only``) for JSON log pipelines.
    Request text is escaped (control characters as ``\xHH``) and cut: at most
    2,000 characters of the path, 300 of the User-Agent.
    """
    if not logger.isEnabledFor(logging.INFO):
        return
    client = verdict.client
    version = ".".join(map(str, client.version)) or "?"
    # A parser rule can copy request text into the family (uap-core's CFNetwork rule
    # takes up to 200 characters): escaped like the rest. (The path not through
    # starlette's URL: it decodes the query string as strict UTF-8 and can raise.)
    family = _escaped(client.family, 200)
    path = _escaped(scope.get("path", ""), 2000)
    user_agent = _escaped(client.user_agent, 300)
    method = _escaped(str(scope.get("method", "WEBSOCKET")), 20)
    reason = verdict.reason.value
    logger.info(
        'uagate: %s %s %s: %s %s (%s) "%s"',
        "would gate" if report_only else "gated",
        method,
        path,
        family,
        version,
        reason,
        user_agent,
        extra={
            "uagate_method": method,
            "uagate_path": path,
            "uagate_family": family,
            "uagate_version": version,
            "uagate_reason": reason,
            "uagate_user_agent": user_agent,
            "uagate_report_only": report_only,
        },
    )


def _escaped(text: str, limit: int) -> str:
    r"""``text`` for a log line: control characters as ``\xHH``, ``"`` as ``\"``, cut."""
    cut = text[:limit]
    cut = CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", cut.replace('"', '\\"'))
    return cut + "..." if len(text) > limit else cut
