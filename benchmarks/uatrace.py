"""User-Agent traces shaped like real traffic, drawn from the labelled corpus.

A request's label is drawn by the shares below, then a string of that label by
a Zipf law (exponent 1.0) over the label's rows in a fixed, seeded order: a few
strings are very common and a long tail is seen once. The corpus is read from
``../shared/corpus/ua_dev.tsv`` (or ``$UAGATE_CORPUS``) and never copied.
"""

from __future__ import annotations

import os
import random
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("UAGATE_CORPUS", ROOT.parent / "shared" / "corpus" / "ua_dev.tsv"))

#: The share of requests per corpus label.
SHARES = {
    "chrome": 0.62,
    "safari": 0.16,
    "edge": 0.05,
    "firefox": 0.04,
    "other_browser": 0.05,
    "bot": 0.06,
    "ie": 0.01,
    "app_embedding_trident": 0.005,
    "edge_legacy": 0.005,
}


def corpus_rows(path: Path = CORPUS) -> dict[str, list[str]]:
    """The corpus strings by label, in file order."""
    by_label: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as corpus:
        next(corpus)
        for line in corpus:
            label, _source, _family, _major, user_agent = line.rstrip("\n").split("\t")
            by_label.setdefault(label, []).append(user_agent)
    return by_label


def trace(count: int, seed: int = 2026, path: Path = CORPUS) -> list[str]:
    """``count`` User-Agent strings drawn as described in the module docstring."""
    rng = random.Random(seed)
    rows = corpus_rows(path)
    labels = list(SHARES)
    label_weights = list(accumulate(SHARES[label] for label in labels))
    pools = {}
    for label in labels:
        ordered = list(rows[label])
        rng.shuffle(ordered)  # the fixed, seeded order the Zipf ranks follow
        weights = list(accumulate(1.0 / rank for rank in range(1, len(ordered) + 1)))
        pools[label] = (ordered, weights)
    chosen = rng.choices(labels, cum_weights=label_weights, k=count)
    out = []
    for label in chosen:
        ordered, weights = pools[label]
        out.append(rng.choices(ordered, cum_weights=weights, k=1)[0])
    return out
