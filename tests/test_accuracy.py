"""Accuracy of the default policy on the labelled corpus of real User-Agent strings.

The corpus lives outside the project (``../shared/corpus/ua_dev.tsv``) and its
rows are not copied here: known misses are named by a description and the first
16 hex digits of the SHA-256 of their string.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import user_agents
from ua_parser import user_agent_parser
from user_agents.parsers import Browser, parse_browser

from uagate import Reason, Verdict, check
from uagate.detect import DEFAULT_MAX_LENGTH, IE_FAMILIES

from .conftest import ROOT, corpus_path

# Rows labelled ``ie`` that the default policy lets pass, each with the reason.
KNOWN_MISSES = {
    "911c87a77d12e9e2": (
        "'Lynx (compatible; MSIE 6.0; )': Lynx, a text browser that fakes an MSIE token"
    ),
    "3019e0d09036acdd": (
        "Palm's Blazer 3.0 faking MSIE 6.0; the same rule passes the Blazer rows labelled "
        "other_browser"
    ),
    "79cae38af13c7665": (
        "IE 6 with the Netvitamine toolbar, whose token has the '(+http://...)' form that "
        "crawlers use to name themselves, so it is taken for a bot"
    ),
}

MUST_NOT_GATE = ("edge_legacy", "edge", "chrome", "firefox", "safari")

# Rows whose version uagate reads where uap-core's rules want a dot: "Edge/12" is
# Edge 12.0, not Edge with version 12 alone (or, for "Opera/7", no browser at all).
DOTLESS_VERSIONS = {
    "97b72d58bdb60bdf": "EdgeHTML Edge as 'Edge/12'",
    "4847f5d5b9f297de": "Edge on iOS as 'EdgiOS/108'",
    "8629dc69eeae0b68": "'Opera/7 (Windows 98; U)', which uap-core reads as no browser",
}


@dataclass(frozen=True)
class Row:
    """One corpus row and the default policy's verdict on it."""

    label: str
    source: str
    major: str
    user_agent: str
    verdict: Verdict


def digest(user_agent: str) -> str:
    """The name a corpus string goes by in this file."""
    return hashlib.sha256(user_agent.encode("utf-8")).hexdigest()[:16]


