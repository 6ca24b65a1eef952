"""The gate page in the client's language, and problem+json for clients that prefer JSON."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest
from starlette.testclient import TestClient

from uagate import Policy, UAGateMiddleware
from uagate.page import LANGUAGES, PROBLEM_TYPE
from uagate.policy import Reason
from uagate.testing import IE11, IE11_COMPATIBILITY_VIEW

from .conftest import app_that_must_not_run, locale_file

# The requirement, written out here rather than taken from the code under test.
# Issue #14's list, and English.
LANGUAGE_TAGS = (
    "en", "ko", "zh-Hant", "zh-Hans", "ja", "he", "fa", "ur", "ar", "hi", "bn", "ta", "th",
    "vi", "id", "ms", "fil", "tr", "uk", "ru", "cs", "sk", "pl", "hu", "ro", "bg", "el", "sv",
    "da", "nb", "fi", "et", "lv", "lt", "sl", "hr", "sr", "ca", "pt-BR", "pt-PT", "es", "fr",
    "de", "it", "nl", "sw", "sr-Latn",
)  # fmt: skip
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
ENGLISH_HEADING = "We don't support Internet Explorer"
ENGLISH_LINE = "Please use Chrome, Safari, Firefox, or Edge to view this site."
BROWSER_NAMES = ["Chrome", "Safari", "Firefox", "Edge"]
VARY_FIELDS = {
    "user-agent",
    "sec-ch-ua",
    "sec-ch-ua-full-version-list",
    "accept",
    "accept-language",
}
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "reason", "supported_browsers"}
JSON_ACCEPT = "application/json"
# What IE 8 sends, and IE 11's own Accept for a page.
IE8_ACCEPT = (
    "image/gif, image/jpeg, image/pjpeg, application/x-ms-application, "
    "application/xaml+xml, application/x-ms-xbap, */*"
)
IE11_ACCEPT = "text/html, application/xhtml+xml, */*"


class PageParser(HTMLParser):
    """The ``<html>`` attributes and the text of the ``<h1>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str | None] = {}
        self.headings: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html_attrs = dict(attrs)
        elif tag == "h1":
            self._in_h1 = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.headings[-1] += data


def parse(response: httpx2.Response) -> PageParser:
    """``response`` as an HTML page, parsed."""
    assert response.headers["content-type"].split(";")[0].strip() == "text/html"
    parser = PageParser()
    parser.feed(response.content.decode("utf-8"))
    parser.close()
    return parser


def gate(**options: Any) -> TestClient:
    """A client for the real middleware around an app that must never be reached."""
    return TestClient(UAGateMiddleware(app_that_must_not_run, **options))


def ie_get(
    client: TestClient,
    accept_language: str | bytes | None = None,
    accept: str | None = None,
    method: str = "GET",
) -> httpx2.Response:
    """A request from IE 11 with the given ``Accept-Language`` and ``Accept``."""
    headers = [(b"User-Agent", IE11.encode("ascii"))]
    if accept_language is not None:
        raw = accept_language if isinstance(accept_language, bytes) else accept_language.encode()
        headers.append((b"Accept-Language", raw))
    if accept is not None:
        headers.append((b"Accept", accept.encode()))
    return client.request(method, "/", headers=headers)


def media_type(response: httpx2.Response) -> str:
    """The media type of the response, without parameters."""
    return response.headers["content-type"].split(";")[0].strip().lower()


def problem(response: httpx2.Response) -> dict[str, Any]:
    """The problem+json body of ``response``."""
    assert media_type(response) == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content.decode("utf-8"))
    return body


