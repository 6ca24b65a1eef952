"""Shared helpers: small ASGI apps and a direct ASGI driver."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

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
