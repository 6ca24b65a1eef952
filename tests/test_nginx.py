"""``uagate export nginx`` against a real nginx, started here on 127.0.0.1 and stopped after.

nginx is found as ``nginx`` on PATH or in /usr/sbin; without it the tests that
run it fail under CI=true and skip elsewhere. Every corpus row is sent through
nginx and decided by :func:`uagate.check`; the two must agree on at least
99.9% of rows under the default policy and 99.5% under ``Policy.modern()``
(docs/edge.md lists every disagreement).
"""

from __future__ import annotations

import functools
import http.client
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uagate import Policy, check, detect, testing
from uagate.detect import _numeric
from uagate.nginx import NginxExportError, _below, export_nginx, http_conf
from uagate.page import LANGUAGES, negotiate_language, render_page
from uagate.policy import Reason

from .conftest import ROOT, RunCli, corpus_path, nginx_path, nginx_serving
from .conftest import http_get as get

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

sys.path.insert(0, str(ROOT / "benchmarks"))
from redos import SHAPES, shape

from .conftest import shape_problems

POLICIES = {"default": Policy(), "modern": Policy.modern()}
#: The share of corpus rows on which nginx and check() must agree, per policy.
AGREEMENT = {"default": 0.999, "modern": 0.995}
MAINSTREAM = ("chrome", "firefox", "safari", "edge")

#: ``with preset_nginx("default") as connection``: see the fixture.
Connect = Callable[[str], AbstractContextManager[http.client.HTTPConnection]]


@pytest.fixture(scope="module")
def preset_nginx() -> Iterator[Connect]:
    """The export of a preset of POLICIES, with no more options, served by nginx.

    Each preset's nginx starts once for this module, when a test first asks for it
    (most tests here need no other); ``with preset_nginx(name) as connection`` opens
    a new kept-alive connection to it, closed after.
    """
    with ExitStack() as servers:
        addresses: dict[str, tuple[str, int]] = {}

        @contextmanager
        def connect(name: str) -> Iterator[http.client.HTTPConnection]:
            if name not in addresses:
                first = servers.enter_context(nginx_serving(POLICIES[name]))
                addresses[name] = (first.host, first.port)
            connection = http.client.HTTPConnection(*addresses[name], timeout=10)
            try:
                yield connection
            finally:
                connection.close()

        yield connect


def pipelined_statuses(
    connection: http.client.HTTPConnection, user_agents: Sequence[str], batch: int = 100
) -> list[int]:
    """The status nginx answers ``GET /`` with, for each User-Agent, sent as http_get sends it.

    The requests go ``batch`` at a time on a new connection to ``connection``'s server,
    pipelined: written at once, then their answers read in order. One round trip a
    batch instead of one a request keeps the corpus's 18,000 rows quick.
    """
    host, port = connection.host, connection.port
    statuses = []
    for start in range(0, len(user_agents), batch):
        chunk = user_agents[start : start + batch]
        requests = b"".join(
            b"GET / HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\n\r\n"
            % (host.encode(), port, user_agent.encode("utf-8"))
            for user_agent in chunk
        )
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(requests)
            with sock.makefile("rb") as answers:
                for user_agent in chunk:
                    status_line = answers.readline()
                    assert status_line.startswith(b"HTTP/1.1 "), (status_line, user_agent)
                    length = None
                    while (line := answers.readline()) not in (b"\r\n", b""):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    assert length is not None, (status_line, user_agent)
                    answers.read(length)
                    statuses.append(int(status_line.split()[1]))
    return statuses


def corpus_rows() -> list[tuple[str, str]]:
    """(label, User-Agent) of every corpus row."""
    lines = corpus_path().read_text("utf-8").splitlines()[1:]
    return [(fields[0], fields[4]) for fields in (line.split("\t") for line in lines)]


