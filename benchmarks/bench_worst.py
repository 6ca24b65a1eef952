"""Worst case: decisions on never-seen User-Agents of 2 KB, 10 KB and 64 KB built to be slow.

Each string is new to the gate (a counter makes every one distinct), so no
cache helps. For each kind and size, prints the median time of one decision
through the full request path of uagate (default policy and Policy.modern())
and, beside it, of the naive gate that calls user_agents.parse.

    .venv/bin/python benchmarks/bench_worst.py               # the full run
    .venv/bin/python benchmarks/bench_worst.py --repeats 3   # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_requests import NaiveGate, _receive, _send, bare_app, encoded, scopes_for
from starlette.types import ASGIApp

from uagate import Policy, UAGateMiddleware
from uagate.detect import warm_up

SIZES = (2_048, 10_240, 65_536)

#: Strings built to make regular expressions backtrack, by name.
KINDS: dict[str, Callable[[int, int], str]] = {
    "runs of ';'": lambda size, n: f"Mozilla/4.0 (compatible; MSIE 6.0; {n}" + ";" * size,
    "runs of '('": lambda size, n: f"Mozilla/5.0 {n} " + "(" * size,
    "repeated MSIE": lambda size, n: f"{n} " + "MSIE 6.0; " * (size // 10),
    "repeated Trident": lambda size, n: f"{n} " + "Trident/7.0; rv:11.0 " * (size // 21),
    "huge version number": lambda size, n: f"Mozilla/4.0 (compatible; MSIE {n}" + "9" * size,
    "parenthesis runs": lambda size, n: f"{n} " + "(compatible; " * (size // 13) + ")" * 100,
    "no separators": lambda size, n: f"{n}" + "a" * size,
}


def time_one(app: ASGIApp, user_agent: str) -> float:
    """Milliseconds for one request with this User-Agent through ``app``."""
    [scope] = scopes_for([encoded(user_agent)])

    async def run() -> float:
        start = time.perf_counter_ns()
        await app(scope, _receive, _send)
        return (time.perf_counter_ns() - start) / 1e6

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> dict[tuple[str, int], dict[str, float]]:
    """Run the benchmark and print its table; return the medians in milliseconds."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    warm_up()
    gates: dict[str, ASGIApp] = {
        "default": UAGateMiddleware(bare_app),
        "modern": UAGateMiddleware(bare_app, policy=Policy.modern()),
        "naive": NaiveGate(bare_app),
    }
    counter = 0
    slowest = 0.0
    results: dict[tuple[str, int], dict[str, float]] = {}
    print(f"median of {args.repeats} never-seen strings each, milliseconds per decision")
    print(f"{'kind':22} {'size':>7} {'default':>9} {'modern':>9} {'naive':>10}")
    for kind, build in KINDS.items():
        for size in SIZES:
            row = {}
            for name, app in gates.items():
                times = []
                for _ in range(args.repeats):
                    counter += 1
                    times.append(time_one(app, build(size, counter)))
                row[name] = statistics.median(times)
                if name != "naive":
                    slowest = max(slowest, *times)
            results[(kind, size)] = row
            print(
                f"{kind:22} {size:7,} {row['default']:9.3f} {row['modern']:9.3f} "
                f"{row['naive']:10.3f}"
            )
    worst = max(max(row["default"], row["modern"]) for row in results.values())
    print(f"largest uagate median: {worst:.3f} ms; slowest single decision: {slowest:.3f} ms")
    print(f"slowest uagate decision: {slowest:.3f} ms (target <= 1 ms)")
    return results


if __name__ == "__main__":
    main()
