"""The default gate page: its wording, its markup for old IE, its links and contrast."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from uagate import UAGateMiddleware
from uagate.testing import IE11, IE_MOBILE

from .conftest import ROOT, app_that_must_not_run

# The original page's wording, written out here rather than imported.
EXPECTED_HEADING = "We don't support Internet Explorer"
EXPECTED_LINE = "Please use Chrome, Safari, Firefox, or Edge to view this site."
DOWNLOAD_PAGES = {
    "Chrome": "https://www.google.com/chrome/",
    "Safari": "https://www.apple.com/safari/",
    "Firefox": "https://www.mozilla.org/firefox/new/",
    "Edge": "https://www.microsoft.com/edge",
}


class PageParser(HTMLParser):
    """Collects what the tests look at: tags, attributes, texts, links and CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.decl: str | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.style = ""
        self._href: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.decl = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append(tag)
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if not self.stack:
            return
        if self.stack[-1] == "style":
            self.style += data
        elif data.strip():
            self.texts.setdefault(self.stack[-1], []).append(data.strip())
            if self._href is not None:
                self.links[data.strip()] = self._href


@pytest.fixture(scope="module")
def page() -> tuple[bytes, PageParser]:
    """The gate page as IE 11 gets it, raw and parsed."""
    response = TestClient(UAGateMiddleware(app_that_must_not_run)).get(
        "/", headers={"User-Agent": IE11}
    )
    parser = PageParser()
    parser.feed(response.content.decode("utf-8"))
    return response.content, parser


def test_heading_and_line_are_word_for_word(page: tuple[bytes, PageParser]) -> None:
    """One h1 with the original heading, and the original line in a paragraph."""
    body, parsed = page
    assert [tag for tag, _ in parsed.tags].count("h1") == 1
    assert parsed.texts["h1"] == [EXPECTED_HEADING]
    assert EXPECTED_LINE in parsed.texts["p"]
    assert EXPECTED_HEADING.encode() in body
    assert EXPECTED_LINE.encode() in body


def test_links_to_each_browser_download_page(page: tuple[bytes, PageParser]) -> None:
    """Chrome, Safari, Firefox and Edge each link to their download page."""
    assert page[1].links == DOWNLOAD_PAGES


def test_document_head_suits_old_ie(page: tuple[bytes, PageParser]) -> None:
    """HTML5 doctype, lang, utf-8 meta first, and X-UA-Compatible IE=edge."""
    body, parsed = page
    assert body.startswith(b"<!DOCTYPE html>")
    assert parsed.decl == "DOCTYPE html"
    html_attrs = next(attrs for tag, attrs in parsed.tags if tag == "html")
    assert html_attrs["lang"] == "en"
    metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
    assert metas[0] == {"charset": "utf-8"}
    assert {"http-equiv": "X-UA-Compatible", "content": "IE=edge"} in metas
    # IE reads the charset only within the first 1,024 bytes.
    assert body.index(b'<meta charset="utf-8">') < 1024


def test_page_is_self_contained_and_needs_no_javascript(page: tuple[bytes, PageParser]) -> None:
    """No script, no external stylesheet, image, font or import: nothing to fetch."""
    body, parsed = page
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "svg"}
    assert not any("src" in attrs for _, attrs in parsed.tags)
    assert not any(key.startswith("on") for _, attrs in parsed.tags for key in attrs)
    assert b"url(" not in body
    assert b"@import" not in body
    assert b"javascript:" not in body.lower()


def test_body_is_over_512_bytes(page: tuple[bytes, PageParser]) -> None:
    """IE replaces error bodies under 512 bytes with its own page; ours is well over."""
    assert len(page[0]) > 1024


# A media query block: IE 6 to 8 read no media queries and skip the whole block.
_MEDIA = re.compile(r"@media ([^{]*)\{((?:[^{}]*\{[^{}]*\})*)\s*\}")


