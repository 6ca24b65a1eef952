r"""Compare this tree's uagate with an earlier revision's, variant by variant, in one run.

For a refactoring that must not cost anything: each variant of
``bench_requests.py`` runs in a fresh process under this tree's ``src`` and
under the ``src`` of a git worktree of ``--base``, the two interleaved and
their order swapped every round, and the medians are printed with the ratio
this tree / base (below 1 is faster). The benchmark script itself is this
tree's in both, so only the package differs.

    .venv/bin/python benchmarks/compare_revisions.py --base ce27bc2 --rounds 7

Wall-clock medians on a shared 2-core machine move by 10% from run to run;
``--instructions`` counts instructions instead, under valgrind's callgrind,
which gives the same count for the same code and input whatever else runs:
per request, the first pass over 20,000 requests of the trace (cold) and
further passes (seen), for the default and the modern policy.

    .venv/bin/python benchmarks/compare_revisions.py --base ce27bc2 --instructions
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


INSTRUCTION_REQUESTS = 20_000


def drive(preset: str, passes: int) -> None:
    """Serve the trace ``passes`` times through one gate (run under callgrind)."""
    sys.path.insert(0, str(HERE))
    from bench_requests import POLICIES, bare_app, encoded, serve
    from uatrace import trace

    from uagate import UAGateMiddleware

    requests = [encoded(user_agent) for user_agent in trace(INSTRUCTION_REQUESTS)]
    app = UAGateMiddleware(bare_app, policy=POLICIES[preset])
    for _ in range(passes):
        serve(app, requests)


def instructions(source: Path, preset: str, passes: int) -> int:
    """The instructions callgrind counts for :func:`drive` with ``source`` first on the path."""
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}"]
        command += [sys.executable, __file__, "--drive", preset, str(passes)]
        env = {**os.environ, "PYTHONPATH": str(source)}
        subprocess.run(command, check=True, capture_output=True, env=env)
        for line in Path(out.name).read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def compare_instructions(trees: dict[str, Path]) -> None:
    """Instructions per request, cold and seen, for both trees."""
    print(f"{'instructions per request':32} {'base':>8} {'this':>8} {'this/base':>10}")
    for preset in ("default", "modern"):
        counts = {
            name: [instructions(src, preset, n) for n in (0, 1, 3)] for name, src in trees.items()
        }
        for label, (first, last, requests) in (
            ("cold", (0, 1, INSTRUCTION_REQUESTS)),
            ("seen", (1, 2, 2 * INSTRUCTION_REQUESTS)),
        ):
            old, new = (
                (counts[name][last] - counts[name][first]) // requests for name in ("base", "this")
            )
            print(f"{f'uagate {label}, {preset}':32} {old:8,} {new:8,} {new / old:10.3f}")


def main(argv: list[str] | None = None) -> None:
    """Run both revisions' variants interleaved; print medians and ratios."""
    if argv is None and sys.argv[1:2] == ["--drive"]:
        drive(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--instructions", action="store_true", help="count, under callgrind")
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
            if args.instructions:
                compare_instructions(trees)
                return
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