# Each language by its own tag, then regional and script forms of them, and old tags.
SERVED = [(tag, tag) for tag in LANGUAGE_TAGS] + [
    ("de-AT", "de"),
    ("de-CH", "de"),
    ("pt", "pt-BR"),
    ("pt-AO", "pt-PT"),
    ("pt-MZ", "pt-PT"),
    ("fr-CA", "fr"),
    ("zh", "zh-Hans"),
    ("zh-CN", "zh-Hans"),
    ("zh-SG", "zh-Hans"),
    ("zh-Hans-CN", "zh-Hans"),
    ("zh-TW", "zh-Hant"),
    ("zh-HK", "zh-Hant"),
    ("zh-MO", "zh-Hant"),
    ("zh-Hant-TW", "zh-Hant"),
    ("zh-Hant-HK", "zh-Hant"),
    ("no", "nb"),
    ("nb-NO", "nb"),
    ("no-NO", "nb"),
    ("iw", "he"),
    ("he-IL", "he"),
    ("fa-IR", "fa"),
    ("ur-PK", "ur"),
    ("ko-KR", "ko"),
    ("tl", "fil"),
    ("fil-PH", "fil"),
    ("in", "id"),
    ("ms-MY", "ms"),
    ("sr-RS", "sr"),
    ("sr-Cyrl-RS", "sr"),
    ("sr-Latn-RS", "sr-Latn"),
    ("sr-SP-Latn", "sr-Latn"),
    ("zh-CHT", "zh-Hant"),
    ("zh-CHS", "zh-Hans"),
    ("nn-NO", "nb"),
    ("he_IL", "he"),
    ("zh_TW", "zh-Hant"),
    ("hi-IN", "hi"),
    ("sw-KE", "sw"),
    ("es-419", "es"),
    ("es-MX", "es"),
    ("en-GB", "en"),
    ("it-CH", "it"),
    ("nl-BE", "nl"),
    ("pl-PL", "pl"),
    ("ru-RU", "ru"),
    ("ja-JP", "ja"),
    ("ar-EG", "ar"),
    ("DE-at", "de"),
    ("PT-br", "pt-BR"),
    ("ZH-hant-tw", "zh-Hant"),
]


@pytest.mark.parametrize(("accept_language", "tag"), SERVED)
def test_each_language_is_served_for_its_accept_language(accept_language: str, tag: str) -> None:
    """The page comes in the asked language: Content-Language, html lang and h1 agree."""
    response = ie_get(gate(), accept_language)
    assert response.status_code == 406
    assert response.headers["content-language"] == tag
    page = parse(response)
    assert page.html_attrs["lang"] == tag
    assert len(page.headings) == 1
    heading = page.headings[0].strip()
    assert heading == locale_file(tag)["heading"]
    if tag == "en":
        assert heading == ENGLISH_HEADING
    else:
        assert heading != ENGLISH_HEADING
        assert locale_file(tag)["message"] != ENGLISH_LINE


def test_every_language_has_a_translation_file() -> None:
    """Each language has a file whose lang is its tag and whose keys are English's."""
    assert sorted(LANGUAGES) == sorted(LANGUAGE_TAGS)
    assert len(LANGUAGES) >= 40
    english_keys = set(locale_file("en"))
    for tag in LANGUAGE_TAGS:
        strings = locale_file(tag)
        assert strings["lang"] == tag
        assert set(strings) == english_keys, tag
        texts = {key: value for key, value in strings.items() if key != "provenance"}
        assert all(isinstance(value, str) and value.strip() for value in texts.values()), tag


@pytest.mark.parametrize("tag", [tag for tag in LANGUAGE_TAGS if tag != "en"])
def test_each_translation_says_where_it_came_from_and_how_it_was_checked(tag: str) -> None:
    """Provenance: the English source, a first pass, an independent second pass, its findings."""
    provenance: Any = locale_file(tag)["provenance"]
    assert "English" in provenance["source"]
    assert provenance["first_pass"].strip()
    assert provenance["second_pass"].strip()
    assert isinstance(provenance["disagreements"], list)
    assert all(isinstance(item, str) and item.strip() for item in provenance["disagreements"])


@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_browser_names_stay_as_their_makers_write_them(tag: str) -> None:
    """Chrome, Safari, Firefox and Edge, in that order, and Internet Explorer, in Latin letters."""
    strings = locale_file(tag)
    for key in ("message", "outdated_message"):
        positions = [strings[key].find(name) for name in BROWSER_NAMES]
        assert -1 not in positions, (tag, key)
        assert positions == sorted(positions), (tag, key)
    assert "Internet Explorer" in strings["heading"]
    assert "Internet Explorer" in strings["compat_message"]
    assert "Alt+X" in strings["compat_message"]


def test_every_alias_names_a_language_the_page_is_written_in() -> None:
    """zh-TW, pt-AO, no, iw, ... each lead to a language that has a file."""
    from uagate.page import ALIASES

    assert set(ALIASES.values()) <= set(LANGUAGE_TAGS)
    assert {"zh-tw", "zh-hk", "zh-mo", "zh", "zh-cn", "zh-sg", "pt", "pt-ao", "no"} <= set(ALIASES)