@pytest.mark.parametrize("name", list(POLICIES))
def test_nginx_agrees_with_check_on_every_corpus_row(name: str, preset_nginx: Connect) -> None:
    """Each row through nginx and through check(): they agree on >= 99.9% / 99.5% of rows."""
    policy = POLICIES[name]
    rows = corpus_rows()
    disagreements = []
    mainstream_gated = []
    with preset_nginx(name) as connection:
        statuses = pipelined_statuses(connection, [user_agent for _, user_agent in rows])
    for (label, user_agent), status in zip(rows, statuses, strict=True):
        assert status in (200, 406), (status, user_agent)
        gated = check(user_agent, policy=policy).gated
        if (status == 406) != gated:
            disagreements.append((label, gated, user_agent))
            if label in MAINSTREAM and not gated:
                mainstream_gated.append(user_agent)
    agreement = 1 - len(disagreements) / len(rows)
    print(f"{name}: {len(rows) - len(disagreements)} of {len(rows)} rows agree ({agreement:.4%})")
    for disagreement in disagreements:
        label, gated, user_agent = disagreement
        print(f"  check() gated={gated} (label {label}): {user_agent}")
    assert len(rows) > 18_000
    assert agreement >= AGREEMENT[name], disagreements[:20]
    assert mainstream_gated == []
    # docs/edge.md reports that no row disagrees: a regression shows here first.
    assert disagreements == []


BROWSERS = {
    "chrome": testing.CHROME,
    "chrome 120": testing.CHROME_120,
    "chrome android": testing.CHROME_ANDROID,
    "edge": testing.EDGE,
    "edge 120": testing.EDGE_120,
    "firefox": testing.FIREFOX,
    "firefox 121": testing.FIREFOX_121,
    "safari": testing.SAFARI,
    "safari 17.2": testing.SAFARI_17_2,
    "safari iphone": testing.SAFARI_IPHONE,
    "googlebot": testing.GOOGLEBOT,
    "bingbot as IE": testing.BINGBOT,
    "ie 6": testing.IE6,
    "ie 11": testing.IE11,
    "ie mobile": testing.IE_MOBILE,
    "outlook": testing.OUTLOOK,
    "opera as msie": testing.OPERA_AS_MSIE,
}


@pytest.mark.parametrize("name", list(POLICIES))
def test_nginx_decides_the_testing_constants_as_check_does(
    name: str, preset_nginx: Connect
) -> None:
    """Mainstream browsers check() passes reach the app; IE and Outlook get 406."""
    policy = POLICIES[name]
    with preset_nginx(name) as connection:
        answers = {key: get(connection, {"User-Agent": ua})[0] for key, ua in BROWSERS.items()}
    expected = {key: 406 if check(ua, policy=policy).gated else 200 for key, ua in BROWSERS.items()}
    assert answers == expected
    assert (answers["ie 11"], answers["chrome"], answers["googlebot"]) == (406, 200, 200)


