"""The gate as nginx configuration: ``uagate export nginx``.

Every regular expression written here is generated from the tables the gate
itself decides by, so the two cannot drift apart:

- IE and Trident: :data:`uagate.detect.IE_MARKERS` and the patterns beside them
  (``Trident/N``, ``MSIE N``, IE Mobile's and IE 1-2's own tokens), and the
  browsers that fake an ``MSIE`` token;
- bots: the bot tokens and edge patterns of :mod:`uagate.detect`;
- the client hints' Chromium brands (:data:`uagate.detect.CHROMIUM_BRANDS`);
- browser families and versions, for a policy with minimum versions: uap-core's
  browser rules, the very rules the gate's parser matches, in the same order,
  after the same reading of versions without a dot, compared with the policy's
  minimums.

nginx's ``map`` tests its regular expressions in order and takes the first that
matches, as uap-core does. Every map reads the User-Agent cut to its first 512
characters (as :func:`uagate.detect.cap` cuts it), the other headers to 1,024,
and every repeat in every pattern is bounded: a pattern's work on any request
has a bound, however long the header (``tests/test_nginx.py`` checks their
shape and runs them on ReDoS shapes). What nginx cannot do as the middleware
does is in docs/edge.md.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

from uagate import decision, detect
from uagate._headers import HEADER_LIMIT, VERDICT_HEADERS
from uagate._locales import LANGUAGES, LOOKUP, known_language
from uagate._native import browser_rules
from uagate.config import GateConfig
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.exclusions import is_path_prefix, method_names
from uagate.page import DEFAULT_STATUS_CODE, render_page
from uagate.policy import DEFAULT_POLICY, FAMILIES, Policy, Reason

__all__ = [
    "GATE_PATH",
    "HTTP_CONF",
    "PAGE_PATH",
    "SERVER_CONF",
    "NginxExportError",
    "UntranslatableError",
    "export_config",
    "export_nginx",
    "http_conf",
    "untranslatable",
]

#: The files ``export_nginx`` writes, inside the directory it is given.
HTTP_CONF = "uagate_http.conf"
SERVER_CONF = "uagate_server.conf"
_PAGES = "pages"

#: Where a gated request goes, and the pages are served from, inside each gated server
#: (internal locations: a client asking for them gets 404).
GATE_PATH = "/_uagate/gate"
PAGE_PATH = "/_uagate/page/"

# The page variants nginx serves: one for IE and Trident (their text is the
# same), one for browsers below their minimum version.
_VARIANTS = {"internet-explorer": Reason.INTERNET_EXPLORER, "outdated": Reason.OUTDATED}

# The bound given to every repeat. On the at most 512 characters each map reads,
# x{0,512} matches what x* does. The gate's parser (ua-parser's native matcher)
# reads a bound of 100 or more as no bound, so those become 512 too.
_BOUND = DEFAULT_MAX_LENGTH
_LOOSE_BOUND = 100

# How many tokens with a dotless version the export reads as the gate does
# (``Chrome/118`` as ``Chrome/118.0``); a real User-Agent has one or two.
_DOTLESS_PASSES = 3

# One member of a Sec-CH-UA list, "Brand";v="124", as uagate.detect reads it: a brand
# without a quote or a backslash, a version of digits whose parts are none empty (no
# dot first, last or twice: the lookaheads); a list of at most 16 members (a brand
# named twice counts twice) is well formed, and the gate reads no other. Only classes
# repeat: PCRE copies a repeated group.
_VERSION = r'"(?!\.)(?![0-9.]{0,31}\.[."])[0-9.]{1,32}"'
_MEMBER = (
    r'[ \t]{0,64}"[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}"[ \t]{0,64};'
    rf"[ \t]{{0,64}}v[ \t]{{0,64}}=[ \t]{{0,64}}{_VERSION}[ \t]{{0,64}}"
)
_WELL_FORMED = f"^{_MEMBER}(?:,{_MEMBER}){{0,{detect.MAX_BRANDS - 1}}}$"


def _hint_rules() -> list[tuple[str, str]]:
    """1 for a well-formed list naming a Chromium brand as a member, 0 for any other."""
    brands = _alternation(sorted(detect.CHROMIUM_BRANDS))
    member = f'(?:^|,)[ \\t]{{0,64}}"{brands}"[ \\t]{{0,64}};'
    return [(f"^(?=.{{0,{HEADER_LIMIT}}}{member}){_WELL_FORMED[1:]}", "1"), (_WELL_FORMED, "0")]


# The headers a passed response names with vary_user_agent, and a gated one always.
_VARY_VERDICT = ", ".join(VERDICT_HEADERS)
_VARY_PAGE = f"{_VARY_VERDICT}, Accept-Language"


# PCRE reads each byte of a header as a character; (*UCP) gives those above 127 the
# Unicode meaning the gate gives them (the middleware reads header bytes as latin-1):
# "Talbot\xe9" has no word edge after "bot", to both.
_UCP = "(*UCP)"


class NginxExportError(ValueError):
    """The export cannot say in nginx what the gate does, or cannot be written there."""


class UntranslatableError(NginxExportError):
    """A gate's options that nginx cannot carry out as the gate does (:func:`export_config`)."""


