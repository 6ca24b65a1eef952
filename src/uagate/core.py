"""The gate without a server: a request's headers to a verdict, a verdict to a response.

Nothing here knows ASGI, WSGI or Django. An adapter reads a request into a
:class:`RequestLine` and its headers, asks a :class:`Gate` built from one
:class:`~uagate.config.GateConfig`, and writes the :class:`Answer` back in its
own terms:

- :class:`uagate.UAGateMiddleware` (ASGI), which adds a shortcut for clients
  seen before, websockets and page callables;
- :class:`uagate.wsgi.UAGateWSGIMiddleware` (Flask, Django under gunicorn);
- :class:`uagate.django.UAGateMiddleware` (Django's ``MIDDLEWARE``, sync and async).

For a quick answer without an adapter, :func:`decide` and :func:`respond`
use a gate per configuration::

    >>> from uagate import decide, respond
    >>> from uagate.testing import IE11
    >>> verdict = decide({"User-Agent": IE11})
    >>> status, headers, body = respond(verdict, {"Accept-Language": "fr"})
    >>> verdict.gated, status, dict(headers)["content-language"]
    (True, 406, 'fr')
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

from uagate._headers import HEADER_LIMIT, VERDICT_HEADERS
from uagate._log import CONTROL, log_once, logger
from uagate._shared import Answer
from uagate.config import GateConfig
from uagate.continue_flow import ContinueFlow
from uagate.decision import Decider, HeaderValue, Verdicts, unparseable
from uagate.detect import warm_up
from uagate.exclusions import Exclusions
from uagate.page import Page
from uagate.policy import Reason, Verdict

__all__ = [
    "Answer",
    "Gate",
    "Headers",
    "RequestLine",
    "call_hook",
    "call_hook_sync",
    "decide",
    "log_gated",
    "respond",
    "settle_hook",
]


#: A request's headers as :func:`decide` and :func:`respond` take them: names in any
#: case, values as text or as raw bytes (read as latin-1).
Headers = Mapping[str, str | bytes]


class RequestLine(NamedTuple):
    """What the gate reads of a request besides its headers, as an adapter finds it.

    ``path`` is below ``root_path`` (the mount or ``SCRIPT_NAME``), as routes
    see it; ``full_path`` is the whole path asked for, root path included;
    ``query`` is the raw query string.
    """

    method: str
    path: str
    full_path: str
    root_path: str = ""
    query: bytes = b""
    secure: bool = False


def _header(headers: Headers, name: str) -> str | None:
    """A header by its lower-case ``name``, from a mapping whose keys may have any case.

    A bytes value is read as latin-1, as the ASGI middleware reads raw headers.
    """
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping of names to values, not {headers!r}")
    value: object = headers.get(name)
    if value is None:
        for key, found in headers.items():
            if isinstance(key, str) and key.lower() == name:
                value = found
                break
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    raise TypeError(f"header {name} must be str or bytes, not {value!r}")


class Gate:
    """The gate's decision and responses under one configuration, for any adapter.

    Built once per mounted gate. Holds the decider and its bounded cache
    (:class:`~uagate.decision.Verdicts`), the page, the continue flow and the
    exclusions the configuration switches on; keeps no per-request state, so
    one gate serves every thread and task.
    """

    __slots__ = ("config", "continue_flow", "exclusions", "page", "vary", "verdicts")

    def __init__(self, config: GateConfig | None = None) -> None:
        config = GateConfig() if config is None else config
        if not isinstance(config, GateConfig):
            raise TypeError(f"config must be a uagate.GateConfig, not {config!r}")
        self.config = config
        self.verdicts = Verdicts(
            Decider(config.policy, max_length=config.max_user_agent_length),
            size=config.cache_size,
        )
        self.page = Page(
            config.page,
            status_code=config.status_code,
            default_language=config.default_language,
            vary_cookie=config.allow_continue,
            cache_size=config.cache_size,
            site_name=config.site_name,
        )
        self.continue_flow = (
            ContinueFlow(config.continue_path, config.continue_max_age)
            if config.allow_continue
            else None
        )
        exclusions = Exclusions(config.exclude_paths, config.methods, config.exclude)
        self.exclusions = exclusions if exclusions else None
        #: What a passed response's ``Vary`` names (``vary_user_agent``): every request
        #: header its verdict may depend on.
        self.vary: tuple[str, ...] = (
            VERDICT_HEADERS + (("Cookie",) if config.allow_continue else ())
            if config.vary_user_agent
            else ()
        )
        warm_up()  # build the parser at startup, not on the first request that needs it

    def verdict(
        self,
        user_agent: HeaderValue,
        sec_ch_ua: HeaderValue = None,
        full_version_list: HeaderValue = None,
        cookie: str | None = None,
    ) -> Verdict:
        """The verdict for these header values (raw bytes or text; ``None`` where missing).

        With ``allow_continue``, a gated client with the continue cookie passes
        (reason ``continued``). It never raises: a failure is logged once and
        the request passes as ``unparseable``.
        """
        try:
            verdict = self.verdicts(user_agent, sec_ch_ua, full_version_list)
            if verdict.gated and self.continue_flow is not None and ContinueFlow.has_cookie(cookie):
                verdict = Verdict(False, Reason.CONTINUED, verdict.client)
        except Exception as exc:  # fail open: a bug in detection never breaks the site
            log_once(exc, "deciding for a request", traceback=True)
            verdict = unparseable(user_agent, self.config.max_user_agent_length)
        return verdict

    def decide(self, headers: Headers) -> Verdict:
        """The verdict for a request's headers (a mapping; names in any case; str or bytes)."""
        return self.verdict(
            _header(headers, "user-agent"),
            _header(headers, "sec-ch-ua"),
            _header(headers, "sec-ch-ua-full-version-list"),
            _header(headers, "cookie"),
        )

    def respond(
        self,
        verdict: Verdict,
        headers: Headers,
        *,
        method: str = "GET",
        continue_url: str = "",
    ) -> Answer:
        """The built-in gate response for a gated ``verdict``: the page, or problem+json.

        Its language and form follow the request's Accept-Language and Accept
        (the first 1,024 characters of each; names in any case). A page
        callable is ASGI's alone: this answers with the template or the
        built-in page.
        """
        if not verdict.gated:
            raise ValueError("respond() answers a gated verdict; this one passes")
        if callable(self.config.page):
            raise TypeError(
                "respond() cannot call a page callable (it builds a Starlette response, "
                "which only the ASGI middleware sends); use a template"
            )
        accept = _header(headers, "accept")
        accept_language = _header(headers, "accept-language")
        response = self.page.answer(
            verdict,
            continue_url,
            accept=None if accept is None else accept[: HEADER_LIMIT + 1],
            accept_language=(
                None if accept_language is None else accept_language[: HEADER_LIMIT + 1]
            ),
            head=method.upper() == "HEAD",
        )
        out = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
        return Answer(response.status_code, out, bytes(response.body))

    def continue_answer(self, line: RequestLine) -> Answer | None:
        """The continue endpoint's redirect, for a request to it; ``None`` for any other."""
        flow = self.continue_flow
        if flow is None or not flow.matches(line.method, line.path):
            return None
        return flow.redirect(line.query, secure=line.secure)

    def skips(self, line: RequestLine, request: Callable[[], object]) -> bool:
        """True when the exclusions leave this request to the app (fail open on an error).

        ``request`` builds what the ``exclude`` callable is given, only when it is asked.
        """
        if self.exclusions is None:
            return False
        try:
            return self.exclusions.skip(line.method, line.path, request)
        except Exception as exc:  # fail open: an exclusion that raises lets the request through
            log_once(exc, "the exclude callable", traceback=True)
            return True

    def gate_response(self, line: RequestLine, headers: Headers, verdict: Verdict) -> Answer:
        """The page for a gated request, with its continue link where the flow is on."""
        flow = self.continue_flow
        link = "" if flow is None else flow.link(line.root_path, line.full_path, line.query)
        return self.respond(verdict, headers, method=line.method, continue_url=link)


