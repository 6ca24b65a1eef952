"""``site_name``: the site's name on the gate page, in every language, escaped and checked."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from uagate import GateConfig, UAGateMiddleware
from uagate.nginx import UntranslatableError, export_config, untranslatable
from uagate.page import LANGUAGES
from uagate.testing import IE11
from uagate.wsgi import UAGateWSGIMiddleware

from .conftest import RunCli, app_that_must_not_run, locale_file

# A name with every character HTML gives a meaning to, and letters outside ASCII.
NAME = 'Müller & Söhne <"Shop"> \'24'


class Shown(HTMLParser):
    """The page's title, the text of its ``p.site`` and of its ``h1``, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.site: list[str] = []
        self.heading = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in = "title"
        elif tag == "h1":
            self._in = "h1"
        elif tag == "p" and ("class", "site") in attrs:
            self._in = "site"
            self.site.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.heading += data
        elif self._in == "site":
            self.site[-1] += data


def shown(body: str) -> Shown:
    """What a browser shows of ``body``'s title, site name and heading."""
    parser = Shown()
    parser.feed(body)
    return parser


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_shows_the_name_in_title_and_above_the_heading(language: str) -> None:
    """In each language the title is the heading, a dash and the name; the name tops the box."""
    client = TestClient(UAGateMiddleware(app_that_must_not_run, site_name=NAME))
    response = client.get("/", headers={"User-Agent": IE11, "Accept-Language": language})
    assert response.status_code == 406
    assert response.headers["content-language"] == language
    heading = locale_file(language)["heading"]
    page = shown(response.text)
    assert page.heading == heading
    assert page.title == f"{heading} \u2013 {NAME}"
    assert page.site == [NAME]
    # Escaped: no markup of the name's own reaches the page.
    assert '<"Shop">' not in response.text
    assert "&lt;&quot;Shop&quot;&gt;" in response.text


def test_without_a_name_the_page_is_as_before() -> None:
    """By default there is no site line, and the title is the heading alone."""
    client = TestClient(UAGateMiddleware(app_that_must_not_run))
    page = shown(client.get("/", headers={"User-Agent": IE11}).text)
    assert page.site == []
    assert page.title == "We don't support Internet Explorer"


def test_a_template_shows_the_name_as_site_name() -> None:
    """A page= template gets the name, escaped, as $site_name, and in $title."""
    template = "<title>$title</title><p class=site>$site_name</p><h1>$heading</h1>"
    client = TestClient(UAGateMiddleware(app_that_must_not_run, page=template, site_name=NAME))
    response = client.get("/", headers={"User-Agent": IE11})
    assert "&lt;&quot;Shop&quot;&gt; &#x27;24" in response.text
    assert shown(response.text).title == f"We don't support Internet Explorer \u2013 {NAME}"


def test_the_wsgi_adapter_takes_the_name_through_its_config() -> None:
    """UAGateWSGIMiddleware shows the name from site_name= as the ASGI middleware does."""

    def app_never_called(environ: Any, start_response: Any) -> Any:
        raise AssertionError("the WSGI app was called for a gated request")

    gated = UAGateWSGIMiddleware(app_never_called, config=GateConfig(site_name=NAME))
    transport = httpx.WSGITransport(app=gated)
    with httpx.Client(transport=transport, base_url="http://testserver") as client:
        response = client.get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert shown(response.text).site == [NAME]


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        pytest.param(42, TypeError, "must be a str or None", id="int"),
        pytest.param(b"Shop", TypeError, "must be a str or None", id="bytes"),
        pytest.param("", ValueError, "must name the site", id="empty"),
        pytest.param("   ", ValueError, "must name the site", id="blank"),
        pytest.param("x" * 101, ValueError, "at most 100 characters", id="too-long"),
        pytest.param("Shop\nSet-Cookie: x", ValueError, "U+000A", id="newline"),
        pytest.param("Shop\x1b[2J", ValueError, "U+001B", id="escape"),
        pytest.param("Shop\x85", ValueError, "U+0085", id="c1"),
        pytest.param("Shop\u2028", ValueError, "U+2028", id="line-separator"),
        pytest.param("\u202egoHS", ValueError, "U+202E", id="right-to-left-override"),
    ],
)
def test_a_bad_site_name_is_refused_naming_the_option(
    value: object, error: type[Exception], words: str
) -> None:
    """A name that is not text, empty, too long or holds a control character fails at startup."""
    with pytest.raises(error, match=r"option site_name .*" + re.escape(words)):
        UAGateMiddleware(app_that_must_not_run, site_name=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["x" * 100, "\u0641\u0631\u0648\u0634\u06af\u0627\u0647\u200c\u0645\u0627", "東京ストア", "A"],
)
def test_names_up_to_the_limit_in_any_script_are_taken(name: str) -> None:
    """100 characters, Persian with its zero-width non-joiner, CJK and one letter are names."""
    assert GateConfig(site_name=name).site_name == name


def test_the_nginx_export_refuses_a_site_name(tmp_path: Path) -> None:
    """The export bakes the built-in pages, so a gate with a site name is refused, by name."""
    config = GateConfig(site_name="Example Shop")
    assert any(reason.startswith("site_name is set") for reason in untranslatable(config))
    with pytest.raises(UntranslatableError, match="site_name is set"):
        export_config(tmp_path / "nginx", config)
    assert not (tmp_path / "nginx").exists()


def test_page_command_takes_a_site_name(run_cli: RunCli) -> None:
    """Uagate page --site-name prints the page with the name, escaped, in the title."""
    result = run_cli("page", "--lang", "de", "--site-name", "Beispiel & Co")
    assert result.code == 0
    page = shown(result.out)
    assert page.site == ["Beispiel & Co"]
    assert page.title == f"{locale_file('de')['heading']} \u2013 Beispiel & Co"


def test_page_command_refuses_a_bad_site_name(run_cli: RunCli) -> None:
    """A --site-name with a control character is a usage error (status 2) that says why."""
    result = run_cli("page", "--site-name", "Shop\x1b]0;owned\x07")
    assert result.code == 2
    assert "--site-name must hold no control characters" in result.err