# The first font named for each script: one that Windows XP to 10 ship (or, first,
# the newer one that covers it better), then the generic family last.
FIRST_FONTS = {
    "ko": ("Malgun Gothic", "Gulim"),
    "zh-Hant": ("Microsoft JhengHei", "PMingLiU"),
    "zh-Hans": ("Microsoft YaHei", "SimSun"),
    "ja": ("Meiryo", "MS PGothic"),
    "ar": ("Segoe UI", "Tahoma"),
    "fa": ("Segoe UI", "Tahoma"),
    "ur": ("Segoe UI", "Tahoma"),
    "he": ("Segoe UI", "Tahoma"),
    "th": ("Leelawadee UI", "Tahoma"),
    "hi": ("Nirmala UI", "Mangal"),
    "bn": ("Nirmala UI", "Vrinda"),
    "ta": ("Nirmala UI", "Latha"),
    "ru": ("Segoe UI", "Tahoma"),
    "el": ("Segoe UI", "Tahoma"),
    "en": ("Segoe UI", "Tahoma"),
}


@pytest.mark.parametrize("tag", list(FIRST_FONTS))
def test_the_page_names_fonts_for_its_script_before_the_generic_family(tag: str) -> None:
    """The body's font-family covers the script on Windows XP to 10, then sans-serif."""
    html = ie_get(gate(), tag).content.decode("utf-8")
    stack = html.split("font-family:", 1)[1].split(";", 1)[0].strip()
    names = [name.strip() for name in stack.split(",")]
    newer, older = FIRST_FONTS[tag]
    assert names.index(newer) < names.index(older) < names.index("sans-serif")
    assert names[-1] == "sans-serif"


@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_arabic_is_right_to_left_and_the_others_left_to_right(tag: str) -> None:
    """The html dir is rtl for Arabic and ltr for every other language."""
    page = parse(ie_get(gate(), tag))
    assert page.html_attrs["dir"] == ("rtl" if tag in RIGHT_TO_LEFT else "ltr")


@pytest.mark.parametrize(
    ("accept_language", "default_language", "expected"),
    [
        pytest.param("fr;q=0.5, de;q=0.9", "en", "de", id="higher-q-wins"),
        pytest.param("de;q=0.9, fr;q=0.5", "en", "de", id="higher-q-wins-first"),
        pytest.param("fr, de", "en", "fr", id="equal-q-first-listed"),
        pytest.param("de;q=0, fr", "en", "fr", id="q0-excludes"),
        pytest.param("de;q=0", "en", "en", id="only-excluded-gives-default"),
        pytest.param("de; Q=0.0, fr;q=0.2", "en", "fr", id="q0-excludes-any-case"),
        pytest.param("*", "en", "en", id="star-is-default"),
        pytest.param("*", "de", "de", id="star-is-the-configured-default"),
        pytest.param("xx, de;q=0.1", "en", "de", id="unknown-skipped"),
        pytest.param("xx", "en", "en", id="unknown-only"),
        pytest.param("xx-YY, tlh;q=0.8", "en", "en", id="unknowns-only"),
        pytest.param("xx", "de", "de", id="default-language-de"),
        pytest.param("zh-TW", "en", "zh-Hant", id="zh-TW-is-traditional"),
        pytest.param("zh-Hant", "en", "zh-Hant", id="zh-Hant-is-traditional"),
        pytest.param("zh-HK", "en", "zh-Hant", id="zh-HK-is-traditional"),
        pytest.param("zh-Hant-TW", "fr", "zh-Hant", id="zh-Hant-TW-is-traditional"),
        pytest.param("zh-TW;q=0, zh", "en", "zh-Hans", id="zh-after-a-refused-zh-TW"),
        pytest.param("zh-TW;q=0.5, ja", "en", "ja", id="ja-before-zh-TW"),
        pytest.param("pt-AO, pt-BR;q=0.9", "en", "pt-PT", id="pt-AO-is-european"),
        pytest.param("pt-BR;q=0, pt", "en", "en", id="pt-is-brazilian-and-refused"),
        pytest.param("nn, no;q=0.8", "en", "nb", id="no-is-bokmal"),
        pytest.param("de-x-foo", "en", "de", id="a-private-use-tail-is-cut"),
        pytest.param("xx, en;q=0.1, de;q=0.2", "fr", "de", id="best-known-quality"),
        pytest.param("fr-FR, fr;q=0.9, fr-CA;q=0", "ja", "fr", id="q0-refuses-only-its-range"),
        pytest.param("ko-KR;q=0, ko", "en", "ko", id="q0-region-leaves-the-language"),
        pytest.param("zh-TW;q=0, zh-HK", "en", "en", id="q0-alias-refuses-its-language"),
        pytest.param("*, en;q=0", "en", "en", id="star-skips-a-refused-default"),
        pytest.param("*;q=0.5, en;q=0, fr;q=0.4", "en", "fr", id="star-then-the-next-range"),
        pytest.param("de;q=2, fr", "en", "fr", id="q-above-1-leaves-it-out"),
        pytest.param("x" * 1018 + ", zh-TW", "en", "en", id="a-range-cut-at-1024-is-left-out"),
        pytest.param("x" * 1017 + ",zh-TW", "en", "zh-Hant", id="a-range-ending-at-1024-is-read"),
    ],
)
def test_quality_values_and_fallback(
    accept_language: str, default_language: str, expected: str
) -> None:
    """RFC 4647 lookup: quality orders the ranges, q=0 refuses, tags fall back by region."""
    response = ie_get(gate(default_language=default_language), accept_language)
    assert response.status_code == 406
    assert response.headers["content-language"] == expected
    assert parse(response).html_attrs["lang"] == expected


