"""Raw ASGI header plumbing: reading the request headers the gate needs, merging Vary."""

from __future__ import annotations

from starlette.types import Message, Scope, Send

__all__ = [
    "HINT_LIMIT",
    "RequestHeaders",
    "read_headers",
    "scan",
    "text",
    "user_agent_text",
    "vary_user_agent",
]

#: User-Agent (capped), Sec-CH-UA, Sec-CH-UA-Full-Version-List and Cookie.
RequestHeaders = tuple[str | None, str | None, str | None, str | None]

#: Hint headers longer than this are malformed anyway; the parser refuses them.
HINT_LIMIT = 1025


def text(value: bytes | None, limit: int) -> str | None:
    """A raw header value as text, cut to ``limit`` bytes first.

    Cut as bytes before decoding, so a 1 MB header costs what a short one does;
    latin-1 maps one byte to one character, so any bytes decode.
    """
    return None if value is None else value[:limit].decode("latin-1")


def user_agent_text(value: bytes | None, max_length: int) -> str | None:
    """The User-Agent as text: leading whitespace does not count against the cap."""
    return None if value is None else text(value.lstrip(), max_length)


def read_headers(scope: Scope, max_length: int, want_cookie: bool) -> RequestHeaders:
    """User-Agent (capped), the two client-hint headers and Cookie, as text.

    The first of duplicate headers counts, as in Starlette's ``request.headers``;
    Cookie headers are joined.
    """
    user_agent, sec_ch_ua, full_list, _, _ = scan(scope["headers"])
    cookie = None
    if want_cookie:
        cookies = [value for name, value in scope["headers"] if name == b"cookie"]
        cookie = b"; ".join(cookies).decode("latin-1") if cookies else None
    return (
        user_agent_text(user_agent, max_length),
        text(sec_ch_ua, HINT_LIMIT),
        text(full_list, HINT_LIMIT),
        cookie,
    )


def scan(
    headers: list[tuple[bytes, bytes]],
) -> tuple[bytes | None, bytes | None, bytes | None, bytes | None, bytes | None]:
    """User-Agent, Sec-CH-UA, its full version list, Accept and Accept-Language, raw.

    One pass over headers whose names are lower-case, as ASGI requires; the
    first of duplicate headers counts. These are all the headers a verdict and
    the built-in gate response depend on.
    """
    user_agent = sec_ch_ua = full_list = accept = accept_language = None
    for name, value in headers:
        if name == b"user-agent":
            if user_agent is None:
                user_agent = value
        elif name == b"accept":
            if accept is None:
                accept = value
        elif name == b"accept-language":
            if accept_language is None:
                accept_language = value
        elif name == b"sec-ch-ua":
            if sec_ch_ua is None:
                sec_ch_ua = value
        elif name == b"sec-ch-ua-full-version-list" and full_list is None:
            full_list = value
    return user_agent, sec_ch_ua, full_list, accept, accept_language


def vary_user_agent(send: Send) -> Send:
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
