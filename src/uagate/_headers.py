"""Raw ASGI header plumbing: reading the request headers the gate needs, merging Vary."""

from __future__ import annotations

from starlette.types import Message, Send

__all__ = [
    "HEADER_LIMIT",
    "VERDICT_HEADERS",
    "RawHeaders",
    "accepts",
    "cookie_header",
    "has_hints",
    "merge_vary",
    "scan",
    "with_vary",
]

#: The request headers a verdict may depend on: what ``Vary`` names for it.
VERDICT_HEADERS = ("User-Agent", "Sec-CH-UA", "Sec-CH-UA-Full-Version-List")

#: The most characters of a client-hint, Accept or Accept-Language header the gate
#: reads: a longer hint is malformed, and Accept lists are cut at a range boundary.
HEADER_LIMIT = 1024

#: User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept and Accept-Language, raw.
RawHeaders = tuple[bytes | None, bytes | None, bytes | None, bytes | None, bytes | None]


def scan(headers: list[tuple[bytes, bytes]]) -> RawHeaders:
    """User-Agent, Sec-CH-UA, its full version list, Accept and Accept-Language, raw.

    One pass over headers whose names are lower-case, as ASGI requires; the
    first of duplicate headers counts, as in Starlette's ``request.headers``.
    These are all the headers a verdict and the built-in gate response depend on.
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


def accepts(headers: list[tuple[bytes, bytes]]) -> tuple[bytes | None, bytes | None]:
    """Accept and Accept-Language, raw (the first of each counts); stops once both are found."""
    accept = accept_language = None
    for name, value in headers:
        if name == b"accept":
            if accept is None:
                accept = value
                if accept_language is not None:
                    break
        elif name == b"accept-language" and accept_language is None:
            accept_language = value
            if accept is not None:
                break
    return accept, accept_language


def has_hints(headers: list[tuple[bytes, bytes]]) -> bool:
    """True when the request sends Sec-CH-UA or Sec-CH-UA-Full-Version-List."""
    for name, _ in headers:
        if name == b"sec-ch-ua" or name == b"sec-ch-ua-full-version-list":
            return True
    return False


def cookie_header(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The request's Cookie headers joined, as text (latin-1: any bytes decode)."""
    cookies = [value for name, value in headers if name == b"cookie"]
    return b"; ".join(cookies).decode("latin-1") if cookies else None


def with_vary(send: Send, names: tuple[bytes, ...]) -> Send:
    """Wrap ``send`` so that the response's ``Vary`` names each of ``names``."""

    async def send_with_vary(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = merge_vary(list(message.get("headers", [])), names)
            message = {**message, "headers": headers}
        await send(message)

    return send_with_vary


def merge_vary(
    headers: list[tuple[bytes, bytes]], names: tuple[bytes, ...]
) -> list[tuple[bytes, bytes]]:
    """Add the missing ``names`` to the first ``Vary`` header, or add one; ``*`` is left alone."""
    first = None
    present: set[bytes] = set()
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            present.update(field.strip().lower() for field in value.split(b","))
            first = index if first is None else first
    if b"*" in present:
        return headers
    missing = b", ".join(name for name in names if name.lower() not in present)
    if not missing:
        return headers
    if first is None:
        headers.append((b"vary", missing))
    else:
        name, value = headers[first]
        kept = value.rstrip(b", \t")
        headers[first] = (name, kept + b", " + missing if kept.strip() else missing)
    return headers
