"""The embedded notice: its markup, the ``uagate notice`` command, and a real headless Chromium.

The browser tests load pages from ``http://127.0.0.1/`` answered by a Playwright route
(nothing listens and nothing leaves the machine; any other request is aborted and
recorded). Chromium shows what every browser that knows ``<template>`` does; what
Internet Explorer does is imitated by :func:`as_internet_explorer_reads`, which rewrites
the fragment as IE reads it, rule by rule, and has Chromium render the result.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

import uagate
from uagate import notice_html
from uagate.notice import MAX_BYTES
from uagate.page import BROWSERS, LANGUAGES

from .conftest import ROOT, TIMEOUT_MS, RunCli, locale_file, one_language_per_script

UAGATE = [sys.executable, "-m", "uagate"]
DOC = (ROOT / "docs" / "notice.md").read_text(encoding="utf-8")
URL = "http://127.0.0.1/page"
NONCE = "XYZ"
STRICT_CSP = f"default-src 'none'; script-src 'nonce-{NONCE}'"
#: The elements of the page around the notice whose boxes must not move.
AROUND = ("header", "header a", "main", "h1", "main p", "footer")
#: normalize.css and Bootstrap hide [hidden] in browsers that do not, IE 7 to 10 among them,
#: and <template> in IE (normalize.css 8: "Add the correct display in IE 10+").
NORMALIZE = "[hidden]{display:none}template{display:none}"
#: The same CSS as IE applies it to the fragment it reads, whose <template> the tests
#: rename to an unknown element (see as_internet_explorer_reads).
NORMALIZE_AS_IE = NORMALIZE.replace("template{", "ie-unknown{")
#: A site's CSS at its most careless: it would show any hidden element, and <template> too.
CARELESS = "[hidden],template,div{display:block!important}"
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
EDGE_LEGACY = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041"
)


def host_page(fragment: str = "", css: str = "", *, before_css: str = "") -> str:
    """A small site's page, with ``fragment`` first in its body where a base template puts it.

    ``css`` is the site's; ``before_css`` comes first, for rules that stand in for a
    browser's own.
    """
    style = "".join(f"<style>{rules}</style>" for rules in (before_css, css) if rules)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A site</title>'
        f"{style}</head><body>{fragment}"
        '<header><a href="/">Home</a></header>'
        "<main><h1>A cached page</h1><p>Its text, as the CDN keeps it.</p></main>"
        "<footer>The footer</footer></body></html>"
    )


# --- what Internet Explorer reads ----------------------------------------------------

_CONDITIONAL = re.compile(r"<!--\[if ([^\]]{1,40})\]>(.*?)<!\[endif\]-->", re.DOTALL)
_CONDITION = re.compile(r"(!?)(?:(lt|lte|gt|gte) )?IE(?: (\d+))?")


def condition_holds(condition: str, version: int) -> bool:
    """Whether IE in document mode ``version`` reads a conditional comment ``[if condition]``."""
    match = _CONDITION.fullmatch(condition.strip())
    if match is None:
        raise ValueError(f"a condition this test does not read: {condition!r}")
    negate, operator, number = match.groups()
    if number is None:
        holds = True
    else:
        wanted = int(number)
        holds = {
            None: version == wanted,
            "lt": version < wanted,
            "lte": version <= wanted,
            "gt": version > wanted,
            "gte": version >= wanted,
        }[operator]
    return holds != bool(negate)


def conditional_comments(markup: str, document_mode: int | None) -> str:
    """``markup`` with its downlevel-hidden conditional comments read as a browser reads them.

    IE in document modes 5 to 9 (IE 10 and 11 too, when in such a mode) replaces each
    ``<!--[if COND]>...<![endif]-->`` by its content when COND holds and drops it
    otherwise; other browsers (``document_mode`` None) and IE 10, 11 modes see a comment.
    """
    if document_mode is None or document_mode >= 10:
        return markup
    return _CONDITIONAL.sub(
        lambda found: found.group(2) if condition_holds(found.group(1), document_mode) else "",
        markup,
    )


def as_internet_explorer_reads(fragment: str, document_mode: int) -> str:
    """The fragment as IE in ``document_mode`` reads it, written for Chromium to render.

    - conditional comments: opened or dropped in modes 5 to 9, comments in 10 and 11;
    - ``<template>``: IE has no such element, so its content is the content of an unknown,
      inline element (IE 6-8 make the unknown element empty and its content its siblings,
      which renders the same);
    - ``-ms-high-contrast``: modes 10 and 11 match ``none`` (high contrast off); earlier
      modes match no such feature, as Chromium does not.

    IE before 11 also has no rule of its own for ``hidden``: see :func:`without_hidden_rule`.
    """
    read = conditional_comments(fragment, document_mode)
    read, renamed = re.subn(r"<(/?)template\b", r"<\1ie-unknown", read)
    assert renamed == 2
    if document_mode >= 10:
        assert "(-ms-high-contrast:none)" in read
        read = read.replace("(-ms-high-contrast:none)", "(min-width:0px)")
    return read


def without_hidden_rule(document_mode: int) -> str:
    """CSS that stands in for a browser's lack of a ``[hidden]{display:none}`` rule.

    IE before 11 (and IE 11 in older document modes) does not implement ``hidden``:
    the attribute is there for the page's own selectors, but the browser hides nothing
    for it. In Chromium, a first author rule of no specificity that gives hidden
    elements back their display (a div's is block) does that: it beats the browser's
    rule, and loses to any rule of the site's.
    """
    return ":where([hidden]){display:block}" if document_mode < 11 else ""


def as_edge_with_ms_high_contrast_reads(fragment: str) -> str:
    """The fragment as a browser that knows <template> and matches ``-ms-high-contrast`` reads it.

    Chromium-based Edge has at times matched that media feature.
    """
    assert "(-ms-high-contrast:none)" in fragment
    return fragment.replace("(-ms-high-contrast:none)", "(min-width:0px)")


class Elements(HTMLParser):
    """The start tags of a fragment, with their attributes, and its text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def notice(self) -> dict[str, str | None]:
        """The attributes of the notice's ``div``."""
        (attributes,) = [a for tag, a in self.tags if a.get("id") == "uagate-notice"]
        return attributes


# --- the markup ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_fits_in_the_budget_in_every_language(language: str) -> None:
    """In each of the gate's languages the fragment is at most 1,536 bytes of UTF-8, on one line."""
    fragment = notice_html(language)
    assert MAX_BYTES == 1536
    assert len(fragment.encode("utf-8")) <= MAX_BYTES
    assert "\n" not in fragment
    # A 256-bit nonce in base64 (44 characters) still fits.
    assert len(notice_html(language, nonce="A" * 44).encode("utf-8")) <= MAX_BYTES


@pytest.mark.parametrize("language", LANGUAGES)
def test_says_the_heading_and_message_in_its_language_and_direction(language: str) -> None:
    """The div carries the locale's lang and dir, and the gate page's heading and message."""
    text = locale_file(language)
    parsed = Elements(notice_html(language))
    notice = parsed.notice()
    assert notice["lang"] == language
    assert notice["dir"] == text["dir"]
    assert "hidden" in notice
    words = "".join(parsed.text)
    assert text["heading"] in words
    assert text["message"] in words


def test_in_english_it_says_the_original_pages_words_and_links() -> None:
    """The English notice: the original page's heading and line, and the four download pages."""
    fragment = notice_html("en")
    assert "<strong>We don't support Internet Explorer</strong>" in fragment
    assert "Please use Chrome, Safari, Firefox, or Edge to view this site." in fragment
    for url in (
        "https://www.google.com/chrome/",
        "https://www.apple.com/safari/",
        "https://www.mozilla.org/firefox/new/",
        "https://www.microsoft.com/edge",
    ):
        assert f'href="{url}"' in fragment


def test_links_to_the_browsers_the_gate_page_recommends() -> None:
    """The links are the gate page's four, in its order."""
    links = [a["href"] for tag, a in Elements(notice_html()).tags if tag == "a"]
    assert links == [url for _, url in BROWSERS]


def test_is_one_template_with_nothing_a_csp_would_check_outside_it() -> None:
    """One <template> holds everything: no script at all, no style attribute anywhere."""
    fragment = notice_html()
    assert fragment.startswith('<template id="uagate-template">')
    assert fragment.endswith("</template>")
    assert fragment.count("<template") == 1
    assert "<script" not in fragment
    assert all("style" not in attributes for _, attributes in Elements(fragment).tags)


def test_conditional_comment_shows_it_to_ie_5_to_9_only() -> None:
    """IE 9 and older modes read the display:block rule; IE 10, 11 and others see a comment."""
    rule = "<style>#uagate-notice,#uagate-template{display:block!important}</style>"
    fragment = notice_html()
    modes: list[int | None] = [5, 7, 8, 9, 10, 11, None]
    for mode in modes:
        read = conditional_comments(fragment, mode)
        styles = [tag for tag, _ in Elements(read).tags if tag == "style"]
        opened = mode is not None and mode <= 9
        if opened:
            assert rule in read
            assert "<!--" not in read
        else:
            assert read == fragment
        assert len(styles) == (2 if opened else 1), mode


def test_nonce_is_escaped_onto_each_style_element() -> None:
    """A nonce goes, HTML-escaped, on both <style> tags; it cannot end the attribute."""
    fragment = notice_html(nonce='x"><script>alert(1)</script>&')
    escaped = 'nonce="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"'
    assert fragment.count(escaped) == 2
    assert "<script" not in fragment
    styles = [a for tag, a in Elements(conditional_comments(fragment, 9)).tags if tag == "style"]
    assert [a["nonce"] for a in styles] == ['x"><script>alert(1)</script>&'] * 2
    assert "\n" not in notice_html(nonce="a\nb")
    assert 'nonce="a&#10;b"' in notice_html(nonce="a\nb")


@pytest.mark.parametrize("nonce", [None, ""])
def test_no_nonce_means_no_nonce_attribute(nonce: str | None) -> None:
    """Without a nonce, or with an empty one, no tag carries a nonce attribute."""
    assert "nonce" not in notice_html(nonce=nonce)


@pytest.mark.parametrize("language", ["xx", "x-klingon", "", "-"])
def test_unknown_language_is_a_value_error_that_says_how_to_list_them(language: str) -> None:
    """A language the gate has no text in is a ValueError that says where the known ones are."""
    with pytest.raises(ValueError, match="notice_html language") as raised:
        notice_html(language)
    message = str(raised.value)
    assert repr(language) in message
    assert "uagate.page.LANGUAGES" in message
    assert "uagate page --list" in message


@pytest.mark.parametrize(("tag", "served"), [("zh-TW", "zh-Hant"), ("EN", "en"), ("pt", "pt-BR")])
def test_a_tag_that_names_a_language_gets_that_language(tag: str, served: str) -> None:
    """Tags are read as the gate reads Accept-Language: zh-TW is Traditional Chinese."""
    assert notice_html(tag) == notice_html(served)
    assert f'lang="{served}"' in notice_html(tag)


def test_is_public() -> None:
    """notice_html is a public name of the package."""
    assert "notice_html" in uagate.__all__
    assert uagate.notice_html is notice_html


# --- the command ---------------------------------------------------------------------


def uagate_notice(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m uagate notice ARGS`` as a process (at most 60 s); output read as UTF-8.

    For what only a process shows (its locale); the other tests run the command in-process.
    """
    result = subprocess.run(
        [*UAGATE, "notice", *args], capture_output=True, timeout=60, env=env, check=False
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def test_command_prints_the_fragment(run_cli: RunCli) -> None:
    """Uagate notice prints notice_html() and a newline."""
    result = run_cli("notice")
    assert (result.code, result.err) == (0, "")
    assert result.out == notice_html() + "\n"


def test_command_takes_lang_and_nonce(run_cli: RunCli) -> None:
    """--lang and --nonce give the fragment notice_html gives for them."""
    result = run_cli("notice", "--lang", "ar", "--nonce", 'n"1')
    assert result.code == 0
    assert result.out == notice_html("ar", nonce='n"1') + "\n"


def test_command_writes_utf8_whatever_the_locale() -> None:
    """With an ASCII-only locale the Russian fragment still comes out, as UTF-8."""
    environment = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = uagate_notice("--lang", "ru", env=environment)
    assert result.returncode == 0
    assert result.stdout == notice_html("ru") + "\n"


def test_command_refuses_an_unknown_language(run_cli: RunCli) -> None:
    """--lang xx is a usage error: exit status 2, an error line, nothing on standard output."""
    result = run_cli("notice", "--lang", "xx")
    assert result.code == 2
    assert result.out == ""
    assert "uagate notice: error: argument --lang: the page is not written in 'xx'" in result.err
    assert "uagate page --list" in result.err


# --- the docs ------------------------------------------------------------------------


def test_doc_sizes_are_the_real_ones() -> None:
    """Each row of the size table in docs/notice.md gives that language's real size."""
    rows = re.findall(r"^\| `([a-z-]+)` \| ([\d,]+) \|$", DOC, flags=re.MULTILINE)
    assert rows
    for language, size in rows:
        assert int(size.replace(",", "")) == len(notice_html(language).encode("utf-8")), language


def doc_snippet(first_line: str) -> str:
    """The ```python block of docs/notice.md that starts with ``first_line``."""
    blocks = re.findall(r"```python\n(.*?)```", DOC, flags=re.DOTALL)
    (block,) = [b for b in blocks if b.startswith(first_line + "\n")]
    return str(block)


def test_doc_jinja2_set_up_renders_the_notice() -> None:
    """The Jinja2 set-up the docs show puts the fragment, unescaped, in the page."""
    namespace: dict[str, object] = {}
    exec(doc_snippet("# jinja2 set-up"), namespace)
    template = namespace["base"]
    rendered = template.render(lang="de", csp_nonce="abc")  # type: ignore[attr-defined]
    assert notice_html("de", nonce="abc") in rendered
    for lang, language in (("en-US", "en"), ("zh-TW", "zh-Hant"), ("xx", "en")):
        rendered = template.render(lang=lang, csp_nonce="")  # type: ignore[attr-defined]
        assert notice_html(language) in rendered


DJANGO_HARNESS = """
import django
from django.conf import settings

settings.configure(
    USE_I18N=True,
    TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"context_processors": ["context_processors.uagate_notice"]},
    }],
)
django.setup()
import json
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

out = {}
for language in ("de", "pt-br", "zh-hant", "en"):
    with translation.override(language):
        template = engines["django"].from_string("<body>{{ uagate_notice }}<main></main>")
        out[language] = template.render({}, RequestFactory().get("/"))
print(json.dumps(out))
"""


def test_doc_django_context_processor_renders_the_notice(tmp_path: Path) -> None:
    """The docs' Django context processor gives the fragment in the request's language."""
    (tmp_path / "context_processors.py").write_text(
        doc_snippet("# myproject/context_processors.py")
    )
    (tmp_path / "harness.py").write_text(DJANGO_HARNESS)
    result = subprocess.run(
        [sys.executable, "harness.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    rendered = json.loads(result.stdout)
    expected = {"de": "de", "pt-br": "pt-BR", "zh-hant": "zh-Hant", "en": "en"}
    for language, notice_language in expected.items():
        assert rendered[language] == f"<body>{notice_html(notice_language)}<main></main>"


# --- a real browser ------------------------------------------------------------------


class Tab:
    """One page in its own context, that loads markup from http://127.0.0.1/page.

    Each :meth:`load` answers that URL, by a route, with the markup (and the CSP, if
    given); any other request is aborted and kept in ``outside``. Before each load an
    init script starts recording the ``securitypolicyviolation`` events the page
    fires; console errors and page errors are kept in ``errors``.
    """

    def __init__(
        self,
        browser: Browser,
        *,
        user_agent: str | None = None,
        document_mode: int | None = None,
        forced_colors: bool = False,
    ) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self._answer = (b"", {"content-type": "text/html; charset=utf-8"})
        self.context: BrowserContext = browser.new_context(
            user_agent=user_agent,
            viewport={"width": 1024, "height": 700},
            forced_colors="active" if forced_colors else None,
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.set_default_navigation_timeout(TIMEOUT_MS)
        self.context.route("**/*", self._route)
        self.context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', function (e) {"
            "  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });"
        )
        if document_mode is not None:  # as IE 8 to 11 define it, before any of the page runs
            self.context.add_init_script(
                f"Object.defineProperty(document, 'documentMode', {{value: {document_mode}}});"
            )
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Route) -> None:
        if route.request.url == URL:
            body, headers = self._answer
            route.fulfill(status=200, headers=headers, body=body)
        else:
            self.outside.append(route.request.url)
            route.abort()

    def load(self, markup: str, *, csp: str | None = None) -> Page:
        """Navigate to ``markup``, served with ``csp`` as its Content-Security-Policy."""
        headers = {"content-type": "text/html; charset=utf-8"}
        if csp is not None:
            headers["content-security-policy"] = csp
        self._answer = (markup.encode("utf-8"), headers)
        response = self.page.goto(URL)
        assert response is not None
        assert response.status == 200
        return self.page


@pytest.fixture
def tabs(browser: Browser) -> Iterator[Callable[..., Tab]]:
    """Opens tabs for one test (keyword options as Tab's), and closes them after.

    It also checks that none of them asked for anything but its page.
    """
    opened: list[Tab] = []

    def open_tab(**options: Any) -> Tab:
        tab = Tab(browser, **options)
        opened.append(tab)
        return tab

    try:
        yield open_tab
    finally:
        for tab in opened:
            tab.context.close()
    for tab in opened:
        assert tab.outside == []


_LOOK_SCRIPT = """selectors => {
  const boxes = {};
  for (const selector of selectors) {
    const box = document.querySelector(selector).getBoundingClientRect();
    boxes[selector] = {x: box.x, y: box.y, width: box.width, height: box.height};
  }
  const root = document.documentElement;
  return {
    boxes: boxes,
    size: [root.scrollWidth, root.scrollHeight],
    innerText: document.body.innerText,
    textContent: root.textContent,
    links: Array.from(document.links, a => a.getAttribute('href')),
  };
}"""


def look(page: Page) -> dict[str, Any]:
    """What the page shows: its elements' boxes (CSS pixels), size, text, links, accessibility."""
    found = page.evaluate(_LOOK_SCRIPT, list(AROUND))
    assert isinstance(found, dict)
    found["accessibility"] = page.locator("body").aria_snapshot()
    return found


def box_of_notice(page: Page) -> dict[str, float]:
    """The box of the notice's div, in CSS pixels."""
    found = page.evaluate(
        "(() => { const box = document.getElementById('uagate-notice').getBoundingClientRect();"
        " return {x: box.x, y: box.y, width: box.width, height: box.height}; })()"
    )
    assert isinstance(found, dict)
    return found


def assert_unseen(page: Page) -> None:
    """Nothing of the notice is in the document: no element, no text in any language."""
    assert page.evaluate("document.getElementById('uagate-notice')") is None
    text = page.evaluate("document.documentElement.textContent")
    assert all(strings["heading"] not in text for strings in map(locale_file, LANGUAGES))
    assert page.locator("template").is_hidden()


def violations(page: Page) -> list[str]:
    """The CSP violations the page has reported since it loaded."""
    reported = page.evaluate("window.__violations")
    assert isinstance(reported, list)
    return [str(item) for item in reported]


@pytest.mark.parametrize(
    ("language", "css"),
    [
        pytest.param(language, "", id=f"plain-{language}")
        for language in one_language_per_script(LANGUAGES)
    ]
    + [
        pytest.param(language, css, id=f"{name}-{language}")
        for name, css in (("normalize", NORMALIZE), ("careless", CARELESS))
        for language in ("en", "ar")
    ],
)
def test_chromium_renders_nothing_and_moves_nothing(
    tabs: Callable[..., Tab], language: str, css: str
) -> None:
    """In Chromium the page with the notice is the page without it: boxes, text, accessibility.

    Even the careless CSS, which would show any [hidden] element and any <template>,
    shows nothing of it. Plain, once for each script and direction
    (conftest.one_language_per_script); the markup of every language is checked
    without a browser above.
    """
    tab = tabs()
    before = look(tab.load(host_page("", css)))
    page = tab.load(host_page(notice_html(language), css))
    assert_unseen(page)
    assert look(page) == before
    assert tab.errors == []


@pytest.mark.parametrize("nonce", [NONCE, None], ids=["nonce", "no-nonce"])
def test_strict_csp_reports_no_violation(tabs: Callable[..., Tab], nonce: str | None) -> None:
    """Under default-src 'none' nothing of the notice is blocked or reported, nonce or not."""
    tab = tabs()
    before = look(tab.load(host_page(), csp=STRICT_CSP))
    page = tab.load(host_page(notice_html("en", nonce=nonce)), csp=STRICT_CSP)
    assert violations(page) == []
    assert tab.errors == []
    assert_unseen(page)
    assert look(page) == before


def test_strict_csp_violations_are_caught_when_there_are_some(tabs: Callable[..., Tab]) -> None:
    """The watch works: an inline style outside a <template> is reported, by event and console."""
    tab = tabs()
    page = tab.load(host_page('<div hidden style="color:red">x</div>'), csp=STRICT_CSP)
    assert violations(page) == ["style-src-attr inline"]
    assert any("Content Security Policy" in error for error in tab.errors)


@pytest.mark.parametrize(
    ("options", "ms_high_contrast"),
    [
        pytest.param({"user_agent": EDGE}, False, id="edge"),
        pytest.param({"user_agent": EDGE_LEGACY}, False, id="edge-legacy-user-agent"),
        pytest.param({"document_mode": 11}, False, id="documentMode-defined-by-a-script"),
        pytest.param({"forced_colors": True}, False, id="forced-colors"),
        pytest.param(
            {"user_agent": EDGE, "forced_colors": True}, True, id="edge-matching-ms-high-contrast"
        ),
    ],
)
def test_lookalikes_keep_it_hidden(
    tabs: Callable[..., Tab], options: dict[str, Any], ms_high_contrast: bool
) -> None:
    """Nothing IE-like but IE's parsing shows it: not Edge, documentMode or high contrast."""
    fragment = notice_html("en")
    if ms_high_contrast:
        fragment = as_edge_with_ms_high_contrast_reads(fragment)
    tab = tabs(**options)
    before = look(tab.load(host_page(css=NORMALIZE)))
    page = tab.load(host_page(fragment, NORMALIZE))
    assert_unseen(page)
    assert look(page) == before


IE_VERSIONS = [
    pytest.param(6, id="ie6"),
    pytest.param(7, id="ie7"),
    pytest.param(8, id="ie8"),
    pytest.param(9, id="ie9"),
    pytest.param(10, id="ie10"),
    pytest.param(11, id="ie11"),
    pytest.param(7, id="ie11-in-ie7-mode"),
]


@pytest.mark.parametrize("document_mode", IE_VERSIONS)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_internet_explorer_shows_it_above_the_page(
    tabs: Callable[..., Tab], document_mode: int, language: str
) -> None:
    """As IE reads it, the notice shows above the page: heading, message, links, lang, dir.

    The host page hides [hidden] and template elements as normalize.css does; the page
    below moves down by the notice's height and is otherwise unchanged.
    """
    text = locale_file(language)
    browser_css = without_hidden_rule(document_mode)
    # documentMode came with IE 8.
    tab = tabs(document_mode=document_mode if document_mode >= 8 else None)
    before = look(tab.load(host_page(css=NORMALIZE_AS_IE, before_css=browser_css)))
    fragment = as_internet_explorer_reads(notice_html(language), document_mode)
    page = tab.load(host_page(fragment, NORMALIZE_AS_IE, before_css=browser_css))
    notice = page.locator("#uagate-notice")
    assert notice.is_visible()
    assert notice.get_attribute("lang") == language
    assert notice.get_attribute("dir") == text["dir"]
    style = "getComputedStyle(document.getElementById('uagate-notice'))"
    assert page.evaluate(style + ".direction") == text["dir"]
    assert page.get_by_text(text["heading"]).is_visible()
    assert page.get_by_text(text["message"]).is_visible()
    for name, url in BROWSERS:
        link = page.get_by_role("link", name=name, exact=True)
        assert link.is_visible()
        assert link.get_attribute("href") == url
    # Its look applies: IE gets a coloured bar, not bare text.
    assert page.evaluate(style + ".backgroundColor") == "rgb(255, 244, 206)"
    # Above the page, which moves down by the notice's height and is otherwise the same.
    box = box_of_notice(page)
    assert box["height"] > 0
    after = look(page)
    for selector in AROUND:
        moved, kept = after["boxes"][selector], before["boxes"][selector]
        assert moved["y"] >= box["y"] + box["height"]
        assert moved["y"] == pytest.approx(kept["y"] + box["height"], abs=1)
        assert (moved["x"], moved["width"], moved["height"]) == pytest.approx(
            (kept["x"], kept["width"], kept["height"]), abs=1
        )
    assert after["innerText"].endswith(before["innerText"])
    assert tab.errors == []


def test_without_conditional_comments_old_ie_would_not_show_it(tabs: Callable[..., Tab]) -> None:
    """The conditional comment is what shows it to IE 7-9 on a normalize.css page.

    IE 9 reading the fragment with that comment taken out keeps the notice hidden by the
    site's [hidden]{display:none}; with no such site CSS it shows it (IE 9 has no
    hidden).
    """
    fragment = as_internet_explorer_reads(notice_html(), 9)
    closed = fragment.replace(
        "<style>#uagate-notice,#uagate-template{display:block!important}</style>", "", 1
    )
    assert closed != fragment
    browser_css = without_hidden_rule(9)
    tab = tabs(document_mode=9)
    page = tab.load(host_page(closed, NORMALIZE_AS_IE, before_css=browser_css))
    assert page.locator("#uagate-notice").is_hidden()
    page = tab.load(host_page(closed, before_css=browser_css))
    assert page.locator("#uagate-notice").is_visible()


def test_without_the_media_query_ie11_would_not_show_it(tabs: Callable[..., Tab]) -> None:
    """The -ms-high-contrast rule is what shows it to IE 11, which honours hidden."""
    fragment = as_internet_explorer_reads(notice_html(), 11)
    rule = "@media all and (min-width:0px),(-ms-high-contrast:active){"
    rule += "#uagate-notice,#uagate-template{display:block!important}}"
    without_rule = fragment.replace(rule, "", 1)
    assert without_rule != fragment
    tab = tabs(document_mode=11)
    assert tab.load(host_page(fragment, NORMALIZE_AS_IE)).locator("#uagate-notice").is_visible()
    assert tab.load(host_page(without_rule)).locator("#uagate-notice").is_hidden()
