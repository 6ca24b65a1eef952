"""The gate response: the page in the client's language, or problem+json, and its headers."""

from __future__ import annotations

import functools
import html
import inspect
import json
import os
import re
import string
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from uagate._bounded import BoundedTable
from uagate._locales import (
    ALIASES,
    FONT_STACKS,
    LANGUAGE_NAMES,
    LANGUAGES,
    LOCALES,
    escape,
    exactly,
    font_stack,
    known_language,
    language_for,
)
from uagate._log import log_once
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

#: The page's heading and line in English, word for word.
HEADING = "We don't support Internet Explorer"
MESSAGE = "Please use Chrome, Safari, Firefox, or Edge to view this site."

#: The browsers the page recommends, with their download pages.
BROWSERS = (
    ("Chrome", "https://www.google.com/chrome/"),
    ("Safari", "https://www.apple.com/safari/"),
    ("Firefox", "https://www.mozilla.org/firefox/new/"),
    ("Edge", "https://www.microsoft.com/edge"),
)

#: The request headers a gate response depends on, for its ``Vary`` (with
#: ``allow_continue``, ``Cookie`` too): the verdict reads the User-Agent and, for
#: IE-like strings, the client hints; the page reads Accept and Accept-Language.
VARY = ("User-Agent", "Sec-CH-UA", "Sec-CH-UA-Full-Version-List", "Accept", "Accept-Language")

#: The ``type`` of the problem+json answer (RFC 9457).
PROBLEM_TYPE = "urn:uagate:unsupported-browser"

#: The placeholders a ``page=`` template may use; each value is HTML-escaped.
PLACEHOLDERS = (
    "lang",
    "dir",
    "title",
    "heading",
    "message",
    "note",
    "continue_url",
    "continue_text",
    "family",
    "version",
    "reason",
    "font_family",
)

#: Internet Explorer (5 to 11, with its default "friendly HTTP error messages") shows its
#: own page instead of an error response (status 400 or above) shorter than this many
#: bytes. A custom page that short is padded with an HTML comment to this length and one
#: more byte (sources differ on whether exactly 512 bytes is enough).
IE_FRIENDLY_ERROR_THRESHOLD = 512

# The placeholders whose values depend on the negotiated language.
_TRANSLATED = frozenset(
    {"lang", "dir", "title", "heading", "message", "note", "continue_text", "font_family"}
)
_WEBSOCKET_DENIAL = "websocket.http.response"
_RawHeaders = tuple[tuple[bytes, bytes], ...]

#: What ``page=`` may also be: a callable that builds the whole response.
PageCallable = Callable[[Request, Verdict], Response | Awaitable[Response]]


def _weighted(header: str) -> list[tuple[str, float]]:
    """The items of an Accept-style header with their quality values, in order.

    At most the first 1,024 characters and 32 items are read (an item that the
    1,024th character cuts is left out); a quality that is not a number counts
    as 0 (not acceptable).
    """
    items = []
    read = header[:1024] if len(header) <= 1024 else header[:1024].rpartition(",")[0]
    for item in read.split(",")[:32]:
        value, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number.strip())
                except ValueError:
                    quality = 0.0
        items.append((value.strip().lower(), quality))
    return items


def negotiate_language(accept_language: str | None, default: str) -> str:
    """Pick the page's language from an ``Accept-Language`` header (RFC 4647 lookup).

    Ranges are tried by quality, best first (in the header's order where equal),
    each with :func:`language_for`: whole, then cut shorter, with regional and
    renamed tags (``zh-TW`` gives ``zh-Hant``, ``pt-AO`` gives ``pt-PT``, ``no``
    gives ``nb``). ``q=0`` refuses the language a range names exactly
    (``fr-CA;q=0`` refuses no language the page is written in; ``zh-TW;q=0``
    refuses ``zh-Hant``). ``*`` stands for ``default`` unless that was
    refused. A quality that is not a number from 0 to 1 leaves its range out.
    ``default`` (one of :data:`LANGUAGES`) comes last, and for anything
    unreadable. At most the first 1,024 characters and 32 ranges are read.
    """
    if not accept_language:
        return default
    weighted = _weighted(accept_language)
    refused = {exactly(tag) for tag, quality in weighted if quality <= 0}
    ranked = sorted(
        (-quality, index, tag) for index, (tag, quality) in enumerate(weighted) if 0 < quality <= 1
    )
    for _, _, tag in ranked:
        found = default if tag == "*" else language_for(tag)
        if found is not None and found not in refused:
            return found
    return default