def _read(path: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    with path.open(encoding="utf-8") as corpus:
        header = next(corpus).rstrip("\n").split("\t")
        assert header == ["label", "source", "family", "major", "user_agent"]
        for line in corpus:
            label, source, _family, major, user_agent = line.rstrip("\n").split("\t")
            rows.append((label, source, major, user_agent))
    return rows


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    """Every corpus row with the default policy's verdict."""
    return [Row(*row, verdict=check(row[3])) for row in _read(corpus_path())]


def test_accuracy_per_label(
    rows: list[Row], record_property: Callable[[str, object], None]
) -> None:
    """IE gated but for named misses, Trident apps >= 99%, modern browsers never, others <= 0.2%.

    The table of counts per label is printed after the run (conftest.py's summary hook).
    """
    total: Counter[str] = Counter()
    gated: Counter[str] = Counter()
    bots: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    elsewhere_gated: Counter[str] = Counter()
    for row in rows:
        total[row.label] += 1
        gated[row.label] += row.verdict.gated
        bots[row.label] += row.verdict.client.is_bot
        if not row.source.startswith("uap-core:"):
            elsewhere[row.label] += 1
            elsewhere_gated[row.label] += row.verdict.gated
    table = ["label                   rows   gated   share    is_bot | not uap-core: rows  gated"]
    for label in sorted(total):
        share = 100 * gated[label] / total[label]
        table.append(
            f"{label:21} {total[label]:6} {gated[label]:7} {share:6.2f}% {bots[label]:8} |"
            f"{elsewhere[label]:19} {elsewhere_gated[label]:6}"
        )
    record_property("summary", "\n".join(table))

    missed = {digest(r.user_agent) for r in rows if r.label == "ie" and not r.verdict.gated}
    assert missed <= set(KNOWN_MISSES), sorted(missed - set(KNOWN_MISSES))
    assert len(KNOWN_MISSES) <= 3
    assert gated["app_embedding_trident"] >= 0.99 * total["app_embedding_trident"]
    for label in MUST_NOT_GATE:
        assert total[label] > 0
        assert gated[label] == 0, label
    for label in ("other_browser", "bot"):
        assert gated[label] <= 0.002 * total[label], label


def test_known_misses_are_in_the_corpus(rows: list[Row]) -> None:
    """Every named known miss is a real ``ie`` row, so the list cannot go stale silently."""
    assert set(KNOWN_MISSES) <= {digest(r.user_agent) for r in rows if r.label == "ie"}


def test_ie_version_agrees_with_the_sources(rows: list[Row]) -> None:
    """IE's major version agrees with the sources' own 'major' column on >= 99.5% of rows.

    Rows uagate takes for IE itself count; an IE shell that some sources file as IE
    (NetCaptor, Deepnet Explorer, KKman, ...) has its own version, not IE's.
    """
    scored = [
        r
        for r in rows
        if r.label == "ie" and r.major.isdigit() and r.verdict.reason is not Reason.TRIDENT_APP
    ]
    agree = [r for r in scored if r.verdict.client.version[:1] == (int(r.major),)]
    assert len(scored) > 5000
    assert len(agree) >= 0.995 * len(scored)
    share = 100 * len(agree) / len(scored)
    readme = (ROOT / "docs" / "detection.md").read_text(encoding="utf-8")
    assert f"agrees with the source's own on {share:.1f}%" in readme


def test_bots_are_recognised_and_browsers_are_not_taken_for_bots(rows: list[Row]) -> None:
    """is_bot holds for >= 80% of bot rows and for <= 0.5% of the major browsers' rows."""
    bot_rows = [r for r in rows if r.label == "bot"]
    assert sum(r.verdict.client.is_bot for r in bot_rows) >= 0.80 * len(bot_rows)
    for label in (*MUST_NOT_GATE, "ie", "app_embedding_trident"):
        labelled = [r for r in rows if r.label == label]
        assert sum(r.verdict.client.is_bot for r in labelled) <= 0.005 * len(labelled), label


def test_length_cap_reads_every_real_string_whole(rows: list[Row]) -> None:
    """The cap is above the longest string in the corpus, IE, Trident app and bot alike."""
    trident = [r for r in rows if r.label in ("ie", "app_embedding_trident")]
    assert max(len(r.user_agent) for r in trident) < 300
    assert max(len(r.user_agent) for r in rows) < DEFAULT_MAX_LENGTH
    assert all(r.verdict.client.user_agent == r.user_agent.strip() for r in rows)


def test_readme_accuracy_table_is_what_the_code_gives(rows: list[Row]) -> None:
    """Every row of the README's accuracy table matches the counts computed here."""
    readme = (ROOT / "docs" / "detection.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `(\w+)` \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|$", readme, re.M)
    computed = {}
    for label in {r.label for r in rows}:
        labelled = [r for r in rows if r.label == label]
        computed[label] = (
            len(labelled),
            sum(r.verdict.gated for r in labelled),
            sum(r.verdict.client.is_bot for r in labelled),
        )
    quoted = {label: tuple(int(n.replace(",", "")) for n in numbers) for label, *numbers in table}
    assert quoted == computed


def parsed_browser(user_agent: str) -> Browser:
    """``user_agents.parse(user_agent).browser``, without parsing the OS and device too.

    user_agents builds its browser from ua-parser's ``Parse(...)["user_agent"]``, which
    is ``ParseUserAgent(...)``: the same rules, a third of the time.
    """
    return parse_browser(**user_agent_parser.ParseUserAgent(user_agent))  # type: ignore[no-untyped-call]


def test_families_and_versions_are_those_of_the_parser_of_record(rows: list[Row]) -> None:
    """Outside IE, which uagate names itself, family and version equal user_agents.parse."""
    for row in rows[::50]:  # parsed_browser is user_agents.parse(...).browser
        assert parsed_browser(row.user_agent) == user_agents.parse(row.user_agent).browser
    differ = []
    for row in rows:
        client = row.verdict.client
        if client.is_trident or row.verdict.reason in (Reason.NO_USER_AGENT, Reason.UNPARSEABLE):
            continue
        if digest(row.user_agent) in DOTLESS_VERSIONS:
            continue
        browser = parsed_browser(client.user_agent)
        leading: list[int] = []
        for part in browser.version:
            if not isinstance(part, int):
                break
            leading.append(part)
        # A browser that only pretends to be IE is "Other" to uagate.
        fake_ie = browser.family in IE_FAMILIES
        expected = ("Other", ()) if fake_ie else (browser.family, tuple(leading))
        if (client.family, client.version) != expected:
            differ.append((digest(row.user_agent), (client.family, client.version), expected))
    assert differ == []
