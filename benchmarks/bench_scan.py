"""Speed and memory of ``uagate scan`` on a combined access log built from the corpus.

Builds a log of ``--lines`` lines (1,000,000 by default) in nginx's combined
format, the User-Agents drawn as in ``bench_requests.py`` and spread over 30
days, then runs ``python -m uagate scan --format json`` on it as a separate
process, several times: lines per second (wall time of the whole command, start
to exit) against a baseline measured in the same run, a process that only reads
the file and counts its lines, and an oracle, the least a scan that counts
visitors does in C. The floor adds to the oracle what any scan must also do:
start the command (a scan of the log's first ten lines) and decide each
distinct User-Agent once; the log's lines divided by it are the most one scan
process could reach, as far as the oracle (the cheapest counting in C known
here, not a proven minimum) measures the least work. Memory: the peak resident
size of one scan of the log, and of one scan of the same log given three times
(three times the lines, the same User-Agents), which should be about the same.

    .venv/bin/python benchmarks/bench_scan.py                        # the full run
    .venv/bin/python benchmarks/bench_scan.py --lines 20000 --runs 1 # a smoke run

``--compare SRC [SRC ...]`` also times, alternated with the others, the scan
of each other version whose ``src`` folder is named (put first on its
PYTHONPATH), such as a ``git worktree`` of an earlier commit:

    git worktree add /tmp/ec7b22d ec7b22d
    .venv/bin/python benchmarks/bench_scan.py --compare /tmp/ec7b22d/src

``--distinct N [N ...]`` measures memory instead: a log of N lines whose
User-Agents are all distinct (and so are its visitors), written to the scan's
standard input as it reads, and the peak resident size of that scan against
one of a ten-line log:

    .venv/bin/python benchmarks/bench_scan.py --distinct 1000000 3000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uatrace import trace

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COUNT_LINES = (
    "import sys\n"
    "lines = 0\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for block in iter(lambda: f.read(1 << 20), b''):\n"
    "        lines += block.count(b'\\n')\n"
    "print(lines)\n"
)
# The oracle: the least a one-process scan that counts visitors does, all of it in C.
# Read, split into lines, and count the distinct (client address, text after the last
# '" "') pairs: no day, no decision, no escape, no fingerprint.
COUNT_PAIRS = (
    "import sys\n"
    "from collections import Counter\n"
    "from itertools import repeat\n"
    "from operator import itemgetter\n"
    "pairs = Counter()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for block in iter(lambda: f.read(1 << 20), b''):\n"
    "        lines = block.split(b'\\n')\n"
    "        hosts = map(itemgetter(0), map(bytes.partition, lines, repeat(b' ')))\n"
    "        tails = map(itemgetter(2), map(bytes.rpartition, lines, repeat(b'\" \"')))\n"
    "        pairs.update(zip(hosts, tails))\n"
    "print(len(pairs))\n"
)
# What a scan must do besides the oracle's work: decide each distinct User-Agent
# once, as the scan does (the User-Agents are read first, untimed); prints seconds.
DECIDE_ONCE = (
    "import sys, time\n"
    "from uagate._logline import unescape\n"
    "from uagate.logscan import LogScanner\n"
    "from uagate.policy import Policy\n"
    "agents = set()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for line in f:\n"
    "        agents.add(line.rstrip(b'\\n').rpartition(b'\" \"')[2][:-1])\n"
    "agents = [unescape(agent) for agent in agents]\n"
    "scanner = LogScanner(Policy(), 'default')\n"
    "start = time.perf_counter()\n"
    "for agent in agents:\n"
    "    scanner._decide(agent)\n"
    "print(time.perf_counter() - start)\n"
)


def nginx_escape(value: str) -> str:
    r"""As nginx writes a header in a log: '"', '\' and non-printable bytes as \xHH."""
    out = []
    for byte in value.encode("utf-8"):
        if byte in (0x22, 0x5C) or byte < 0x20 or byte > 0x7E:
            out.append(f"\\x{byte:02X}")
        else:
            out.append(chr(byte))
    return "".join(out)