def _quality(ranges: list[tuple[str, float]], media_type: str) -> tuple[float, int]:
    """The quality ``Accept`` gives ``media_type``: that of its most specific range (RFC 9110).

    Returned with the specificity of that range (2 exact, 1 ``type/*``, 0 ``*/*``, -1 none).
    """
    kind = media_type.split("/")[0]
    best = (0.0, -1)
    for media, quality in ranges:
        if media == media_type:
            specificity = 2
        elif media == kind + "/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1] or (specificity == best[1] and quality > best[0]):
            best = (quality, specificity)
    return best


def _prefers_json(accept: str | None) -> bool:
    """True when ``Accept`` ranks JSON above HTML (a tie goes to the more specific range)."""
    if not accept:
        return False
    ranges = _weighted(accept)
    as_json = max(
        _quality(ranges, "application/problem+json"), _quality(ranges, "application/json")
    )
    as_html = _quality(ranges, "text/html")
    return as_json[0] > 0 and as_json > as_html


def _strings(language: str, reason: Reason) -> dict[str, str]:
    """The heading, message and note for ``reason`` in ``language``."""
    text = LOCALES[language]
    if reason is Reason.COMPATIBILITY_VIEW:
        heading, message, note = text["compat_heading"], text["compat_message"], ""
    elif reason is Reason.OUTDATED:
        heading, message, note = text["outdated_heading"], text["outdated_message"], ""
    elif reason is Reason.PREDICATE:
        heading, message, note = text["unsupported_heading"], text["message"], ""
    else:
        heading, message, note = text["heading"], text["message"], text["note"]
    return {
        "lang": text["lang"],
        "dir": text["dir"],
        "title": heading,
        "heading": heading,
        "message": message,
        "note": note,
        "continue_text": text["continue"],
        "font_family": font_stack(language),
    }


@cache
def _default_template() -> string.Template:
    text = resources.files("uagate").joinpath("templates/gate.html").read_text("utf-8")
    return string.Template(text)


def render_page(language: str = "en", reason: Reason = Reason.INTERNET_EXPLORER) -> str:
    """The default page as HTML, in ``language``, for a client gated for ``reason``.

    ``language`` is read as :func:`language_for` reads it (``zh-TW`` is
    ``zh-Hant``); ValueError if the page is not written in it.
    """
    return _render_default(_strings(known_language(language, "render_page language"), reason), "")


def render_problem(
    language: str = "en",
    reason: Reason = Reason.INTERNET_EXPLORER,
    status: int = DEFAULT_STATUS_CODE,
) -> str:
    """The problem+json body (RFC 9457) the gate sends API clients, in ``language``."""
    language = known_language(language, "render_problem language")
    return _problem(language, reason, status, "").decode("utf-8")


def _render_default(strings: Mapping[str, str], continue_url: str) -> str:
    values = {key: escape(value) for key, value in strings.items()}
    note = strings["note"]
    values["note_html"] = f'<p class="note">{values["note"]}</p>\n' if note else ""
    values["continue_html"] = (
        f'<p class="continue"><a href="{escape(continue_url)}">{values["continue_text"]}</a></p>\n'
        if continue_url
        else ""
    )
    return _default_template().substitute(values)