def test_css_uses_only_what_ie6_understands(page: tuple[bytes, PageParser]) -> None:
    """No CSS that IE 6-8 ignore or misread: rgba, var, calc, flex, grid, rem, combinators.

    The one media query (phones) is a block IE 6 to 8 skip whole, and holds only such CSS.
    """
    css = page[1].style
    assert css.strip()
    queries = [query.strip() for query, _ in _MEDIA.findall(css)]
    assert queries == ["screen and (max-width: 30em)"]
    flat = _MEDIA.sub(lambda found: found.group(2), css)
    for token in ("rgba(", "hsl", "var(", "calc(", "flex", "grid", "@", "::", ":not("):
        assert token not in flat, token
    assert not re.search(r"\d(?:rem|vw|vh|vmin|vmax|ch)\b", flat)
    selectors = re.findall(r"([^{}]+)\{", flat)
    assert not any(ch in sel for sel in selectors for ch in ">+~[")


def test_ie6_gets_a_fixed_width_where_it_ignores_max_width(page: tuple[bytes, PageParser]) -> None:
    """IE 6 ignores max-width, so a conditional comment gives it a fixed width instead."""
    body, parsed = page
    assert "max-width: 36em" in parsed.style
    assert b"<!--[if lte IE 6]>" in body
    assert re.search(rb"<!--\[if lte IE 6\]><style[^>]*>\.box \{ width: 36em; \}</style>", body)


def _rules(css: str) -> dict[str, dict[str, str]]:
    """The declarations of each selector outside media queries (which change no colour)."""
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", _MEDIA.sub("", css)):
        decls = {
            part.split(":", 1)[0].strip(): part.split(":", 1)[1].strip()
            for part in body.split(";")
            if ":" in part
        }
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(decls)
    return rules


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_contrast_meets_wcag_aa(page: tuple[bytes, PageParser]) -> None:
    """Every text colour on its background has a contrast ratio of at least 4.5:1."""
    rules = _rules(page[1].style)
    box = rules[".box"]["background"]
    pairs = {
        "body text on page": (rules["body"]["color"], rules["body"]["background"]),
        "heading on box": (rules["h1"]["color"], box),
        "line on box": (rules["body"]["color"], box),
        "note on box": (rules[".note"]["color"], box),
        "site name on box": (rules[".site"]["color"], box),
        "link text on button": (rules["a"]["color"], rules["a"]["background"]),
        "hovered link": (rules["a:hover"]["color"], rules["a:hover"]["background"]),
    }
    for name, (foreground, background) in pairs.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", foreground), name
        assert _contrast(foreground, background) >= 4.5, name


def test_quoted_attributes_hold_a_value_with_a_space_and_unquoted_ones_do_not() -> None:
    """docs/page.md asks template authors to quote attributes, and shows why.

    IE Mobile's family, "IE Mobile", stays one class when quoted and spills into a
    second attribute when not, though it is escaped either way.
    """
    doc = (ROOT / "docs" / "page.md").read_text(encoding="utf-8")
    section = " ".join(doc.split("## Your own template", 1)[1].split("\n## ", 1)[0].split())
    assert "quote every attribute value that holds a placeholder" in section
    assert "An unquoted attribute ends at the first space or `>`" in section
    assert '<p class="$family">' in section
    assert "<p class=$family>" in section
    seen = {}
    for name, template in (
        ("quoted", '<p class="$family">x</p>'),
        ("bare", "<p class=$family>x</p>"),
    ):
        client = TestClient(UAGateMiddleware(app_that_must_not_run, page=template))
        parser = PageParser()
        parser.feed(client.get("/", headers={"User-Agent": IE_MOBILE}).text)
        seen[name] = next(attrs for tag, attrs in parser.tags if tag == "p")
    assert seen["quoted"] == {"class": "IE Mobile"}
    assert seen["bare"] == {"class": "IE", "mobile": None}