def build_log(path: Path, lines: int, days: int = 30, seed: int = 11) -> None:
    """Write ``lines`` combined-format lines, in time order over ``days`` days."""
    rng = random.Random(seed)
    user_agents = trace(lines, seed=seed)
    paths = ("/", "/pricing", "/docs/start", "/blog/2026/11/gate", "/static/app.css", "/login")
    with path.open("w", encoding="ascii") as log:
        for index, user_agent in enumerate(user_agents):
            day = 1 + index * days // lines
            second = (index * days * 86400 // lines) % 86400
            stamp = (
                f"{(day - 1) % 28 + 1:02d}/{MONTHS[10 + (day - 1) // 28]}/2026:"
                f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d} +0000"
            )
            log.write(
                f"198.51.100.{rng.randrange(1, 255)} - - [{stamp}] "
                f'"GET {rng.choice(paths)} HTTP/1.1" 200 {rng.randrange(200, 90000)} '
                f'"https://www.example.com/" "{nginx_escape(user_agent)}"\n'
            )


def distinct_lines(count: int) -> Any:
    """``count`` combined lines, each of its own User-Agent and address, in blocks of bytes."""
    for start in range(0, count, 10_000):
        yield "".join(
            f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255} - - "
            f"[01/Nov/2026:{number // 3600 % 24:02d}:{number // 60 % 60:02d}:{number % 60:02d}"
            f' +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) '
            f"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.{number}.0 Safari/537.36"
            f' uagate-bench/{number % 7919}"\n'
            for number in range(start, min(start + 10_000, count))
        ).encode("ascii")


