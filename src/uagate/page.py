"""The gate response: the page in the client's language, or problem+json, and its headers.

:class:`Page` answers a gated request. What it answers with comes from two
helpers: :mod:`uagate._negotiation` (the language, and JSON or HTML) and
:mod:`uagate._templates` (the default page, a user's template, problem+json).
The public names of both, and of the language tables, are re-exported here.
"""

from __future__ import annotations

import html
import inspect
import os
import string
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from uagate._bounded import BoundedTable
from uagate._headers import HEADER_LIMIT, VERDICT_HEADERS
from uagate._locales import (
    ALIASES,
    FONT_STACKS,
    LANGUAGE_NAMES,
    LANGUAGES,
    font_stack,
    known_language,
    language_for,
)
from uagate._log import log_once
from uagate._negotiation import negotiate_language, prefers_json
from uagate._templates import (
    BROWSERS,
    HEADING,
    IE_FRIENDLY_ERROR_THRESHOLD,
    MESSAGE,
    PLACEHOLDERS,
    PROBLEM_TYPE,
    TRANSLATED,
    check_site_name,
    check_template,
    default_body,
    identifiers,
    pad,
    problem_body,
    render_default,
    render_page,
    strings,
)
from uagate.policy import Reason, Verdict

__all__ = [
    "ALIASES",
    "BROWSERS",
    "DEFAULT_STATUS_CODE",
    "FONT_STACKS",
    "HEADING",
    "IE_FRIENDLY_ERROR_THRESHOLD",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "MESSAGE",
    "PLACEHOLDERS",
    "PROBLEM_TYPE",
    "VARY",
    "Page",
    "PageCallable",
    "font_stack",
    "known_language",
    "language_for",
    "negotiate_language",
    "render_page",
    "render_problem",
]

#: The status of the gate page. 406 Not Acceptable: the server will not serve
#: this client. Old IE shows a body over 512 bytes as it is, for any status.
DEFAULT_STATUS_CODE = 406

#: The request headers a gate response depends on, for its ``Vary`` (with
#: ``allow_continue``, ``Cookie`` too): the verdict reads the User-Agent and, for
#: IE-like strings, the client hints; the page reads Accept and Accept-Language.
VARY = (*VERDICT_HEADERS, "Accept", "Accept-Language")

# One character more of Accept and Accept-Language than is read, so that a cut range shows.
_READ = HEADER_LIMIT + 1

_WEBSOCKET_DENIAL = "websocket.http.response"
_RawHeaders = tuple[tuple[bytes, bytes], ...]

#: What ``page=`` may also be: a callable that builds the whole response.
PageCallable = Callable[[Request, Verdict], Response | Awaitable[Response]]


def render_problem(
    language: str = "en",
    reason: Reason = Reason.INTERNET_EXPLORER,
    status: int = DEFAULT_STATUS_CODE,
) -> str:
    """The problem+json body (RFC 9457) the gate sends API clients, in ``language``."""
    language = known_language(language, "render_problem language")
    return problem_body(language, reason, status, "").decode("utf-8")


