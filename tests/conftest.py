"""Shared helpers: small ASGI apps and a direct ASGI driver."""

from __future__ import annotations

import http.client
import importlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, NoReturn, Protocol, TextIO, cast

import httpx
import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, sync_playwright
from starlette.types import Message, Receive, Scope, Send

from uagate import Policy, _log
from uagate.logscan import LogInput, LogScanner, ScanReport
from uagate.nginx import export_nginx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("UAGATE_CORPUS", ROOT.parent / "shared" / "corpus" / "ua_dev.tsv"))

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The tests talk to 127.0.0.1 only, never through a proxy the environment may name.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

# Property tests: 2,000 examples each in CI, 200 elsewhere (HYPOTHESIS_PROFILE overrides).
# No deadline: a slow example on a busy machine is not a failure (timing is measured by
# benchmarks/bench_hostile.py, never asserted in tests).
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
# "ci" keeps hypothesis's own CI settings (a fixed seed, no example database, failing
# examples printed so that they can be replayed) and raises the number of examples.
settings.register_profile(
    "ci", settings.get_profile("ci"), max_examples=2000, suppress_health_check=_QUIET
)
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(
    os.environ.get(
        "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
    )
)


@pytest.fixture(autouse=True)
def _forget_logged_causes() -> None:
    """Each test sees uagate's log-once memory empty, whatever ran before it."""
    _log._logged_causes.clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tables tests left as their ``summary`` property (tests/test_accuracy.py).

    A test's own output is not shown when it passes, nor at all from a pytest-xdist
    worker; its properties come back to the terminal either way.
    """
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        for name, value in report.user_properties:
            if name == "summary":
                terminalreporter.write_sep("-", report.nodeid)
                terminalreporter.write_line(str(value))


@cache
def locale_file(tag: str) -> dict[str, Any]:
    """A locale file of the package, read as a file, not through uagate's loader."""
    path = ROOT / "src" / "uagate" / "locales" / f"{tag}.json"
    found: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return found


def one_language_per_script(languages: Iterable[str]) -> list[str]:
    """Of ``languages``, one for each script and text direction: the one with the longest word.

    A language's script is that of the letters of its heading, message and note (the
    gate page's text) other than Latin ones, which every language has in the browser
    names; Latin if there are none. Japanese (kanji and kana) and Chinese (Han alone)
    count as two. The longest word (a run without spaces) is the one most likely to
    reach past a narrow screen. Browser layout checks run on these languages, about a
    dozen; checks that need no browser still run on every language.
    """
    chosen: dict[tuple[frozenset[str], str], tuple[int, str]] = {}
    for tag in languages:
        strings = locale_file(tag)
        text = " ".join(strings[key] for key in ("heading", "message", "note"))
        scripts = {unicodedata.name(char, "?").split()[0] for char in text if char.isalpha()}
        key = (frozenset(scripts - {"LATIN"} or {"LATIN"}), strings["dir"])
        longest = max(len(word) for word in text.split())
        if key not in chosen or longest > chosen[key][0]:
            chosen[key] = (longest, tag)
    return [tag for _, tag in chosen.values()]


def missing(message: str) -> NoReturn:
    """Something a test needs is not here: a failure under CI=true, a skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def corpus_path() -> Path:
    """The labelled corpus; a missing file fails under CI=true and skips elsewhere."""
    if not CORPUS.is_file():
        missing(f"the User-Agent corpus is missing at {CORPUS} (set UAGATE_CORPUS to its path)")
    return CORPUS


def load_example(name: str) -> ModuleType:
    """Import examples/<name>.py as a module (tests/test_examples.py, tests/test_report.py)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The bound on every Playwright wait, in milliseconds.
TIMEOUT_MS = 5_000
#: No sandbox (the tests run as root), and no name lookups but 127.0.0.1: Chromium's own
#: background requests (updates, accounts, prefetches) cannot leave the machine either.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--dns-prefetch-disable",
]


#: Debian's Chromium builds, the lighter first: the headless shell is Chromium's own
#: headless browser (Playwright's choice for headless runs), the same Blink and V8
#: without the desktop browser around them, and runs these tests at a third of the cost.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium")


