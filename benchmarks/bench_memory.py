"""Memory: resident memory after many distinct User-Agents through the gate.

Every request carries a User-Agent never seen before (a corpus string with a
counter added), so every one is decided in full and offered to the caches;
the caches are bounded in entries and bytes, so memory must level off. Two
scenarios: a million ordinary strings under each preset, and 3,000 strings
of 60 KB with ``max_user_agent_length=65536``. Prints the growth of the
resident set (RSS, from /proc) over the run, each scenario in its own process.

    .venv/bin/python benchmarks/bench_memory.py                      # the full run
    .venv/bin/python benchmarks/bench_memory.py --requests 20000     # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_requests import _receive, _send, bare_app
from starlette.types import Scope
from uatrace import trace

from uagate import Policy, UAGateMiddleware


def rss_mb() -> float:
    """The resident set size of this process, in MB."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def run(scenario: str, requests: int) -> tuple[float, float, float]:
    """RSS before, after half, and after all requests (MB)."""
    policy, max_length, padding, per_thousand = SCENARIOS[scenario]
    requests = max(1, requests * per_thousand // 1000)
    app = UAGateMiddleware(bare_app, policy=policy, max_user_agent_length=max_length)
    base = trace(min(requests, 200_000))
    headers_tail = [(b"host", b"www.example.com"), (b"accept", b"text/html")]

    async def serve() -> tuple[float, float]:
        half = 0.0
        for index in range(requests):
            user_agent = f"{base[index % len(base)]} r{index}{padding}".encode("latin-1", "replace")
            scope: Scope = {
                "type": "http",
                "method": "GET",
                "path": "/",
                "root_path": "",
                "headers": [(b"user-agent", user_agent), *headers_tail],
                "state": {},
            }
            await app(scope, _receive, _send)
            if index == requests // 2:
                gc.collect()
                half = rss_mb()
        gc.collect()
        return half, rss_mb()

    gc.collect()
    before = rss_mb()
    half, after = asyncio.run(serve())
    return before, half, after


# name: (policy, max_user_agent_length, padding, requests per 1,000 asked for)
SCENARIOS: dict[str, tuple[Policy, int, str, int]] = {
    "default": (Policy(), 512, "", 1000),
    "Policy.modern()": (Policy.modern(), 512, "", 1000),
    "60 KB, cap 65536": (Policy(), 65536, " " + "a" * 60_000, 3),
}
TARGETS = {"default": 25, "Policy.modern()": 25, "60 KB, cap 65536": 64}


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print its table; return the growth in MB per policy."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--one", choices=list(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # a child process: one scenario, a clean heap
        print(*run(args.one, args.requests))
        return {}
    growth = {}
    print(
        f"{args.requests:,} distinct User-Agents ({args.requests * 3 // 1000:,} of 60 KB); "
        "resident memory in MB"
    )
    print(f"{'scenario':18} {'before':>8} {'halfway':>8} {'after':>8} {'growth':>8} {'target':>7}")
    for name in SCENARIOS:
        child = subprocess.run(
            [sys.executable, __file__, "--requests", str(args.requests), "--one", name],
            check=True,
            capture_output=True,
            text=True,
        )
        before, half, after = map(float, child.stdout.split())
        growth[name] = after - before
        print(
            f"{name:18} {before:8.1f} {half:8.1f} {after:8.1f} {after - before:8.1f} "
            f"{TARGETS[name]:>5} MB"
        )
    print(f"largest growth: {max(growth.values()):.1f} MB (targets in the last column)")
    return growth


if __name__ == "__main__":
    main()
