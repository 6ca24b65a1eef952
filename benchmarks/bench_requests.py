r"""In-process benchmark: uagate against the oracle, the limit of any User-Agent gate.

The oracle is a plain ASGI function that finds the ``user-agent`` header, looks
its raw bytes up in a dict that already holds every verdict of the run (the
``Verdict`` objects ``uagate.check`` returns, computed before timing), puts the
verdict in ``scope["state"]["uagate"]`` and calls the app, or sends a minimal
406 for gated ones. No gate that maps a User-Agent to a verdict can do less.

Variants, for the default policy and for ``Policy.modern()`` each: the oracle;
uagate in a cold process (every client new to it at first); uagate that has
already served the whole trace (every client seen). Plus, for reference, the
bare app and a naive gate that calls ``user_agents.parse`` on every request.

Each measurement runs in a fresh process; the processes are interleaved (the
order rotates every round) and the medians over the rounds are printed with the
ratios. Scopes are built a thousand at a time outside the timing and dropped
after it, as a server drops a request's scope once it is answered.

    .venv/bin/python benchmarks/bench_requests.py                      # the full run
    .venv/bin/python benchmarks/bench_requests.py --requests 3000 --rounds 1   # a smoke run
    .venv/bin/python benchmarks/bench_requests.py --app starlette --only "bare app" \
        "oracle as a class, default" "uagate seen, default"   # behind a Starlette app
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import user_agents
from starlette.types import ASGIApp, Message, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uatrace import trace

from uagate import Policy, UAGateMiddleware, Verdict, check

OTHER_HEADERS = [
    (b"host", b"www.example.com"),
    (b"accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    (b"accept-language", b"en-US,en;q=0.9"),
    (b"accept-encoding", b"gzip, deflate, br"),
    (b"connection", b"keep-alive"),
    (b"cookie", b"session=abc123; theme=dark"),
]
CHUNK = 1000
POLICIES = {"default": Policy(), "modern": Policy.modern()}
VARIANTS = (
    "bare app",
    "oracle, default",
    "oracle, modern",
    "oracle as a class, default",
    "oracle with its page, modern",
    "uagate cold, default",
    "uagate cold, modern",
    "uagate seen, default",
    "uagate seen, modern",
    "naive (user_agents.parse)",
)


async def bare_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The trivial app: a 200 with a short body."""
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


def _starlette() -> ASGIApp:
    import http_apps

    return http_apps.starlette


#: The apps a gate can stand in front of.
INNER: dict[str, Callable[[], ASGIApp]] = {"hello": lambda: bare_app, "starlette": _starlette}


def oracle(app: ASGIApp, verdicts: dict[bytes, Verdict]) -> ASGIApp:
    """The limit: every verdict known before the first request, one lookup each."""

    async def gate(scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in scope["headers"]:
            if name == b"user-agent":
                verdict = verdicts[value]
                if verdict.gated:
                    await send({"type": "http.response.start", "status": 406, "headers": []})
                    await send({"type": "http.response.body", "body": b""})
                    return
                scope["state"]["uagate"] = verdict
                break
        await app(scope, receive, send)

    return gate


class OracleClass:
    """The oracle written as a middleware class: the same work behind ``__call__``.

    CPython calls an instance of a Python class through its type's ``__call__``
    slot, which a closure does not pay; this measures what that costs.
    """

    def __init__(self, app: ASGIApp, verdicts: dict[bytes, Verdict]) -> None:
        self.app = app
        self.verdicts = verdicts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The oracle's lookup."""
        for name, value in scope["headers"]:
            if name == b"user-agent":
                verdict = self.verdicts[value]
                if verdict.gated:
                    await send({"type": "http.response.start", "status": 406, "headers": []})
                    await send({"type": "http.response.body", "body": b""})
                    return
                scope["state"]["uagate"] = verdict
                break
        await self.app(scope, receive, send)


def oracle_with_page(app: ASGIApp, verdicts: dict[bytes, Verdict]) -> ASGIApp:
    """The oracle, but a gated client gets a page chosen by its Accept and Accept-Language.

    The least any gate that answers in the client's language and format must
    do: read two more headers and send a page kept by them.
    """
    pages: dict[tuple[bytes | None, bytes | None, str], tuple[list[tuple[bytes, bytes]], bytes]]
    pages = {}

    async def gate(scope: Scope, receive: Receive, send: Send) -> None:
        headers = scope["headers"]
        for name, value in headers:
            if name == b"user-agent":
                verdict = verdicts[value]
                if verdict.gated:
                    accept = accept_language = None
                    for other, text in headers:
                        if other == b"accept":
                            accept = text
                        elif other == b"accept-language":
                            accept_language = text
                    key = (accept, accept_language, scope["method"])
                    page = pages.get(key)
                    if page is None:
                        page = pages[key] = ([(b"content-type", b"text/html")], b"x" * 2000)
                    await send(
                        {"type": "http.response.start", "status": 406, "headers": list(page[0])}
                    )
                    await send({"type": "http.response.body", "body": page[1]})
                    return
                scope["state"]["uagate"] = verdict
                break
        await app(scope, receive, send)

    return gate


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


def encoded(user_agent: str) -> bytes:
    """A User-Agent as the raw header bytes a server passes on."""
    return user_agent.encode("latin-1", "replace")


def scopes_for(raw_user_agents: list[bytes]) -> list[Scope]:
    """One ASGI scope per request."""
    return [
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "root_path": "",
            "scheme": "https",
            "query_string": b"",
            "headers": [OTHER_HEADERS[0], (b"user-agent", raw), *OTHER_HEADERS[1:]],
            "state": {},
        }
        for raw in raw_user_agents
    ]