def _policy_reasons(policy: Policy) -> list[str]:
    """Why nginx cannot apply ``policy`` as the gate does; empty when it can."""
    reasons = []
    if policy.predicate is not None:
        reasons.append(
            "a policy with a predicate cannot be exported to nginx: the predicate is Python code; "
            "keep the middleware for it (docs/edge.md)"
        )
    if not (policy.gate_ie and policy.gate_trident_apps):
        reasons.append(
            "nginx cannot tell Internet Explorer from applications built on its engine as the "
            "gate does, so an exported policy must gate both (gate_ie=True, "
            "gate_trident_apps=True); keep the middleware for this policy (docs/edge.md)"
        )
    return reasons


def _check_policy(policy: Policy) -> None:
    reasons = _policy_reasons(policy)
    if reasons:
        raise NginxExportError("; ".join(reasons))


def _quote(text: str) -> str:
    """Text as a double-quoted nginx string, its backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _alternation(tokens: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(token) for token in tokens) + ")"


def _bounded(pattern: str, *, as_the_parser: bool = False) -> str:
    """``pattern`` with every repeat of no bound bounded by 512.

    ``as_the_parser``: also a bound of 100 or more, which the gate's parser
    reads as none (for uap-core's rules).
    """
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        repeat = re.match(r"\{(\d+),(\d*)\}", pattern[index:]) if char == "{" else None
        if char == "\\":
            char = pattern[index : index + 2]
        elif char == "[":  # a class, copied whole: a ] first in it is a member
            end = index + 1 + (pattern[index + 1 : index + 2] == "^")
            end += pattern[end : end + 1] == "]"
            while pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            char = pattern[index : end + 1]
        elif char in "*+":
            out.append(f"{{{0 if char == '*' else 1},{_BOUND}}}")
            index += 1
            continue
        elif repeat is not None and (
            not repeat.group(2) or (as_the_parser and int(repeat.group(2)) >= _LOOSE_BOUND)
        ):
            out.append(f"{{{repeat.group(1)},{_BOUND}}}")
            index += repeat.end()
            continue
        out.append(char)
        index += len(char)
    return "".join(out)


def _map(
    source: str,
    name: str,
    rules: Iterable[tuple[str, str]],
    *,
    caseless: bool = False,
    default: str = "",
    volatile: bool = False,
    empty: str | None = None,
) -> str:
    """An nginx ``map`` block of regular expressions, tested in order: the first match wins.

    nginx tests no regular expression on an empty value: ``empty`` is the value
    for one, where it is not ``default``.
    """
    operator = "~*" if caseless else "~"
    lines = [f"map {source} ${name} {{"]
    lines += ["    volatile;"] if volatile else []
    lines.append(f"    default {_quote(default)};")
    lines += [f'    "" {_quote(empty)};'] if empty is not None else []
    lines += [
        f"    {_quote(operator + _UCP + _bounded(pattern))} {_quote(value)};"
        for pattern, value in rules
    ]
    lines.append("}")
    return "\n".join(lines)


def _exact_map(source: str, name: str, entries: Iterable[tuple[str, str]], default: str) -> str:
    """An nginx ``map`` block of exact strings (a hash lookup)."""
    lines = [f"map {source} ${name} {{", f"    default {_quote(default)};"]
    lines += [f"    {_quote(key)} {_quote(value)};" for key, value in entries]
    lines.append("}")
    return "\n".join(lines)


# What detect.cap strips around a header (latin-1 whitespace), as a class of bytes.
_SPACE = "[" + "".join(f"\\x{code:02x}" for code in detect.LATIN1_SPACE) + "]"


def _user_agent_map() -> str:
    """``$uagate_ua``: the User-Agent as :func:`uagate.detect.cap` reads it.

    Stripped, cut to 512 characters, stripped again. Spaces and tabs first, as
    the gate drops any number of both (as the HTTP servers in front of it do):
    nginx has dropped leading spaces already, and tabs go here, up to 65,535
    (PCRE's largest repeat; nginx's default 8 KB header buffer holds fewer).
    Then up to 1,024 other whitespace characters; more leave it empty (no
    match: the map's default), as the gate reads them.
    """
    lead = detect.LEADING_SPACE_LIMIT
    ows = "[ \\t]{0,65535}(?![ \\t])"
    cut = _map(
        "$http_user_agent",
        "uagate_ua_cut",
        [(f"^{ows}{_SPACE}{{0,{lead}}}(?!{_SPACE})(.{{0,{DEFAULT_MAX_LENGTH}}})", "$1")],
    )
    strip = _map(
        "$uagate_ua_cut",
        "uagate_ua",
        [(f"^(.{{0,{DEFAULT_MAX_LENGTH}}}?){_SPACE}{{0,{DEFAULT_MAX_LENGTH}}}$", "$1")],
    )
    return f"{cut}\n\n{strip}"


def _cut(source: str, name: str, length: int) -> str:
    """A map that strips spaces and tabs around a header, and empties one longer than ``length``.

    As the gate reads a hint header: the HTTP server in front of it drops the
    spaces and tabs around a value (nginx keeps tabs): up to 65,535 before it
    here (PCRE's largest repeat, which the lookahead keeps from giving any
    back), and up to 1,024 after it.
    """
    pattern = f"^[ \\t]{{0,65535}}(?![ \\t])(.{{0,{length - 1}}}[^ \\t])?[ \\t]{{0,1024}}$"
    return _map(source, name, [(pattern, "$1")])


def _flags() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(name, [(caseless pattern, "1")]) for each one-bit fact about the User-Agent.

    Read from :mod:`uagate.detect` and :mod:`uagate.decision` when called, so the
    configuration always says what the gate does.
    """
    placeholders = sorted(value for value in decision.PLACEHOLDER_USER_AGENTS if value)
    yield "placeholder", [("^" + _alternation(placeholders) + "$", "1")]
    bots = [(_alternation(detect.BOT_TOKENS), "1")]
    yield "bot", bots + [(pattern.pattern, "1") for _, pattern in detect.BOT_PATTERNS]
    yield "trident", [(detect.TRIDENT.pattern, "1")]
    yield "msie", [(detect.MSIE.pattern, "1")]
    fakes = [(_alternation(detect.FAKES_MSIE), "1")]
    yield (
        "fakes_msie",
        fakes + [(pattern.pattern, "1") for _, pattern in detect.FAKES_MSIE_PATTERNS],
    )
    yield "ie_token", [(detect.IEMOBILE.pattern, "1"), (detect.IE_PRODUCT.pattern, "1")]


#: The order of the bits in the key of the state map.
_BITS = ("placeholder", "bot", "trident", "msie", "fakes_msie", "ie_token", "chromium", "skip")


def _state(policy: Policy, bits: dict[str, bool]) -> str:
    """What the gate does with a client that has these bits: ``pass``, ``ie`` or ``next``.

    :class:`uagate.decision.Decider`, :func:`uagate.detect._internet_explorer`
    and ``Policy.decide`` up to the browser's version: ``next`` means the
    version decides. ``skip``: a request the middleware's defaults leave alone
    (a websocket handshake), or that the export's options exclude.
    """
    if bits["skip"] or bits["placeholder"]:
        return "pass"
    if bits["bot"] and not policy.gate_bots:
        return "pass"
    if bits["trident"]:
        trident = True
    elif bits["msie"]:  # an MSIE token: IE, unless a browser that fakes it names itself
        trident = not bits["fakes_msie"]
    else:
        trident = bits["ie_token"]
    if trident and bits["chromium"]:
        return "pass"  # a Chromium browser that sends IE's User-Agent (see docs/edge.md)
    return "ie" if trident else "next"


def _digits_below(number: int) -> list[str]:
    """Patterns for the decimal numbers (no leading zero) below ``number``."""
    text = str(number)
    found = [r"\d"] if len(text) > 1 else []
    found += [f"[1-9]\\d{{{length - 1}}}" for length in range(2, len(text))]
    for index, digit in enumerate(text):
        lowest = 1 if index == 0 and len(text) > 1 else 0
        if int(digit) > lowest:
            rest = len(text) - index - 1
            tail = f"\\d{{{rest}}}" if rest > 1 else (r"\d" if rest else "")
            low, high = str(lowest), str(int(digit) - 1)
            klass = low if low == high else f"[{low}-{high}]"
            found.append(text[:index] + klass + tail)
    return found


def _below(minimum: tuple[int, ...], index: int = 0) -> str:
    """A pattern for ``major|minor|patch`` fields whose version is below ``minimum``.

    As :func:`uagate.detect._numeric` reads them: the version is the leading
    fields that are all digits; it is compared as a tuple, so one that stops
    early is below a longer minimum with the same start. An empty version
    (no digits in the major field) is never below: such a browser passes.
    """
    if index == len(minimum):
        return "(?!)"
    choices = []
    lower = _digits_below(minimum[index])
    if lower:
        choices.append("0*(?:" + "|".join(lower) + ")(?:\\||$)")
    if index > 0:
        # the version stopped before this field: it is a shorter tuple
        choices.append(r"(?:[^|]*[^0-9|][^|]*)?(?:\||$)")
    if index + 1 < len(minimum):
        choices.append(f"0*{minimum[index]}(?:$|\\|{_below(minimum, index + 1)})")
    return "(?:" + "|".join(choices) + ")" if choices else "(?!)"


def _field(template: str | None, group: int) -> str:
    return f"${group}" if template is None else template


def _browser_rules() -> list[tuple[str, str]]:
    """uap-core's browser rules as (pattern, ``family|major|minor|patch`` template)."""
    return [
        (
            _bounded(regex, as_the_parser=True),
            f"{family or '$1'}|{_field(major, 2)}|{_field(minor, 3)}|{_field(patch, 4)}",
        )
        for regex, family, major, minor, patch, _patch_minor in browser_rules()
    ]


def _outdated_rules(policy: Policy) -> list[tuple[str, str]]:
    minimums = policy.minimums
    return [
        (f"^{_alternation(sorted(FAMILIES[key]))}\\|{_below(minimums[key])}", "outdated")
        for key in sorted(minimums)
    ]


#: How many ranges of Accept-Language nginx reads.
_LANGUAGE_RANGES = 8


def _language_rules(default_language: str) -> list[tuple[str, str]]:
    """The page's language: the first range that names one of the gate's and is not refused.

    As :func:`uagate.page.negotiate_language` reads a range: whole or cut
    shorter, by the languages' tags and :data:`uagate.page.ALIASES` (the
    longest tag first); ``*`` is the default language; ``q=0`` refuses a range
    and a ``q`` that is not an RFC 9110 weight (:func:`uagate._negotiation.qvalue`)
    leaves it out. Other quality values are not weighed (browsers list ranges
    best first), and only the first eight ranges are read (empty ones count).
    """
    space = r"[ \t]{0,64}"
    # A parameter named q (not xq), all the spaces around "=": the value follows.
    quality = f"(?<![^; \\t])q{space}={space}(?![ \\t])"
    # A range's parameters that leave it out: q=0, or a q that is not an RFC 9110
    # weight, a positive one being 1, 1.0 to 1.000, or 0.001 to 0.999 (three decimals).
    valid = r"(?:1(?:\.0{0,3})?|0\.(?=[0-9]{0,2}[1-9])[0-9]{1,3})"
    left_out = (
        f"[^,]{{0,256}}?(?:{quality}(?!{valid}{space}(?:;|,|$))|(?<![^; \\t])q{space}(?:;|,|$))"
    )
    ends = f"{space}(?:,|$|;(?!{left_out}))"
    keys = sorted(LOOKUP, key=lambda key: (-key.count("-"), key))
    subtags = "(?:[-_][^-_,; \\t]{1,64}){0,16}"
    rules = []
    for position in range(_LANGUAGE_RANGES):
        before = f"^(?:[^,]{{0,{HEADER_LIMIT}}},){{{position}}}{space}" if position else f"^{space}"
        rules.append((f"{before}\\*{ends}", default_language))
        for key in keys:
            tag = "[-_]".join(map(re.escape, key.split("-")))  # zh-TW, or zh_TW
            rules.append((f"{before}{tag}{subtags}{ends}", LOOKUP[key]))
    return rules


# The longest prefix the export writes: nginx refuses a map value much past 4 KB.
_MAX_PREFIX = 1024


def _paths(prefixes: Sequence[str]) -> list[str]:
    for prefix in prefixes:
        if not is_path_prefix(prefix):
            raise NginxExportError(
                f"exclude_paths takes prefixes that start with '/', not {prefix!r}"
            )
        if len(prefix) > _MAX_PREFIX:
            raise NginxExportError(
                f"an exclude_paths prefix of {len(prefix):,} characters is longer than nginx "
                f"reads in a map ({_MAX_PREFIX:,} at most): {prefix[:40]!r}..."
            )
    return [f"^{re.escape(prefix)}" for prefix in prefixes]


def _methods(methods: Collection[str] | None) -> list[str] | None:
    if methods is None:
        return None
    try:
        return sorted(method_names(methods, "methods"))
    except ValueError as exc:
        raise NginxExportError(str(exc)) from None


def http_conf(
    policy: Policy = DEFAULT_POLICY,
    *,
    default_language: str = "en",
    exclude_paths: Sequence[str] = (),
    methods: Collection[str] | None = None,
    vary_user_agent: bool = False,
) -> str:
    """The text of ``uagate_http.conf``: the maps, to include once inside ``http {}``.

    They set ``$uagate_gated`` to the page variant a gated client gets
    (``internet-explorer`` or ``outdated``) or to the empty string, and
    ``$uagate_language`` to the page's language; the other ``$uagate_``
    variables serve ``uagate_server.conf``. The options mean what the
    middleware's options of the same names mean. Raises
    :class:`NginxExportError` for a policy or option nginx cannot apply as the
    gate does.
    """
    _check_policy(policy)
    try:
        default_language = known_language(default_language, "default_language")
    except ValueError as exc:
        raise NginxExportError(str(exc)) from None
    excluded = _paths(exclude_paths)
    gated_methods = _methods(methods)
    parts = [
        "# Generated by `uagate export nginx`: regenerate it, do not edit it.",
        f"# Policy: {policy!r}",
        "# Include it once inside http {}, and uagate_server.conf inside each server {} to gate.",
        "# Its maps run PCRE regular expressions on each request: say `pcre_jit on;` in the main\n"
        "# context of nginx.conf (outside http {}) to compile them to machine code once.",
        f"# Every map reads the first {DEFAULT_MAX_LENGTH} characters of the User-Agent.",
        _user_agent_map(),
        "# Hint headers longer than the gate reads are malformed to it: read as not sent.",
        _cut("$http_sec_ch_ua", "uagate_ch", HEADER_LIMIT),
        _cut("$http_sec_ch_ua_full_version_list", "uagate_ch_full", HEADER_LIMIT),
        f"# IE markers: {', '.join(detect.IE_MARKERS)}",
    ]
    parts += [
        _map("$uagate_ua", f"uagate_{name}", rules, caseless=True, default="0",
             empty="1" if name == "placeholder" else None)
        for name, rules in _flags()
    ]  # fmt: skip
    # "Brand";v="124": a Chromium brand in Sec-CH-UA, or in the full list without Sec-CH-UA.
    hints = _hint_rules()
    parts += [
        _map("$uagate_ch", "uagate_chromium_ch", hints, default="none"),
        _map("$uagate_ch_full", "uagate_chromium_full", hints, default="0"),
        _exact_map('"$uagate_chromium_ch$uagate_chromium_full"', "uagate_chromium",
                   [("10", "1"), ("11", "1"), ("none1", "1")], default="0"),
    ]  # fmt: skip
    # Requests the middleware's defaults (a websocket handshake), or the options, leave alone.
    parts.append(
        _map(
            '"$http_upgrade|$http_connection"',
            "uagate_websocket",
            [(r"^websocket\|(?:[^|]{0,256}[, \t])?upgrade(?:[, \t]|$)", "1")],
            caseless=True,
            default="0",
        )
    )
    parts.append(
        _map("$uri", "uagate_excluded", [(pattern, "1") for pattern in excluded], default="0")
    )
    if gated_methods is None:
        parts.append(_exact_map("$request_method", "uagate_ungated_method", [], default="0"))
    else:
        parts.append(
            _exact_map(
                "$request_method",
                "uagate_ungated_method",
                [(method, "0") for method in gated_methods],
                default="1",
            )
        )
    parts.append(
        _exact_map(
            '"$uagate_websocket$uagate_excluded$uagate_ungated_method"',
            "uagate_skip",
            [("000", "0")],
            default="1",
        )
    )
    key = '"' + "".join(f"$uagate_{bit}" for bit in _BITS) + '"'
    entries = []
    for values in itertools.product((False, True), repeat=len(_BITS)):
        state = _state(policy, dict(zip(_BITS, values, strict=True)))
        if state != "pass":
            entries.append(("".join("1" if value else "0" for value in values), state))
    parts.append(f"# The key is the bits {', '.join(_BITS)}, in that order.")
    parts.append(_exact_map(key, "uagate_state", entries, default="pass"))
    gated = [("ie", "internet-explorer")]
    if policy.min_versions:
        parts.append("# Versions without a dot read as the gate reads them: Chrome/118 as 118.0.")
        dotless = f"^(.{{0,{_BOUND}}})" + detect.DOTLESS.pattern + f"(.{{0,{_BOUND}}})$"
        source = "$uagate_ua"
        for number in range(1, _DOTLESS_PASSES + 1):
            parts.append(
                _map(source, f"uagate_dotted{number}", [(dotless, "$1$2.0$3")], default=source)
            )
            source = f"$uagate_dotted{number}"
        parts.append("# uap-core's browser rules, in the parser's order: family|major|minor|patch")
        parts.append(_map(source, "uagate_browser", _browser_rules()))
        parts.append(_map("$uagate_browser", "uagate_outdated", _outdated_rules(policy)))
        gated.append(("next", "$uagate_outdated"))
    parts.append(_exact_map("$uagate_state", "uagate_gated", gated, default=""))
    # The first 1,024 characters, less a range the 1,024th cuts (as the gate reads it).
    parts.append(
        _map("$http_accept_language", "uagate_accept_language",
             [(f"^(.{{0,{HEADER_LIMIT}}})$", "$1"), (f"^(.{{0,{HEADER_LIMIT - 1}}}),", "$1")])
    )  # fmt: skip
    parts.append(
        _map("$uagate_accept_language", "uagate_language", _language_rules(default_language),
             caseless=True, default=default_language)
    )  # fmt: skip
    # $uagate_return is read again after the page's internal redirect: empty there.
    returned = [(f"^[^|]*\\|{re.escape(PAGE_PATH)}", ""), (r"^[^|]", "1")]
    parts.append(_map('"$uagate_gated|$uri"', "uagate_return", returned, volatile=True))
    internal = [(f"^{re.escape(GATE_PATH)}$", "1"), (f"^{re.escape(PAGE_PATH)}", "1")]
    parts.append(_map("$uri", "uagate_internal", internal, default="", volatile=True))
    if vary_user_agent:  # on responses to the requests the gate decides, gated or not
        parts.append(_exact_map("$uagate_skip", "uagate_vary", [("0", _VARY_VERDICT)], default=""))
    return "\n\n".join(parts) + "\n"


def _server_conf(pages: Path, *, vary_user_agent: bool = False) -> str:
    """The text of ``uagate_server.conf`` for pages in the directory ``pages``.

    Only locations of its own and an ``if``: no ``error_page`` or ``add_header``
    at the server level, which would stop the server inheriting those of
    ``http {}`` (but for the one ``add_header Vary`` that ``vary_user_agent``
    asks for, which does).
    """
    lines = [
        "# Generated by `uagate export nginx`: regenerate it, do not edit it.",
        "# Include it inside each server {} to gate (uagate_http.conf inside http {}).",
        "# Include it first in server {}, before any rewrite, return or if of its own.",
        "# A gated request, whatever its method, gets status 406 and the gate page in its",
        "# language; no other response is touched.",
        "# The page's internal redirect runs the server's rewrites again: none may touch it.",
        "if ($uagate_internal) {",
        "    break;",
        "}",
        "if ($uagate_return) {",
        f"    rewrite ^ {GATE_PATH} last;",
        "}",
        f"location = {GATE_PATH} {{",
        "    internal;",
        "    # No login or access rule of the server's (auth_request, auth_basic, allow)",
        "    # stands between a gated client and the page.",
        "    satisfy any;",
        "    allow all;",
        f"    error_page 406 {PAGE_PATH}$uagate_gated.$uagate_language.html;",
        "    return 406;",
        "}",
        f"location ^~ {PAGE_PATH} {{",
        "    internal;",
        "    satisfy any;",
        "    allow all;",
        f"    alias {_quote(str(pages) + '/')};",
        "    types { }",
        '    default_type "text/html; charset=utf-8";',
        "    etag off;",
        '    add_header Cache-Control "no-store" always;',
        f"    add_header Vary {_quote(_VARY_PAGE)} always;",
        "    add_header Content-Language $uagate_language always;",
        "}",
    ]
    if vary_user_agent:
        lines += [
            "# vary_user_agent: as nginx's add_header is inherited, this one is not sent by a",
            "# location with add_header of its own, and this server inherits none from http {}.",
            "add_header Vary $uagate_vary always;",
        ]
    return "\n".join([*lines, ""])


def _target(directory: str | os.PathLike[str]) -> Path:
    if not os.fspath(directory):
        raise NginxExportError("the output directory is empty; name one")
    out = Path(directory).resolve()
    text = str(out)
    # nginx reads $ as a variable, and *, ? and [ in an include as a pattern.
    if any(char in text for char in '$"\\*?[') or any(
        ord(char) < 0x20 or ord(char) == 0x7F for char in text
    ):
        raise NginxExportError(
            f"the output directory {text!r} cannot be named in nginx configuration "
            "(it holds $, *, ?, [, a double quote, a backslash or a control character); "
            "choose another"
        )
    return out


def export_nginx(
    directory: str | os.PathLike[str],
    policy: Policy = DEFAULT_POLICY,
    *,
    default_language: str = "en",
    exclude_paths: Sequence[str] = (),
    methods: Collection[str] | None = None,
    vary_user_agent: bool = False,
) -> list[Path]:
    """Write ``uagate_http.conf``, ``uagate_server.conf`` and the pages into ``directory``.

    The directory is created if missing; the pages go to its ``pages`` folder,
    which the server configuration names by absolute path. Files are written
    readable by all (nginx's workers run as another user) whatever the umask.
    A folder that is already there keeps its permissions. Returns the absolute
    paths written, the two configuration files last. The options are those of
    :func:`http_conf`. Raises :class:`NginxExportError` for a policy or option
    nginx cannot apply as the gate does, or a directory nginx cannot name.
    """
    out = _target(directory)
    http = http_conf(
        policy,
        default_language=default_language,
        exclude_paths=exclude_paths,
        methods=methods,
        vary_user_agent=vary_user_agent,
    )
    pages = out / _PAGES
    # The pages first and the configuration last: a reload part-way finds every page.
    files = {}
    variants = _VARIANTS if policy.min_versions else {"internet-explorer": Reason.INTERNET_EXPLORER}
    for variant, reason in variants.items():
        for language in LANGUAGES:
            files[pages / f"{variant}.{language}.html"] = render_page(language, reason)
    files[out / SERVER_CONF] = _server_conf(pages, vary_user_agent=vary_user_agent)
    files[out / HTTP_CONF] = http
    missing = [folder for folder in (*reversed(pages.parents), pages) if not folder.is_dir()]
    for folder in missing:  # a folder that was there keeps its permissions
        folder.mkdir()
        folder.chmod(0o755)
    for path, text in files.items():
        # Written beside, then renamed over: a running nginx never reads half a file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_text(text, "utf-8")
            partial.chmod(0o644)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return list(files)


def untranslatable(config: GateConfig) -> list[str]:
    """What nginx cannot do as the gate with these options does: one reason an option.

    Each reason names the option and says why; an empty list means that
    :func:`export_config` writes what the gate does (the policy is checked
    there, as :func:`export_nginx` checks it). Options nginx carries out
    (``policy``, ``default_language``, ``exclude_paths`` prefixes, ``methods``,
    ``vary_user_agent``) and those that change no response (``cache_size``;
    ``continue_path`` and ``continue_max_age`` without ``allow_continue``) are
    not listed.
    """
    reasons = []
    patterns = [item for item in config.exclude_paths if not isinstance(item, str)]
    if patterns:
        shown = ", ".join(f"re.compile({pattern.pattern!r})" for pattern in patterns)
        reasons.append(
            f"exclude_paths holds {shown}: the export takes path prefixes only, as nginx "
            "may not match a Python regular expression as the gate does"
        )
    if config.exclude is not None:
        reasons.append(
            "exclude is a Python callable: nginx cannot call it, and would gate the "
            "requests it leaves to the app"
        )
    if config.page is not None:
        kind = "a callable" if callable(config.page) else "a template of its own"
        reasons.append(f"page is {kind}: the export writes and serves the built-in pages")
    if config.site_name is not None:
        reasons.append("site_name is set: the export writes the built-in pages without a site name")
    if config.status_code != DEFAULT_STATUS_CODE:
        reasons.append(
            f"status_code is {config.status_code}: the export answers {DEFAULT_STATUS_CODE}"
        )
    if config.allow_continue:
        reasons.append(
            "allow_continue is on: nginx has no continue link or cookie, and would gate "
            "the clients who chose to continue"
        )
    if config.report_only:
        reasons.append(
            "report_only is on: the gate lets gated clients through, nginx would gate them"
        )
    if config.gate_websockets:
        reasons.append("gate_websockets is on: the export passes every websocket handshake")
    if config.on_verdict is not None:
        reasons.append(
            "on_verdict is set: nginx answers gated clients itself, so the hook would "
            "never hear of them"
        )
    if config.max_user_agent_length != DEFAULT_MAX_LENGTH:
        reasons.append(
            f"max_user_agent_length is {config.max_user_agent_length}: the export reads "
            f"the first {DEFAULT_MAX_LENGTH} characters of a User-Agent"
        )
    return reasons


def export_config(directory: str | os.PathLike[str], config: GateConfig) -> list[Path]:
    """:func:`export_nginx` with the options of a gate (``uagate export nginx --app``).

    Raises :class:`NginxExportError`, one line naming each option, when nginx
    cannot do as the gate does (:func:`untranslatable`), or for a policy
    :func:`export_nginx` refuses: the export never silently differs from the gate.
    """
    reasons = untranslatable(config) + _policy_reasons(config.policy)
    if reasons:
        raise UntranslatableError("nginx cannot do as this gate does: " + "; ".join(reasons))
    return export_nginx(
        directory,
        config.policy,
        default_language=config.default_language,
        exclude_paths=[path for path in config.exclude_paths if isinstance(path, str)],
        methods=config.methods,
        vary_user_agent=config.vary_user_agent,
    )