def test_ie11_gets_the_page_in_its_language_with_406_and_its_headers(
    preset_nginx: Connect,
) -> None:
    """The page the gate writes, in the Accept-Language's language, not cached, with Vary."""
    with preset_nginx("modern") as connection:
        status, headers, body = get(connection, {"User-Agent": testing.IE11})
        assert status == 406
        assert body.decode("utf-8") == render_page("en")
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["cache-control"] == "no-store"
        assert headers["content-language"] == "en"
        vary = {part.strip().lower() for part in headers["vary"].split(",")}
        assert {"user-agent", "accept-language", "sec-ch-ua"} <= vary
        status, headers, body = get(
            connection, {"User-Agent": testing.IE11, "Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
        )
        assert (status, headers["content-language"]) == (406, "de")
        assert body.decode("utf-8") == render_page("de")
        status, headers, body = get(connection, {"User-Agent": testing.IE11}, method="HEAD")
        assert (status, body) == (406, b"")
        old_chrome = testing.CHROME.replace("Chrome/131", "Chrome/100")
        assert check(old_chrome, policy=Policy.modern()).gated
        status, headers, body = get(connection, {"User-Agent": old_chrome, "Accept-Language": "fr"})
        assert status == 406
        assert body.decode("utf-8") == render_page("fr", Reason.OUTDATED)
        status, headers, body = get(connection, {"User-Agent": testing.CHROME})
        assert (status, body) == (200, b"the app\n")
        assert "cache-control" not in headers
        assert "vary" not in headers


@pytest.mark.parametrize(
    "accept_language",
    [
        "fr-CH, fr;q=0.9",
        "ja",
        "zh-CN",
        "zh-TW",
        "pt-BR",
        "  es ",
        "xx",
        "",
        "*",
        "de;q=0.5",
        "en;q=0, de",
        "de;q=0.0, fr",
        "de_DE",
        "zh_TW",
        ", de",
        ",,  ,it",
        "xx, de;q=0.5",
        "zh-TW, zh;q=0.8",
        "DE-at",
        "de;level=1;q=0, fr",
    ],
)
def test_nginx_serves_the_language_the_gate_would_when_ranges_come_best_first(
    accept_language: str, preset_nginx: Connect
) -> None:
    """Where the first range not refused decides, nginx picks the middleware's language."""
    with preset_nginx("default") as connection:
        headers = {"User-Agent": testing.IE11, "Accept-Language": accept_language}
        _, answer, _ = get(connection, headers)
    assert answer["content-language"] == negotiate_language(accept_language, "en")


def test_client_hints_are_read_as_check_reads_them(preset_nginx: Connect) -> None:
    """A Chromium browser sending IE's User-Agent passes: its hints name it, as check() reads."""
    cases = [
        {"Sec-CH-UA": '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'},
        {"Sec-CH-UA-Full-Version-List": '"Chromium";v="120.0.6099.71"'},
        # Sec-CH-UA names the brands when sent; the full list only gives their versions.
        {"Sec-CH-UA": '"X";v="1"', "Sec-CH-UA-Full-Version-List": '"Chromium";v="120.0.1.2"'},
        {"Sec-CH-UA": '"chromium";v="120"'},  # brands are compared as written
        {"Sec-CH-UA": '"Microsoft Edge";v="120"', "User-Agent": testing.IE_MOBILE},
        # A list the gate cannot read names nothing, wherever a brand stands in it.
        {"Sec-CH-UA": '"Google Chrome";v=124'},
        {"Sec-CH-UA": 'garbage, "Google Chrome";v="124"'},
        {"Sec-CH-UA": '"Google Chrome";'},
    ]
    # check()'s verdicts, written out: Chromium named in Sec-CH-UA or, without it, in the
    # full list passes; a Sec-CH-UA naming no Chromium brand (or "chromium") does not.
    gated = [False, False, True, True, False, True, True, True]
    with preset_nginx("default") as connection:
        for hints, expected in zip(cases, gated, strict=True):
            headers = {"User-Agent": testing.IE11, **hints}
            status, _, _ = get(connection, headers)
            lowered = {k.lower(): v for k, v in headers.items()}
            assert check(lowered.pop("user-agent"), lowered).gated is expected, hints
            assert (status == 406) is expected, hints


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_hostile_user_agents_are_decided_as_check_decides(name: str, preset_nginx: Connect) -> None:
    """7 KB of each ReDoS shape, and IE's string after it: the same verdict as check()."""
    with preset_nginx("modern") as connection:
        for user_agent in (shape(name, 7000), testing.IE11 + shape(name, 7000)):
            status, _, _ = get(connection, {"User-Agent": user_agent})
            assert (status == 406) == check(user_agent, policy=Policy.modern()).gated


def generated_patterns(policy: Policy) -> list[str]:
    """Every regular expression in the generated http configuration, as nginx reads it."""
    text = http_conf(policy)
    found = re.findall(r'^\s+"~\*?\(\*UCP\)((?:[^"\\]|\\.)*)"', text, flags=re.MULTILINE)
    return [re.sub(r"\\(.)", r"\1", pattern) for pattern in found]


@pytest.mark.parametrize("name", list(POLICIES))
def test_every_generated_pattern_has_a_linear_shape_and_finishes_on_redos_shapes(
    name: str,
) -> None:
    """Repeats bounded by 1,024 (the longest hint header read) or linear; each runs on 64 KB."""
    patterns = generated_patterns(POLICIES[name])
    assert len(patterns) > (400 if name == "modern" else 10)
    for pattern in patterns:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
        assert list(shape_problems(parsed, re.IGNORECASE, bound=1024)) == [], pattern
        search_the_redos_shapes(pattern)


@functools.cache
def search_the_redos_shapes(pattern: str) -> None:
    """Search each ReDoS shape at 64 KB with ``pattern``, which must simply finish.

    Once a pattern: the default policy's patterns are all among the modern one's.
    """
    compiled = re.compile(pattern, re.IGNORECASE)
    for shape_name in SHAPES:
        compiled.search(shape(shape_name, 65_536) + "!")


def test_the_configuration_is_generated_from_the_detectors_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A token added to the bot table, or a new minimum version, shows in the export."""
    before = http_conf(Policy())
    monkeypatch.setattr(detect, "BOT_TOKENS", (*detect.BOT_TOKENS, "uagate-test-bot"))
    after = http_conf(Policy())
    assert "uagate-test-bot" not in before
    assert "uagate\\\\-test\\\\-bot" in after  # re.escape'd, in a quoted nginx string
    chrome_minimum = '"~(*UCP)^(?:Chrome|'
    assert chrome_minimum not in http_conf(Policy(min_versions={"firefox": 100}))
    assert chrome_minimum in http_conf(Policy(min_versions={"chrome": 100}))


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (Policy(predicate=lambda client: False), "predicate"),
        (Policy(gate_trident_apps=False), "gate_trident_apps=True"),
        (Policy(gate_ie=False), "gate_ie=True"),
    ],
)
def test_policies_nginx_cannot_apply_are_refused(policy: Policy, words: str) -> None:
    """A predicate, or IE apart from its applications: a clear error, nothing written."""
    with pytest.raises(NginxExportError, match=re.escape(words)):
        http_conf(policy)


def test_a_directory_nginx_cannot_name_is_refused(tmp_path: Path) -> None:
    """A $ in the path would be read by nginx as a variable: refused before anything is written."""
    target = tmp_path / "a$b"
    with pytest.raises(NginxExportError, match="cannot be named in nginx"):
        export_nginx(target)
    assert not target.exists()


def test_custom_policy_loads_in_nginx_and_agrees_on_a_sample() -> None:
    """gate_bots and several minimums: nginx takes the configuration and agrees with check()."""
    policy = Policy(
        gate_bots=True,
        min_versions={"samsung_internet": 20, "safari": (16, 4), "yandex": 23, "firefox": 115},
    )
    rows = corpus_rows()[::9]
    with nginx_serving(policy, default_language="de") as connection:
        statuses = pipelined_statuses(connection, [ua for _, ua in rows])
        _, headers, _ = get(connection, {"User-Agent": testing.IE11})
    agree = sum(
        (status == 406) == check(ua, policy=policy).gated
        for (_, ua), status in zip(rows, statuses, strict=True)
    )
    assert headers["content-language"] == "de"
    assert agree / len(rows) >= 0.995, (agree, len(rows))


def test_export_writes_the_files_it_names(tmp_path: Path) -> None:
    """Both configurations and a page per language and variant, named by absolute path."""
    written = export_nginx(tmp_path / "out", Policy.modern())
    names = {path.relative_to(tmp_path / "out").as_posix() for path in written}
    assert {"uagate_http.conf", "uagate_server.conf"} <= names
    for language in LANGUAGES:
        assert f"pages/internet-explorer.{language}.html" in names
        assert f"pages/outdated.{language}.html" in names
    server = (tmp_path / "out" / "uagate_server.conf").read_text()
    assert f'alias "{(tmp_path / "out" / "pages").resolve()}/";' in server
    default = {p.name for p in export_nginx(tmp_path / "default")}
    assert "outdated.en.html" not in default


def test_the_command_exports_and_refuses_what_it_cannot(tmp_path: Path, run_cli: RunCli) -> None:
    """``uagate export nginx --out DIR --policy modern``; a bad policy is a one-line error."""
    command = ["export", "nginx", "--out", str(tmp_path / "o")]
    done = run_cli(*command, "--policy", "modern")
    assert done.code == 0, done.err
    assert (tmp_path / "o" / "uagate_http.conf").read_text() == http_conf(Policy.modern())
    assert "uagate_server.conf" in done.out
    options = ["--exclude-path", "/health", "--method", "get", "--vary-user-agent"]
    done = run_cli(*command, *options, "--default-language", "de")
    assert done.code == 0, done.err
    assert (tmp_path / "o" / "uagate_http.conf").read_text() == http_conf(
        Policy(), default_language="de", exclude_paths=["/health"], methods=["GET"],
        vary_user_agent=True,
    )  # fmt: skip
    (tmp_path / "p.py").write_text(
        "from uagate import Policy\npolicy = Policy(predicate=lambda c: False)\n"
    )
    refused = run_cli(*command, "--policy", "p:policy", cwd=tmp_path)
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "predicate" in refused.err


@given(
    minimum=st.lists(st.integers(0, 250), min_size=1, max_size=3).map(tuple),
    fields=st.lists(
        st.one_of(st.integers(0, 300).map(str), st.sampled_from(["", "b1", "0", "007", "x"])),
        min_size=3,
        max_size=3,
    ),
)
def test_the_version_patterns_compare_as_the_gate_compares(
    minimum: tuple[int, ...], fields: list[str]
) -> None:
    """``family|major|minor|patch`` matches the pattern exactly when the gate finds it below."""
    pattern = re.compile("^Chrome\\|" + _below(minimum))
    version = _numeric(tuple(fields))
    below = bool(version) and version < minimum
    assert (pattern.search("Chrome|" + "|".join(fields)) is not None) == below


# Strings that tell the two apart where they once differed: an MSIE token with a browser
# that fakes it and an IE-only token; non-ASCII bytes beside bot tokens; a long gap in a
# uap-core rule; versions without a dot.
EDGE_CASES = [
    "Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 7.11) Opera 8.0",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 IEMobile/11",
    "MSIE 6.0 konqueror IEMobile 7",
    "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; en) Opera 8.50 Internet Explorer",
    *(
        f"Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; {tail})"
        for tail in [
            "xbot\xff",
            "bot\u20ac",
            "\xe9node",
            "node\xe9",
            "scout\xe9",
            "\xe9probe",
            "\xe9curl/1",
            "+\xa0http://example.com",
            "+\x85http://x",
            "yahoo\xe9seeker",
        ]
    ),
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.6 " + "X" * 150 + " Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23 Chrome/115.0.0.0 Mobile Safari/537.36",
    "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.12.388 Version/110",
    "Opera/7 (Windows 98; U)  [en]",
    "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118 Safari/537.36",
    # Space the gate strips before and after it cuts: tabs, \x0b, no-break spaces.
    "\t" * 600 + "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "\xa0\x0b" * 300 + "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "null\x0b",
    "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)" + "\xa0" * 500 + "bot",
]


@pytest.mark.parametrize("name", list(POLICIES))
def test_edge_cases_are_decided_as_check_decides(name: str, preset_nginx: Connect) -> None:
    """Each string that once told nginx and check() apart gets the same verdict from both."""
    policy = POLICIES[name]
    # Latin-1 text goes as its bytes (a byte 0xa0 is a no-break space), the rest as UTF-8;
    # check() reads the bytes as latin-1, as the middleware does.
    sent = [ua.encode("latin-1" if max(map(ord, ua)) < 256 else "utf-8") for ua in EDGE_CASES]
    with preset_nginx(name) as connection:
        answers = [get(connection, {"User-Agent": raw})[0] for raw in sent]
    expected = [406 if check(raw.decode("latin-1"), policy=policy).gated else 200 for raw in sent]
    assert answers == expected


def test_any_method_gets_the_page_and_nothing_else_is_touched(preset_nginx: Connect) -> None:
    """POST, PUT, DELETE, OPTIONS get the gate page; other responses keep nginx's own ways.

    The server inherits its http {} add_header and error_page as it would without the
    gate, on passed responses and on a 406 of its own.
    """
    with preset_nginx("default") as connection:
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
            status, headers, body = get(connection, {"User-Agent": testing.IE11}, method=method)
            assert (status, body.decode()) == (406, render_page("en")), method
        status, headers, body = get(connection, {"User-Agent": testing.CHROME}, path="/app-406")
        assert status == 406
        assert b"406 Not Acceptable" in body
        assert "We don't support" not in body.decode()
        assert "cache-control" not in headers
        assert "content-language" not in headers
        assert headers["x-http-level"] == "inherited"
        status, headers, body = get(connection, {"User-Agent": testing.CHROME}, path="/none/")
        assert (status, body) == (404, b"the http-level 404 page\n")
        status, headers, _ = get(connection, {"User-Agent": testing.CHROME})
        assert (status, headers["x-http-level"]) == (200, "inherited")


def test_websockets_exclusions_and_methods_pass_as_the_middleware_lets_them() -> None:
    """A websocket handshake passes by default; exclude_paths and methods as in the middleware."""
    with nginx_serving(
        Policy(), exclude_paths=["/health", "/static/"], methods=["GET", "head"]
    ) as connection:
        ie = {"User-Agent": testing.IE11}
        upgrade = {**ie, "Upgrade": "websocket", "Connection": "Upgrade"}
        assert get(connection, upgrade)[0] == 200
        assert get(connection, ie, path="/health")[0] == 200
        assert get(connection, ie, path="/healthz")[0] == 200
        assert get(connection, ie, path="/static/app.js")[0] == 200
        assert get(connection, ie, path="/statistics")[0] == 406
        assert get(connection, ie, method="POST")[0] == 200
        assert get(connection, ie, method="HEAD")[0] == 406
        assert get(connection, {**ie, "Upgrade": "x|/health"}, path="/a|b")[0] == 406
        for path in ("/_uagate/page/internet-explorer.en.html", "/_uagate/page/"):
            assert get(connection, {"User-Agent": testing.CHROME}, path=path)[0] == 404


def test_vary_user_agent_names_the_verdicts_headers_on_passed_responses() -> None:
    """As the middleware's option: Vary on responses the gate decided, not on excluded ones."""
    with nginx_serving(Policy(), vary_user_agent=True, exclude_paths=["/health"]) as connection:
        _, headers, _ = get(connection, {"User-Agent": testing.CHROME})
        _, excluded, _ = get(connection, {"User-Agent": testing.CHROME}, path="/health")
    vary = {part.strip() for part in headers["vary"].split(",")}
    assert vary == {"User-Agent", "Sec-CH-UA", "Sec-CH-UA-Full-Version-List"}
    assert "vary" not in excluded
    # The price docs/edge.md states: a server-level add_header ends the inheritance of
    # http {}'s add_header lines in that server.
    assert "x-http-level" not in headers


def test_files_are_readable_by_nginx_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 077 the files are still 0644 and the folders 0755."""
    old = os.umask(0o077)
    try:
        written = export_nginx(tmp_path / "out")
    finally:
        os.umask(old)
    assert {path.stat().st_mode & 0o777 for path in written} == {0o644}
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out" / "pages").stat().st_mode & 0o777 == 0o755
    assert all(path.is_absolute() for path in written)


def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    """Exporting into a folder that is there does not open it to every user."""
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    export_nginx(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "pages").stat().st_mode & 0o777 == 0o755
    assert not list(folder.rglob("*.partial"))


def test_default_language_is_read_as_a_tag() -> None:
    """default_language="zh-TW" is Traditional Chinese, as for the middleware; "xx" is refused."""
    assert http_conf(default_language="zh-TW") == http_conf(default_language="zh-Hant")
    with pytest.raises(NginxExportError, match="uagate page --list"):
        http_conf(default_language="xx")


# A server's own directives, after the include as docs/edge.md asks: rewrites that
# would catch the page's internal redirect, a login subrequest, basic auth.
SERVER_DIRECTIVES = {
    "rewrite-everything": "rewrite ^(.*)$ /front$1 last;",
    "missing-file-rewrite": "if (!-e $request_filename) { rewrite ^(.+)$ /?q=$1 last; }",
    "return-at-server-level": "if ($http_x_test) { return 200 'test'; }",
    "auth-request": "auth_request /auth; location = /auth { return 204; }",
    "basic-auth": 'auth_basic "staff"; auth_basic_user_file /nonexistent;',
}


@pytest.mark.parametrize("name", list(SERVER_DIRECTIVES))
def test_the_server_own_directives_do_not_touch_the_gate_page(name: str) -> None:
    """IE gets 406 and the page, whatever rewrites and logins the server has after the include."""
    with nginx_serving(Policy(), SERVER_DIRECTIVES[name]) as connection:
        for method in ("GET", "POST"):
            status, headers, body = get(
                connection, {"User-Agent": testing.IE11, "X-Test": "1"}, method=method
            )
            assert (status, body.decode()) == (406, render_page("en")), (name, method)
            assert headers["cache-control"] == "no-store"
        if name != "basic-auth":
            assert get(connection, {"User-Agent": testing.CHROME})[0] == 200


@pytest.mark.parametrize("character", ["$", '"', "\\", "*", "?", "[", "\n"])
def test_a_directory_nginx_would_misread_is_refused(tmp_path: Path, character: str) -> None:
    """$ is a variable to nginx, *, ? and [ make an include a pattern: refused, nothing written."""
    target = tmp_path / f"a{character}b"
    with pytest.raises(NginxExportError, match="cannot be named in nginx"):
        export_nginx(target)
    assert not target.exists()


def test_folders_it_creates_are_readable_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 077 every folder the export creates, parents too, is 0755."""
    old = os.umask(0o077)
    try:
        export_nginx(tmp_path / "a" / "b" / "out")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "out"):
        assert folder.stat().st_mode & 0o777 == 0o755, folder


def docs_nginx_example() -> str:
    """The one nginx configuration block of docs/edge.md."""
    text = (ROOT / "docs" / "edge.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 1
    return str(blocks[0])


def test_the_docs_and_the_export_recommend_pcre_jit() -> None:
    """docs/edge.md turns PCRE JIT on in the main context, says why; the export says so too."""
    example = docs_nginx_example()
    assert "pcre_jit on;" in example.split("\nhttp {")[0]
    edge = " ".join((ROOT / "docs" / "edge.md").read_text(encoding="utf-8").split())
    assert "`pcre_jit on;` goes in the main context of `nginx.conf`" in edge
    assert "PCRE regular expressions on every request" in edge
    assert "say `pcre_jit on;` in the main" in http_conf()


def test_nginx_accepts_the_docs_example_with_pcre_jit(tmp_path: Path) -> None:
    """``nginx -t`` passes docs/edge.md's example as written, the export included, no warning.

    Only what a whole nginx.conf needs besides is added: events {}, and a pid file and
    temporary folders of the test's own.
    """
    tmp_path.chmod(0o755)
    export_nginx(tmp_path / "uagate")
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    example = docs_nginx_example().replace("/etc/nginx/uagate", str(tmp_path / "uagate"))
    assert example.startswith("# Main context")
    assert "\npcre_jit on;\n" in example
    example = example.replace("http {\n", f"http {{\n{temp}\n", 1)
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\n{example}", encoding="utf-8")
    command = [nginx_path(), "-t", "-p", str(tmp_path), "-c", str(conf)]
    command += ["-e", str(tmp_path / "error.log")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr
    assert "[emerg]" not in result.stderr, result.stderr
