"""The gate as WSGI middleware: Flask, Django or any WSGI app under gunicorn and the like.

A thin adapter over :class:`uagate.core.Gate`: it reads the environ into the
gate's terms and writes its answer back as WSGI. The options are the ASGI
middleware's (one :class:`~uagate.config.GateConfig`), with three differences
WSGI makes: ``exclude`` and ``on_verdict`` are called with the environ (and
``on_verdict`` must be a plain function), a page callable is refused (it builds
a Starlette response; use a template), and ``gate_websockets`` has nothing to
gate. A passing request's verdict is ``environ["uagate.verdict"]``::

    from flask import Flask
    from uagate.wsgi import UAGateWSGIMiddleware

    app = Flask(__name__)
    app.wsgi_app = UAGateWSGIMiddleware(app.wsgi_app)
"""

from __future__ import annotations

import http
import inspect
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from uagate._headers import merge_vary
from uagate._log import log_once
from uagate._shared import Answer, is_async_callable
from uagate.config import GateConfig
from uagate.core import Gate, RequestLine, call_hook_sync, log_gated

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ENVIRON_KEY", "UAGateWSGIMiddleware", "adapter_config", "wsgi_text"]

#: Where a passing request's verdict is put in the environ.
ENVIRON_KEY = "uagate.verdict"

# The request headers the gate reads, by their CGI names.
_HEADERS = {
    "user-agent": "HTTP_USER_AGENT",
    "sec-ch-ua": "HTTP_SEC_CH_UA",
    "sec-ch-ua-full-version-list": "HTTP_SEC_CH_UA_FULL_VERSION_LIST",
    "cookie": "HTTP_COOKIE",
    "accept": "HTTP_ACCEPT",
    "accept-language": "HTTP_ACCEPT_LANGUAGE",
}


def adapter_config(
    config: GateConfig | None, options: Mapping[str, Any], adapter: str
) -> GateConfig:
    """The config of a synchronous-world adapter: ``config`` or ``options``, not both.

    Refuses what such an adapter cannot do: a page callable (it builds a
    Starlette response).
    """
    if config is not None and options:
        raise TypeError(f"{adapter} takes config= or options, not both")
    config = GateConfig.from_options(options) if config is None else config
    if not isinstance(config, GateConfig):
        raise TypeError(f"{adapter} config must be a uagate.GateConfig, not {config!r}")
    if callable(config.page):
        raise TypeError(
            f"{adapter} option page must be an HTML template string or file: a page "
            "callable builds a Starlette response, which only the ASGI middleware can send"
        )
    return config


def wsgi_text(value: str) -> str:
    """A WSGI path (its bytes as latin-1 text, PEP 3333) as UTF-8 text, as ASGI servers give it.

    Bytes that are not UTF-8 become U+FFFD, as uvicorn makes them.
    """
    return value.encode("latin-1", "replace").decode("utf-8", "replace")


class _EnvironHeaders(Mapping[str, str]):
    """The headers the gate reads, looked up in the environ by lower-case name."""

    __slots__ = ("_environ",)

    def __init__(self, environ: WSGIEnvironment) -> None:
        self._environ = environ

    def __getitem__(self, name: str) -> str:
        value = self._environ.get(_HEADERS.get(name, ""))
        if not isinstance(value, str):
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name, key in _HEADERS.items() if isinstance(self._environ.get(key), str))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _with_vary(start_response: StartResponse, names: tuple[str, ...]) -> StartResponse:
    """``start_response`` that makes the response's ``Vary`` name each of ``names``."""
    raw_names = tuple(name.encode("latin-1") for name in names)

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        merged = merge_vary(raw, raw_names)  # the ASGI middleware's rule, on the same bytes
        text = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in merged]
        return start_response(status, text, exc_info)

    return start


def _start(answer: Answer, start_response: StartResponse) -> list[bytes]:
    try:
        phrase = http.HTTPStatus(answer.status).phrase
    except ValueError:  # a status the config allows that Python has no name for (499, 599)
        phrase = "Unknown"
    start_response(f"{answer.status} {phrase}", answer.headers)
    return [answer.body]


def _no_awaitable(result: object) -> None:
    """Close what a hook that looked plain returned to be awaited: WSGI has no loop for it."""
    if inspect.iscoroutine(result):
        result.close()
        log_once(
            TypeError("on_verdict returned a coroutine"),
            "the on_verdict hook",
            outcome="WSGI cannot await it; give a plain function",
        )


class UAGateWSGIMiddleware:
    """Answer Internet Explorer with the gate page in front of a WSGI app.

    Takes the ASGI middleware's keyword options, or one ``config``; see the
    module docstring for what differs under WSGI.
    """

    def __init__(
        self, app: WSGIApplication, *, config: GateConfig | None = None, **options: Any
    ) -> None:
        if not callable(app):
            raise TypeError(f"UAGateWSGIMiddleware app must be a WSGI callable, not {app!r}")
        config = adapter_config(config, options, "UAGateWSGIMiddleware")
        if config.on_verdict is not None and is_async_callable(config.on_verdict):
            raise TypeError(
                "UAGateWSGIMiddleware option on_verdict must be a plain function: "
                "WSGI has no event loop to await it on"
            )
        self.app = app
        #: The gate's options (what ``--app`` reads).
        self.config = config
        self._gate = Gate(config)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Handle one WSGI request."""
        gate = self._gate
        root = wsgi_text(environ.get("SCRIPT_NAME", "")).rstrip("/")
        path = wsgi_text(environ.get("PATH_INFO", "")) or "/"
        line = RequestLine(
            environ.get("REQUEST_METHOD", "GET").upper(),
            path,
            root + path,
            root,
            environ.get("QUERY_STRING", "").encode("latin-1", "replace"),
            environ.get("wsgi.url_scheme") == "https",
        )
        answer = gate.continue_answer(line)
        if answer is not None:
            return _start(answer, start_response)
        if gate.skips(line, lambda: environ):
            return self.app(environ, start_response)
        headers = _EnvironHeaders(environ)
        verdict = gate.decide(headers)
        config = self.config
        if verdict.gated:
            log_gated(line.method, line.full_path, verdict, config.report_only)
        if config.on_verdict is not None:
            _no_awaitable(call_hook_sync(config.on_verdict, environ, verdict))
        if verdict.gated and not config.report_only:
            return _start(gate.gate_response(line, headers, verdict), start_response)
        environ[ENVIRON_KEY] = verdict
        if gate.vary:
            start_response = _with_vary(start_response, gate.vary)
        return self.app(environ, start_response)