def chromium_path() -> str:
    """Debian's chromium-headless-shell, else chromium; neither fails in CI, skips elsewhere."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path is not None:
            return path
    missing(
        "neither chromium-headless-shell nor chromium is on PATH "
        "(Debian: apt-get install chromium-headless-shell)"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless chromium, launched once for this module and closed after it.

    Not once for the session: while Playwright's sync API is open, its event loop runs
    in this thread, and ``asyncio.run`` in any other module's test would fail.
    """
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True, timeout=15_000
        )
        try:
            yield launched
        finally:
            launched.close()


async def app_that_must_not_run(scope: Scope, receive: Receive, send: Send) -> None:
    """An inner app that fails the test if a gated request ever reaches it."""
    raise AssertionError(f"the wrapped app was called for {scope['type']} {scope.get('path')}")


def http_scope(headers: list[tuple[bytes, bytes]], method: str = "GET", path: str = "/") -> Scope:
    """A minimal, valid ASGI HTTP scope."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def run_asgi(app: ASGIApp, scope: Scope) -> list[Message]:
    """Drive ``app`` with one request that has no body; return every message it sent."""
    sent: list[Message] = []
    request_done = False

    async def receive() -> Message:
        nonlocal request_done
        if not request_done:
            request_done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    Under pytest-xdist each worker takes only ports of its own share (``port // 2``
    modulo the number of workers: Linux hands out odd ports first), so that two
    workers starting servers at the same moment never pick the same port.
    """
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    share = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    for _ in range(200):  # one port in `count` is this worker's: 200 misses do not happen
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port // 2 % count == share:
            break
    return port


