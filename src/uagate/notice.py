"""The embedded notice: an HTML fragment that only Internet Explorer shows.

For pages the middleware never sees (cached at a CDN's edge, or static): put
:func:`notice_html` in a base template, first in ``<body>``. How it works, and
why this way, is in docs/notice.md.
"""

from __future__ import annotations

from functools import lru_cache

from uagate._locales import LANGUAGES, LOCALES, escape, font_stack, known_language
from uagate.page import BROWSERS

__all__ = ["MAX_BYTES", "notice_html"]

#: The most the fragment may weigh, in UTF-8 bytes, in any language (without a nonce).
MAX_BYTES = 1536

# Its look in Internet Explorer; CSS that IE 6 reads. It sets no ``display``, so a browser
# that applies it without knowing <template> (none made since 2015) still hides the notice.
# The font is the gate page's for the language (uagate.page.font_stack).
_LOOK = (
    "#uagate-notice{{position:relative;z-index:2147483647;margin:0;padding:12px 16px;"
    "background:#fff4ce;color:#1a1a1a;border-bottom:2px solid #8a6d00;"
    "font:16px/1.5 {font};text-align:center}}"
    "#uagate-notice a{{margin:0 8px;color:#0b57a4}}"
)
# What undoes ``hidden`` (and a site's own ``[hidden]{display:none}``, as normalize.css and
# Bootstrap have): IE 10 and 11 match this media query; conditional comments reach IE 5-9.
# The <template> holding it, too: normalize.css 3-8, Bootstrap 4's reboot and html5shiv
# hide template elements in IE, which would hide the notice inside.
_SHOW = "#uagate-notice,#uagate-template{display:block!important}"
_IE10_11 = "@media all and (-ms-high-contrast:none),(-ms-high-contrast:active){" + _SHOW + "}"


@lru_cache(maxsize=len(LANGUAGES))
def _parts(language: str) -> tuple[str, str, str]:
    """The fragment in ``language``, cut where each ``<style`` tag's nonce goes."""
    text = LOCALES[language]
    links = " ".join(f'<a href="{escape(url)}">{escape(name)}</a>' for name, url in BROWSERS)
    notice = (
        f'<div id="uagate-notice" hidden lang="{escape(text["lang"])}" '
        f'dir="{escape(text["dir"])}" data-nosnippet>'
        f"<strong>{escape(text['heading'])}</strong><br>"
        f"{escape(text['message'])}<br>{links}</div>"
    )
    return (
        '<template id="uagate-template"><style',
        f">{_LOOK.format(font=font_stack(language))}{_IE10_11}</style><!--[if IE]><style",
        f">{_SHOW}</style><![endif]-->{notice}</template>",
    )


def notice_html(language: str = "en", *, nonce: str | None = None) -> str:
    """The notice "We don't support Internet Explorer", as an HTML fragment for every page.

    Put it first in ``<body>`` of a base template: Internet Explorer 6 to 11
    shows it above the page, and every other browser keeps it out of the page
    entirely. It is a ``<template>``, whose content browsers that know the
    element (all but IE, since 2015) never render, lay out or expose, whatever
    the page's CSS; IE does not know it, so it shows what is inside: a ``div``
    with the heading, the message and links to the browsers, ``hidden`` for
    old non-IE browsers and shown again for IE by a ``-ms-high-contrast``
    media query (IE 10, 11) and a conditional comment (IE 5-9). There is no
    script, and nothing a Content-Security-Policy applies, so the fragment
    needs no nonce and suits pages cached at a CDN; the middleware still gates
    every request that reaches the app.

    ``language`` is one of :data:`uagate.page.LANGUAGES` (``uagate page
    --list`` lists them), or a tag that names one (``zh-TW``); the ``div``
    carries its ``lang`` and ``dir``, and the page must be UTF-8. The fragment
    is at most :data:`MAX_BYTES` bytes in every language, on one line.
    ``nonce``, if given and not empty, is put, HTML-escaped, on its two
    ``<style>`` elements, which only IE applies (and IE does not enforce CSP):
    no browser needs it, but a policy or a checker that wants every inline
    style to carry the page's nonce is satisfied.

    Raises ValueError for a language the gate has no text in.
    """
    language = known_language(language, "notice_html language")
    # Control characters as references too: the fragment stays one line.
    value = "".join(f"&#{ord(char)};" if ord(char) < 0x20 else char for char in escape(nonce or ""))
    attribute = f' nonce="{value}"' if value else ""
    return attribute.join(_parts(language))