# What happens when on_verdict fails: the request goes on as decided.
_HOOK_OUTCOME = "the verdict stands"


def call_hook_sync(hook: Callable[..., object], request: object, verdict: Verdict) -> object:
    """Call ``on_verdict``; a failure is logged once. Returns what it returned (an awaitable?)."""
    try:
        return hook(request, verdict)
    except Exception as exc:  # a metrics hook never breaks a request
        log_once(exc, "the on_verdict hook", traceback=True, outcome=_HOOK_OUTCOME)
        return None


async def call_hook(hook: Callable[..., object], request: object, verdict: Verdict) -> None:
    """Call ``on_verdict`` and await it if it is async; a failure is logged once."""
    await settle_hook(call_hook_sync(hook, request, verdict))


async def settle_hook(result: object) -> None:
    """Await what ``on_verdict`` returned, if it is awaitable; a failure is logged once."""
    if inspect.isawaitable(result):
        try:
            await result
        except Exception as exc:  # a metrics hook never breaks a request
            log_once(exc, "the on_verdict hook", traceback=True, outcome=_HOOK_OUTCOME)


def log_gated(method: str, path: str, verdict: Verdict, report_only: bool) -> None:
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
    # takes up to 200 characters): escaped like the rest.
    family = _escaped(client.family, 200)
    path = _escaped(path, 2000)
    user_agent = _escaped(client.user_agent, 300)
    method = _escaped(method, 20)
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
    r"""``text`` for a log line: control and format characters escaped, ``"`` as ``\"``, cut.

    As Python writes them: ``\xHH`` up to U+00FF, ``\uHHHH`` and ``\UHHHHHHHH`` above.
    """
    cut = text[:limit]
    cut = CONTROL.sub(_escape_one, cut.replace('"', '\\"'))
    return cut + "..." if len(text) > limit else cut


def _escape_one(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _gate_for(config: GateConfig | None) -> Gate:
    """The gate :func:`decide` and :func:`respond` use, one per configuration (the last 8)."""
    if config is None:
        config = GateConfig()
    elif not isinstance(config, GateConfig):
        raise TypeError(f"config must be a uagate.GateConfig, not {config!r}")
    return _kept_gate(config)


@functools.lru_cache(maxsize=8)
def _kept_gate(config: GateConfig) -> Gate:
    return Gate(config)


def decide(headers: Headers, config: GateConfig | None = None) -> Verdict:
    """The verdict the gate gives a request with these headers (names in any case).

    Reads User-Agent, the client hints and, with ``allow_continue``, the
    continue cookie (values as str, or bytes read as latin-1); ``config``
    defaults to :class:`~uagate.config.GateConfig`'s defaults. Whatever the
    values hold, the decision does not raise: a failure is logged once and the
    request passes as ``unparseable``.
    """
    return _gate_for(config).decide(headers)


def respond(
    verdict: Verdict,
    headers: Headers,
    config: GateConfig | None = None,
    *,
    method: str = "GET",
) -> Answer:
    """The gate's own response for a gated ``verdict``: ``(status, headers, body)``.

    In the language and form the request's Accept-Language and Accept ask for.
    """
    return _gate_for(config).respond(verdict, headers, method=method)