@contextmanager
def running_server(
    command: list[str], url: str, log: Path, *, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process, wait until ``url`` answers (at most about 15 s), stop it after.

    The server's output goes to ``log``, quoted in the failure if it exits early.
    """
    with (
        log.open("wb") as output,
        # Its own process group, so that stopping it stops its workers too (granian has one).
        subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=output, start_new_session=True
        ) as server,
    ):
        try:
            for _ in range(150):  # at most about 15 seconds
                try:
                    httpx.get(url, timeout=1.0)
                    if server.poll() is not None:  # something else answers on that port
                        pytest.fail(f"the server exited: {log.read_text()}")
                    break
                except httpx.TransportError:
                    if server.poll() is not None:
                        pytest.fail(f"the server exited: {log.read_text()}")
                    time.sleep(0.1)
            else:
                pytest.fail(f"the server did not answer within 15 seconds: {log.read_text()}")
            yield server
        finally:
            _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group; SIGKILL after 10 s if it is still there."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    except ProcessLookupError:  # already gone
        server.wait(timeout=10)


# --- the shape of a regular expression: tests/test_redos.py, tests/test_nginx.py ---

UNICODE_SAMPLE = [chr(code) for code in range(0x300)] + ["\u2028", "\u3000", "\uff10"]


def chars_of(node: tuple[object, object], flags: int) -> set[str] | None:
    """The characters (of a sample) a one-character node matches, or None if it is not one."""
    op, av = node
    ascii_only = bool(flags & re.ASCII)
    folded = bool(flags & re.IGNORECASE)

    def category(name: str, char: str) -> bool:
        if ascii_only and not char.isascii():
            return "NOT" in name
        test: dict[str, Callable[[str], bool]] = {
            "CATEGORY_DIGIT": str.isdigit,
            "CATEGORY_SPACE": str.isspace,
            "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
        }
        for base, check in test.items():
            if name.endswith(base.removeprefix("CATEGORY_")):
                return (not check(char)) if "NOT" in name else check(char)
        raise AssertionError(f"unknown category {name}")

    def one(op: object, av: object, char: str) -> bool:
        name = str(op)
        if name == "LITERAL":
            return char == chr(av)  # type: ignore[arg-type]
        if name == "NOT_LITERAL":
            return char != chr(av)  # type: ignore[arg-type]
        if name == "ANY":
            return char != "\n" or bool(flags & re.DOTALL)
        if name == "CATEGORY":
            return category(str(av), char)
        if name == "RANGE":
            low, high = cast("tuple[int, int]", av)
            return low <= ord(char) <= high
        if name == "IN":
            negated = any(str(o) == "NEGATE" for o, _ in av)  # type: ignore[attr-defined]
            hit = any(one(o, a, char) for o, a in av if str(o) != "NEGATE")  # type: ignore[attr-defined]
            return hit != negated
        raise LookupError(name)

    if str(op) not in ("LITERAL", "NOT_LITERAL", "ANY", "CATEGORY", "IN"):
        return None
    found = set()
    for char in UNICODE_SAMPLE:
        forms = {char, char.lower(), char.upper()} if folded else {char}
        if any(one(op, av, form) for form in forms):
            found.add(char)
    return found


def shape_problems(
    parsed: object, flags: int, at_end: bool = True, bound: int = 256
) -> Iterator[str]:
    """Why a parsed pattern may not run in linear time (nothing when it does).

    A repeat of at most ``bound`` counts as bounded (at most that many steps a start).
    """
    items = list(parsed)  # type: ignore[call-overload]
    for index, (op, av) in enumerate(items):
        name = str(op)
        last = index == len(items) - 1
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, sub = av
            yield from shape_problems(sub, flags, at_end=False, bound=bound)
            if high <= bound:  # bounded: at most that many steps a start
                continue
            sub_items = list(sub)
            repeated = chars_of(sub_items[0], flags) if len(sub_items) == 1 else None
            if repeated is None:
                yield f"an unbounded repeat of more than one character class: {sub_items}"
                continue
            # A lookbehind takes no text: the repeat gives back characters only
            # for what comes after it, which is then what it must not match.
            after = index + 1
            while after < len(items) and str(items[after][0]) in ("ASSERT", "ASSERT_NOT"):
                if items[after][1][0] != -1:
                    break
                after += 1
            if after == len(items):
                if not at_end:
                    yield "an unbounded repeat at the end of a group"
                continue
            following = chars_of(items[after], flags)
            if following is None and str(items[after][0]) == "ASSERT" and items[after][1][0] == 1:
                # X*(?=Y): as X*Y for what the repeat can give back.
                nodes = list(items[after][1][1])
                following = chars_of(nodes[0], flags) if len(nodes) == 1 else None
            if following is None and str(items[after][0]) == "ASSERT_NOT":
                # X{0,n}(?!X): the repeat takes the whole run and can give none of it
                # back (a shorter run is followed by an X), so one way to match.
                direction, asserted = items[after][1]
                nodes = list(asserted)
                barred = chars_of(nodes[0], flags) if len(nodes) == 1 else None
                if direction == 1 and barred is not None and repeated <= barred:
                    continue
            if following is None:
                yield f"an unbounded repeat followed by {items[after][0]}, not one character"
            elif repeated & following:
                yield f"an unbounded repeat followed by a character it also matches: {sub_items}"
        elif name == "SUBPATTERN":
            yield from shape_problems(av[-1], flags, at_end=at_end and last, bound=bound)
        elif name == "BRANCH":
            for branch in av[1]:
                yield from shape_problems(branch, flags, at_end=at_end and last, bound=bound)
        elif name in ("ASSERT", "ASSERT_NOT"):
            yield from shape_problems(av[1], flags, at_end=False, bound=bound)


def scan_logs(
    *paths: Path, policy: Policy | None = None, scanner: LogScanner | None = None
) -> ScanReport:
    """The report of ``paths`` read in turn by ``scanner``, or a new one (default policy)."""
    scanner = scanner or LogScanner(policy or Policy(), "policy")
    for path in paths:
        log = LogInput(str(path))
        try:
            scanner.scan(log)
        finally:
            log.close()
    return scanner.report


def scan_lines(
    tmp_path: Path,
    lines: Iterable[str | bytes],
    *,
    name: str = "access.log",
    policy: Policy | None = None,
) -> ScanReport:
    """The report of one scan of ``lines`` (text as UTF-8) written to ``name``, a newline each."""
    path = tmp_path / name
    data = (entry.encode() if isinstance(entry, str) else entry for entry in lines)
    path.write_bytes(b"".join(entry + b"\n" for entry in data))
    return scan_logs(path, policy=policy)


# --- the uagate command run in-process: tests/test_cli*.py ---


class CliRun(NamedTuple):
    """What one run of ``uagate`` did: its exit status, standard output and standard error."""

    code: int
    out: str
    err: str


class RunCli(Protocol):
    """The ``run_cli`` fixture: ``run_cli("check", IE11, stdin=b"", cwd=...)``."""

    def __call__(
        self,
        *args: str | bytes,
        stdin: bytes = b"",
        cwd: Path = ROOT,
        serve: Callable[..., None] | None = None,
    ) -> CliRun: ...


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``uagate ARGS`` in this process, through :func:`uagate.cli.main`, as a shell would.

    Arguments given as bytes are decoded as Python decodes a process's arguments;
    ``stdin`` comes through a pipe, as ``subprocess.run(input=...)`` gives it; the
    command runs in ``cwd``, with the current directory not on ``sys.path`` (as for
    the console script). A status of ``sys.exit`` (argparse's errors, ``--help``) is
    the exit status. What the run changes is undone after it: the working directory,
    ``sys.path``, the environment, and the modules it imported from outside Python,
    its site-packages and uagate (a project's ``gate.py`` is imported afresh by the
    next run). ``uvicorn.run`` is ``serve``: by default it fails the test, for a real
    server is started by :func:`running_server`.
    """
    from uagate.cli import main

    def run(
        *args: str | bytes,
        stdin: bytes = b"",
        cwd: Path = ROOT,
        serve: Callable[..., None] | None = None,
    ) -> CliRun:
        argv = [os.fsdecode(arg) for arg in args]
        capsys.readouterr()  # what the test printed before is not the command's
        modules = set(sys.modules)
        environment = dict(os.environ)
        with monkeypatch.context() as patch, _standard_input(stdin) as standard_input:
            patch.chdir(cwd)
            patch.setattr(sys, "path", [entry for entry in sys.path if entry not in ("", ".")])
            patch.setattr(sys, "stdin", standard_input)
            patch.setattr("uvicorn.run", serve or _no_server)
            importlib.invalidate_caches()  # a module the test has just written is seen
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = _exit_status(exit_.code)
            finally:
                _forget_imports(modules)
                _restore_environment(environment)
        out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run


def _no_server(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("an in-process uagate run reached uvicorn.run: use running_server")


def _exit_status(code: object) -> int:
    """The exit status of ``sys.exit(code)``, which prints a code that is no number."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


@contextmanager
def _standard_input(data: bytes) -> Iterator[TextIO]:
    """A pipe that holds ``data``, then its end, as a process's standard input."""
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=_write_all, args=(write_end, data), daemon=True)
    writer.start()
    try:
        with open(read_end, encoding="utf-8") as stream:
            yield stream
    finally:  # closed: a writer blocked on a full pipe gets EPIPE and ends
        writer.join(timeout=10)


def _write_all(descriptor: int, data: bytes) -> None:
    try:
        with open(descriptor, "wb") as pipe:
            pipe.write(data)
    except BrokenPipeError:  # the command stopped reading: so does a shell's pipe
        pass


def _forget_imports(before: set[str]) -> None:
    """Unload the modules imported since ``before`` from elsewhere than Python and uagate."""
    import uagate

    kept = tuple(
        os.path.join(os.path.abspath(folder), "")
        for folder in (sys.prefix, sys.base_prefix, sys.exec_prefix, *uagate.__path__)
    )
    for name in set(sys.modules) - before:
        file = getattr(sys.modules[name], "__file__", None)
        if file and not os.path.abspath(file).startswith(kept):
            del sys.modules[name]


def _restore_environment(before: dict[str, str]) -> None:
    """Put back the environment variables a run set, changed or removed."""
    for name in set(os.environ) - set(before):
        del os.environ[name]
    for name, value in before.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


# --- what tests/test_cli*.py share ---

#: ``python -m uagate``, to run the command as a process.
UAGATE = [sys.executable, "-m", "uagate"]
#: Chrome 100: passed by the default policy, gated (outdated) by ``Policy.modern()``.
CHROME_100 = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/100.0.4896.60 Safari/537.36"
)

