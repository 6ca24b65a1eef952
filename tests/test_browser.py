"""The gate page in a real browser: Debian's Chromium, driven by Playwright, against uvicorn.

Chromium is ``chromium-headless-shell`` (Chromium's own headless browser) or
``chromium`` on PATH (conftest.chromium_path); without either these tests fail
under CI=true and skip elsewhere. Every request to a host other than 127.0.0.1 is
answered by a local stub page and recorded, and Chromium resolves no name but
127.0.0.1, so nothing reaches the network beyond loopback.

Playwright's ``user_agent`` option changes the User-Agent header but still sends
``Sec-CH-UA`` naming Chromium, which the gate rightly trusts over the
User-Agent. Internet Explorer sends no client hints, so pages that play IE also
set the override over CDP without ``userAgentMetadata``, and Chromium then sends none.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Route,
    ViewportSize,
    expect,
)

from uagate.page import LANGUAGES
from uagate.testing import IE11

from .conftest import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    chromium_path,
    free_port,
    missing,
    one_language_per_script,
    running_server,
)

HEADING = "We don't support Internet Explorer"
MESSAGE = "Please use Chrome, Safari, Firefox, or Edge to view this site."
LINKS = (
    ("Chrome", "https://www.google.com/chrome/"),
    ("Safari", "https://www.apple.com/safari/"),
    ("Firefox", "https://www.mozilla.org/firefox/new/"),
    ("Edge", "https://www.microsoft.com/edge"),
)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 667}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo app served by uvicorn on a free loopback port; stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "uagate.demo:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, url + "/health", log):
        yield url


class Browse:
    """Opens pages in fresh contexts that keep every request on 127.0.0.1.

    A request to any other host is answered by a stub page naming its URL,
    and the URL is kept in ``outside``.
    """

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.outside: list[str] = []
        self._contexts: list[BrowserContext] = []

    def page(
        self,
        *,
        user_agent: str | None = None,
        client_hints: bool = False,
        locale: str | None = None,
        viewport: ViewportSize = DESKTOP,
    ) -> Page:
        """A new page in its own context with these options.

        With ``user_agent``, Chromium sends no ``Sec-CH-UA`` headers unless
        ``client_hints`` is true (then they name Chromium, as Playwright sets them).
        """
        context = self.browser.new_context(user_agent=user_agent, locale=locale, viewport=viewport)
        self._contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.route("**/*", self._route)
        page = context.new_page()
        if user_agent is not None and not client_hints:
            session = context.new_cdp_session(page)
            session.send("Emulation.setUserAgentOverride", {"userAgent": user_agent})
        return page

    def _route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
            return
        self.outside.append(url)
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=f"<!DOCTYPE html><title>stub</title><p>Stub page for {url}</p>",
        )

    def close(self) -> None:
        """Close every context opened, with its pages."""
        for context in self._contexts:
            context.close()


@pytest.fixture
def browse(browser: Browser) -> Iterator[Browse]:
    """A page opener for one test; its contexts are closed after the test."""
    opener = Browse(browser)
    try:
        yield opener
    finally:
        opener.close()


def open_gate(page: Page, url: str) -> None:
    """Load ``url`` and check that it answered with the gate page (406)."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 406


def test_ie11_sees_the_gate_page(browse: Browse, demo_url: str) -> None:
    """IE 11 gets the gate page with status 406, and loading it asks nothing of other hosts."""
    page = browse.page(user_agent=IE11)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(demo_url + "/")
    assert response is not None
    assert response.status == 406
    assert "sec-ch-ua" not in response.request.all_headers()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(page.get_by_text(MESSAGE)).to_be_visible()
    assert browse.outside == []
    assert requested
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}