def _identifiers(template: string.Template) -> set[str]:
    """The placeholder names a template uses (Template.get_identifiers is 3.11+)."""
    return {
        match.group("named") or match.group("braced")
        for match in template.pattern.finditer(template.template)
        if match.group("named") or match.group("braced")
    }


# What another template language would have written, which string.Template shows as is:
# Jinja, Django, Mustache and Handlebars expressions and tags, and str.format fields that
# name a placeholder. Bounded, so that a long template is scanned in linear time.
_FOREIGN_SYNTAX = re.compile(
    r"(?P<expression>\{\{[^{}]{0,200}\}\})"
    r"|(?P<tag>\{%[^{}]{0,200}?%\})"
    r"|(?<![$\w{])(?P<field>\{(?:" + "|".join(PLACEHOLDERS) + r")\})(?!\})"
)
_NAME = re.compile(r"[A-Za-z_]\w*")


def _position(text: str, index: int) -> str:
    """Where ``index`` is in ``text``, as people count: ``line 2, column 7``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def _excerpt(text: str, start: int, end: int) -> str:
    """The text from ``start`` to ``end``, cut to 40 characters, quoted."""
    found = text[start:end]
    return repr(found if len(found) <= 40 else found[:37] + "...")


def _known() -> str:
    """The placeholders, as a template writes them: ``$lang, $dir, ...``."""
    return ", ".join("$" + name for name in PLACEHOLDERS)


def _refuse_foreign_syntax(text: str, option: str) -> None:
    """Refuse another template language's syntax, which would be shown to users as is."""
    found = _FOREIGN_SYNTAX.search(text)
    if found is None:
        return
    where = f"{_excerpt(text, found.start(), found.end())} at {_position(text, found.start())}"
    if found.group("tag") is not None:
        raise ValueError(
            f"{option} has the template tag {where}, which uagate would show as is: a page "
            "template is a string.Template, with $placeholders and no tags or logic "
            f"({_known()}); for logic, give page= a callable (request, verdict) -> Response"
        )
    expression = found.group()
    names = _NAME.findall(expression.strip("{}").split("|")[0])
    matching = [name.lower() for name in names if name.lower() in PLACEHOLDERS]
    if matching:
        advice = f"write ${matching[-1]} instead"
    else:
        advice = f"write one of the placeholders {_known()}"
    kind = "a format field" if found.group("field") is not None else "a Jinja-style expression"
    raise ValueError(
        f"{option} has {kind} {where}, which uagate would show as is: a page template is a "
        f"string.Template; {advice}"
    )


def _check_template(text: str, option: str = "UAGateMiddleware option page") -> string.Template:
    """A user template, checked now so that a typo fails at startup.

    ``option`` names where the template came from in error messages.
    """
    _refuse_foreign_syntax(text, option)
    template = string.Template(text)
    for match in template.pattern.finditer(text):
        start = match.start()
        if match.group("invalid") is not None:
            raise ValueError(
                f"{option} has a $ that starts no placeholder at {_position(text, start)} "
                f"(in {_excerpt(text, max(0, start - 15), start + 15)}): write $$ for a literal "
                f"dollar sign, or $name or ${{name}} for a placeholder ({_known()})"
            )
        name = match.group("named") or match.group("braced")
        if name is not None and name not in PLACEHOLDERS:
            raise ValueError(
                f"{option} uses an unknown placeholder ${name} at {_position(text, start)}; "
                f"known: {_known()} (write $$ for a literal dollar sign)"
            )
    return template