#: shop.py: a small Starlette app (``app``, and a factory ``create``), without a gate.
SITE = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def home(request):
    return PlainTextResponse("hello from the site")


app = Starlette(routes=[Route("/", home), Route("/health", home)])


def create():
    return app
"""


def combined(day: int, user_agent: str, path: str = "/") -> str:
    """One nginx/Apache combined log line (the User-Agent already escaped as logged)."""
    return (
        f'203.0.113.7 - - [{day:02d}/Nov/2026:10:00:00 +0000] "GET {path} HTTP/1.1" 200 512 '
        f'"https://example.com/" "{user_agent}"'
    )


async def hello_asgi(scope: Scope, receive: Receive, send: Send) -> None:
    """A plain ASGI app, no framework."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-plain", b"1")]})
    await send({"type": "http.response.body", "body": b"plain"})


# --- client hints: tests/test_hints.py, tests/test_cache.py ---

#: Sec-CH-UA of Chrome 124 and of Chrome 119.
CHROME_124 = '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'
CHROME_119 = '"Google Chrome";v="119", "Chromium";v="119", "Not?A_Brand";v="24"'
#: What Chrome 125 sends as its (reduced) User-Agent string.
CHROME_125_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)


# --- nginx in front of a one-line app: tests/test_nginx.py, tests/test_cli_app.py ---


