"""ReDoS: every regular expression in uagate on the classic backtracking shapes.

Runs each compiled pattern held at module level in uagate (benchmarks/redos.py
finds them) on each shape at 64 KB, and prints the slowest runs and the
slowest of all. A linear pattern takes milliseconds here; a quadratic one
takes seconds.

    .venv/bin/python benchmarks/bench_redos.py                 # 64 KB, 3 runs each
    .venv/bin/python benchmarks/bench_redos.py --size 8192     # a smoke run
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from redos import SHAPES, patterns, shape


def main(argv: list[str] | None = None) -> list[tuple[float, str, str]]:
    """Time every pattern on every shape; print the slowest; return (ms, pattern, shape)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size", type=int, default=65_536)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args(argv)
    results = []
    found = list(patterns())
    for where, pattern in found:
        for name in SHAPES:
            text = shape(name, args.size) + "!"
            subject: str | bytes = (
                text.encode("latin-1") if isinstance(pattern.pattern, bytes) else text
            )
            best = float("inf")
            for _ in range(args.repeats):
                start = time.perf_counter()
                pattern.search(subject)  # type: ignore[arg-type]
                best = min(best, time.perf_counter() - start)
            results.append((best * 1000, where, name))
    results.sort(reverse=True)
    print(
        f"{len(found)} patterns x {len(SHAPES)} shapes of {args.size:,} characters, "
        f"best of {args.repeats}"
    )
    print(f"{'ms':>9}  {'shape':12} pattern")
    for ms, where, name in results[: args.show]:
        print(f"{ms:9.2f}  {name:12} {where}")
    print(f"slowest: {results[0][0]:.2f} ms ({results[0][1]} on {results[0][2]})")
    return results


if __name__ == "__main__":
    main()
