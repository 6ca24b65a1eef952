"""Request headers to a :class:`~uagate.policy.Verdict`: the one decision, and its cache.

Composed as ua-parser composes its resolver and cache: :class:`Decider` is the
decision itself, uncached; :class:`Verdicts` wraps a bounded memory around a
decider. The middleware, :func:`check` and the log scanner all decide through
a :class:`Verdicts`, so all of them give the same verdict for the same headers.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Hashable, Mapping

from uagate._bounded import BoundedTable
from uagate._headers import HEADER_LIMIT, has_hints
from uagate._log import log_once
from uagate.detect import (
    DEFAULT_MAX_LENGTH,
    Client,
    ClientHints,
    cap,
    detect,
    has_ie_marker,
    is_bot_lowered,
)
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = [
    "CACHE_BYTES",
    "DEFAULT_CACHE_SIZE",
    "PLACEHOLDER_USER_AGENTS",
    "Decider",
    "HeaderValue",
    "Verdicts",
    "check",
    "unparseable",
]

#: A header as the middleware reads it (raw bytes) or as a caller passes it (text).
HeaderValue = bytes | str | None

#: How many verdicts a :class:`Verdicts` remembers by default.
DEFAULT_CACHE_SIZE = 10_000

#: How many bytes of header text a :class:`Verdicts` keeps alive in its main table
#: (16 MiB; its two tables of IE-like strings a quarter of that each): with
#: ``max_user_agent_length=65536``, about 270 of the longest User-Agents.
CACHE_BYTES = 16 * 1024 * 1024

#: Values that clients and proxies send in place of a User-Agent (lower case): they pass.
PLACEHOLDER_USER_AGENTS = frozenset({"", "-", "null", "none", "undefined", "n/a"})

# One character more than the longest hint ClientHints reads, so that it refuses the rest.
_HINT_LIMIT = HEADER_LIMIT + 1

# Header values longer than this are kept by a digest, not by their text.
_KEY_LIMIT = 2048


def unparseable(user_agent: object, max_length: int = DEFAULT_MAX_LENGTH) -> Verdict:
    """The one fallback verdict: the client passes, reason ``unparseable``.

    For a request whose decision failed, or whose User-Agent the parser
    could not read; ``user_agent`` is kept as the gate reads it (capped).
    """
    raw = user_agent if isinstance(user_agent, (bytes, str)) else b""
    return Verdict(False, Reason.UNPARSEABLE, Client(cap(raw, max_length)))


def _hint_text(value: HeaderValue) -> str | None:
    """A hint header as text, cut first so that a 1 MB header costs what a short one does."""
    if value is None or isinstance(value, str):
        return None if value is None else value[:_HINT_LIMIT]
    return value[:_HINT_LIMIT].decode("latin-1")


class Decider:
    """The decision, uncached: a User-Agent and its client hints to a verdict under ``policy``.

    The User-Agent (raw bytes or text) is stripped and cut to ``max_length``
    characters (:func:`uagate.detect.cap`). A missing or placeholder value
    passes. Then cheap pre-checks may settle ``gated`` without parsing the
    string: a bot passes when the policy lets bots through, and a string with
    no IE marker passes when the policy gates only IE and Trident. Their
    verdicts describe the client on first use, with the full decision
    (:meth:`describe`), so they never differ from it. Everything else is
    described now: :func:`uagate.detect.detect`, then ``policy.decide``.
    """

    __slots__ = ("_bots_pass", "_only_trident", "max_length", "policy")

    def __init__(self, policy: Policy = DEFAULT_POLICY, *, max_length: int = DEFAULT_MAX_LENGTH):
        self.policy = policy
        self.max_length = max_length
        self._bots_pass = not policy.gate_bots
        self._only_trident = policy.gates_only_trident

    def __call__(
        self,
        user_agent: HeaderValue,
        sec_ch_ua: HeaderValue = None,
        full_version_list: HeaderValue = None,
    ) -> Verdict:
        """The verdict for these headers (``None`` where one is missing)."""
        return self.decide(user_agent, sec_ch_ua, full_version_list)[0]

    def decide(
        self, user_agent: HeaderValue, sec_ch_ua: HeaderValue, full_version_list: HeaderValue
    ) -> tuple[Verdict, bool]:
        """The verdict, and whether it depends on the hint headers.

        It does only where the User-Agent has an IE marker (see
        :func:`uagate.detect.detect`); a cache keys every other verdict by the
        User-Agent alone.
        """
        text = cap(user_agent or "", self.max_length)
        lowered = text.lower()
        if lowered in PLACEHOLDER_USER_AGENTS:
            return Verdict(False, Reason.NO_USER_AGENT, Client(text)), False
        marked = has_ie_marker(lowered)
        if self._only_trident and not marked:
            return Verdict.described_later(False, functools.partial(self._later, text)), False
        sec_ch_ua, full_version_list = (
            (_hint_text(sec_ch_ua), _hint_text(full_version_list)) if marked else (None, None)
        )
        bot = is_bot_lowered(lowered)
        if bot and self._bots_pass:
            later = functools.partial(self._later, text, sec_ch_ua, full_version_list, bot)
            return Verdict.described_later(False, later), marked
        return self.describe(text, sec_ch_ua, full_version_list, bot), marked

    def _later(
        self,
        text: str,
        sec_ch_ua: str | None = None,
        full_version_list: str | None = None,
        bot: bool | None = None,
    ) -> Verdict:
        """:meth:`describe` for a verdict read later, by the app: it never raises there."""
        try:
            return self.describe(text, sec_ch_ua, full_version_list, bot)
        except Exception as exc:  # fail open: the request has passed already
            log_once(exc, "describing a client", traceback=True)
            return unparseable(text, self.max_length)

    def describe(
        self,
        text: str,
        sec_ch_ua: str | None = None,
        full_version_list: str | None = None,
        bot: bool | None = None,
    ) -> Verdict:
        """The full decision for a capped User-Agent and its hint headers (as text)."""
        hints = (
            ClientHints.parse(sec_ch_ua, full_version_list)
            if sec_ch_ua or full_version_list
            else None
        )
        client = detect(text, hints, bot=bot)
        if client is None:
            return unparseable(text, self.max_length)
        return self.policy.decide(client)


def _digest(value: bytes | str) -> Hashable:
    """What a long header value is remembered by: its type, length and a 128-bit digest."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return (type(value).__name__, len(value), hashlib.blake2b(raw, digest_size=16).digest())