def nginx_path() -> str:
    """The distribution's nginx; a missing one fails under CI=true and skips elsewhere."""
    path = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        missing("nginx is not installed (Debian: apt-get install nginx)")
    return path


@contextmanager
def nginx_serving(
    policy: Policy | None = None,
    server: str = "",
    *,
    export: Callable[[Path], object] | None = None,
    **options: Any,
) -> Iterator[http.client.HTTPConnection]:
    """Start nginx on 127.0.0.1 with the export of ``policy`` in front of a one-line app.

    ``server``: more directives for the server {}, after the include; ``options``:
    export_nginx's. ``export``: writes the export into the directory it is given
    instead (``uagate export nginx --out DIR``, say). Yields a kept-alive
    connection to it, closed after. The one-line app answers 200 "the app" on
    every path but /app-406 (406 of its own) and /none/ (404).
    """
    executable = nginx_path()
    # nginx's workers may run as another user: the files must be readable by any.
    directory = Path(tempfile.mkdtemp(prefix="uagate-nginx-"))
    try:
        directory.chmod(0o755)
        if export is None:
            export_nginx(directory / "export", Policy() if policy is None else policy, **options)
        else:
            export(directory / "export")
        port = free_port()
        temp = directory / "temp"
        temp.mkdir()
        conf = directory / "nginx.conf"
        conf.write_text(
            f"""
worker_processes 1;
pcre_jit on;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {directory}/export/uagate_http.conf;
    add_header X-Http-Level inherited always;
    error_page 404 /404.txt;
    server {{
        listen 127.0.0.1:{port};
        include {directory}/export/uagate_server.conf;
        {server}
        location / {{
            default_type text/plain;
            return 200 "the app\\n";
        }}
        location = /app-406 {{
            return 406;
        }}
        location = /404.txt {{
            default_type text/plain;
            return 200 "the http-level 404 page\\n";
        }}
        location /none/ {{
            return 404;
        }}
    }}
}}
"""
        )
        command = [executable, "-p", str(directory), "-c", str(conf), "-g", "daemon off;"]
        with running_server(command, f"http://127.0.0.1:{port}/", directory / "nginx.out"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                yield connection
            finally:
                connection.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def http_get(
    connection: http.client.HTTPConnection,
    headers: dict[str, str] | dict[str, bytes],
    method: str = "GET",
    path: str = "/",
) -> tuple[int, dict[str, str], bytes]:
    """One request on a kept-alive connection: status, headers (lower-cased names), body.

    Text header values are sent as UTF-8, bytes as they are.
    """
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value if isinstance(value, bytes) else value.encode("utf-8"))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


# --- the examples, imported as servers import them: tests/test_frameworks.py, test_django.py ---


def import_example(name: str) -> ModuleType:
    """Import examples/<name>.py as the module ``name``, in sys.modules as ``uvicorn`` has it.

    Litestar resolves its handlers' annotations in ``sys.modules[handler.__module__]``.
    """
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def example(name: str) -> ModuleType:
    """examples/<name>.py, imported once per test process (Django's settings are per process).

    The Django example configures the process's settings; tests with settings of their
    own import it first and change only what they need with ``override_settings``.
    """
    return import_example(name)
