"""The page option: an HTML template string, a template file, or a callable."""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.testclient import TestClient

from uagate import Client, Reason, UAGateMiddleware, Verdict
from uagate.page import IE_FRIENDLY_ERROR_THRESHOLD, Page
from uagate.testing import IE8, IE11

from .conftest import app_that_must_not_run

TEMPLATE = (
    "<html lang='$lang'><h1>$heading</h1><p>$message</p><i>$family $version $reason</i></html>"
)


PADDING = "\n<!-- uagate: padding, so that Internet Explorer shows this page"


def gate(page: object, **options: object) -> TestClient:
    """A TestClient for a gate with ``page`` in front of an app that must not run."""
    return TestClient(UAGateMiddleware(app_that_must_not_run, page=page, **options))  # type: ignore[arg-type]


def without_padding(text: str) -> str:
    """A short error page as rendered, before the comment that pads it past 512 bytes."""
    rendered, padding, rest = text.partition(PADDING)
    assert padding, "the page was not padded"
    assert rest.endswith(" -->\n")
    assert "-->" not in rest[:-5]
    return rendered


def test_html_string_template() -> None:
    """An HTML string is a template: placeholders are filled (and escaped, ' too)."""
    response = gate(TEMPLATE).get("/", headers={"User-Agent": IE8})
    assert response.status_code == 406
    assert without_padding(response.text) == (
        "<html lang='en'><h1>We don&#x27;t support Internet Explorer</h1>"
        "<p>Please use Chrome, Safari, Firefox, or Edge to view this site.</p>"
        "<i>IE 8.0 internet-explorer</i></html>"
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"


def test_template_is_translated() -> None:
    """A template's $heading follows Accept-Language like the default page."""
    response = gate(TEMPLATE).get("/", headers={"User-Agent": IE11, "Accept-Language": "de"})
    assert "<h1>Internet Explorer wird nicht unterstützt</h1>" in response.text
    assert response.headers["content-language"] == "de"


def test_template_file(tmp_path: Path) -> None:
    """A path (str or Path) to a file is read once as the template."""
    file = tmp_path / "gate.html"
    file.write_text("<p>Old browser: $family</p>", encoding="utf-8")
    for page in (file, str(file)):
        text = gate(page).get("/", headers={"User-Agent": IE11}).text
        assert without_padding(text) == "<p>Old browser: IE</p>"


def test_template_values_are_html_escaped() -> None:
    """Every value placed in a template is HTML-escaped."""
    page = Page("<b>$family</b>", status_code=406, default_language="en", vary_cookie=False)
    client = Client('x<script>alert("1")</script>&', family='<script>alert("1")</script>&')
    response = page.answer(Verdict(True, Reason.PREDICATE, client))
    assert without_padding(bytes(response.body).decode()) == (
        "<b>&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;&amp;</b>"
    )


def test_user_agent_cannot_break_out_of_a_single_quoted_attribute() -> None:
    """A family copied from the User-Agent cannot close a ' attribute in a template."""
    user_agent = "x' autofocus onfocus='alert(1)/1.0 CFNetwork/1.0 (Windows NT 6.1; Trident/7.0)"
    response = gate("<p title='$family'>$heading</p>").get("/", headers={"User-Agent": user_agent})
    assert response.status_code == 406
    assert "autofocus onfocus='" not in response.text
    assert "x&#x27; autofocus" in response.text


def test_template_with_head_has_no_body() -> None:
    """HEAD gets a template page's headers and no body."""
    response = gate(TEMPLATE).head("/", headers={"User-Agent": IE11})
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("<p>$nonsense</p>", r"unknown placeholder \$nonsense at line 1, column 4"),
        ("<p>$</p>", r"a \$ that starts no placeholder"),
        ("missing-file.html", "no template file"),
        ("", "option page must be an HTML template or a path, not ''"),
    ],
)
def test_bad_template_fails_at_construction(page: str, message: str) -> None:
    """A template with an unknown placeholder, bad syntax or no file raises ValueError."""
    with pytest.raises(ValueError, match=message):
        UAGateMiddleware(app_that_must_not_run, page=page)


def test_a_template_file_that_is_not_utf8_names_the_option_and_file(tmp_path: Path) -> None:
    """A template file in another encoding: a ValueError naming the option and the file."""
    path = tmp_path / "gate.html"
    path.write_bytes("<p>Caf\u00e9 $heading</p>".encode("latin-1"))
    with pytest.raises(
        ValueError, match=r"option page \(the template file .*gate.html'\) is not UTF-8"
    ):
        UAGateMiddleware(app_that_must_not_run, page=path)


def test_page_of_wrong_type_is_a_type_error() -> None:
    """page=5 raises TypeError naming the option."""
    with pytest.raises(TypeError, match="page"):
        UAGateMiddleware(app_that_must_not_run, page=5)  # type: ignore[arg-type]


