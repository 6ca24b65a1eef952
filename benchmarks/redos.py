"""Every regular expression in uagate, the classic ReDoS shapes to run them on, and a shape check.

Used by tests/test_redos.py, tests/test_nginx.py and benchmarks/bench_redos.py.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import cast

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


UNICODE_SAMPLE = [chr(code) for code in range(0x300)] + ["\u2028", "\u3000", "\uff10"]


def chars_of(node: tuple[object, object], flags: int) -> set[str] | None:
    """The characters (of a sample) a one-character node matches, or None if it is not one."""
    op, av = node
    ascii_only = bool(flags & re.ASCII)
    folded = bool(flags & re.IGNORECASE)

    def category(name: str, char: str) -> bool:
        if ascii_only and not char.isascii():
            return "NOT" in name
        test: dict[str, Callable[[str], bool]] = {
            "CATEGORY_DIGIT": str.isdigit,
            "CATEGORY_SPACE": str.isspace,
            "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
        }
        for base, check in test.items():
            if name.endswith(base.removeprefix("CATEGORY_")):
                return (not check(char)) if "NOT" in name else check(char)
        raise AssertionError(f"unknown category {name}")

    def one(op: object, av: object, char: str) -> bool:
        name = str(op)
        if name == "LITERAL":
            return char == chr(av)  # type: ignore[arg-type]
        if name == "NOT_LITERAL":
            return char != chr(av)  # type: ignore[arg-type]
        if name == "ANY":
            return char != "\n" or bool(flags & re.DOTALL)
        if name == "CATEGORY":
            return category(str(av), char)
        if name == "RANGE":
            low, high = cast("tuple[int, int]", av)
            return low <= ord(char) <= high
        if name == "IN":
            negated = any(str(o) == "NEGATE" for o, _ in av)  # type: ignore[attr-defined]
            hit = any(one(o, a, char) for o, a in av if str(o) != "NEGATE")  # type: ignore[attr-defined]
            return hit != negated
        raise LookupError(name)

    if str(op) not in ("LITERAL", "NOT_LITERAL", "ANY", "CATEGORY", "IN"):
        return None
    found = set()
    for char in UNICODE_SAMPLE:
        forms = {char, char.lower(), char.upper()} if folded else {char}
        if any(one(op, av, form) for form in forms):
            found.add(char)
    return found


def shape_problems(
    parsed: object, flags: int, at_end: bool = True, bound: int = 256
) -> Iterator[str]:
    """Why a parsed pattern may not run in linear time (nothing when it does).

    A repeat of at most ``bound`` counts as bounded (at most that many steps a start).
    """
    items = list(parsed)  # type: ignore[call-overload]
    for index, (op, av) in enumerate(items):
        name = str(op)
        last = index == len(items) - 1
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, sub = av
            yield from shape_problems(sub, flags, at_end=False, bound=bound)
            if high <= bound:  # bounded: at most that many steps a start
                continue
            sub_items = list(sub)
            repeated = chars_of(sub_items[0], flags) if len(sub_items) == 1 else None
            if repeated is None:
                yield f"an unbounded repeat of more than one character class: {sub_items}"
                continue
            if last:
                if not at_end:
                    yield "an unbounded repeat at the end of a group"
                continue
            following = chars_of(items[index + 1], flags)
            if following is None:
                yield f"an unbounded repeat followed by {items[index + 1][0]}, not one character"
            elif repeated & following:
                yield f"an unbounded repeat followed by a character it also matches: {sub_items}"
        elif name == "SUBPATTERN":
            yield from shape_problems(av[-1], flags, at_end=at_end and last, bound=bound)
        elif name == "BRANCH":
            for branch in av[1]:
                yield from shape_problems(branch, flags, at_end=at_end and last, bound=bound)
        elif name in ("ASSERT", "ASSERT_NOT"):
            yield from shape_problems(av[1], flags, at_end=False, bound=bound)