@pytest.mark.parametrize("default_language", ["en", "de"])
def test_no_accept_language_gives_the_default(default_language: str) -> None:
    """Without Accept-Language the page is in default_language."""
    response = ie_get(gate(default_language=default_language))
    assert response.headers["content-language"] == default_language
    assert parse(response).html_attrs["lang"] == default_language


MALFORMED: list[str | bytes] = [
    ";;;",
    "q=abc",
    ";q=abc",
    "," * 5000,
    ", , ,;, ",
    "=;=,;q=;q",
    "-",
    "-de",
    "\t",
    b"\xff\xfe\xfd",
    "fran\u00e7ais, \u65e5\u672c\u8a9e".encode(),
    "d\u00e9;q=0.9".encode("latin-1"),
    ";" * 5000,
    "x" * 10000,
]


@pytest.mark.parametrize("accept_language", MALFORMED, ids=lambda value: repr(value)[:30])
def test_malformed_accept_language_gives_the_default(accept_language: str | bytes) -> None:
    """An unreadable Accept-Language gives default_language and never an error."""
    response = ie_get(gate(default_language="nl"), accept_language)
    assert response.status_code == 406
    assert response.headers["content-language"] == "nl"
    assert parse(response).html_attrs["lang"] == "nl"


@pytest.mark.parametrize("accept", [None, JSON_ACCEPT], ids=["html", "json"])
@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_vary_and_no_store_in_every_language(tag: str, accept: str | None) -> None:
    """Every language, as HTML or JSON, has no-store and a Vary naming every header read."""
    response = ie_get(gate(), tag, accept)
    assert response.headers["content-language"] == tag
    vary = {field.strip().lower() for field in response.headers["vary"].split(",")}
    assert vary == VARY_FIELDS
    cache_control = {part.strip().lower() for part in response.headers["cache-control"].split(",")}
    assert "no-store" in cache_control


@pytest.mark.parametrize("accept", ["application/json", "application/problem+json"])
def test_json_clients_get_problem_json(accept: str) -> None:
    """A JSON Accept gets RFC 9457 problem+json with the agreed members, in English by default."""
    response = ie_get(gate(), accept=accept)
    assert response.status_code == 406
    assert response.headers["content-language"] == "en"
    body = problem(response)
    assert set(body) == PROBLEM_MEMBERS
    assert body["type"] == PROBLEM_TYPE
    assert body["status"] == response.status_code
    assert body["title"] == ENGLISH_HEADING
    assert body["detail"] == ENGLISH_LINE
    assert body["reason"] == Reason.INTERNET_EXPLORER.value


def test_problem_status_follows_status_code() -> None:
    """With status_code=451 both the response and the problem's status are 451."""
    response = ie_get(gate(status_code=451), accept=JSON_ACCEPT)
    assert response.status_code == 451
    assert problem(response)["status"] == 451


