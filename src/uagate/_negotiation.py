"""Content negotiation for the gate response: its language, and JSON or HTML.

Reads ``Accept-Language`` (RFC 4647 lookup over the page's languages) and
``Accept`` (RFC 9110 quality values) as :class:`uagate.page.Page` answers a
gated request. Header text is hostile: at most the first 1,024 characters and
32 items of either are read, by splitting, with no regular expression.
"""

from __future__ import annotations

from uagate._headers import HEADER_LIMIT
from uagate._locales import exactly, language_for

__all__ = ["negotiate_language", "prefers_json", "qvalue"]


def qvalue(text: str) -> float | None:
    """A weight as RFC 9110 (section 12.4.2) writes it, or None for any other text.

    ``qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )``: from 0 to 1,
    at most three decimals, ASCII digits only. ``abc``, ``1.5``, ``-1``, an empty
    value, ``0.0001``, ``.5``, ``+1`` and ``1e0`` are not weights.
    """
    whole, _, decimals = text.partition(".")
    if whole not in ("0", "1") or len(decimals) > 3:
        return None
    if decimals and not (decimals.isascii() and decimals.isdigit()):
        return None
    if whole == "1" and decimals.strip("0"):
        return None
    return float(f"{whole}.{decimals or 0}")


def _weighted(header: str) -> list[tuple[str, float]]:
    """The items of an Accept-style header with their weights, in order.

    At most the first 1,024 characters and 32 items are read (an item that the
    1,024th character cuts is left out). An item without ``q`` weighs 1; an item
    whose ``q`` is not an RFC 9110 weight (:func:`qvalue`) is left out, as if it
    were not sent: a malformed weight neither picks nor refuses anything.
    Spaces around ``=`` are allowed; where ``q`` comes twice, the last counts.
    """
    items = []
    read = header if len(header) <= HEADER_LIMIT else header[:HEADER_LIMIT].rpartition(",")[0]
    for item in read.split(",")[:32]:
        value, _, params = item.strip().partition(";")
        quality: float | None = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                quality = qvalue(number.strip())
        if quality is not None:
            items.append((value.strip().lower(), quality))
    return items


def negotiate_language(accept_language: str | None, default: str) -> str:
    """Pick the page's language from an ``Accept-Language`` header (RFC 4647 lookup).

    Ranges are tried by quality, best first (in the header's order where equal),
    each with :func:`~uagate.page.language_for`: whole, then cut shorter, with
    regional and renamed tags (``zh-TW`` gives ``zh-Hant``, ``pt-AO`` gives
    ``pt-PT``, ``no`` gives ``nb``). ``q=0`` refuses the language a range names
    exactly (``fr-CA;q=0`` refuses no language the page is written in;
    ``zh-TW;q=0`` refuses ``zh-Hant``). ``*`` stands for ``default`` unless that
    was refused. A range whose ``q`` is not an RFC 9110 weight (``q=abc``,
    ``q=1.5``, ``q=-1``, ``q=``, ``q=0.0001``) is left out: it neither picks
    nor refuses a language. ``default`` (one of :data:`~uagate.page.LANGUAGES`)
    comes last, and for anything unreadable. At most the first 1,024
    characters and 32 ranges are read.
    """
    if not accept_language:
        return default
    weighted = _weighted(accept_language)
    refused = {exactly(tag) for tag, quality in weighted if quality <= 0}
    ranked = sorted(
        (-quality, index, tag) for index, (tag, quality) in enumerate(weighted) if quality > 0
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


def prefers_json(accept: str | None) -> bool:
    """True when ``Accept`` ranks JSON above HTML (a tie goes to the more specific range)."""
    if not accept:
        return False
    ranges = _weighted(accept)
    as_json = max(
        _quality(ranges, "application/problem+json"), _quality(ranges, "application/json")
    )
    as_html = _quality(ranges, "text/html")
    return as_json[0] > 0 and as_json > as_html