class Page:
    """Builds and sends the gate response for a gated request.

    ``page`` is ``None`` (the default page, in the client's language), an
    HTML template string, a path to a template file, or a callable
    ``(request, verdict) -> Response`` (sync or async). A template may use the
    placeholders in :data:`PLACEHOLDERS` (``$heading``, ``$message``, ...),
    each HTML-escaped, and ``$$`` for a literal dollar sign; any other ``$``,
    and another template language's syntax (``{{ heading }}``, ``{% if %}``,
    ``{heading}``), is refused with a ValueError, since it would be shown as
    is. With an error status (400 or above), a rendered template of 512 bytes
    or fewer gets an HTML comment at its end that takes it past
    :data:`IE_FRIENDLY_ERROR_THRESHOLD`, so that IE shows it rather than its
    own "friendly" error message. ``site_name``, when given, is shown above the
    built-in page's heading and after the heading in its title, in every
    language; a template shows it with ``$site_name`` (and ``$title`` holds it).
    A callable that raises, returns something that is not a
    response, or whose response fails before it starts, is logged and the
    default page is served instead; its response gets ``Cache-Control:
    no-store`` and ``Vary`` like the default page's, where it does not say
    otherwise.
    """

    __slots__ = (
        "_callable",
        "_default_language",
        "_kept",
        "_names_client",
        "_site_name",
        "_status",
        "_template",
        "_translated",
        "_vary",
    )

    def __init__(
        self,
        page: str | os.PathLike[str] | PageCallable | None,
        *,
        status_code: int,
        default_language: str,
        vary_cookie: bool,
        cache_size: int = 4096,
        site_name: str | None = None,
    ) -> None:
        default_language = known_language(
            default_language, "UAGateMiddleware option default_language"
        )
        self._site_name = check_site_name(site_name)
        self._status = status_code
        self._kept: BoundedTable[tuple[object, ...], tuple[int, _RawHeaders, bytes]] = BoundedTable(
            min(cache_size, 4096), 8 * 1024 * 1024
        )
        self._default_language = default_language
        self._vary = ", ".join(VARY + (("Cookie",) if vary_cookie else ()))
        self._template: string.Template | None = None
        self._callable: PageCallable | None = None
        if page is None:
            pass
        elif isinstance(page, str) and "<" in page:
            self._template = check_template(page)
        elif isinstance(page, (str, os.PathLike)):
            path = Path(page)
            if not str(page):
                raise ValueError(
                    "UAGateMiddleware option page must be an HTML template or a path, not ''"
                )
            if not path.is_file():
                raise ValueError(
                    f"UAGateMiddleware option page: no template file at {str(path)!r} "
                    "(an HTML string must contain markup)"
                )
            where = f"UAGateMiddleware option page (the template file {str(path)!r})"
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{where} is not UTF-8 text: {exc.reason} at byte {exc.start}"
                ) from None
            self._template = check_template(text, where)
        elif callable(page):
            self._callable = page
        else:
            raise TypeError(
                "UAGateMiddleware option page must be an HTML string, a path or a callable, "
                f"not {page!r}"
            )
        # A template with none of the translated placeholders is in one language only.
        self._translated = self._template is None or bool(identifiers(self._template) & TRANSLATED)
        # Only a template that shows the client's family or version varies with them.
        self._names_client = self._template is not None and bool(
            identifiers(self._template) & {"family", "version"}
        )
        # Render every language once, so that a broken template fails at startup.
        for language in LANGUAGES:
            texts = strings(language, Reason.INTERNET_EXPLORER, self._site_name)
            self._html(texts, Reason.INTERNET_EXPLORER)

    def _html(
        self,
        text: Mapping[str, str],
        reason: Reason,
        verdict: Verdict | None = None,
        continue_url: str = "",
    ) -> str:
        if self._template is None:
            return render_default(text, continue_url)
        client = verdict.client if verdict is not None else None
        values = {
            **text,
            "continue_url": continue_url,
            "family": client.family if client else "",
            "version": ".".join(map(str, client.version)) if client else "",
            "reason": reason.value,
        }
        # A user template may quote attributes with ' as well as ": escape both.
        rendered = self._template.substitute(
            {key: html.escape(value, quote=True) for key, value in values.items()}
        )
        return pad(rendered) if self._status >= 400 else rendered

    def answer(
        self,
        verdict: Verdict,
        continue_url: str = "",
        *,
        accept: str | None = None,
        accept_language: str | None = None,
        head: bool = False,
    ) -> Response:
        """The built-in response for a client gated with ``verdict``: HTML or problem+json."""
        language = negotiate_language(accept_language, self._default_language)
        as_json = prefers_json(accept)
        if as_json:
            body = problem_body(language, verdict.reason, self._status, continue_url)
            media_type = "application/problem+json"
        elif self._template is None and not continue_url:
            body = default_body(language, verdict.reason, self._site_name)
            media_type = "text/html; charset=utf-8"
        else:
            text = strings(language, verdict.reason, self._site_name)
            body = self._html(text, verdict.reason, verdict, continue_url).encode("utf-8")
            media_type = "text/html; charset=utf-8"
        out = {
            "Cache-Control": "no-store",
            "Vary": self._vary,
            "Content-Type": media_type,
            "Content-Length": str(len(body)),
        }
        if as_json or self._translated:
            out["Content-Language"] = language
        return Response(b"" if head else body, self._status, out)

    async def send(
        self,
        scope: Scope,
        verdict: Verdict,
        continue_url: str,
        accept: bytes | None,
        accept_language: bytes | None,
        receive: Receive,
        send: Send,
    ) -> None:
        """Send the gate response for a gated request: the page callable's, or the built-in one.

        A websocket handshake gets 403 and the page where the server supports
        the denial response extension, and a close with code 1008 elsewhere.
        """
        if scope["type"] == "websocket":
            if _WEBSOCKET_DENIAL in scope.get("extensions", {}):
                response = self._built_in(scope, verdict, continue_url, accept, accept_language)
                response.status_code = 403
                await response(scope, receive, send)
            elif (await receive())["type"] == "websocket.connect":
                await send(
                    {"type": "websocket.close", "code": 1008, "reason": "unsupported browser"}
                )
            return
        if self._callable is not None:
            started = False

            async def watch(message: Message) -> None:
                nonlocal started
                started = True
                await send(message)

            try:
                response = await self._call(Request(scope, receive), verdict)
                await response(scope, receive, watch)
                return
            except Exception as exc:  # a broken page callable never breaks the gate
                served = "the built-in page is served"
                log_once(exc, "the page callable", traceback=True, outcome=served)
                if started:  # too late for another response
                    raise
        if continue_url:  # the link holds the path: not worth keeping
            response = self._built_in(scope, verdict, continue_url, accept, accept_language)
            await response(scope, receive, send)
            return
        await self.send_kept(scope, verdict, accept, accept_language, send)

    def _built_in(
        self,
        scope: Scope,
        verdict: Verdict,
        continue_url: str,
        accept: bytes | None,
        accept_language: bytes | None,
    ) -> Response:
        # One character more than _weighted reads, so that it can tell a cut range.
        return self.answer(
            verdict,
            continue_url,
            accept=None if accept is None else accept[:_READ].decode("latin-1"),
            accept_language=(
                None if accept_language is None else accept_language[:_READ].decode("latin-1")
            ),
            head=scope.get("method") == "HEAD",
        )

    async def send_kept(
        self,
        scope: Scope,
        verdict: Verdict,
        accept: bytes | None,
        accept_language: bytes | None,
        send: Send,
    ) -> None:
        """Send the built-in response (no continue link), from memory where it can."""
        status, headers, body = self.kept(scope, verdict, accept, accept_language)
        # Fresh messages each time: a wrapper above may change them in place.
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    def kept(
        self,
        scope: Scope,
        verdict: Verdict,
        accept: bytes | None,
        accept_language: bytes | None,
    ) -> tuple[int, _RawHeaders, bytes]:
        """Status, headers and body of the built-in response (no continue link).

        The response depends on the reason, Accept, Accept-Language (of which
        only the first 1,024 characters are read), the method and, with a
        template that shows them, the client's family and version; each
        combination is built once and kept, at most ``cache_size`` (and never
        more than 4,096) of them and 8 MiB.
        """
        client = verdict.client if self._names_client else None
        key = (
            verdict.reason._value_,  # a str: hashing the member (or reading .value) runs Python
            None if client is None else (client.family, client.version),
            scope["method"],
            None if accept is None else accept[:_READ],
            None if accept_language is None else accept_language[:_READ],
        )
        try:
            found = self._kept.data.get(key)
        except TypeError:  # a header value that is not bytes, against the ASGI spec: unread
            response = self._built_in(scope, verdict, "", None, None)
            return response.status_code, tuple(response.raw_headers), bytes(response.body)
        if found is None:
            response = self._built_in(scope, verdict, "", accept, accept_language)
            found = (response.status_code, tuple(response.raw_headers), bytes(response.body))
            cost = len(found[2]) + len(key[3] or b"") + len(key[4] or b"") + 256
            self._kept.add(key, found, cost)
        return found

    async def _call(self, request: Request, verdict: Verdict) -> Response:
        assert self._callable is not None  # send() calls this only with a callable
        result = self._callable(request, verdict)
        if inspect.isawaitable(result):
            result = await result
        if not isinstance(result, Response):
            raise TypeError(f"the page callable returned {type(result).__name__}, not a Response")
        result.headers.setdefault("Cache-Control", "no-store")
        result.headers.setdefault("Vary", self._vary)
        return result
