"""Every regular expression in uagate, and the classic ReDoS shapes to run them on.

Used by tests/test_redos.py, tests/test_nginx.py and benchmarks/bench_redos.py.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import uagate

#: Runs of one piece, and alternations of two, that make backtracking matchers
#: blow up; each is cut to the size asked for.
SHAPES = {
    "a": "a",
    "spaces": " ",
    "digits": "9",
    "semicolons": ";",
    "parentheses": "(",
    "msie": "MSIE 6.0; ",
    "trident": "Trident/7.0; rv:11.0 ",
    "yahoo": "yahoo",
    "bot": "bot",
    "http": "+http",
    "quotes": '"a b',
    "log date": " [01/Jan/2020",
    "escapes": "\\x1B",
    "brand": '"Chromium";v="1", ',
}


def shape(name: str, size: int) -> str:
    """The shape ``name`` repeated to ``size`` characters."""
    unit = SHAPES[name]
    return (unit * (size // len(unit) + 1))[:size]


def patterns() -> Iterator[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    """(where, pattern) for every compiled pattern held at module level in uagate.

    Found in module attributes and in tuples and lists of them (such as the
    ``(core, pattern)`` pairs of the bot table), so a new one cannot be missed.
    """
    seen: set[int] = set()
    for info in pkgutil.iter_modules(uagate.__path__, "uagate."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            stack: list[tuple[str, object]] = [(f"{info.name}.{name}", value)]
            while stack:
                where, item = stack.pop()
                if isinstance(item, re.Pattern) and id(item) not in seen:
                    seen.add(id(item))
                    yield where, item
                elif isinstance(item, (tuple, list)) and len(item) < 1000:
                    stack.extend((f"{where}[{i}]", part) for i, part in enumerate(item))
