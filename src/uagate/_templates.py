"""The gate page's text: the default page, a user's ``page=`` template, and problem+json.

:func:`check_template` reads a user template once, at startup, and refuses
what would be shown to users as is (a ``$`` that starts no placeholder, an
unknown placeholder, another template language's syntax). :func:`strings`
gives the translated text for a language and reason; the default page and the
problem+json body are rendered from it. Every value is HTML-escaped.
"""

from __future__ import annotations

import functools
import json
import re
import string
import unicodedata
from collections.abc import Mapping
from importlib import resources

from uagate._locales import LANGUAGES, LOCALES, escape, font_stack, known_language
from uagate.policy import Reason

__all__ = [
    "BROWSERS",
    "HEADING",
    "IE_FRIENDLY_ERROR_THRESHOLD",
    "MESSAGE",
    "PLACEHOLDERS",
    "PROBLEM_TYPE",
    "SITE_NAME_LIMIT",
    "TRANSLATED",
    "check_site_name",
    "check_template",
    "default_body",
    "identifiers",
    "pad",
    "problem_body",
    "render_default",
    "render_page",
    "strings",
]

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
    "site_name",
)

#: The placeholders whose values depend on the negotiated language.
TRANSLATED = frozenset(
    {"lang", "dir", "title", "heading", "message", "note", "continue_text", "font_family"}
)

#: Internet Explorer (5 to 11, with its default "friendly HTTP error messages") shows its
#: own page instead of an error response (status 400 or above) shorter than this many
#: bytes. A custom page that short is padded with an HTML comment to this length and one
#: more byte (sources differ on whether exactly 512 bytes is enough).
IE_FRIENDLY_ERROR_THRESHOLD = 512

#: The longest ``site_name``, in characters: a name, not a sentence.
SITE_NAME_LIMIT = 100

# What a site name may not hold: control characters (C0, C1), line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates, which would
# reorder the page's own text around the name. Joiners stay: Persian and Indic names
# need them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_site_name(value: object, option: str = "UAGateMiddleware option site_name") -> str | None:
    """``value`` if it is a site name the page can show (or None); else TypeError or ValueError.

    ``option`` names where the value came from in error messages.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{option} must be a str or None, not {value!r}")
    if not value.strip():
        raise ValueError(f"{option} must name the site, not {value!r}")
    if len(value) > SITE_NAME_LIMIT:
        raise ValueError(f"{option} must be at most {SITE_NAME_LIMIT} characters, not {len(value)}")
    for index, char in enumerate(value):
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise ValueError(
                f"{option} must hold no control characters, but has U+{ord(char):04X} "
                f"at index {index}"
            )
    return value


def strings(language: str, reason: Reason, site_name: str | None = None) -> dict[str, str]:
    """The heading, message and note for ``reason`` in ``language``, and the site's name.

    With ``site_name``, the title is the heading followed by the name, and
    ``site_name`` holds it (empty without): the name stands apart from the
    translated sentences, so that every language shows it as written.
    """
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
        "title": f"{heading} \u2013 {site_name}" if site_name else heading,
        "heading": heading,
        "message": message,
        "note": note,
        "continue_text": text["continue"],
        "font_family": font_stack(language),
        "site_name": site_name or "",
    }


@functools.cache
def _default_template() -> string.Template:
    text = resources.files("uagate").joinpath("templates/gate.html").read_text("utf-8")
    return string.Template(text)


def render_page(
    language: str = "en",
    reason: Reason = Reason.INTERNET_EXPLORER,
    site_name: str | None = None,
) -> str:
    """The default page as HTML, in ``language``, for a client gated for ``reason``.

    ``language`` is read as :func:`~uagate.page.language_for` reads it
    (``zh-TW`` is ``zh-Hant``); ValueError if the page is not written in it.
    ``site_name``, checked as the option of that name is, is shown above the
    heading and after it in the title.
    """
    language = known_language(language, "render_page language")
    site_name = check_site_name(site_name, "render_page site_name")
    return render_default(strings(language, reason, site_name), "")


def render_default(text: Mapping[str, str], continue_url: str) -> str:
    """The default page with ``text`` (:func:`strings`), and a link to ``continue_url`` if any."""
    values = {key: escape(value) for key, value in text.items()}
    site_name = text.get("site_name", "")
    values["site_html"] = f'<p class="site">{values["site_name"]}</p>\n' if site_name else ""
    note = text["note"]
    values["note_html"] = f'<p class="note">{values["note"]}</p>\n' if note else ""
    values["continue_html"] = (
        f'<p class="continue"><a href="{escape(continue_url)}">{values["continue_text"]}</a></p>\n'
        if continue_url
        else ""
    )
    return _default_template().substitute(values)


# Room for a few site names: a process serves one or two gates.
@functools.lru_cache(maxsize=4 * len(LANGUAGES) * len(Reason))
def default_body(language: str, reason: Reason, site_name: str | None = None) -> bytes:
    """The default page's bytes, rendered once per language, reason and site name."""
    return render_page(language, reason, site_name).encode("utf-8")


def problem_body(language: str, reason: Reason, status: int, continue_url: str) -> bytes:
    """The RFC 9457 problem+json body."""
    text = strings(language, reason)
    problem: dict[str, object] = {
        "type": PROBLEM_TYPE,
        "title": text["heading"],
        "status": status,
        "detail": text["message"],
        "reason": reason.value,
        "supported_browsers": [{"name": name, "url": url} for name, url in BROWSERS],
    }
    if continue_url:
        problem["continue_url"] = continue_url
    return json.dumps(problem, ensure_ascii=False).encode("utf-8")


def identifiers(template: string.Template) -> set[str]:
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


def check_template(text: str, option: str = "UAGateMiddleware option page") -> string.Template:
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


def pad(body: str) -> str:
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