def test_each_browser_link_leads_to_its_download_page(browse: Browse, demo_url: str) -> None:
    """Each of the four links is visible, has its href, and clicking it opens that page."""
    page = browse.page(user_agent=IE11)
    open_gate(page, demo_url + "/")
    links = page.get_by_role("link")
    expect(links).to_have_count(len(LINKS))
    for name, url in LINKS:
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", url)
        link.click()
        page.wait_for_url(url)
        expect(page.get_by_text(f"Stub page for {url}")).to_be_visible()
        assert browse.outside[-1] == url
        page.go_back()
        expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    assert browse.outside == [url for _, url in LINKS]


def test_chromium_claiming_ie11_but_hinting_chromium_reaches_the_app(
    browse: Browse, demo_url: str
) -> None:
    """Chromium with IE 11's User-Agent but Sec-CH-UA naming Chromium is not gated."""
    page = browse.page(user_agent=IE11, client_hints=True)
    response = page.goto(demo_url + "/")
    assert response is not None
    assert response.status == 200
    headers = response.request.all_headers()
    assert headers["user-agent"] == IE11
    assert "Chromium" in headers["sec-ch-ua"]
    expect(page.get_by_role("heading", name="Your browser got through the gate")).to_be_visible()


def test_chromium_reaches_the_app(browse: Browse, demo_url: str) -> None:
    """Chromium with its own User-Agent gets the app's page with status 200."""
    page = browse.page()
    response = page.goto(demo_url + "/")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", name="Your browser got through the gate")).to_be_visible()
    expect(page.get_by_role("heading", name=HEADING)).to_have_count(0)


def test_gate_page_fits_a_phone_screen(browse: Browse, demo_url: str) -> None:
    """On a 375x667 screen the heading is visible and the page does not scroll sideways."""
    page = browse.page(user_agent=IE11, viewport=PHONE)
    open_gate(page, demo_url + "/")
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    for name, _ in LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == PHONE["width"]
    assert scroll_width <= inner_width


