r"""Compare this tree's uagate with an earlier revision's, variant by variant, in one run.

For a refactoring that must not cost anything: each variant of
``bench_requests.py`` runs in a fresh process under this tree's ``src`` and
under the ``src`` of a git worktree of ``--base``, the two interleaved and
their order swapped every round, and the medians are printed with the ratio
this tree / base (below 1 is faster). The benchmark script itself is this
tree's in both, so only the package differs.

    .venv/bin/python benchmarks/compare_revisions.py --base ce27bc2 --rounds 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VARIANTS = (
    "uagate cold, default",
    "uagate cold, modern",
    "uagate seen, default",
    "uagate seen, modern",
)


def run(source: Path, variant: str, requests: int) -> float:
    """One variant's µs per request, with ``source`` first on the import path."""
    command = [sys.executable, str(HERE / "bench_requests.py"), "--variant", variant]
    command += ["--requests", str(requests)]
    env = {**os.environ, "PYTHONPATH": str(source)}
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return float(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Run both revisions' variants interleaved; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--only", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base],
            check=True,
        )
        try:
            trees = {"base": base / "src", "this": ROOT / "src"}
            times: dict[tuple[str, str], list[float]] = {}
            for round_ in range(args.rounds):
                order = list(trees.items())
                if round_ % 2:
                    order.reverse()
                for variant in args.only:
                    for name, source in order:
                        value = run(source, variant, args.requests)
                        times.setdefault((variant, name), []).append(value)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True
            )
    print(f"{args.requests:,} requests, median of {args.rounds} rounds; base = {args.base}")
    print(f"{'variant':24} {'base us':>9} {'this us':>9} {'this/base':>10}")
    for variant in args.only:
        old = statistics.median(times[(variant, "base")])
        new = statistics.median(times[(variant, "this")])
        print(f"{variant:24} {old:9.3f} {new:9.3f} {new / old:10.3f}")


if __name__ == "__main__":
    main()