def test_sync_callable_builds_the_response() -> None:
    """A sync callable gets the request and verdict and its response is sent."""

    def page(request: Request, verdict: Verdict) -> Response:
        return PlainTextResponse(f"{verdict.reason} on {request.url.path}", status_code=418)

    response = gate(page).get("/x", headers={"User-Agent": IE11})
    assert (response.status_code, response.text) == (418, "internet-explorer on /x")


def test_async_callable_builds_the_response() -> None:
    """An async callable is awaited."""

    async def page(request: Request, verdict: Verdict) -> Response:
        return HTMLResponse(f"<p>{verdict.client.family}</p>", status_code=403)

    response = gate(page).get("/", headers={"User-Agent": IE11})
    assert (response.status_code, response.text) == (403, "<p>IE</p>")


def test_callable_that_raises_falls_back_to_the_default_page(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A page callable that raises is logged and the default page is served instead."""

    def page(request: Request, verdict: Verdict) -> Response:
        raise RuntimeError("template bug")

    with caplog.at_level(logging.WARNING, logger="uagate"):
        response = gate(page).get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert "<h1>We don't support Internet Explorer</h1>" in response.text
    messages = [
        record.getMessage() for record in caplog.records if "template bug" in record.getMessage()
    ]
    assert len(messages) == 1
    assert messages[0].endswith("; the built-in page is served")
    assert "the request passes" not in messages[0]


def test_callable_returning_no_response_falls_back() -> None:
    """A page callable that returns something other than a Response is not sent."""

    def page(request: Request, verdict: Verdict) -> str:
        return "not a response"

    response = gate(page).get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert "<h1>We don't support Internet Explorer</h1>" in response.text


def test_callable_response_gets_no_store_and_vary() -> None:
    """A page callable's response is kept out of caches like the default page."""

    def page(request: Request, verdict: Verdict) -> Response:
        return HTMLResponse("<p>old</p>", status_code=406)

    response = gate(page).get("/", headers={"User-Agent": IE11})
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["vary"]
        == "User-Agent, Sec-CH-UA, Sec-CH-UA-Full-Version-List, Accept, Accept-Language"
    )


def test_callable_keeps_its_own_cache_control() -> None:
    """A page callable that sets Cache-Control itself keeps it."""

    def page(request: Request, verdict: Verdict) -> Response:
        return HTMLResponse("<p>old</p>", headers={"Cache-Control": "private, max-age=0"})

    response = gate(page).get("/", headers={"User-Agent": IE11})
    assert response.headers["cache-control"] == "private, max-age=0"


def test_callable_response_that_fails_before_starting_falls_back(tmp_path: Path) -> None:
    """A response that fails before it sends anything is replaced by the default page."""

    def page(request: Request, verdict: Verdict) -> Response:
        return FileResponse(tmp_path / "missing.html", status_code=406)

    response = gate(page).get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert "<h1>We don't support Internet Explorer</h1>" in response.text


def test_one_language_template_has_no_content_language() -> None:
    """A template with no translated placeholder does not claim the client's language."""
    response = gate("<p>Please upgrade your browser.</p>").get(
        "/", headers={"User-Agent": IE11, "Accept-Language": "ja"}
    )
    assert without_padding(response.text) == "<p>Please upgrade your browser.</p>"
    assert "content-language" not in response.headers


class CommentFinder(HTMLParser):
    """Collects the comments of a page and the text outside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.comments: list[str] = []
        self.text = ""

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_short_error_page_is_padded_past_ies_threshold() -> None:
    """A template page under 512 bytes with an error status ends in a comment taking it past 512.

    IE (with its default "friendly HTTP error messages") shows its own page
    instead of an error response shorter than that.
    """
    response = gate("<p>$heading</p>").get("/", headers={"User-Agent": IE11})
    assert response.status_code == 406
    assert len(response.content) > IE_FRIENDLY_ERROR_THRESHOLD == 512
    assert int(response.headers["content-length"]) == len(response.content)
    assert without_padding(response.text) == "<p>We don&#x27;t support Internet Explorer</p>"
    parsed = CommentFinder()
    parsed.feed(response.text)
    assert len(parsed.comments) == 1
    assert parsed.text.strip() == "We don't support Internet Explorer"


def test_padding_counts_bytes_and_keeps_head_and_get_alike() -> None:
    """The threshold is in bytes, whatever the language; HEAD gets the padded length."""
    client = gate("<p>$heading</p>", default_language="ja")
    got = client.get("/", headers={"User-Agent": IE11})
    head = client.head("/", headers={"User-Agent": IE11})
    assert len(got.content) > 512
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]


@pytest.mark.parametrize("status_code", [403, 406, 500])
def test_padding_follows_any_error_status(status_code: int) -> None:
    """Every error status is padded, as IE has a threshold for each."""
    response = gate("<p>$heading</p>", status_code=status_code).get(
        "/", headers={"User-Agent": IE11}
    )
    assert response.status_code == status_code
    assert len(response.content) > 512


def test_page_with_status_200_is_not_padded() -> None:
    """IE shows a 200 page however short: it is sent as rendered."""
    response = gate("<p>$family</p>", status_code=200).get("/", headers={"User-Agent": IE11})
    assert (response.status_code, response.text) == (200, "<p>IE</p>")


def test_page_over_512_bytes_is_not_padded() -> None:
    """A template page already over 512 bytes is sent as rendered."""
    long_page = "<p>$family</p>" + "<p>Please upgrade your browser.</p>" * 16
    response = gate(long_page).get("/", headers={"User-Agent": IE11})
    assert response.text == long_page.replace("$family", "IE")
    assert "<!--" not in response.text


def test_padded_page_with_continue_link_and_problem_json() -> None:
    """The continue link's page is padded too; problem+json is never touched."""
    client = gate("<a href='$continue_url'>$continue_text</a>", allow_continue=True)
    page = client.get("/docs", headers={"User-Agent": IE11})
    assert without_padding(page.text).startswith("<a href='/_uagate/continue?next=")
    problem = client.get("/", headers={"User-Agent": IE11, "Accept": "application/json"})
    assert json.loads(problem.content)["status"] == 406


