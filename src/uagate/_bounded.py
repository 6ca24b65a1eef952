"""The one rule every uagate cache follows: bounded, the oldest entries making room."""

from __future__ import annotations

from itertools import islice
from typing import TypeVar

__all__ = ["keep"]

_K = TypeVar("_K")
_V = TypeVar("_V")


def keep(table: dict[_K, _V], key: _K, value: _V, size: int) -> None:
    """Add ``key`` to ``table``, first dropping its oldest quarter if it holds ``size``.

    A plain dict keeps insertion order, so its oldest keys come first. Dropping
    a quarter at a time keeps each insert cheap on average, and a lookup stays a
    plain dict lookup (an OrderedDict's is measurably slower on the hot path).
    """
    if len(table) >= size:
        for old in list(islice(table, max(1, size // 4))):
            del table[old]
    table[key] = value
