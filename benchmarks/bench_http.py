"""Over HTTP: uvicorn on 127.0.0.1 serving hello world and a Starlette route, bare and gated.

A load generator in a separate process (wrk, Debian's package, when it is on
the PATH; else a small asyncio client) sends requests whose User-Agents are
drawn like real traffic (benchmarks/uatrace.py). Runs of the two servers
alternate; prints requests per second (median of the runs) and the ratio.

    .venv/bin/python benchmarks/bench_http.py                           # the full run
    .venv/bin/python benchmarks/bench_http.py --seconds 1 --rounds 1    # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uatrace import trace

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: uvicorn's two HTTP implementations, each with the event loop it is usually run with.
SERVERS = {
    "h11": ["--http", "h11", "--loop", "asyncio"],
    "httptools": ["--http", "httptools", "--loop", "uvloop"],
}


def start_server(app: str, port: int, server_kind: str = "h11") -> subprocess.Popen[bytes]:
    """Uvicorn serving ``http_apps:<app>`` on 127.0.0.1:port, once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), f"http_apps:{app}",
         *SERVERS[server_kind],
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):  # at most about 10 seconds
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"uvicorn did not start for {app}")


def wrk_script(user_agents: list[str], folder: Path, name: str) -> Path:
    """A wrk Lua script that cycles through ``user_agents``."""
    items = ",\n".join(f"[==[{ua}]==]" for ua in user_agents if "]==]" not in ua)
    script = folder / f"{name}.lua"
    script.write_text(
        f"local agents = {{\n{items}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #agents + 1\n"
        '  return wrk.format("GET", "/", {["User-Agent"] = agents[i]})\nend\n',
        encoding="utf-8",
    )
    return script


def load_with_wrk(port: int, seconds: float, connections: int, script: Path) -> float:
    """Requests per second that wrk measured."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script),
         f"http://127.0.0.1:{port}/"],
        check=True, capture_output=True, text=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{out}")
    return float(found.group(1))


def load_with_asyncio(port: int, seconds: float, connections: int, agents: list[str]) -> float:
    """Requests per second from keep-alive asyncio connections (when wrk is missing)."""

    async def client(offset: int, deadline: float) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        done = 0
        try:
            while time.perf_counter() < deadline:
                agent = agents[(offset + done) % len(agents)].encode("latin-1", "replace")
                writer.write(
                    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + agent + b"\r\n\r\n"
                )
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))  # type: ignore[union-attr]
                await reader.readexactly(length)
                done += 1
        finally:
            writer.close()
        return done

    async def run() -> float:
        deadline = time.perf_counter() + seconds
        counts = await asyncio.gather(*(client(i * 997, deadline) for i in range(connections)))
        return sum(counts) / seconds

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print its table; return the median requests per second."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--client", choices=["auto", "wrk", "asyncio"], default="auto", help="the load generator"
    )
    parser.add_argument(
        "--http",
        choices=list(SERVERS),
        nargs="+",
        default=["httptools"],
        help="uvicorn's HTTP implementations to measure (h11 with asyncio, httptools with uvloop)",
    )
    parser.add_argument(
        "--apps", choices=["hello", "starlette"], nargs="+", default=["hello", "starlette"]
    )
    args = parser.parse_args(argv)
    agents = trace(20_000)
    # Each server first serves traffic drawn the same way with another seed, for
    # half as long, untimed: a server that has been up a while, as in-process.
    warm_agents = trace(20_000, seed=1)
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    names = {"hello": ("bare", "gated"), "starlette": ("starlette", "starlette_gated")}
    variants = [(kind, app) for kind in args.http for pair in args.apps for app in names[pair]]
    results: dict[str, list[float]] = {f"{kind} {app}": [] for kind, app in variants}
    with tempfile.TemporaryDirectory() as folder:
        script = wrk_script(agents, Path(folder), "measured") if use_wrk else None
        warm_script = wrk_script(warm_agents, Path(folder), "warm") if use_wrk else None
        for round_ in range(args.rounds):
            # Alternate, and turn the order round every round.
            shift = round_ % len(variants)
            for kind, app in variants[shift:] + variants[:shift]:
                port = free_port()
                server = start_server(app, port, kind)
                try:
                    if script is not None and warm_script is not None:
                        load_with_wrk(port, args.seconds / 2, args.connections, warm_script)
                        rps = load_with_wrk(port, args.seconds, args.connections, script)
                    else:
                        load_with_asyncio(port, args.seconds / 2, args.connections, warm_agents)
                        rps = load_with_asyncio(port, args.seconds, args.connections, agents)
                finally:
                    server.terminate()
                    server.wait(timeout=10)
                results[f"{kind} {app}"].append(rps)
    medians = {name: statistics.median(values) for name, values in results.items()}
    tool = "wrk" if use_wrk else "an asyncio client"
    print(f"uvicorn on 127.0.0.1, load from {tool}, {args.connections} connections, "
          f"{args.seconds:g} s per run, median of {args.rounds} alternated runs")  # fmt: skip
    for name, value in medians.items():
        runs = ", ".join(f"{v:,.0f}" for v in results[name])
        print(f"{name:25} {value:10,.0f} requests/s   runs: {runs}")
    for kind in args.http:
        for pair, target in (("hello", 0.95), ("starlette", 0.98)):
            if pair in args.apps:
                bare, gated = names[pair]
                ratio = medians[f"{kind} {gated}"] / medians[f"{kind} {bare}"]
                print(f"uagate / bare, {pair}, {kind}: {ratio:.3f} (target >= {target})")
    return medians


if __name__ == "__main__":
    main()
