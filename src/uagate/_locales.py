"""The page's languages: the locale files, how a tag names one of them, and their fonts.

Shared by the page (:mod:`uagate.page`), the embedded notice (:mod:`uagate.notice`)
and the nginx export (:mod:`uagate.nginx`), so all three serve the same languages
from the same files and read a language tag alike. The public names are
re-exported by :mod:`uagate.page`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

#: The strings every locale file gives (``lang`` and ``dir`` besides).
_KEYS = (
    "heading",
    "message",
    "note",
    "outdated_heading",
    "outdated_message",
    "unsupported_heading",
    "compat_heading",
    "compat_message",
    "continue",
)


# What each locale file says of its language: its name in English and in itself.
_NAMES = ("name", "native_name")


def _load_locales() -> Mapping[str, Mapping[str, str]]:
    """Each locale file's text fields, by its language tag; ``provenance`` stays in the file."""
    folder = resources.files("uagate").joinpath("locales")
    locales = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found = json.loads(entry.read_text("utf-8"))
            strings = {key: value for key, value in found.items() if isinstance(value, str)}
            missing = [key for key in ("lang", "dir", *_NAMES, *_KEYS) if not strings.get(key)]
            if missing or f"{strings['lang']}.json" != entry.name:
                raise RuntimeError(f"uagate's locale file {entry.name} is broken: {missing}")
            locales[strings["lang"]] = MappingProxyType(strings)
    return MappingProxyType(dict(sorted(locales.items())))


#: Each language's strings (the text fields of its locale file), by its tag.
LOCALES = _load_locales()

#: The languages the default page is written in, by their language tag (BCP 47).
LANGUAGES = tuple(LOCALES)

#: Each language's ``name`` (in English), ``native_name`` and ``dir`` (ltr or rtl).
LANGUAGE_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        tag: MappingProxyType({key: strings[key] for key in ("dir", *_NAMES)})
        for tag, strings in LOCALES.items()
    }
)

# Language tags as RFC 4647 lookup compares them: lower case.
_BY_LOWER = {tag.lower(): tag for tag in LANGUAGES}

#: Tags that name a language the page is written in other than by its own tag: a
#: region that writes another script or variety, and tags that were renamed. Lookup
#: tries them before it cuts a tag shorter, so zh-TW gives zh-Hant, not zh-Hans.
ALIASES: Mapping[str, str] = MappingProxyType(
    {  # tests/test_languages.py checks that each names a language of LANGUAGES
        "zh": "zh-Hans",
        **dict.fromkeys(("zh-cn", "zh-sg", "zh-my"), "zh-Hans"),
        **dict.fromkeys(("zh-tw", "zh-hk", "zh-mo", "yue"), "zh-Hant"),
        # Windows' own tags for the two scripts, before zh-Hans and zh-Hant.
        "zh-chs": "zh-Hans",
        "zh-cht": "zh-Hant",
        "pt": "pt-BR",
        # Portuguese everywhere but Brazil follows Portugal's usage.
        **dict.fromkeys(
            (
                "pt-ao",
                "pt-cv",
                "pt-gq",
                "pt-gw",
                "pt-lu",
                "pt-mo",
                "pt-mz",
                "pt-st",
                "pt-tl",
                "pt-ch",
            ),
            "pt-PT",
        ),
        "no": "nb",
        "nn": "nb",  # Nynorsk readers read Bokmål, the other written Norwegian
        "sr-sp-latn": "sr-Latn",  # Windows XP's tag for Serbian in Latin script
        "iw": "he",
        "in": "id",
        "tl": "fil",
    }
)


#: Every tag lookup compares with, lower case, and the language it names: the
#: languages' own tags, then the aliases.
LOOKUP: Mapping[str, str] = MappingProxyType({**ALIASES, **_BY_LOWER})


def normalised(tag: str) -> str:
    """A tag as lookup compares it: stripped, lower case, ``_`` read as ``-``."""
    return tag.strip().lower().replace("_", "-")


