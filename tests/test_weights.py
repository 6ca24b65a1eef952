"""A malformed ``q`` in Accept-Language and Accept: one rule in the gate, nginx and the docs.

RFC 9110 (section 12.4.2) writes a weight as ``0`` to ``1`` with at most three
decimals. A range whose ``q`` is anything else is left out, as if it were not
sent: it neither picks nor refuses a language or a media type. The middleware,
the exported nginx configuration (started here on 127.0.0.1) and the docs say so.
"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from uagate import Policy, UAGateMiddleware
from uagate._negotiation import qvalue
from uagate.testing import IE11

from .conftest import ROOT, app_that_must_not_run, nginx_serving
from .conftest import http_get as get


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("0", 0.0),
        ("0.", 0.0),
        ("0.5", 0.5),
        ("0.001", 0.001),
        ("0.999", 0.999),
        ("1", 1.0),
        ("1.", 1.0),
        ("1.000", 1.0),
        ("abc", None),
        ("1.5", None),
        ("2", None),
        ("-1", None),
        ("", None),
        ("0.0001", None),
        ("0.0001x", None),
        ("0.5x", None),
        (".5", None),
        ("+1", None),
        ("1e0", None),
        ("1.001", None),
        ("nan", None),
        ("inf", None),
        ("0.\u0665", None),
        ("\u0661", None),
    ],
)
def test_a_weight_is_what_rfc_9110_writes(text: str, weight: float | None) -> None:
    """A weight is qvalue = "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]; nothing else is."""
    assert qvalue(text) == weight


#: Accept-Language, and the page's language with default_language "en". In these rows
#: the first range that is not left out is also the best: nginx, which does not weigh
#: the ranges, must answer as the middleware does.
LANGUAGE_ROWS = {
    "abc": ("de;q=abc, de-AT", "de"),
    "junk-after-digits": ("fr;q=0.0001x, fr-CA", "fr"),
    "negative": ("de;q=-1, de-CH", "de"),
    "empty": ("de;q=, de-CH", "de"),
    "bare-q": ("de;q, de-CH", "de"),
    "above-1": ("de;q=1.5, fr", "fr"),
    "exponent": ("de;q=1e0, fr;q=0.5", "fr"),
    "four-decimals": ("de;q=0.0001, fr;q=0.5", "fr"),
    "no-leading-zero": ("de;q=.5, fr;q=0.4", "fr"),
    "plus-sign": ("de;q=+1, fr;q=0.4", "fr"),
    "three-decimals": ("de;q=0.001, fr;q=0.0001", "de"),
    "one-point": ("de;q=1., fr;q=0.5", "de"),
    "capital-q": ("de;Q=abc, fr;Q=0.5", "fr"),
    "spaces-around-equals": ("de ; q = 0.5 , fr;q=abc", "de"),
    "not-a-q": ("de;xq=abc", "de"),
    "every-range-malformed": ("de;q=abc, fr;q=2", "en"),
}


def _gate_language(accept_language: str) -> str:
    client = TestClient(UAGateMiddleware(app_that_must_not_run))
    response = client.get("/", headers={"User-Agent": IE11, "Accept-Language": accept_language})
    assert response.status_code == 406
    return response.headers["content-language"]


@pytest.mark.parametrize(
    ("accept_language", "language"), list(LANGUAGE_ROWS.values()), ids=list(LANGUAGE_ROWS)
)
def test_the_middleware_leaves_out_a_range_with_a_malformed_weight(
    accept_language: str, language: str
) -> None:
    """The range is skipped, and its language is not refused for the ranges after it."""
    assert _gate_language(accept_language) == language


def test_exported_nginx_leaves_out_the_same_ranges() -> None:
    """Content-Language from a real nginx, row by row, is the middleware's and the table's."""
    with nginx_serving(Policy()) as connection:
        served = {
            name: get(connection, {"User-Agent": IE11, "Accept-Language": value})[1]
            for name, (value, _) in LANGUAGE_ROWS.items()
        }
    languages = {name: headers["content-language"] for name, headers in served.items()}
    assert languages == {name: language for name, (_, language) in LANGUAGE_ROWS.items()}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        pytest.param("*/*;q=0.5, text/html;q=abc", "text/html", id="html-weight-malformed"),
        pytest.param(
            "text/html;q=1e0, application/json;q=0.9",
            "application/problem+json",
            id="html-weight-an-exponent",
        ),
        pytest.param("application/json;q=-1, text/html;q=0.5", "text/html", id="json-negative"),
        pytest.param(
            "application/json;q=0.0001, text/html;q=0.001", "text/html", id="json-four-decimals"
        ),
    ],
)
def test_accept_leaves_out_a_range_with_a_malformed_weight(accept: str, media_type: str) -> None:
    """A media range with a malformed q neither sets nor refuses its type's quality."""
    client = TestClient(UAGateMiddleware(app_that_must_not_run))
    response = client.get("/", headers={"User-Agent": IE11, "Accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("doc", ["docs/options.md", "docs/edge.md"])
def test_the_docs_state_the_rule(doc: str) -> None:
    """Each doc that describes negotiation says that a malformed weight leaves its range out."""
    text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
    assert re.search(
        r"a `q` that is not an RFC 9110 weight \(`0` to `1`, at most three decimals\) "
        r"leaves its range out",
        text,
    ), doc
