"""Distinct counts past the exact limit: Apache DataSketches' HLL against a hand-written one.

``uagate scan`` counts distinct visitors and User-Agents exactly up to a limit,
then estimates them with a HyperLogLog sketch of 2**14 registers. This compares,
in one run, the sketch it uses (``datasketches.hll_sketch``, lg_k 14, HLL_8, fed
through :class:`uagate.logscan.DistinctCount`) with the hand-written sketch it
used before (kept below as the reference, 2**14 one-byte registers, SplitMix64
mixing, a Python loop a value): values added a second (median of ``--runs``
runs, alternated), the relative error of each estimate on 1,000,000 and
10,000,000 distinct random 64-bit values, and the bytes each sketch holds.

    .venv/bin/python benchmarks/bench_distinct.py               # the full run (about 2 minutes)
    .venv/bin/python benchmarks/bench_distinct.py --sizes 100000 --runs 1   # a smoke run
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Iterable
from typing import Any

from datasketches import hll_sketch, tgt_hll_type

from uagate.logscan import DistinctCount

_PRECISION = 14
_REGISTERS = 1 << _PRECISION
_RANK_BITS = 64 - _PRECISION
_RANK_MASK = (1 << _RANK_BITS) - 1
_MASK64 = (1 << 64) - 1


class HandWritten:
    """The hand-written HyperLogLog uagate used before: 2**14 registers of one byte."""

    def __init__(self) -> None:
        self.registers = bytearray(_REGISTERS)

    def update(self, fingerprints: Iterable[int]) -> None:
        """Add each value (0 to 2**64 - 1)."""
        registers = self.registers
        for fingerprint in fingerprints:
            value = (fingerprint + 0x9E3779B97F4A7C15) & _MASK64
            value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
            value ^= value >> 31
            index = value >> _RANK_BITS
            rank = _RANK_BITS + 1 - (value & _RANK_MASK).bit_length()
            if rank > registers[index]:
                registers[index] = rank

    def count(self) -> int:
        """The estimate (with the small-range correction)."""
        registers = self.registers
        alpha = 0.7213 / (1 + 1.079 / _REGISTERS)
        estimate = alpha * _REGISTERS * _REGISTERS / math.fsum(2.0**-rank for rank in registers)
        zeros = registers.count(0)
        if estimate <= 2.5 * _REGISTERS and zeros:
            estimate = _REGISTERS * math.log(_REGISTERS / zeros)
        return round(estimate)


def sketching(values: list[int]) -> DistinctCount:
    """A DistinctCount already past its exact limit (so that every value goes to the sketch)."""
    count = DistinctCount(limit=0)
    count.update(values[:1])
    assert not count.exact
    return count


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Time and check both sketches; print the table and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; 2**14 registers each; median of {args.runs} runs")
    print(f"{'distinct values':>16} {'sketch':14} {'values/s':>12} {'estimate':>12} {'error':>8}")
    figures: dict[str, Any] = {}
    for size in args.sizes:
        rng = random.Random(size)
        values = [rng.getrandbits(64) for _ in range(size)]
        rates: dict[str, list[float]] = {"hand-written": [], "datasketches": []}
        estimates: dict[str, int] = {}
        for _ in range(args.runs):  # alternated, so both share the machine's moods
            hand = HandWritten()
            start = time.perf_counter()
            hand.update(values)
            rates["hand-written"].append(size / (time.perf_counter() - start))
            estimates["hand-written"] = hand.count()
            ours = sketching(values)
            start = time.perf_counter()
            ours.update(values)
            rates["datasketches"].append(size / (time.perf_counter() - start))
            estimates["datasketches"] = ours.count()
        for name, runs in rates.items():
            error = estimates[name] / size - 1
            print(
                f"{size:16,} {name:14} {statistics.median(runs):12,.0f} "
                f"{estimates[name]:12,} {error:+8.2%}"
            )
        ratio = statistics.median(rates["datasketches"]) / statistics.median(rates["hand-written"])
        print(f"{'':16} datasketches / hand-written: {ratio:.2f} x the values a second")
        figures[str(size)] = {"rates": rates, "estimates": estimates, "ratio": ratio}
    held = hll_sketch.get_max_updatable_serialization_bytes(14, tgt_hll_type.HLL_8)
    print(
        f"bytes held: hand-written {len(HandWritten().registers):,} (its registers); "
        f"datasketches {held:,} (its largest updatable form)"
    )
    return figures


if __name__ == "__main__":
    main()