def serve(app: ASGIApp, requests: list[bytes]) -> float:
    """Microseconds per request over ``requests``, timing only the app's calls."""

    async def run() -> float:
        total = 0
        for start in range(0, len(requests), CHUNK):
            scopes = scopes_for(requests[start : start + CHUNK])
            began = time.perf_counter_ns()
            for scope in scopes:
                await app(scope, _receive, _send)
            total += time.perf_counter_ns() - began
            del scopes
        return total / 1000 / len(requests)

    return asyncio.run(run())


def measure(variant: str, count: int, naive_count: int, inner: str = "hello") -> float:
    """One variant in this (fresh) process: microseconds per request.

    ``inner`` is the app behind the gate: the trivial one, or ``starlette``, a
    Starlette app with one route (benchmarks/http_apps.py).
    """
    requests = [encoded(user_agent) for user_agent in trace(count)]
    bare_app = INNER[inner]()
    kind, _, preset = variant.partition(", ")
    if variant == "bare app":
        app: ASGIApp = bare_app
    elif kind.startswith("oracle"):
        policy = POLICIES[preset]
        verdicts = {raw: check(raw.decode("latin-1"), policy=policy) for raw in set(requests)}
        if kind == "oracle as a class":
            app = OracleClass(bare_app, verdicts)
        elif kind == "oracle with its page":
            app = oracle_with_page(bare_app, verdicts)
        else:
            app = oracle(bare_app, verdicts)
    elif kind.startswith("uagate"):
        app = UAGateMiddleware(bare_app, policy=POLICIES[preset])
        if kind == "uagate seen":
            serve(app, requests)
    elif variant == "naive (user_agents.parse)":
        requests = requests[:naive_count]
        app = NaiveGate(bare_app)
    else:
        raise ValueError(f"unknown variant {variant!r}")
    gc.collect()
    return serve(app, requests)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run every variant in fresh, interleaved processes; print and return the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--naive-requests", type=int, default=5_000, help="the naive gate is slow")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--app", choices=list(INNER), default="hello", help="the app behind the gate"
    )
    parser.add_argument(
        "--only", nargs="+", choices=VARIANTS, help="run these variants alone (no ratios table)"
    )
    parser.add_argument("--variant", help=argparse.SUPPRESS)  # run one variant, print its time
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(measure(args.variant, args.requests, args.naive_requests, args.app)))
        return {}

    variants = tuple(args.only or VARIANTS)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(args.rounds):
        order = variants[round_ % len(variants) :] + variants[: round_ % len(variants)]
        for name in order:
            command = [sys.executable, __file__, "--variant", name, "--app", args.app]
            command += ["--requests", str(args.requests)]
            command += ["--naive-requests", str(args.naive_requests)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            times[name].append(float(output.strip().splitlines()[-1]))
    medians = {name: statistics.median(values) for name, values in times.items()}
    distinct = len(set(trace(args.requests)))
    if args.only:
        print(f"{args.requests:,} requests ({distinct:,} distinct) to the {args.app} app, "
              f"median of {args.rounds} rounds, each variant in a fresh process")  # fmt: skip
        for name, value in medians.items():
            print(f"{name:28} {value:11.3f} us/request")
        return medians
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {args.requests:,} "
        f"requests ({distinct:,} distinct; {args.naive_requests:,} for the naive gate), "
        f"median of {args.rounds} rounds, each variant in a fresh process"
    )
    print(f"{'variant':28} {'us/request':>11} {'x oracle':>9}")
    for name, value in medians.items():
        preset = name.rpartition(", ")[2]
        base = medians.get(f"oracle, {preset}")
        ratio = f"{value / base:9.2f}" if base else f"{'':9}"
        print(f"{name:28} {value:11.3f} {ratio}")
    for preset, cold_target in (("default", 1.3), ("modern", 1.8)):
        base = medians[f"oracle, {preset}"]
        cold = medians[f"uagate cold, {preset}"] / base
        seen = medians[f"uagate seen, {preset}"] / base
        print(f"{preset}: cold / oracle {cold:.3f} (target <= {cold_target})")
        print(f"{preset}: seen / oracle {seen:.3f} (target <= 1.15)")
    for name in ("oracle as a class, default", "oracle with its page, modern"):
        base = medians[f"oracle, {name.rpartition(', ')[2]}"]
        print(f"reference: {name} / oracle {medians[name] / base:.3f}")
    naive = medians["naive (user_agents.parse)"] / medians["uagate cold, default"]
    print(f"naive / uagate cold, default: {naive:.1f} (target >= 20)")
    return medians


if __name__ == "__main__":
    main()
