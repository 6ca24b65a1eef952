"""From a User-Agent header value (and client hints) to a :class:`~uagate.policy.Verdict`.

Joins :mod:`uagate.detect` and :mod:`uagate.policy` in one call, used by the
middleware and by the public :func:`check` alike, so that both decide the same
way.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from uagate._bounded import keep
from uagate._headers import HINT_LIMIT, text, user_agent_text
from uagate.detect import (
    DEFAULT_MAX_LENGTH,
    Client,
    ClientHints,
    cap,
    detect,
    may_be_internet_explorer,
)
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = ["DEFAULT_CACHE_SIZE", "Decider", "HeaderDecider", "check"]

# Values that clients and proxies send in place of a User-Agent.
_PLACEHOLDERS = frozenset({"", "-", "null", "none", "undefined", "n/a"})


#: How many verdicts a Decider remembers by default.
DEFAULT_CACHE_SIZE = 10_000


class Decider:
    """Decide for one User-Agent value (and its client hints) under ``policy``.

    ``max_length`` caps how much of the string is read. With ``precheck``
    (the middleware's fast path), a string with no IE or Trident marker is
    passed without being parsed when the policy can only gate IE/Trident; the
    verdict is the same, but its client then carries only the string.
    Verdicts are remembered, keyed by the capped string and the hint headers,
    in a least-recently-used cache of ``cache_size`` entries (0: none).
    """

    __slots__ = ("_decide", "_max_length", "_policy", "_precheck")

    def __init__(
        self,
        policy: Policy = DEFAULT_POLICY,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        precheck: bool = True,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self._policy = policy
        self._max_length = max_length
        self._precheck = precheck and policy.gates_only_trident
        self._decide = (
            functools.lru_cache(maxsize=cache_size)(self._uncached)
            if cache_size
            else self._uncached
        )

    @property
    def hints_matter_only_for_ie(self) -> bool:
        """True when only IE/Trident can be gated, so hints matter only for IE-like strings."""
        return self._precheck

    def settle_without_hints(self, capped: str) -> Verdict | None:
        """The verdict for a (capped) string that needs no parse and no hints, else None.

        A missing or placeholder User-Agent passes; with the pre-check, so does a
        string without any IE or Trident marker.
        """
        if capped.lower() in _PLACEHOLDERS:
            return Verdict(False, Reason.NO_USER_AGENT, Client(capped))
        if self._precheck and not may_be_internet_explorer(capped):
            return Verdict(False, Reason.SUPPORTED, Client(capped))
        return None

    def __call__(
        self,
        user_agent: str | None,
        sec_ch_ua: str | None = None,
        full_version_list: str | None = None,
    ) -> Verdict:
        """Return the verdict for ``user_agent`` (``None`` when the header is missing)."""
        return self._decide(cap(user_agent or "", self._max_length), sec_ch_ua, full_version_list)

    def _uncached(
        self, capped: str, sec_ch_ua: str | None, full_version_list: str | None
    ) -> Verdict:
        settled = self.settle_without_hints(capped)
        if settled is not None:
            return settled
        hints = (
            ClientHints.parse(sec_ch_ua, full_version_list)
            if sec_ch_ua or full_version_list
            else None
        )
        client = detect(capped, hints)
        if client is None:
            return Verdict(False, Reason.UNPARSEABLE, Client(capped))
        return self._policy.decide(client)


def _small(value: bytes | None, limit: int) -> bool:
    """True when a header is short enough to be part of a remembered key."""
    return value is None or len(value) <= limit


class HeaderDecider:
    """Verdicts for raw ASGI request headers, remembered by the header bytes they depend on.

    A request's verdict depends on its User-Agent and, where it may be IE or
    the policy judges versions, on its client-hint headers. The verdicts are
    kept by exactly those raw bytes (the first of duplicate headers counting),
    so that a repeated client costs one dictionary lookup and no decoding, in
    one of three tables: verdicts no hint can change, keyed by the User-Agent
    (:attr:`by_user_agent`); verdicts of requests without hint headers, keyed by
    the User-Agent; and the rest, keyed by all three headers. Each holds at most
    ``cache_size`` entries, the oldest making room; the :class:`Decider` behind
    them keeps its own LRU cache.
    """

    __slots__ = ("_decider", "_final", "_max_length", "_no_hints", "_size", "_with_hints")

    def __init__(self, decider: Decider, *, max_length: int, cache_size: int) -> None:
        self._decider = decider
        self._max_length = max_length
        self._size = cache_size
        self._final: dict[bytes | None, Verdict] = {}
        self._no_hints: dict[bytes | None, Verdict] = {}
        self._with_hints: dict[tuple[bytes | None, bytes | None, bytes | None], Verdict] = {}

    @property
    def by_user_agent(self) -> dict[bytes | None, Verdict] | None:
        """The verdicts no hint can change, keyed by the raw User-Agent (read-only use).

        None unless the policy gates IE/Trident alone: then a string without an
        IE marker passes whatever its hints say. The middleware reads it directly.
        """
        return self._final if self._decider.hints_matter_only_for_ie else None

    def __call__(
        self, user_agent: bytes | None, sec_ch_ua: bytes | None, full_list: bytes | None
    ) -> Verdict:
        """The verdict for a request with these raw headers (None where missing)."""
        hinted = sec_ch_ua is not None or full_list is not None
        verdict = self._final.get(user_agent)
        if verdict is None:
            verdict = (
                self._with_hints.get((user_agent, sec_ch_ua, full_list))
                if hinted
                else self._no_hints.get(user_agent)
            )
        if verdict is not None:
            return verdict
        max_length = self._max_length
        decoded = user_agent_text(user_agent, max_length)
        verdict = self._decider.settle_without_hints(cap(decoded or "", max_length))
        if verdict is not None:
            if _small(user_agent, 2 * max_length):
                keep(self._final, user_agent, verdict, self._size)
            return verdict
        verdict = self._decider(decoded, text(sec_ch_ua, HINT_LIMIT), text(full_list, HINT_LIMIT))
        if not _small(user_agent, 2 * max_length):
            return verdict
        if not hinted:
            keep(self._no_hints, user_agent, verdict, self._size)
        elif _small(sec_ch_ua, HINT_LIMIT) and _small(full_list, HINT_LIMIT):
            keep(self._with_hints, (user_agent, sec_ch_ua, full_list), verdict, self._size)
        return verdict


def check(
    user_agent: str | None,
    headers: Mapping[str, str] | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> Verdict:
    """Return the verdict the gate gives a User-Agent, without any ASGI machinery.

    ``headers`` may carry the client hints ``Sec-CH-UA`` and
    ``Sec-CH-UA-Full-Version-List`` (any case). The client in the verdict is
    always fully described (family, version, engine, bot), so this is the
    function for tests and scripts::

        >>> from uagate import check
        >>> from uagate.testing import IE11
        >>> verdict = check(IE11)
        >>> verdict.gated, str(verdict.reason), verdict.client.family
        (True, 'internet-explorer', 'IE')
    """
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    decide = Decider(policy, precheck=False, cache_size=0)
    return decide(user_agent, lowered.get("sec-ch-ua"), lowered.get("sec-ch-ua-full-version-list"))
