"""One rule for the characters that request and log text may not show as they are.

``uagate._text.CONTROL`` is that rule: C0 and C1 control characters, DEL, the
line and paragraph separators and every Unicode format character (category Cf:
bidirectional overrides and isolates, zero-width characters, the byte order
mark, tag characters ...). A right-to-left override (U+202E) in a User-Agent, a
path or a file name would otherwise reorder the line a terminal or a log viewer
shows. Terminal output, reports, CSV and log records all go by it, the
traceback text of a failure logged once included.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from starlette.requests import HTTPConnection

from uagate import UAGateMiddleware, Verdict, _log
from uagate._text import CONTROL, csv_safe, printable
from uagate.cli import main
from uagate.logscan import FileSummary, ScanReport
from uagate.report import render_csv, render_html, render_json, render_table
from uagate.testing import IE11

from .conftest import app_that_must_not_run, http_scope, run_asgi

# Format characters an attacker reaches for: the right-to-left override and
# embedding, the isolates, the zero-width space, joiner and marks, the byte order
# mark, a tag character (astral), and the line separator.
HOSTILE = "\u202e\u202b\u2066\u2067\u2068\u2069\u200b\u200d\u200f\ufeff\U000e0041\u2028"


def shown_as_is(text: str) -> list[str]:
    """The characters of ``text`` that the rule should have kept out (newlines aside)."""
    return [
        f"U+{ord(char):04X}"
        for char in text
        if char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
    ]


def test_the_rule_holds_every_control_format_and_line_separator_character() -> None:
    """Every Cc, Cf, Zl and Zp character of this Python's Unicode database is in the rule."""
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp")
        and CONTROL.fullmatch(chr(code)) is None
    ]
    assert missing == []


@pytest.mark.parametrize(
    "text",
    [
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Ελληνικά 中文 עברית العربية हिन्दी",
        "a\u00a0b\u3000c",
        "😀 ✓ € ©",
    ],
    ids=["user-agent", "scripts", "spaces", "symbols"],
)
def test_the_rule_leaves_ordinary_text_alone(text: str) -> None:
    """Letters of any script, other spaces and symbols are not in the rule."""
    assert CONTROL.search(text) is None
    assert printable(text) == text


def test_printable_removes_format_characters() -> None:
    """printable() drops bidi overrides, isolates and zero-width characters, as it drops ESC."""
    assert printable(f"IE{HOSTILE} 11\x1b[2J") == "IE 11[2J"


def test_csv_cells_lose_format_characters_before_the_formula_check() -> None:
    """A zero-width space cannot hide a formula from csv_safe: it goes first."""
    assert csv_safe(printable("\u200b=1+2")) == "'=1+2"


def test_check_table_output_has_no_format_characters(capsys: pytest.CaptureFixture[str]) -> None:
    """``uagate check`` prints a User-Agent with a right-to-left override without it."""
    user_agent = f"{IE11} {HOSTILE}gnp.exe"
    assert main(["check", user_agent]) == 1  # IE 11 is gated
    out = capsys.readouterr().out
    assert "gated" in out
    assert "gnp.exe" in out
    assert shown_as_is(out) == []


def test_check_json_escapes_format_characters_and_loses_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``uagate check --json`` writes U+202E and a tag character as escapes that read back whole."""
    user_agent = f"{IE11} {HOSTILE}gnp.exe \U000e0041"
    assert main(["check", "--json", user_agent]) == 1
    out = capsys.readouterr().out
    assert shown_as_is(out) == []
    assert "\\u202e" in out
    assert "\\udb40\\udc41" in out  # U+E0041 as a surrogate pair
    assert json.loads(out)["user_agent"] == user_agent


@pytest.mark.parametrize("form", ["table", "json"])
def test_scan_output_has_no_format_characters_in_a_file_name(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log whose name holds a right-to-left override is named without it, in every form."""
    log = tmp_path / f"access{HOSTILE}gol.log"
    log.write_text(IE11 + "\n", encoding="utf-8")
    page = tmp_path / "report.html"
    assert main(["scan", "--format", form, "--html", str(page), str(log)]) == 0
    for out in (capsys.readouterr().out, page.read_text(encoding="utf-8")):
        assert "gol.log" in out
        assert shown_as_is(out) == []


