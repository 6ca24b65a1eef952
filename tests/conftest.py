"""Shared helpers: small ASGI apps and a direct ASGI driver."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, cast

import httpx
import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, sync_playwright
from starlette.types import Message, Receive, Scope, Send

from uagate import _log

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


@cache
def locale_file(tag: str) -> dict[str, Any]:
    """A locale file of the package, read as a file, not through uagate's loader."""
    path = ROOT / "src" / "uagate" / "locales" / f"{tag}.json"
    found: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return found


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


#: The bound on every Playwright wait, in milliseconds.
TIMEOUT_MS = 5_000
#: No sandbox (the tests run as root), and no name lookups but 127.0.0.1: Chromium's own
#: background requests (updates, accounts, prefetches) cannot leave the machine either.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--dns-prefetch-disable",
]


def chromium_path() -> str:
    """Debian's chromium; a missing one fails under CI=true and skips elsewhere."""
    path = shutil.which("chromium")
    if path is None:
        missing("chromium is not on PATH (Debian: apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless chromium, launched once for this module and closed after it."""
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
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
            if last:
                if not at_end:
                    yield "an unbounded repeat at the end of a group"
                continue
            following = chars_of(items[index + 1], flags)
            if following is None:
                yield f"an unbounded repeat followed by {items[index + 1][0]}, not one character"
            elif repeated & following:
                yield f"an unbounded repeat followed by a character it also matches: {sub_items}"
        elif name == "SUBPATTERN":
            yield from shape_problems(av[-1], flags, at_end=at_end and last, bound=bound)
        elif name == "BRANCH":
            for branch in av[1]:
                yield from shape_problems(branch, flags, at_end=at_end and last, bound=bound)
        elif name in ("ASSERT", "ASSERT_NOT"):
            yield from shape_problems(av[1], flags, at_end=False, bound=bound)