def test_arabic_gate_page_reads_right_to_left(browse: Browse, demo_url: str) -> None:
    """With Accept-Language ar the page is in Arabic, marked and laid out right to left."""
    page = browse.page(user_agent=IE11, locale="ar")
    response = page.goto(demo_url + "/")
    assert response is not None
    assert response.status == 406
    assert response.request.all_headers()["accept-language"].startswith("ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    expect(heading).not_to_have_text(HEADING)
    # The first button lines up with the text on the right, as the first does on the left
    # in English.
    first_link = page.get_by_role("link").first.bounding_box()
    heading_box = heading.bounding_box()
    assert first_link is not None
    assert heading_box is not None
    right_edges = (first_link["x"] + first_link["width"], heading_box["x"] + heading_box["width"])
    assert abs(right_edges[0] - right_edges[1]) <= 1


@pytest.mark.parametrize(
    ("user_agent", "locale", "viewport"),
    [
        pytest.param(IE11, None, DESKTOP, id="gate-desktop"),
        pytest.param(IE11, None, PHONE, id="gate-phone"),
        pytest.param(IE11, "ar", DESKTOP, id="gate-rtl"),
        pytest.param(None, None, DESKTOP, id="app"),
    ],
)
def test_each_view_can_be_captured(
    browse: Browse,
    demo_url: str,
    tmp_path: Path,
    user_agent: str | None,
    locale: str | None,
    viewport: ViewportSize,
) -> None:
    """Each view renders to a non-empty PNG screenshot, of the page it should show."""
    page = browse.page(user_agent=user_agent, locale=locale, viewport=viewport)
    response = page.goto(demo_url + "/")
    assert response is not None
    assert response.status == (200 if user_agent is None else 406)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    path = tmp_path / "view.png"
    page.screenshot(path=path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > len(PNG_SIGNATURE)


# A locale Chromium sends as Accept-Language for each language the page must be read in.
LOCALES = {"zh-Hant": "zh-TW", "zh-Hans": "zh-CN", "pt-BR": "pt-BR", "pt-PT": "pt-PT"}
RIGHT_TO_LEFT_AND_CJK = ["he", "ar", "fa", "ur", "zh-Hant", "zh-Hans", "ja", "ko"]
#: What fontconfig calls each script the screenshots need a font for.
FONT_LANGUAGES = {"he": "he", "ar": "ar", "fa": "fa", "ur": "ur", "zh-Hant": "zh-tw",
                  "zh-Hans": "zh-cn", "ja": "ja", "ko": "ko"}  # fmt: skip

# Every element box and every line of text, where it reaches past the screen or its box.
OVERFLOWS = """() => {
    const found = [];
    const width = window.innerWidth;
    for (const element of document.querySelectorAll("body, body *")) {
        const inline = getComputedStyle(element).display === "inline";
        if (!inline && element.scrollWidth > element.clientWidth + 1) {
            found.push(`${element.tagName} scrolls: ${element.scrollWidth}`);
        }
        const box = element.getBoundingClientRect();
        if (box.left < -1 || box.right > width + 1) {
            found.push(`${element.tagName} box ${box.left}..${box.right}`);
        }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        for (const line of range.getClientRects()) {
            if (line.left < -1 || line.right > width + 1) {
                const text = walker.currentNode.data.trim().slice(0, 30);
                found.push(`line "${text}" ${line.left}..${line.right}`);
            }
        }
    }
    return found;
}"""


def has_font_for(language: str) -> bool:
    """Whether fontconfig has a font for the language (fonts are installed by .ci/run)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        missing("fc-list is not on PATH (Debian: apt-get install fontconfig)")
    found = subprocess.run(
        [fc_list, f":lang={FONT_LANGUAGES[language]}", "family"],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(found.stdout.strip())


@pytest.mark.parametrize("language", one_language_per_script(LANGUAGES))
def test_no_line_overflows_a_phone_screen_in_any_script(
    browse: Browse, demo_url: str, language: str
) -> None:
    """At 375 px, no box scrolls sideways and no line of text reaches past the screen.

    Once for each script and direction, in its language with the longest word
    (conftest.one_language_per_script); test_languages.py checks every language's page
    without a browser.
    """
    page = browse.page(user_agent=IE11, locale=LOCALES.get(language, language), viewport=PHONE)
    open_gate(page, demo_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.evaluate(OVERFLOWS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", RIGHT_TO_LEFT_AND_CJK)
def test_right_to_left_and_cjk_pages_are_drawn_at_375_px(
    browse: Browse, demo_url: str, tmp_path: Path, language: str
) -> None:
    """A screenshot of each right-to-left and CJK page, with a font for its script, fits."""
    if not has_font_for(language):
        missing(
            f"no font for {language} (Debian: apt-get install fonts-wqy-zenhei "
            "fonts-sil-scheherazade fonts-dejavu-core)"
        )
    page = browse.page(user_agent=IE11, locale=LOCALES.get(language, language), viewport=PHONE)
    open_gate(page, demo_url + "/")
    direction = "rtl" if language in ("he", "ar", "fa", "ur") else "ltr"
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.evaluate(OVERFLOWS) == []
    path = tmp_path / f"gate-{language}.png"
    page.screenshot(path=path, full_page=True)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    # The heading's text is drawn: its picture changes when the text is made transparent.
    heading = page.get_by_role("heading", level=1)
    drawn = heading.screenshot()
    page.add_style_tag(content="h1 { color: transparent !important; }")
    assert heading.screenshot() != drawn


# --- on phones, the buttons stack; the demo explains why a Chromium playing IE gets through ---

NARROW_PHONE: ViewportSize = {"width": 360, "height": 740}

# Each link's box, and the content box of the page's box (inside its border and padding).
BUTTON_BOXES = """() => {
    const box = document.querySelector(".box");
    const style = getComputedStyle(box);
    const outer = box.getBoundingClientRect();
    const left = outer.left + box.clientLeft + parseFloat(style.paddingLeft);
    const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const links = Array.from(document.querySelectorAll("ul a")).map((link) => {
        const r = link.getBoundingClientRect();
        return {left: r.left, width: r.width, top: r.top, bottom: r.bottom};
    });
    return {left: left, width: width, links: links};
}"""


@pytest.mark.parametrize("locale", ["en", "he"], ids=["ltr", "rtl"])
def test_buttons_stack_full_width_on_a_phone(browse: Browse, demo_url: str, locale: str) -> None:
    """At 360x740 each browser button has a row of its own and fills the content width."""
    page = browse.page(user_agent=IE11, locale=locale, viewport=NARROW_PHONE)
    open_gate(page, demo_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    measured = page.evaluate(BUTTON_BOXES)
    links = measured["links"]
    assert len(links) == len(LINKS)
    for link in links:
        assert abs(link["left"] - measured["left"]) <= 1, (link, measured)
        assert abs(link["width"] - measured["width"]) <= 1, (link, measured)
    for above, below in itertools.pairwise(links):
        assert below["top"] >= above["bottom"], links
    # The box gives the buttons most of the screen: its padding shrinks on phones.
    assert measured["width"] >= NARROW_PHONE["width"] * 0.8, measured


def test_buttons_stay_in_one_row_on_a_desktop(browse: Browse, demo_url: str) -> None:
    """At 1280 px the four buttons share one row, each as wide as its own label."""
    page = browse.page(user_agent=IE11, viewport=DESKTOP)
    open_gate(page, demo_url + "/")
    measured = page.evaluate(BUTTON_BOXES)
    tops = {round(link["top"]) for link in measured["links"]}
    assert len(tops) == 1
    assert all(link["width"] < measured["width"] / 2 for link in measured["links"])


@pytest.fixture(scope="module")
def demo_command(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``uagate demo`` (what ./scripts/demo runs) on a free loopback port, and its output."""
    port = free_port()
    log = tmp_path_factory.mktemp("demo") / "demo.log"
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uagate", "demo", "--port", str(port)]
    with running_server(command, url + "/health", log):
        yield url, log


def test_demo_says_why_chromium_with_an_ie_user_agent_gets_through(
    demo_command: tuple[str, Path], browse: Browse
) -> None:
    """The demo says at startup and on its page why Chromium with --user-agent gets through.

    It keeps sending client hints, and the ways to see the gate from a browser are
    given; each claim is checked in Chromium against ``uagate demo`` served on loopback.
    """
    url, log = demo_command
    # What the demo says, at startup and on its home page (words written out here).
    claims = [
        "--user-agent",
        "still sends client hints, Sec-CH-UA naming Chromium",
        "trusts over the User-Agent",
        "not gated",
        "curl -A",
        "DevTools > Network conditions > User agent",
        "client hints left empty",
    ]
    started = " ".join(log.read_text().split())
    page = browse.page()
    page.goto(url + "/")
    note = " ".join(page.locator("#client-hints").inner_text().split())
    for claim in claims:
        assert claim in started, claim
        assert claim in note, claim
    # Chromium started with --user-agent set to IE 11's: it still sends Sec-CH-UA naming
    # Chromium, and the gate lets it through.
    dumped = subprocess.run(
        [chromium_path(), *CHROMIUM_ARGS, f"--user-agent={IE11}", "--dump-dom", url + "/"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "<h1>Your browser got through the gate</h1>" in dumped
    sent = dumped.split('<pre id="sent">', 1)[1].split("</pre>", 1)[0]
    assert f"User-Agent: {IE11}" in sent
    assert re.search(r'Sec-CH-UA: .*"Chromium";v="\d+"', sent), sent
    assert "uagate's verdict: passed" in sent
    # curl -A: IE 11's User-Agent and no client hints get the gate.
    assert httpx.get(url + "/", headers={"User-Agent": IE11}).status_code == 406
    # DevTools' override with no client hints (Emulation.setUserAgentOverride without
    # userAgentMetadata, as Browse.page sets it): Chromium sends none, and sees the gate.
    devtools = browse.page(user_agent=IE11)
    response = devtools.goto(url + "/")
    assert response is not None
    assert response.status == 406
    assert "sec-ch-ua" not in response.request.all_headers()
    expect(devtools.get_by_role("heading", name=HEADING)).to_be_visible()
