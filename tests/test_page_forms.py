"""The page option: an HTML template string, a template file, or a callable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.testclient import TestClient

from uagate import Client, Reason, UAGateMiddleware, Verdict
from uagate.page import Page
from uagate.testing import IE8, IE11

from .conftest import app_that_must_not_run

TEMPLATE = (
    "<html lang='$lang'><h1>$heading</h1><p>$message</p><i>$family $version $reason</i></html>"
)


def gate(page: object, **options: object) -> TestClient:
    """A TestClient for a gate with ``page`` in front of an app that must not run."""
    return TestClient(UAGateMiddleware(app_that_must_not_run, page=page, **options))  # type: ignore[arg-type]


def test_html_string_template() -> None:
    """An HTML string is a template: placeholders are filled (and escaped, ' too)."""
    response = gate(TEMPLATE).get("/", headers={"User-Agent": IE8})
    assert response.status_code == 406
    assert response.text == (
        "<html lang='en'><h1>We don&#x27;t support Internet Explorer</h1>"
        "<p>Please use Chrome, Safari, Firefox, or Edge to view this site.</p>"
        "<i>IE 8.0 internet-explorer</i></html>"
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"


def test_template_is_translated() -> None:
    """A template's $heading follows Accept-Language like the default page."""
    response = gate(TEMPLATE).get("/", headers={"User-Agent": IE11, "Accept-Language": "de"})
    assert "<h1>Wir unterstützen den Internet Explorer nicht</h1>" in response.text
    assert response.headers["content-language"] == "de"


def test_template_file(tmp_path: Path) -> None:
    """A path (str or Path) to a file is read once as the template."""
    file = tmp_path / "gate.html"
    file.write_text("<p>Old browser: $family</p>", encoding="utf-8")
    for page in (file, str(file)):
        assert gate(page).get("/", headers={"User-Agent": IE11}).text == "<p>Old browser: IE</p>"


def test_template_values_are_html_escaped() -> None:
    """Every value placed in a template is HTML-escaped."""
    page = Page("<b>$family</b>", status_code=406, default_language="en", vary_cookie=False)
    client = Client('x<script>alert("1")</script>&', family='<script>alert("1")</script>&')
    response = page.answer(Verdict(True, Reason.PREDICATE, client))
    assert response.body == b"<b>&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;&amp;</b>"


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
        ("<p>$nonsense</p>", r"unknown placeholder \$nonsense"),
        ("<p>$</p>", "not a valid template"),
        ("missing-file.html", "no template file"),
    ],
)
def test_bad_template_fails_at_construction(page: str, message: str) -> None:
    """A template with an unknown placeholder, bad syntax or no file raises ValueError."""
    with pytest.raises(ValueError, match=message):
        UAGateMiddleware(app_that_must_not_run, page=page)


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
    assert response.text == "<p>Please upgrade your browser.</p>"
    assert "content-language" not in response.headers
