"""Content negotiation for the gate response: its language, and JSON or HTML.

Reads ``Accept-Language`` (RFC 4647 lookup over the page's languages) and
``Accept`` (RFC 9110 quality values) as :class:`uagate.page.Page` answers a
gated request. Header text is hostile: at most the first 1,024 characters and
32 items of either are read, by splitting, with no regular expression.
"""

from __future__ import annotations

from uagate._headers import HEADER_LIMIT
from uagate._locales import exactly, language_for

__all__ = ["negotiate_language", "prefers_json"]


def _weighted(header: str) -> list[tuple[str, float]]:
    """The items of an Accept-style header with their quality values, in order.

    At most the first 1,024 characters and 32 items are read (an item that the
    1,024th character cuts is left out); a quality that is not a number counts
    as 0 (not acceptable).
    """
    items = []
    read = header if len(header) <= HEADER_LIMIT else header[:HEADER_LIMIT].rpartition(",")[0]
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
    each with :func:`~uagate.page.language_for`: whole, then cut shorter, with
    regional and renamed tags (``zh-TW`` gives ``zh-Hant``, ``pt-AO`` gives
    ``pt-PT``, ``no`` gives ``nb``). ``q=0`` refuses the language a range names
    exactly (``fr-CA;q=0`` refuses no language the page is written in;
    ``zh-TW;q=0`` refuses ``zh-Hant``). ``*`` stands for ``default`` unless that
    was refused. A quality that is not a number from 0 to 1 leaves its range
    out. ``default`` (one of :data:`~uagate.page.LANGUAGES`) comes last, and for
    anything unreadable. At most the first 1,024 characters and 32 ranges are
    read.
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
