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

import pytest

from .conftest import ROOT

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

sys.path.insert(0, str(ROOT / "benchmarks"))
from redos import SHAPES, patterns, shape

from .conftest import shape_problems

PATTERNS = list(patterns())


def test_the_patterns_are_found() -> None:
    """The walk finds the detection and log-scanning patterns (dozens of them)."""
    names = [where for where, _ in PATTERNS]
    assert len(PATTERNS) >= 25
    assert any(name.startswith("uagate.detect.BOT_PATTERNS") for name in names)
    assert any(name.startswith("uagate._logline.") for name in names)


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
        r"[ \t]*(?! )\s{0,9}x",  # the lookahead bars spaces, not the tabs the repeat takes
        r"[ \t]*(?<![ \t])\s{0,9}x",  # a lookbehind bars nothing ahead
        r"a*(?=a)",  # the lookahead asks for what the repeat can give back
        r"\s*(?=\n)",
        r"[^x]*(?<!y)[^z]",  # past a lookbehind, what follows is still read
    ]
    good = [
        r"yahoo\w{0,40}seeker",
        r'"[^"]*"',
        r"msie ?(\d{1,5})",
        r"[ \t]*;",
        r"ab*",
        r"[ \t]*(?![ \t])\s{0,9}x",  # the run is taken whole: nothing to give back
        r"[ \t]*(?=\n)",  # as [ \t]*\n for what the repeat can give back
        r'"[^"\n]*(?<!\\)"',  # a lookbehind takes no text: the quote follows the repeat
    ]
    for source in bad:
        assert list(shape_problems(sre_parse.parse(source, 0), 0)), source
    for source in good:
        assert list(shape_problems(sre_parse.parse(source, 0), 0)) == [], source
