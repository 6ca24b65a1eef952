"""Hostile headers through a real nginx and through the gate: the two answer alike.

Each row is sent, as raw bytes, to nginx serving the export of the default policy
(started here on 127.0.0.1 and stopped after), and decided by the gate as the
middleware decides raw header bytes (:class:`uagate.decision.Decider`) and as
:func:`uagate.check` decides their latin-1 text. An HTTP/1.1 parser drops the
spaces and tabs around a field value before anyone reads it (RFC 9112, section
5), nginx's and the ASGI servers' alike, so the gate is given the value without
them. The rows are built to tell the two apart: every latin-1 whitespace byte
around a User-Agent, runs of leading whitespace about 1,024 long, whitespace at
the 512th character, and client hints with odd versions, odd quoting, duplicate
brands and more than 16 members.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from uagate import Policy, check, detect, testing
from uagate.decision import Decider

from .conftest import http_get as get
from .conftest import nginx_serving

IE6 = testing.IE6.encode()
IE11 = testing.IE11.encode()
CHROME = testing.CHROME.encode()
#: What an HTTP/1.1 parser strips around a field value (optional whitespace).
OWS = b" \t"
#: Latin-1 whitespace an HTTP client can send inside a field value (not CR or LF).
SENDABLE_SPACE = [bytes([code]) for code in detect.LATIN1_SPACE if code not in (10, 13)]
#: Bytes next to whitespace that are not whitespace to either.
NOT_SPACE = [bytes([code]) for code in (0x01, 0x08, 0x7F, 0x80, 0x9F, 0xAD, 0xFF)]

Headers = dict[str, bytes]


def _space_rows() -> Iterator[tuple[str, Headers]]:
    for space in SENDABLE_SPACE:
        name = f"{space[0]:02x}"
        yield f"lead-{name}", {"User-Agent": space * 3 + IE6}
        yield f"trail-{name}", {"User-Agent": IE6 + space * 3}
        yield f"around-msie-{name}", {"User-Agent": space + b"MSIE 6.0" + space}
        yield f"only-{name}", {"User-Agent": space * 5}
        yield f"lead-1023-{name}", {"User-Agent": space * 1023 + IE6}
        yield f"lead-1024-{name}", {"User-Agent": space * 1024 + IE6}
        yield f"lead-1025-{name}", {"User-Agent": space * 1025 + IE6}
        yield f"lead-3000-{name}", {"User-Agent": space * 3000 + IE6}
        yield f"trail-600-{name}", {"User-Agent": IE6 + space * 600}
        yield f"at-512-{name}", {"User-Agent": b"x" * 505 + space * 20 + b"MSIE 6.0"}
    for byte in NOT_SPACE:
        name = f"{byte[0]:02x}"
        yield f"not-space-lead-{name}", {"User-Agent": byte + IE6}
        yield f"not-space-trail-{name}", {"User-Agent": IE6 + byte}
        yield f"not-space-only-{name}", {"User-Agent": byte * 3}
    yield "lead-1024-mixed", {"User-Agent": b"\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0" * 128 + IE6}
    yield (
        "lead-1025-mixed",
        {"User-Agent": b"\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0" * 128 + b"\x0b" + IE6},
    )
    yield "spaces-then-vt-1024", {"User-Agent": b" " * 40 + b"\x0b" * 1024 + IE6}
    yield "spaces-then-vt-1025", {"User-Agent": b" " * 40 + b"\x0b" * 1025 + IE6}
    yield "tabs-then-vt-1024", {"User-Agent": b"\t" * 1000 + b"\x0b" * 1024 + IE6}
    yield "tabs-then-vt-1025", {"User-Agent": b"\t" * 1000 + b"\x0b" * 1025 + IE6}
    yield "tab-vt-interleaved", {"User-Agent": b"\t\x0b" * 512 + IE6}
    yield "tab-vt-interleaved-over", {"User-Agent": b"\t\x0b" * 513 + IE6}
    yield "lead-1025-chrome", {"User-Agent": b"\x0b" * 1025 + CHROME}


def _member(brand: bytes, version: bytes = b'"124"') -> bytes:
    return b'"' + brand + b'";v=' + version


CHROMIUM = _member(b"Chromium")


def _hint_rows() -> Iterator[tuple[str, Headers]]:
    versions = {
        "empty": b'""',
        "dot": b'"."',
        "trailing-dot": b'"124."',
        "leading-dot": b'".124"',
        "double-dot": b'"124..0"',
        "four-parts": b'"124.0.6367.60"',
        "letters": b'"124x"',
        "negative": b'"-1"',
        "unquoted": b"124",
        "single-quoted": b"'124'",
        "32-digits": b'"' + b"9" * 32 + b'"',
        "33-digits": b'"' + b"9" * 33 + b'"',
        "31-dots": b'"1' + b".1" * 15 + b'"',
        "spaces-inside": b'" 124"',
        "quote-inside": b'"12"4"',
    }
    for name, version in versions.items():
        yield f"v-{name}", {"Sec-CH-UA": _member(b"Chromium", version)}
        yield f"v-{name}-second", {"Sec-CH-UA": _member(b"Not A;Brand", version) + b", " + CHROMIUM}
    brands = {
        "escaped-quote": b'Chro\\"mium',
        "escaped-backslash": b"Chro\\\\mium",
        "lone-backslash": b"Chro\\mium",
        "empty": b"",
        "64-chars": b"B" * 64,
        "65-chars": b"B" * 65,
        "latin-1": b"Chr\xf6mium",
        "tab": b"Chro\tmium",
        "grease": b"Not?A_Brand",
    }
    for name, brand in brands.items():
        yield f"brand-{name}", {"Sec-CH-UA": _member(brand) + b", " + CHROMIUM}
    distinct = [_member(b"Brand %d" % number) for number in range(20)]
    for count in (15, 16, 17):
        yield f"{count}-members", {"Sec-CH-UA": b", ".join([*distinct[: count - 1], CHROMIUM])}
    yield "17-members-16-brands", {"Sec-CH-UA": b", ".join([*distinct[:15], CHROMIUM, CHROMIUM])}
    yield "16-members-duplicates", {"Sec-CH-UA": b", ".join([CHROMIUM] * 16)}
    yield "17-members-duplicates", {"Sec-CH-UA": b", ".join([CHROMIUM] * 17)}
    yield (
        "duplicate-brand-two-versions",
        {"Sec-CH-UA": _member(b"Chromium", b'"1"') + b", " + _member(b"Chromium", b'"x"')},
    )
    forms = {
        "trailing-comma": CHROMIUM + b",",
        "leading-comma": b"," + CHROMIUM,
        "two-commas": CHROMIUM + b",," + CHROMIUM,
        "no-v": b'"Chromium"',
        "capital-v": b'"Chromium";V="124"',
        "second-parameter": CHROMIUM + b';x="1"',
        "spaces-around": b' \t"Chromium" ; v = "124" \t',
        "65-spaces": b'"Chromium"' + b" " * 65 + b';v="124"',
        "longer-than-1024": CHROMIUM + b", " + b", ".join([_member(b"B" * 60)] * 15),
        # nginx keeps tabs around a value, which ASGI servers drop
        "65-tabs-around": b"\t" * 65 + CHROMIUM + b"\t" * 65,
        "3000-spaces-and-tabs-before": b" \t" * 1500 + CHROMIUM + b"\t " * 500,
        "1024-long-after-tabs": b"\t" * 100 + CHROMIUM + b", " + _member(b"B" * 1000)[:1000],
    }
    for name, value in forms.items():
        yield f"form-{name}", {"Sec-CH-UA": value}
    yield (
        "malformed-then-full-list",
        {
            "Sec-CH-UA": _member(b"Chromium", b'"1..2"'),
            "Sec-CH-UA-Full-Version-List": _member(b"Chromium", b'"124.0.6367.60"'),
        },
    )
    yield (
        "no-chromium-then-full-list",
        {
            "Sec-CH-UA": _member(b"Not A;Brand"),
            "Sec-CH-UA-Full-Version-List": _member(b"Chromium", b'"124.0.6367.60"'),
        },
    )
    yield (
        "full-list-65-tabs-around",
        {"Sec-CH-UA-Full-Version-List": b"\t" * 65 + _member(b"Chromium", b'"124.0.1"') + b"\t"},
    )
    yield (
        "full-list-bad-version",
        {"Sec-CH-UA-Full-Version-List": _member(b"Chromium", b'"124.0..60"')},
    )


def _rows() -> list[tuple[str, Headers]]:
    rows = list(_space_rows())
    rows += [(name, {"User-Agent": IE11, **hints}) for name, hints in _hint_rows()]
    return rows


ROWS = _rows()


def _gate(headers: Headers) -> tuple[bool, bool]:
    """Whether the middleware and check() gate these headers, as servers hand them over."""
    value = {name.lower(): raw.strip(OWS) for name, raw in headers.items()}
    user_agent = value.get("user-agent")
    sec_ch_ua = value.get("sec-ch-ua")
    full = value.get("sec-ch-ua-full-version-list")
    middleware = Decider(Policy())(user_agent, sec_ch_ua, full).gated
    text = {name: raw.decode("latin-1") for name, raw in value.items()}
    by_check = check(text.get("user-agent"), text).gated
    return middleware, by_check


def test_the_table_holds_both_answers() -> None:
    """The rows are hostile, not all alike: the gate gates some and passes others."""
    answers = {_gate(headers) for _, headers in ROWS}
    assert answers == {(True, True), (False, False)}
    assert len(ROWS) > 150


def test_nginx_and_the_gate_agree_on_hostile_headers() -> None:
    """406 from nginx exactly where the middleware and check() gate, row by row."""
    with nginx_serving(Policy()) as connection:
        answers = {name: get(connection, headers)[0] for name, headers in ROWS}
    assert set(answers.values()) <= {200, 406}
    disagreements = {
        name: (answers[name], _gate(headers))
        for name, headers in ROWS
        if (answers[name] == 406, answers[name] == 406) != _gate(headers)
    }
    assert disagreements == {}


@pytest.mark.parametrize(
    ("user_agent", "gated"),
    [
        pytest.param(b"\x0b" * 1024 + IE6, True, id="1024-whitespace-then-ie"),
        pytest.param(b"\x0b" * 1025 + IE6, False, id="1025-whitespace-then-ie"),
        pytest.param(b"\xa0" * 5000 + IE6, False, id="5000-nbsp-then-ie"),
        pytest.param(b" \t" * 2000 + b"\x0b" * 1024 + IE6, True, id="spaces-and-tabs-go-first"),
        pytest.param(b" \t" * 2000 + b"\x0b" * 1025 + IE6, False, id="then-1025-whitespace"),
    ],
)
def test_more_than_1024_leading_whitespace_reads_as_no_user_agent(
    user_agent: bytes, gated: bool
) -> None:
    """Any spaces and tabs, then up to 1,024 whitespace characters are stripped; more: no UA."""
    verdict = Decider(Policy())(user_agent)
    assert verdict.gated is gated
    assert check(user_agent.decode("latin-1")).gated is gated
    if not gated:
        assert (str(verdict.reason), verdict.client.user_agent) == ("no-user-agent", "")


@pytest.mark.parametrize(
    "sec_ch_ua",
    [
        pytest.param(b", ".join([CHROMIUM] * 17), id="17-members-one-brand"),
        pytest.param(_member(b"Chromium", b'"124."'), id="trailing-dot"),
        pytest.param(_member(b"Chromium", b'"124..0"'), id="double-dot"),
        pytest.param(_member(b'Chro\\"mium') + b", " + CHROMIUM, id="escaped-quote"),
        pytest.param(_member(b"Chro\\\\mium") + b", " + CHROMIUM, id="escaped-backslash"),
    ],
)
def test_malformed_hints_are_read_as_not_sent(sec_ch_ua: bytes) -> None:
    """More than 16 members (duplicates count), empty version parts, backslashes: malformed."""
    assert Decider(Policy())(IE11, sec_ch_ua).gated is True


@pytest.mark.parametrize(
    "space", [pytest.param(" " * 65, id="spaces"), pytest.param("\t" * 65, id="tabs")]
)
def test_check_reads_hints_with_spaces_around_as_the_middleware_does(space: str) -> None:
    """check() is given values as sent; the middleware, as a server hands them over (stripped)."""
    ie11 = IE11.decode("latin-1")
    hint = CHROMIUM.decode("latin-1")
    assert check(ie11, {"sec-ch-ua": hint}).gated is False
    assert check(ie11, {"sec-ch-ua": space + hint + space}).gated is False
    full = {"sec-ch-ua-full-version-list": space + hint + space}
    assert check(ie11, full).gated is False