def test_built_in_page_gets_no_padding() -> None:
    """The built-in page is over 512 bytes already, and gains no comment."""
    text = gate(None).get("/", headers={"User-Agent": IE11}).text
    assert PADDING not in text


def test_stray_dollar_sign_says_to_write_two() -> None:
    """'Costs $5' fails with where the $ is and how to write a literal dollar sign."""
    with pytest.raises(ValueError, match="starts no placeholder") as raised:
        UAGateMiddleware(app_that_must_not_run, page="<p>Upgrade: Costs $5</p>")
    message = str(raised.value)
    assert message.startswith("UAGateMiddleware option page ")
    assert "line 1, column 19" in message
    assert "write $$ for a literal dollar sign" in message
    assert "Invalid placeholder" not in message


def test_stray_dollar_sign_in_a_file_names_the_file_and_line(tmp_path: Path) -> None:
    """In a template file the error names the file, and the line and column there."""
    file = tmp_path / "gate.html"
    file.write_text("<html>\n<h1>$heading</h1>\n  <p>From $9.99</p>\n</html>\n", encoding="utf-8")
    with pytest.raises(ValueError, match="starts no placeholder") as raised:
        UAGateMiddleware(app_that_must_not_run, page=file)
    message = str(raised.value)
    assert "option page" in message
    assert str(file) in message
    assert "line 3, column 11" in message
    assert "$$" in message


def test_literal_dollar_signs_and_braced_placeholders_still_work() -> None:
    """$$ gives a dollar sign, ${heading} a placeholder, and CSS braces are left alone."""
    template = "<style>p{color:#333}</style><p>${family}: $$5, $${heading}</p>"
    text = gate(template).get("/", headers={"User-Agent": IE11}).text
    assert without_padding(text) == "<style>p{color:#333}</style><p>IE: $5, ${heading}</p>"


@pytest.mark.parametrize(
    ("page", "advice"),
    [
        ("<h1>{{ heading }}</h1>", r"write \$heading instead"),
        ("<h1>{{heading}}</h1>", r"write \$heading instead"),
        ("<p>{{ verdict.client.family|e }}</p>", r"write \$family instead"),
        ("<p>{{{ message }}}</p>", r"write \$message instead"),
        ("<p>{{ $version }}</p>", r"write \$version instead"),
        ("<p>{heading}</p>", r"write \$heading instead"),
        ("<p>{{ browser }}</p>", r"one of the placeholders \$lang, \$dir"),
        ("<p>{% if outdated %}Update{% endif %}</p>", r"no tags or logic.*callable"),
        ("<p>{%- trans -%}Old{%- endtrans %}</p>", r"no tags or logic"),
    ],
)
def test_another_template_languages_syntax_is_refused(page: str, advice: str) -> None:
    """Jinja-style {{ heading }}, {% tags %} and {heading} fail at startup, not shown as is."""
    with pytest.raises(ValueError, match=advice) as raised:
        UAGateMiddleware(app_that_must_not_run, page=page)
    assert str(raised.value).startswith("UAGateMiddleware option page has ")
    assert "line 1, column " in str(raised.value)


def test_jinja_syntax_in_a_file_names_the_file(tmp_path: Path) -> None:
    """A template file in Jinja's syntax fails with the file and the line of the expression."""
    file = tmp_path / "gate.html"
    file.write_text("<html>\n<title>{{ title }}</title>\n</html>\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"\$title") as raised:
        UAGateMiddleware(app_that_must_not_run, page=str(file))
    assert str(file) in str(raised.value)
    assert "line 2, column 8" in str(raised.value)
