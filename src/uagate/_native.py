"""The one adapter to ``ua_parser_rs``, ua-parser's native, linear-time matcher.

Every call into it goes through here, so a change of its constructor or of
what ``extract`` returns breaks one place. It is untyped, hence the ``Any``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

import ua_parser_rs
from ua_parser import load_lazy_builtins

__all__ = ["Matcher", "browser_matcher", "browser_rules", "literal_matcher"]

#: A native matcher: ``extract(text)`` gives None or an object with ``family``,
#: ``major``, ``minor``, ``patch`` and ``patch_minor`` (strings or None).
Matcher = Any


def literal_matcher(groups: Iterable[tuple[str, Iterable[str]]]) -> Matcher:
    """A matcher that finds literal words in one linear pass, whatever their number.

    ``groups`` are ``(name, words)`` pairs; ``extract(text).family`` is the name
    of the first group (in the order given) with a word in ``text``, wherever
    in the text that word stands.
    """
    return ua_parser_rs.UserAgentExtractor(
        [("|".join(map(re.escape, words)), name, None, None, None, None) for name, words in groups]
    )


def browser_matcher() -> Matcher:
    """uap-core's browser rules, as ``ua_parser``'s native resolver builds them.

    Asked directly: the resolver wraps each answer in two dataclasses (about 5 us
    a string) and also parses the OS and device, which the gate never reads.
    """
    return ua_parser_rs.UserAgentExtractor(browser_rules())


#: One uap-core browser rule: regex, then the family, major, minor, patch and
#: patch_minor templates (``$1`` style; None where the rule takes its group).
Rule = tuple[str, str | None, str | None, str | None, str | None, str | None]


def browser_rules() -> list[Rule]:
    """uap-core's browser rules, in the order they are tried (the first match wins)."""
    rules, _os_rules, _device_rules = load_lazy_builtins()
    fields = attrgetter("regex", "family", "major", "minor", "patch", "patch_minor")
    return [fields(rule) for rule in rules]