def language_for(tag: str) -> str | None:
    """The language the page is served in for a language tag, or None (RFC 4647 lookup).

    Case does not matter, nor ``_`` for ``-`` (``zh_TW``). The tag is tried
    whole, then cut one subtag at a time from the end (``zh-Hant-TW``,
    ``zh-Hant``): the first that is a language of :data:`LANGUAGES` or one of
    :data:`ALIASES` wins.
    """
    subtags = normalised(tag).split("-")
    while subtags and all(subtags):
        candidate = "-".join(subtags)
        found = LOOKUP.get(candidate)
        if found is not None:
            return found
        subtags.pop()
        if subtags and len(subtags[-1]) == 1:  # a singleton (x-...) goes with what follows it
            subtags.pop()
    return None


def exactly(tag: str) -> str | None:
    """The language ``tag`` names as it stands, not cut shorter: what ``q=0`` refuses."""
    return LOOKUP.get(normalised(tag))


#: Fonts that cover each script on the Windows versions that run Internet Explorer
#: (XP to 10), newest first, then the generic family: the page names them for its
#: language, so that IE, which falls back to other fonts less well than today's
#: browsers, draws no empty boxes. Unquoted: CSS reads a run of words as one name.
FONT_STACKS: Mapping[str, str] = MappingProxyType(
    {
        "Latn": "Segoe UI, Tahoma, Arial, Helvetica, sans-serif",
        "Cyrl": "Segoe UI, Tahoma, Arial, sans-serif",
        "Grek": "Segoe UI, Tahoma, Arial, sans-serif",
        "Arab": "Segoe UI, Tahoma, Arial, sans-serif",
        "Hebr": "Segoe UI, Tahoma, Arial, sans-serif",
        "Thai": "Leelawadee UI, Leelawadee, Tahoma, sans-serif",
        "Deva": "Nirmala UI, Mangal, Arial Unicode MS, sans-serif",
        "Beng": "Nirmala UI, Shonar Bangla, Vrinda, Arial Unicode MS, sans-serif",
        "Taml": "Nirmala UI, Vijaya, Latha, Arial Unicode MS, sans-serif",
        "Hang": "Malgun Gothic, Gulim, Dotum, sans-serif",
        "Hant": "Microsoft JhengHei, PMingLiU, MingLiU, sans-serif",
        "Hans": "Microsoft YaHei, SimSun, SimHei, sans-serif",
        "Jpan": "Meiryo, MS PGothic, MS UI Gothic, sans-serif",
    }
)

# The script each language is written in, where it is not the Latin alphabet.
_SCRIPTS = {
    **dict.fromkeys(("ru", "uk", "bg", "sr"), "Cyrl"),
    "el": "Grek",
    **dict.fromkeys(("ar", "fa", "ur"), "Arab"),
    "he": "Hebr",
    "th": "Thai",
    "hi": "Deva",
    "bn": "Beng",
    "ta": "Taml",
    "ko": "Hang",
    "zh-Hant": "Hant",
    "zh-Hans": "Hans",
    "ja": "Jpan",
}


def font_stack(language: str) -> str:
    """The CSS font-family list the page names for ``language`` (one of :data:`LANGUAGES`)."""
    return FONT_STACKS[_SCRIPTS.get(language, "Latn")]


def escape(value: str) -> str:
    """HTML-escape for text and double-quoted attributes; ``'`` stays readable."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def known_language(tag: object, what: str) -> str:
    """The language ``tag`` is served in (:func:`language_for`); ValueError naming ``what``."""
    found = language_for(tag) if isinstance(tag, str) else None
    if found is None:
        raise ValueError(
            f"{what} must be a language tag of the page's ({len(LANGUAGES)} languages: "
            f"uagate.page.LANGUAGES, or uagate page --list), not {tag!r}"
        )
    return found