def run(command: list[str], stdin: Any = None, src: str | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB and standard output of one process.

    ``stdin``: blocks of bytes to write to its standard input, from a thread.
    ``src``: a folder put first on its PYTHONPATH (another version's ``src``).
    """
    env = None if src is None else {**os.environ, "PYTHONPATH": src}
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    if stdin is not None:
        assert process.stdin is not None
        pipe = process.stdin

        def feed() -> None:
            with pipe:
                for data in stdin:
                    pipe.write(data)

        threading.Thread(target=feed, daemon=True).start()
    with process.stdout:
        output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024, output  # ru_maxrss is in KB on Linux


def distinct_memory(counts: list[int]) -> dict[str, Any]:
    """Peak memory of scans of logs of all distinct User-Agents; print the table."""
    scan = [sys.executable, "-m", "uagate", "scan", "--format", "json", "--no-progress", "-"]
    _, small_mb, _ = run(scan, stdin=distinct_lines(10))
    print(f"Python {sys.version.split()[0]}; uagate scan of a 10-line log: {small_mb:.1f} MB peak")
    print(f"{'distinct User-Agents':>20} {'peak MB':>8} {'+MB':>7} {'reported':>12} {'exact':>6}")
    figures: dict[str, Any] = {"small_mb": small_mb}
    for count in counts:
        seconds, peak_mb, output = run(scan, stdin=distinct_lines(count))
        report = json.loads(output)
        if report["requests"] != count:
            raise SystemExit(f"the scan read {report['requests']:,} lines of {count:,}")
        exact = report.get("distinct_user_agents_exact", "-")
        print(
            f"{count:20,} {peak_mb:8.1f} {peak_mb - small_mb:+7.1f} "
            f"{report['distinct_user_agents']:12,} {exact!s:>6}  ({seconds:.0f} s)"
        )
        figures[str(count)] = {"peak_mb": peak_mb, "seconds": seconds, **report}
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Build the log, run the scans and print the table; return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--distinct", type=int, nargs="+", metavar="N")
    parser.add_argument(
        "--compare",
        nargs="+",
        default=[],
        metavar="SRC",
        help="also scan with each of these src folders first on PYTHONPATH (other versions)",
    )
    args = parser.parse_args(argv)
    if args.distinct:
        return distinct_memory(args.distinct)

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "access.log"
        build_log(log, args.lines)
        small = Path(folder) / "small.log"  # its first ten lines: the command's start-up
        with log.open("rb") as whole:
            small.write_bytes(b"".join(whole.readline() for _ in range(10)))
        scan = [sys.executable, "-m", "uagate", "scan", "--format", "json", "--no-progress"]
        count = [sys.executable, "-c", COUNT_LINES, str(log)]
        oracle = [sys.executable, "-c", COUNT_PAIRS, str(log)]
        decide = [sys.executable, "-c", DECIDE_ONCE, str(log)]
        scan_times, count_times, oracle_times, start_times, decide_times = [], [], [], [], []
        other_times: dict[str, list[float]] = {src: [] for src in args.compare}
        report: dict[str, Any] = {}
        for _ in range(args.runs):  # alternated, so all share the machine's moods
            seconds, _, output = run([*scan, str(log)])
            scan_times.append(seconds)
            report = json.loads(output)
            for src, times in other_times.items():
                times.append(run([*scan, str(log)], src=src)[0])
            count_times.append(run(count)[0])
            oracle_times.append(run(oracle)[0])
            start_times.append(run([*scan, str(small)])[0])
            decide_times.append(float(run(decide)[2]))
        _, once_mb, _ = run([*scan, str(log)])
        _, thrice_mb, thrice = run([*scan, str(log), str(log), str(log)])
    scanned = report["requests"] + report["unreadable_lines"]
    if scanned != args.lines or json.loads(thrice)["requests"] != 3 * report["requests"]:
        raise SystemExit(f"the scan read {scanned:,} lines of {args.lines:,}")
    scan_median = statistics.median(scan_times)
    count_median = statistics.median(count_times)
    rate = args.lines / scan_median
    print(
        f"Python {sys.version.split()[0]}, a {args.lines:,}-line combined log "
        f"({log.name}, {report['distinct_user_agents']:,} distinct User-Agents, "
        f"{report['gated']:,} gated), median of {args.runs} alternated runs"
    )
    print(f"{'command':40} {'seconds':>8} {'lines/s':>11}")
    print(
        f"{'count the lines (baseline)':40} {count_median:8.2f} {args.lines / count_median:11,.0f}"
    )
    oracle_median = statistics.median(oracle_times)
    print(
        f"{'count (address, UA) pairs in C (oracle)':40} {oracle_median:8.2f} "
        f"{args.lines / oracle_median:11,.0f}"
    )
    print(f"{'uagate scan --format json':40} {scan_median:8.2f} {rate:11,.0f}")
    for src, times in other_times.items():
        median = statistics.median(times)
        print(f"{'  the same, ' + src:40} {median:8.2f} {args.lines / median:11,.0f}")
    print(f"scan / baseline: {scan_median / count_median:.2f} x the time")
    print(f"lines per second: {rate:,.0f} (target >= 600,000)")
    # The least one scan process takes: the oracle's work, the command's start-up and
    # a decision per distinct User-Agent, none of which the others include.
    start_median = statistics.median(start_times)
    decide_median = statistics.median(decide_times)
    floor = oracle_median + start_median + decide_median
    print(
        f"floor: oracle {oracle_median:.2f} s + start-up (a 10-line log) {start_median:.2f} s "
        f"+ deciding {report['distinct_user_agents']:,} User-Agents once "
        f"{decide_median:.2f} s = {floor:.2f} s, at most {args.lines / floor:,.0f} lines/s"
    )
    print(
        f"peak memory: {once_mb:.1f} MB for the log once, {thrice_mb:.1f} MB for it three "
        f"times ({3 * args.lines:,} lines)"
    )
    return {
        "lines_per_second": rate,
        "oracle_lines_per_second": args.lines / oracle_median,
        "floor_lines_per_second": args.lines / floor,
        "compare_lines_per_second": {
            src: args.lines / statistics.median(times) for src, times in other_times.items()
        },
        "once_mb": once_mb,
        "thrice_mb": thrice_mb,
        **report,
    }


if __name__ == "__main__":
    main()