def test_reports_have_no_format_characters_in_a_client_label() -> None:
    """A gated client's label (text a parser rule copied) loses its format characters."""
    report = ScanReport("default", requests=3, gated=3)
    report.gated_by_client = Counter({f"Evil{HOSTILE}App 8": 3})
    report.gated_by_reason = Counter({"internet-explorer": 3})
    report.files.append(FileSummary(f"x{HOSTILE}.log", "combined", 3, 0))
    for rendered in (render_table(report), render_json(report), render_html(report)):
        assert "EvilApp 8" in rendered
        assert shown_as_is(rendered) == []
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert ["client", "EvilApp 8", "3", "3", "1.000000", "", "", ""] in rows
    assert json.loads(render_json(report))["gated_by_client"][0]["client"] == "EvilApp 8"


def test_gated_request_log_line_escapes_format_characters(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A path with a right-to-left override is logged with it escaped, not shown as is."""
    path = f"/download/{HOSTILE}gnp.exe"
    gate = UAGateMiddleware(app_that_must_not_run)
    with caplog.at_level(logging.INFO, logger="uagate"):
        messages = asyncio.run(
            run_asgi(gate, http_scope([(b"user-agent", IE11.encode())], path=path))
        )
    assert messages[0]["status"] == 406
    records = [record for record in caplog.records if record.name == "uagate"]
    assert records
    for record in records:
        assert "gnp.exe" in record.getMessage()
        assert shown_as_is(record.getMessage()) == []
        assert shown_as_is(str(record.__dict__.get("uagate_path", ""))) == []


def test_a_failure_logged_once_shows_no_format_characters_in_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A hook's error text with request data neither reorders nor forges a line of the log.

    The record keeps the exception for handlers that want it; the text a
    formatter writes (message and traceback) has no control or format
    character, and the message's line break forges no line of its own.
    """

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        raise RuntimeError(f"no metrics for {request.url.path}\nWARNING forged line")

    gate = UAGateMiddleware(app_that_must_not_run, on_verdict=hook)
    scope = http_scope([(b"user-agent", IE11.encode())], path=f"/{HOSTILE}gnp.exe")
    with caplog.at_level(logging.WARNING, logger="uagate"):
        messages = asyncio.run(run_asgi(gate, scope))
    assert messages[0]["status"] == 406
    failures = [record for record in caplog.records if "no metrics" in record.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    text = logging.Formatter("%(levelname)s %(message)s").format(failures[0])
    assert "Traceback (most recent call last):" in text
    assert text.count("gnp.exe") == 2  # in the message and in the traceback's last line
    assert shown_as_is(text) == []
    assert not any(line.startswith("WARNING forged") for line in text.splitlines())


def test_log_once_keeps_a_chained_traceback_readable() -> None:
    """Causes come first, linked as Python links them; each exception's text on one line."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    _log.logger.addHandler(handler)
    try:
        try:
            try:
                raise KeyError(f"first{HOSTILE}")
            except KeyError as first:
                raise ValueError(f"second\n{HOSTILE}") from first
        except ValueError as exc:
            _log.log_once(exc, "testing", traceback=True)
    finally:
        _log.logger.removeHandler(handler)
    [record] = records
    lines = logging.Formatter("%(message)s").format(record).splitlines()
    assert lines[0] == "uagate: testing failed (ValueError: second); the request passes"
    assert lines[1] == "Traceback (most recent call last):"
    assert "KeyError: 'first" in "\n".join(lines)
    assert "The above exception was the direct cause of the following exception:" in lines
    assert lines[-1] == "ValueError: second"
    assert shown_as_is("\n".join(lines)) == []
