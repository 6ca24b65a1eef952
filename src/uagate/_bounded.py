"""The one rule every uagate cache follows: bounded in entries and bytes, oldest out first."""

from __future__ import annotations

import threading
from collections import deque
from itertools import islice
from typing import Generic, TypeVar

__all__ = ["BoundedTable"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class BoundedTable(Generic[_K, _V]):
    """A dict that holds at most ``size`` entries and ``max_bytes`` bytes of their text.

    :attr:`data` is a plain dict, read directly where speed matters (a dict
    lookup is what an OrderedDict's is not: C all the way). Entries are only
    ever added new, so its insertion order is their age; when one more would
    pass either bound, the oldest quarter (or more, until it fits) makes room,
    which keeps each insert cheap on average. ``cost`` is what the caller says
    an entry keeps alive, in bytes; an entry dearer than the whole budget is
    not kept. Adding takes a lock (``check()`` may run in a thread pool);
    reading :attr:`data` needs none.
    """

    __slots__ = ("_costs", "_lock", "bytes", "data", "max_bytes", "size")

    def __init__(self, size: int, max_bytes: int) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.data: dict[_K, _V] = {}
        self.bytes = 0
        self._costs: deque[int] = deque()
        self._lock = threading.Lock()

    def add(self, key: _K, value: _V, cost: int) -> None:
        """Keep ``value`` under ``key`` (a key already kept stays as it is)."""
        if self.size <= 0 or cost > self.max_bytes:
            return
        data = self.data
        with self._lock:
            if key in data:
                return
            while data and (len(data) >= self.size or self.bytes + cost > self.max_bytes):
                for old in list(islice(data, max(1, len(data) // 4))):
                    del data[old]
                    self.bytes -= self._costs.popleft()
            data[key] = value
            self._costs.append(cost)
            self.bytes += cost

    def __len__(self) -> int:
        return len(self.data)
