"""Every regular expression that sees request or log text runs in linear time.

Two checks on every compiled pattern held at module level in uagate (found by
walking the modules, so a new one cannot be missed):

- its shape: an unbounded repeat (``*``, ``+``, ``{n,}``, or a bound over 256)
  is only allowed of a single character class, followed by a character that
  class cannot match (or by the end of the pattern). That excludes nested and
  adjacent unbounded quantifiers over overlapping classes, the shapes that
  backtrack quadratically or worse; a small bound (``{0,40}``) keeps any
  repeat linear;
- a run on each classic ReDoS shape at 64 KB, which must simply finish
  (``benchmarks/bench_redos.py`` times them; tests assert no time).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import cast

import pytest

from .conftest import ROOT

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

sys.path.insert(0, str(ROOT / "benchmarks"))
from redos import SHAPES, patterns, shape

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


def shape_problems(parsed: object, flags: int, at_end: bool = True) -> Iterator[str]:
    """Why a parsed pattern may not run in linear time (nothing when it does)."""
    items = list(parsed)  # type: ignore[call-overload]
    for index, (op, av) in enumerate(items):
        name = str(op)
        last = index == len(items) - 1
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, sub = av
            yield from shape_problems(sub, flags, at_end=False)
            if high <= 256:  # bounded: at most 256 steps a start
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
            yield from shape_problems(av[-1], flags, at_end=at_end and last)
        elif name == "BRANCH":
            for branch in av[1]:
                yield from shape_problems(branch, flags, at_end=at_end and last)
        elif name in ("ASSERT", "ASSERT_NOT"):
            yield from shape_problems(av[1], flags, at_end=False)


PATTERNS = list(patterns())


def test_the_patterns_are_found() -> None:
    """The walk finds the detection and log-scanning patterns (dozens of them)."""
    names = [where for where, _ in PATTERNS]
    assert len(PATTERNS) >= 25
    assert any(name.startswith("uagate.detect._BOT_PATTERNS") for name in names)
    assert any(name.startswith("uagate.logscan.") for name in names)


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[where for where, _ in PATTERNS])
def test_every_pattern_has_a_linear_shape(where: str, pattern: re.Pattern[str]) -> None:
    """No nested or adjacent unbounded quantifiers over overlapping classes."""
    source = pattern.pattern
    text = source.decode("latin-1") if isinstance(source, bytes) else source
    parsed = sre_parse.parse(
        text, pattern.flags & ~re.UNICODE if isinstance(source, bytes) else pattern.flags
    )
    assert list(shape_problems(parsed, pattern.flags)) == []


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[where for where, _ in PATTERNS])
def test_every_pattern_finishes_on_the_redos_shapes_at_64_kb(
    where: str, pattern: re.Pattern[str]
) -> None:
    """Each pattern searches each classic shape of 64 KB to its end (a quadratic one would hang)."""
    for name in SHAPES:
        text = shape(name, 65_536) + "!"
        subject: str | bytes = (
            text.encode("latin-1") if isinstance(pattern.pattern, bytes) else text
        )
        found = pattern.search(subject)  # type: ignore[arg-type]
        assert found is None or 0 <= found.start() <= found.end() <= len(subject)


def test_the_shape_check_catches_the_classic_mistakes() -> None:
    """The shape check itself: it flags what backtracks and passes what does not."""
    bad = [
        r"yahoo\w*seeker",
        r"(a+)+b",
        r"\s*$",
        r".*? \[\d",
        r"(?:ab|a)*c",
        r"\d+\d+x",
        r".{0,4096}\[",
    ]
    good = [r"yahoo\w{0,40}seeker", r'"[^"]*"', r"msie ?(\d{1,5})", r"[ \t]*;", r"ab*"]
    for source in bad:
        assert list(shape_problems(sre_parse.parse(source, 0), 0)), source
    for source in good:
        assert list(shape_problems(sre_parse.parse(source, 0), 0)) == [], source