def test_problem_title_is_german_for_a_german_client() -> None:
    """Accept-Language: de gives a German title and detail, not the English ones."""
    response = ie_get(gate(), "de-DE, en;q=0.5", JSON_ACCEPT)
    assert response.headers["content-language"] == "de"
    body = problem(response)
    assert body["title"] == locale_file("de")["heading"]
    assert body["detail"] == locale_file("de")["message"]
    assert body["title"] != ENGLISH_HEADING
    assert body["detail"] != ENGLISH_LINE


@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_problem_is_in_every_language(tag: str) -> None:
    """The problem's title and detail are the negotiated language's heading and line."""
    response = ie_get(gate(), tag, "application/problem+json")
    assert response.headers["content-language"] == tag
    body = problem(response)
    assert body["title"] == locale_file(tag)["heading"]
    assert body["detail"] == locale_file(tag)["message"]


def test_problem_lists_the_four_browsers_with_https_links() -> None:
    """supported_browsers names exactly Chrome, Safari, Firefox and Edge, each with an https URL."""
    browsers = problem(ie_get(gate(), accept=JSON_ACCEPT))["supported_browsers"]
    assert isinstance(browsers, list)
    assert [browser["name"] for browser in browsers] == BROWSER_NAMES
    for browser in browsers:
        assert set(browser) == {"name", "url"}
        url = urlsplit(browser["url"])
        assert url.scheme == "https", browser
        assert url.netloc, browser


@pytest.mark.parametrize("tag", ["en", "ja", "ar"])
def test_problem_content_length_is_right(tag: str) -> None:
    """The JSON's Content-Length counts its bytes, multi-byte text included."""
    response = ie_get(gate(), tag, JSON_ACCEPT)
    assert int(response.headers["content-length"]) == len(response.content)
    assert len(response.content) > 0


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param("*/*", id="star"),
        pytest.param("text/html", id="html"),
        pytest.param("text/html, application/json;q=0.9", id="html-above-json"),
        pytest.param("image/gif, image/jpeg, */*", id="old-ie"),
        pytest.param(IE8_ACCEPT, id="ie8"),
        pytest.param(IE11_ACCEPT, id="ie11"),
        pytest.param("application/json;q=0, */*", id="json-refused"),
        pytest.param("application/json;q=abc, text/html", id="json-unreadable-q"),
    ],
)
def test_html_accepts_get_the_page(accept: str) -> None:
    """Clients that do not rank JSON above HTML, old IE among them, get the HTML page."""
    response = ie_get(gate(), accept=accept)
    assert response.status_code == 406
    assert media_type(response) == "text/html"
    assert parse(response).headings == [ENGLISH_HEADING]


def test_missing_accept_gets_the_page() -> None:
    """A request with no Accept header at all gets the HTML page."""
    client = gate()
    del client.headers["accept"]
    response = ie_get(client)
    assert "accept" not in response.request.headers
    assert response.status_code == 406
    assert media_type(response) == "text/html"


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param("application/json, */*", id="json-more-specific-than-star"),
        pytest.param("text/html;q=0.5, application/json", id="json-above-html"),
        pytest.param("application/problem+json, text/html;q=0.9", id="problem-above-html"),
        pytest.param("APPLICATION/JSON", id="upper-case"),
    ],
)
def test_json_preferring_accepts_get_problem_json(accept: str) -> None:
    """Clients that rank JSON above HTML, or tie with a more specific range, get problem+json."""
    response = ie_get(gate(), accept=accept)
    assert response.status_code == 406
    assert problem(response)["status"] == 406


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param("text/html;q=0.1, */*", id="html-low-json-via-star"),
        pytest.param("text/html;q=0, */*", id="html-refused"),
    ],
)
def test_a_more_specific_range_sets_html_quality(accept: str) -> None:
    """text/html's own range outranks */* for HTML (RFC 9110 12.5.1), so JSON ranks above it."""
    response = ie_get(gate(), accept=accept)
    assert response.status_code == 406
    assert media_type(response) == "application/problem+json"


