"""The verdict is the truth: what the app, a hook and the log see is what check() says.

Over every row of the development corpus, under both presets, each client sent
twice (decided, then remembered), through the middleware's shortcut and through
its full path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from starlette.requests import HTTPConnection
from starlette.types import Receive, Scope, Send

from uagate import Policy, UAGateMiddleware, Verdict, check
from uagate.decision import Decider
from uagate.detect import cap

from .conftest import corpus_path, http_scope

PRESETS = {"default": Policy(), "modern": Policy.modern()}


def corpus_user_agents() -> list[str]:
    """Every User-Agent of the corpus, in file order."""
    with corpus_path().open(encoding="utf-8") as corpus:
        next(corpus)
        return [line.rstrip("\n").split("\t")[4] for line in corpus]


def seen_fields(verdict: Verdict) -> tuple[object, ...]:
    """The fields the issue of truth is about."""
    client = verdict.client
    return verdict.gated, verdict.reason, client.family, client.version, client.is_bot


class Recorder(logging.Handler):
    """Keeps the uagate log records of gated requests."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def gated_records() -> Iterator[Recorder]:
    """The uagate logger at INFO, its records kept (and sent nowhere else)."""
    logger = logging.getLogger("uagate")
    recorder = Recorder()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # tens of thousands of records: none to the root's handlers
    yield recorder
    logger.removeHandler(recorder)
    logger.setLevel(old_level)
    logger.propagate = old_propagate


async def _noop_receive() -> dict[str, object]:
    return {"type": "http.request", "body": b"", "more_body": False}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_app_hook_and_log_see_what_check_says_on_every_row(
    preset: str, gated_records: Recorder
) -> None:
    """For each row, twice: state (app), hook and log record equal check() and the full path."""
    policy = PRESETS[preset]
    user_agents = corpus_user_agents()
    full = Decider(policy)
    app_saw: list[Verdict] = []
    hook_saw: list[Verdict] = []
    statuses: list[int] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        app_saw.append(scope["state"]["uagate"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def hook(request: HTTPConnection, verdict: Verdict) -> None:
        hook_saw.append(verdict)

    shortcut = UAGateMiddleware(app, policy=policy)
    hooked = UAGateMiddleware(app, policy=policy, on_verdict=hook)
    assert shortcut._known is not None
    assert hooked._known is None

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(int(message["status"]))  # type: ignore[call-overload]

    async def run() -> None:
        for user_agent in user_agents:
            for gate in (shortcut, hooked, shortcut, hooked):
                scope = http_scope([(b"user-agent", user_agent.encode("latin-1", "replace"))])
                await gate(scope, _noop_receive, send)  # type: ignore[arg-type]

    asyncio.run(run())
    hooks = iter(hook_saw)
    apps = iter(app_saw)
    records = iter(gated_records.records)
    compared = 0
    for user_agent in user_agents:
        raw = user_agent.encode("latin-1", "replace").decode("latin-1")
        expected = seen_fields(check(raw, policy=policy))
        assert seen_fields(full.describe(cap(raw))) == expected, raw
        for _ in range(2):
            # shortcut gate: the app saw it, or the log recorded it
            if expected[0]:
                record = next(records)
                logged = (record.uagate_family, record.uagate_version, record.uagate_reason)  # type: ignore[attr-defined]
                version = ".".join(map(str, expected[3])) or "?"  # type: ignore[call-overload]
                assert logged == (expected[2], version, expected[1].value), raw  # type: ignore[attr-defined]
            else:
                assert seen_fields(next(apps)) == expected, raw
            # hooked gate: the hook saw it (and the log, or the app, too)
            assert seen_fields(next(hooks)) == expected, raw
            if expected[0]:
                next(records)
            else:
                assert seen_fields(next(apps)) == expected, raw
            compared += 2
    assert next(hooks, None) is None
    assert next(apps, None) is None
    assert compared == 4 * len(user_agents) > 70_000
    assert statuses.count(406) == 4 * sum(
        check(ua.encode("latin-1", "replace").decode("latin-1"), policy=policy).gated
        for ua in user_agents
    )


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_ie_strings_with_chromium_hints_are_seen_as_check_says(preset: str) -> None:
    """IE-like corpus strings sent with Chromium's hints, twice: the app sees check()'s verdict."""
    policy = PRESETS[preset]
    hints = {"sec-ch-ua": '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'}
    user_agents = [
        ua for ua in corpus_user_agents() if "msie" in ua.lower() or "trident" in ua.lower()
    ]
    seen: list[Verdict] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["state"]["uagate"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: dict[str, object]) -> None:
        return None

    gate = UAGateMiddleware(app, policy=policy)

    async def run() -> None:
        for user_agent in user_agents:
            headers = [(b"user-agent", user_agent.encode("latin-1", "replace"))]
            headers += [(name.encode(), value.encode()) for name, value in hints.items()]
            for _ in range(2):
                await gate(http_scope(list(headers)), _noop_receive, send)  # type: ignore[arg-type]

    asyncio.run(run())
    expected = [
        seen_fields(check(ua.encode("latin-1", "replace").decode("latin-1"), hints, policy=policy))
        for ua in user_agents
        for _ in range(2)
    ]
    passed = [fields for fields in expected if not fields[0]]
    assert [seen_fields(verdict) for verdict in seen] == passed
    assert len(passed) > 6000