_PLAIN = (bytes, str, type(None))


def _plain(value: object) -> HeaderValue:
    """A header value as bytes or text: a server may (against the ASGI spec) pass a bytearray."""
    return value if isinstance(value, _PLAIN) else bytes(value)  # type: ignore[call-overload]


def _key(value: HeaderValue) -> Hashable:
    """What a header value is remembered by: itself, or a digest when it is long."""
    return value if value is None or len(value) <= _KEY_LIMIT else _digest(value)


def _cost(key: Hashable) -> int:
    """The bytes a key keeps alive, roughly: its text, or its digest."""
    return len(key) if isinstance(key, (bytes, str)) else 64


class Verdicts:
    """A :class:`Decider` with a bounded memory: the one entry point for a request's verdict.

    Verdicts are remembered by the header values they depend on, as given (raw
    bytes from the middleware, text from :func:`check`), in three tables:

    - verdicts that depend on the User-Agent alone (every string without an
      IE marker, and placeholders), keyed by its value: for a request whose
      User-Agent is a key here, the value is what this method answers,
      whatever the request's other headers;
    - verdicts of IE-like strings (whose hints may name a Chromium browser)
      for requests that send neither hint header, keyed by the User-Agent;
    - and those of IE-like strings with hint headers, keyed by all three.

    The middleware's shortcut asks the first two through :attr:`settled` and :meth:`seen`.

    Each table holds at most ``size`` entries; the first at most ``max_bytes``
    bytes of header text (:data:`CACHE_BYTES` unless told) and the other two a
    quarter of that each, the oldest making room; values longer
    than 2,048 characters are kept by a digest. ``size=0`` remembers nothing.
    """

    __slots__ = (
        "_hinted",
        "_known",
        "_known_get",
        "_unhinted",
        "_unhinted_get",
        "decider",
        "settled",
    )

    def __init__(
        self, decider: Decider, *, size: int = DEFAULT_CACHE_SIZE, max_bytes: int = CACHE_BYTES
    ) -> None:
        self.decider = decider
        self._known: BoundedTable[Hashable, Verdict] = BoundedTable(size, max_bytes)
        # IE-like strings are rare: a quarter of the budget each for their two tables.
        self._unhinted: BoundedTable[Hashable, Verdict] = BoundedTable(size, max_bytes // 4)
        self._hinted: BoundedTable[Hashable, Verdict] = BoundedTable(size, max_bytes // 4)
        self._known_get = self._known.data.get
        self._unhinted_get = self._unhinted.data.get
        #: ``settled(user_agent)``: the verdict kept for a raw User-Agent that settles
        #: it alone (no IE marker, or a placeholder), whatever the other headers are;
        #: ``None`` otherwise. A lookup with no Python frame, for the middleware's
        #: shortcut; :meth:`seen` answers the rest.
        self.settled = self._known_get

    def seen(self, user_agent: bytes, headers: list[tuple[bytes, bytes]]) -> Verdict | None:
        """The verdict kept for a raw User-Agent and the request's raw headers, if any.

        What :meth:`__call__` would answer for this request, read from memory
        alone; ``None`` when it would have to decide. A User-Agent without an
        IE marker (or a placeholder) settles it whatever the other headers
        are; an IE-like one only for a request without hint headers.
        """
        try:
            verdict = self._known_get(user_agent)
            if verdict is None:
                verdict = self._unhinted_get(user_agent)
                if verdict is None or has_hints(headers):
                    return None
        except TypeError:  # a value that is not bytes, against the ASGI spec
            return None
        return verdict

    def __call__(
        self,
        user_agent: HeaderValue,
        sec_ch_ua: HeaderValue = None,
        full_version_list: HeaderValue = None,
    ) -> Verdict:
        """The verdict for these headers (``None`` where one is missing)."""
        values = (user_agent, sec_ch_ua, full_version_list)
        if not all(isinstance(value, _PLAIN) for value in values):  # a bytearray, against ASGI
            user_agent, sec_ch_ua, full_version_list = map(_plain, values)
        key = _key(user_agent)
        verdict = self._known_get(key)
        if verdict is not None:
            return verdict
        keys: Hashable = key
        table, cost = self._unhinted, _cost(key)
        if sec_ch_ua is not None or full_version_list is not None:
            hint_keys = _key(sec_ch_ua), _key(full_version_list)
            keys = (key, *hint_keys)
            table, cost = self._hinted, cost + _cost(hint_keys[0]) + _cost(hint_keys[1])
        verdict = table.data.get(keys)
        if verdict is not None:
            return verdict
        verdict, by_hints = self.decider.decide(user_agent, sec_ch_ua, full_version_list)
        cost += min(len(user_agent or ""), self.decider.max_length)
        if by_hints:
            table.add(keys, verdict, cost)
        else:
            self._known.add(key, verdict, cost)
        return verdict


@functools.lru_cache(maxsize=8)
def _verdicts_for(policy: Policy, max_length: int) -> Verdicts:
    """The memory :func:`check` decides through, one per policy and cap (the last 8 used)."""
    return Verdicts(Decider(policy, max_length=max_length), size=1024)


def check(
    user_agent: str | None,
    headers: Mapping[str, str] | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> Verdict:
    """Return the verdict the gate gives a User-Agent, without any ASGI machinery.

    ``headers`` may carry the client hints ``Sec-CH-UA`` and
    ``Sec-CH-UA-Full-Version-List`` (any case); ``max_length`` is the
    middleware's ``max_user_agent_length``. It decides through the same decider
    and cache as the middleware, so for the same headers, policy and cap the
    verdict is the one the middleware puts in ``scope["state"]["uagate"]``::

        >>> from uagate import check
        >>> from uagate.testing import IE11
        >>> verdict = check(IE11)
        >>> verdict.gated, str(verdict.reason), verdict.client.family
        (True, 'internet-explorer', 'IE')
    """
    if isinstance(max_length, bool) or not isinstance(max_length, int):
        raise TypeError(f"check() max_length must be an int, not {max_length!r}")
    if not 16 <= max_length <= 65536:
        raise ValueError(f"check() max_length must be from 16 to 65536, not {max_length}")
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    return _verdicts_for(policy, max_length)(
        user_agent, lowered.get("sec-ch-ua"), lowered.get("sec-ch-ua-full-version-list")
    )
