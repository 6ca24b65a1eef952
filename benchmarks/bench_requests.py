"""In-process benchmark: requests through a trivial ASGI app, with and without the gate.

Measured in one run, interleaved (the order rotates every chunk): the bare app;
a pass-through middleware that only reads the User-Agent header (the floor);
uagate with the default policy; uagate with Policy.modern(); for reference,
uagate with the default policy that has seen every measured client before; a
naive middleware that calls user_agents.parse on every request. Prints
microseconds per request (median of the rounds) and the ratios.

    .venv/bin/python benchmarks/bench_requests.py                 # the full run
    .venv/bin/python benchmarks/bench_requests.py --requests 2000 --rounds 1   # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import user_agents
from starlette.types import ASGIApp, Message, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uatrace import trace

from uagate import Policy, UAGateMiddleware

OTHER_HEADERS = [
    (b"host", b"www.example.com"),
    (b"accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    (b"accept-language", b"en-US,en;q=0.9"),
    (b"accept-encoding", b"gzip, deflate, br"),
    (b"connection", b"keep-alive"),
    (b"cookie", b"session=abc123; theme=dark"),
]


async def bare_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The trivial app: a 200 with a short body."""
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


class ReadUserAgent:
    """The floor: a pure ASGI middleware that finds the User-Agent header and passes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the header, then call the app."""
        user_agent = None
        for name, value in scope["headers"]:
            if name == b"user-agent":
                user_agent = value.decode("latin-1")
                break
        scope["user_agent"] = user_agent
        await self.app(scope, receive, send)


class NaiveGate:
    """What many gates do: parse every User-Agent in full with user_agents."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Parse the header in full, then gate IE or call the app."""
        user_agent = ""
        for name, value in scope["headers"]:
            if name == b"user-agent":
                user_agent = value.decode("latin-1")
                break
        if user_agents.parse(user_agent).browser.family == "IE":
            await send({"type": "http.response.start", "status": 406, "headers": []})
            await send({"type": "http.response.body", "body": b"no IE"})
            return
        await self.app(scope, receive, send)


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Message) -> None:
    return None


def scopes_for(user_agents_: list[str]) -> list[Scope]:
    """One ASGI scope per request, built before any timing."""
    return [
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "root_path": "",
            "scheme": "https",
            "query_string": b"",
            "headers": [
                OTHER_HEADERS[0],
                (b"user-agent", ua.encode("latin-1", "replace")),
                *OTHER_HEADERS[1:],
            ],
            "state": {},
        }
        for ua in user_agents_
    ]


def time_run(app: ASGIApp, scopes: list[Scope]) -> float:
    """Microseconds per request for one pass over ``scopes``."""

    async def run() -> float:
        start = time.perf_counter_ns()
        for scope in scopes:
            await app(scope, _receive, _send)
        return (time.perf_counter_ns() - start) / 1000 / len(scopes)

    return asyncio.run(run())


def interleaved(
    apps: dict[str, ASGIApp], user_agents_: dict[str, list[str]], chunk: int
) -> dict[str, float]:
    """Microseconds per request for each app, its requests run in alternating chunks.

    Running every variant chunk by chunk, in an order that rotates, gives each
    the same share of whatever else the machine is doing. Each chunk's scopes
    are built just before it is timed and dropped after, as a server drops a
    request's scope when it is answered: scopes kept alive would hold whatever
    a middleware stores in them (uagate's verdict in ``scope["state"]``) and
    make the garbage collector walk them all, a cost no server has.
    """
    total = dict.fromkeys(apps, 0.0)
    names = list(apps)
    longest = max(len(requests) for requests in user_agents_.values())
    for index, start in enumerate(range(0, longest, chunk)):
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            part = scopes_for(user_agents_[name][start : start + chunk])
            if part:
                total[name] += time_run(apps[name], part) * len(part)
    return {name: total[name] / len(user_agents_[name]) for name in names}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table; return the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--naive-requests", type=int, default=20_000, help="the naive gate is slow")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    measured = trace(args.requests)
    # A server that has been up a while: every instance first serves a trace drawn
    # the same way with another seed, so the measured trace's long tail is still
    # partly new to it (the strings it has not seen are decided in full).
    warm_up = trace(args.requests, seed=1)
    naive = measured[: args.naive_requests]
    # name: (build, the requests it serves, the requests it first serves untimed)
    variants: dict[str, tuple[Callable[[], ASGIApp], list[str], list[str]]] = {
        "bare app": (lambda: bare_app, measured, warm_up),
        "floor (reads User-Agent)": (lambda: ReadUserAgent(bare_app), measured, warm_up),
        "uagate, default policy": (lambda: UAGateMiddleware(bare_app), measured, warm_up),
        "uagate, Policy.modern()": (
            lambda: UAGateMiddleware(bare_app, policy=Policy.modern()),
            measured,
            warm_up,
        ),
        # For reference, not a target: the same gate having already served the
        # measured trace, so every request is a client seen before (the cost of
        # the cache lookup alone).
        "uagate, default, all known": (lambda: UAGateMiddleware(bare_app), measured, measured),
        "naive (user_agents.parse)": (lambda: NaiveGate(bare_app), naive, warm_up[: len(naive)]),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _round in range(args.rounds):
        apps = {}
        for name, (build, _requests, before) in variants.items():
            apps[name] = build()
            time_run(apps[name], scopes_for(before))
        gc.collect()
        results = interleaved(apps, {name: req for name, (_, req, _) in variants.items()}, 2000)
        for name, value in results.items():
            times[name].append(value)
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["floor (reads User-Agent)"]
    default = medians["uagate, default policy"]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {args.requests:,} requests "
        f"({args.naive_requests:,} for the naive gate), median of {args.rounds} rounds"
    )
    print(f"{'variant':30} {'us/request':>11} {'x floor':>8}")
    for name, value in medians.items():
        print(f"{name:30} {value:11.3f} {value / floor:8.2f}")
    print(f"default policy / floor: {default / floor:.3f} (target <= 1.15)")
    print(
        f"Policy.modern() / floor: {medians['uagate, Policy.modern()'] / floor:.3f} (target <= 1.5)"
    )
    known = medians["uagate, default, all known"]
    print(f"default policy, every client known / floor: {known / floor:.3f} (reference)")
    naive_median = medians["naive (user_agents.parse)"]
    print(f"naive / default policy: {naive_median / default:.1f} (target >= 20)")
    return medians


if __name__ == "__main__":
    main()
