"""The gate as Django middleware, for sync and async views, under WSGI or ASGI.

Add it first in ``MIDDLEWARE`` and give its options as the ``UAGATE`` setting
(a dict of the ASGI middleware's options, or one :class:`~uagate.config.GateConfig`)::

    MIDDLEWARE = ["uagate.django.UAGateMiddleware", ...]
    UAGATE = {"exclude_paths": ["/health"]}

A thin adapter over :class:`uagate.core.Gate`. ``exclude`` and ``on_verdict``
are called with the ``HttpRequest``; a page callable is refused (it builds a
Starlette response; use a template), and ``gate_websockets`` has nothing to
gate (Django's own views get no websockets). A passing request's verdict is
``request.uagate``.
"""

from __future__ import annotations

import inspect
from typing import Any, cast

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from uagate._headers import merge_vary
from uagate._shared import Answer, is_async_callable
from uagate.config import GateConfig
from uagate.core import Gate, RequestLine, call_hook, call_hook_sync, log_gated, settle_hook
from uagate.policy import Verdict
from uagate.wsgi import adapter_config, wsgi_text

__all__ = ["UAGateMiddleware", "configured"]

_NAME = "uagate.django.UAGateMiddleware"


def configured() -> GateConfig:
    """The gate's options from the ``UAGATE`` setting (a dict or a GateConfig; none: defaults)."""
    from django.conf import settings  # here: the lazy settings object is read once, when built

    value = getattr(settings, "UAGATE", None)
    if value is None or isinstance(value, GateConfig):
        return adapter_config(value, {}, _NAME)
    if not isinstance(value, dict):
        raise TypeError(f"the UAGATE setting must be a dict or a GateConfig, not {value!r}")
    return adapter_config(None, value, _NAME)


def _as_bytes(text: str) -> bytes:
    """A query string as Django keeps it (latin-1 under WSGI, UTF-8 under ASGI) as bytes."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")


def _response(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status)
    del response["Content-Type"]  # the answer's own headers say whether it has one
    for name, value in answer.headers:
        if name.lower() == "set-cookie":  # Django keeps cookies apart from headers
            response.cookies.load(value)
        else:
            response[name] = value
    return response


class UAGateMiddleware:
    """Answer Internet Explorer with the gate page in a Django project.

    Reads its options from the ``UAGATE`` setting when Django builds it
    (``config`` passes them directly, for tests and hand-built stacks).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any, *, config: GateConfig | None = None) -> None:
        self.get_response = get_response
        #: The gate's options (what ``--app`` reads).
        self.config = configured() if config is None else adapter_config(config, {}, _NAME)
        self._gate = Gate(self.config)
        self._raw_vary = tuple(name.encode("latin-1") for name in self._gate.vary)
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        """Handle one request (a coroutine when the stack is async)."""
        if self._async:
            return self._acall(request)
        found = self._verdict(request)
        if not isinstance(found, Verdict):
            return found if found is not None else self.get_response(request)
        if self.config.on_verdict is not None:
            result = call_hook_sync(self.config.on_verdict, request, found)
            if inspect.isawaitable(result):
                async_to_sync(settle_hook)(result)
        page = self._finish(found, request)
        return page if page is not None else self._passed(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        found = self._verdict(request)
        if not isinstance(found, Verdict):
            return found if found is not None else await self.get_response(request)
        hook = self.config.on_verdict
        if hook is not None:
            if is_async_callable(hook):
                await call_hook(hook, request, found)
            else:  # in a thread, as Django runs sync code under ASGI: it may use the database
                await settle_hook(await sync_to_async(call_hook_sync)(hook, request, found))
        page = self._finish(found, request)
        return page if page is not None else self._passed(await self.get_response(request))

    def _verdict(self, request: HttpRequest) -> HttpResponseBase | Verdict | None:
        """The continue endpoint's response, the request's verdict, or None (excluded)."""
        gate = self._gate
        line = _line(request)
        answer = gate.continue_answer(line)
        if answer is not None:
            return _response(answer)
        if gate.skips(line, lambda: request):
            return None
        verdict = gate.decide(cast(Any, request.headers))
        if verdict.gated:
            log_gated(line.method, line.full_path, verdict, self.config.report_only)
        return verdict

    def _finish(self, verdict: Verdict, request: HttpRequest) -> HttpResponseBase | None:
        """The gate page for a gated request; None to pass it on (its verdict on the request)."""
        if verdict.gated and not self.config.report_only:
            headers = cast(Any, request.headers)
            return _response(self._gate.gate_response(_line(request), headers, verdict))
        request.uagate = verdict
        return None

    def _passed(self, response: HttpResponseBase) -> HttpResponseBase:
        if self._raw_vary:
            # The ASGI and WSGI adapters' rule, on the same bytes.
            present = response.get("Vary")
            raw = [] if present is None else [(b"vary", present.encode("latin-1"))]
            merged = merge_vary(raw, self._raw_vary)
            if merged:
                response["Vary"] = merged[0][1].decode("latin-1")
        return response


def _line(request: HttpRequest) -> RequestLine:
    """What the gate reads of a Django request besides its headers.

    Under WSGI the paths come from the environ, read as the WSGI adapter reads
    them (Django's own ``request.path`` re-escapes bytes that are not UTF-8,
    which the continue link would escape again); under ASGI from the request.
    """
    if isinstance(request, WSGIRequest):
        root = wsgi_text(request.META.get("SCRIPT_NAME", "") or "").rstrip("/")
        path = wsgi_text(request.META.get("PATH_INFO", "") or "") or "/"
        full = root + path
    else:
        root = (request.META.get("SCRIPT_NAME", "") or "").rstrip("/")
        path, full = request.path_info or "/", request.path
    return RequestLine(
        (request.method or "GET").upper(),
        path,
        full,
        root,
        _as_bytes(request.META.get("QUERY_STRING", "") or ""),
        request.is_secure(),
    )