def _pad(body: str) -> str:
    """``body`` with an HTML comment at its end that takes it over IE's friendly-error threshold."""
    size = len(body.encode("utf-8"))
    if size > IE_FRIENDLY_ERROR_THRESHOLD:
        return body
    start = (
        "\n<!-- uagate: padding, so that Internet Explorer shows this page rather than its own "
        "friendly error message (it replaces error pages under 512 bytes)"
    )
    end = " -->\n"
    room = IE_FRIENDLY_ERROR_THRESHOLD + 1 - size - len(start) - len(end)
    return body + start + " " * max(room, 0) + end


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
    own "friendly" error message. A callable that raises, returns something that is not a
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
    ) -> None:
        default_language = known_language(
            default_language, "UAGateMiddleware option default_language"
        )
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
            self._template = _check_template(page)
        elif isinstance(page, (str, os.PathLike)):
            path = Path(page)
            if not path.is_file():
                raise ValueError(
                    f"UAGateMiddleware option page: no template file at {str(path)!r} "
                    "(an HTML string must contain markup)"
                )
            self._template = _check_template(
                path.read_text(encoding="utf-8"),
                f"UAGateMiddleware option page (the template file {str(path)!r})",
            )
        elif callable(page):
            self._callable = page
        else:
            raise TypeError(
                "UAGateMiddleware option page must be an HTML string, a path or a callable, "
                f"not {page!r}"
            )
        # A template with none of the translated placeholders is in one language only.
        self._translated = self._template is None or bool(
            _identifiers(self._template) & _TRANSLATED
        )
        # Only a template that shows the client's family or version varies with them.
        self._names_client = self._template is not None and bool(
            _identifiers(self._template) & {"family", "version"}
        )
        # Render every language once, so that a broken template fails at startup.
        for language in LANGUAGES:
            self._html(_strings(language, Reason.INTERNET_EXPLORER), Reason.INTERNET_EXPLORER)

    @property
    def is_callable(self) -> bool:
        """True when a callable builds the response (which may then vary on anything)."""
        return self._callable is not None

    def _html(
        self,
        strings: Mapping[str, str],
        reason: Reason,
        verdict: Verdict | None = None,
        continue_url: str = "",
    ) -> str:
        if self._template is None:
            return _render_default(strings, continue_url)
        client = verdict.client if verdict is not None else None
        values = {
            **strings,
            "continue_url": continue_url,
            "family": client.family if client else "",
            "version": ".".join(map(str, client.version)) if client else "",
            "reason": reason.value,
        }
        # A user template may quote attributes with ' as well as ": escape both.
        text = self._template.substitute(
            {key: html.escape(value, quote=True) for key, value in values.items()}
        )
        return _pad(text) if self._status >= 400 else text

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
        as_json = _prefers_json(accept)
        if as_json:
            body = _problem(language, verdict.reason, self._status, continue_url)
            media_type = "application/problem+json"
        elif self._template is None and not continue_url:
            body = _default_body(language, verdict.reason)
            media_type = "text/html; charset=utf-8"
        else:
            strings = _strings(language, verdict.reason)
            body = self._html(strings, verdict.reason, verdict, continue_url).encode("utf-8")
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
            accept=None if accept is None else accept[:1025].decode("latin-1"),
            accept_language=(
                None if accept_language is None else accept_language[:1025].decode("latin-1")
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
            None if accept is None else accept[:1025],
            None if accept_language is None else accept_language[:1025],
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


@functools.lru_cache(maxsize=len(LANGUAGES) * len(Reason))
def _default_body(language: str, reason: Reason) -> bytes:
    """The default page's bytes, rendered once per language and reason."""
    return render_page(language, reason).encode("utf-8")


def _problem(language: str, reason: Reason, status: int, continue_url: str) -> bytes:
    """The RFC 9457 problem+json body."""
    strings = _strings(language, reason)
    problem: dict[str, object] = {
        "type": PROBLEM_TYPE,
        "title": strings["heading"],
        "status": status,
        "detail": strings["message"],
        "reason": reason.value,
        "supported_browsers": [{"name": name, "url": url} for name, url in BROWSERS],
    }
    if continue_url:
        problem["continue_url"] = continue_url
    return json.dumps(problem, ensure_ascii=False).encode("utf-8")