def test_head_with_json_accept_gets_headers_and_no_body() -> None:
    """HEAD with a JSON Accept gets the problem+json headers, with GET's length, and no body."""
    client = gate()
    head = ie_get(client, "fr", JSON_ACCEPT, method="HEAD")
    get = ie_get(client, "fr", JSON_ACCEPT)
    assert head.status_code == 406
    assert media_type(head) == "application/problem+json"
    assert head.headers["content-language"] == "fr"
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize("value", ["xx", 5, "", "-", "zh-", None])
def test_bad_default_language_is_refused_at_construction(value: object) -> None:
    """default_language that names none of the languages raises ValueError naming the option."""
    with pytest.raises(ValueError, match="default_language"):
        UAGateMiddleware(app_that_must_not_run, default_language=value)  # type: ignore[arg-type]


def test_star_never_picks_a_language_nobody_named() -> None:
    """'en;q=0, *' refuses English; '*' then names nothing, and the default is the last resort.

    (Before, '*' picked the first language not refused, alphabetically: Arabic, right to left.)
    """
    from uagate.page import negotiate_language

    assert negotiate_language("en;q=0, *", "en") == "en"
    assert negotiate_language("en;q=0, *, fr;q=0.5", "en") == "fr"
    assert negotiate_language("de;q=0, *", "en") == "en"


@pytest.mark.parametrize(("value", "served"), [("zh-TW", "zh-Hant"), ("PT", "pt-BR"), ("no", "nb")])
def test_default_language_may_be_any_tag_that_names_a_language(value: str, served: str) -> None:
    """default_language is read as Accept-Language's ranges are: zh-TW is zh-Hant."""
    response = ie_get(gate(default_language=value), "xx")
    assert response.headers["content-language"] == served


def test_page_command_lists_every_language_and_prints_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``uagate page --list`` names every tag; ``--lang`` takes each, and regional tags."""
    from uagate.cli import main

    assert main(["page", "--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(listed) == sorted(LANGUAGE_TAGS)
    for tag in [*LANGUAGE_TAGS, "zh-TW", "pt-ao"]:
        assert main(["page", "--lang", tag]) == 0
        html = capsys.readouterr().out
        served = {"zh-TW": "zh-Hant", "pt-ao": "pt-PT"}.get(tag, tag)
        assert f'<html lang="{served}"' in html


def test_lang_help_points_to_the_list_instead_of_naming_every_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The --lang help stays short: it names --list, not the 47 tags."""
    from uagate.cli import main

    with pytest.raises(SystemExit):
        main(["page", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "uagate page --list" in help_text
    assert "zh-Hans" not in help_text
    with pytest.raises(SystemExit):
        main(["page", "--lang", "xx"])
    error = capsys.readouterr().err
    assert "uagate page --list" in error


# Microsoft's Thai name for Internet Explorer's Compatibility View (its human-translated
# Thai documentation writes โหมดมุมมองที่เข้ากันได้, "compatibility view mode"), and the
# noun compound a translation pass proposed, which no Microsoft text uses.
THAI_COMPATIBILITY_VIEW = "มุมมองที่เข้ากันได้"
THAI_NOT_MICROSOFTS = "มุมมองความเข้ากันได้"


def test_thai_page_calls_compatibility_view_by_microsofts_name() -> None:
    """IE 11 in Compatibility View, asking for Thai, reads มุมมองที่เข้ากันได้ throughout.

    In the title, the heading, the sentence, and both quoted labels of the Internet Explorer
    dialog; the locale's provenance records the term and where Microsoft writes it.
    """
    # IE allowed, so that Compatibility View is what gates it.
    policy = Policy(gate_ie=False)
    client = TestClient(UAGateMiddleware(app_that_must_not_run, policy=policy))
    headers = {"User-Agent": IE11_COMPATIBILITY_VIEW, "Accept-Language": "th"}
    response = client.get("/", headers=headers)
    assert response.status_code == 406
    assert response.headers["content-language"] == "th"
    page = response.text
    assert f"<h1>กรุณาปิด{THAI_COMPATIBILITY_VIEW}</h1>" in page
    assert page.count(THAI_COMPATIBILITY_VIEW) == 5  # title, heading, sentence, two labels
    assert f"“การตั้งค่า{THAI_COMPATIBILITY_VIEW}”" in page
    assert f"“แสดงไซต์อินทราเน็ตใน{THAI_COMPATIBILITY_VIEW}”" in page
    assert THAI_NOT_MICROSOFTS not in page
    terms = locale_file("th")["provenance"]["terms"]
    assert f"Compatibility View is {THAI_COMPATIBILITY_VIEW}" in terms
    assert "โหมดมุมมองที่เข้ากันได้" in terms
