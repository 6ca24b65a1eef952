"""From a User-Agent header value (and client hints) to a :class:`~uagate.policy.Verdict`.

Joins :mod:`uagate.detect` and :mod:`uagate.policy` in one call, used by the
middleware and by the public :func:`check` alike, so that both decide the same
way.
"""

from __future__ import annotations

from collections.abc import Mapping

from uagate.detect import (
    DEFAULT_MAX_LENGTH,
    Client,
    ClientHints,
    cap,
    detect,
    may_be_internet_explorer,
)
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = ["Decider", "check"]

# Values that clients and proxies send in place of a User-Agent.
_PLACEHOLDERS = frozenset({"", "-", "null", "none", "undefined", "n/a"})


class Decider:
    """Decide for one User-Agent value (and its client hints) under ``policy``.

    ``max_length`` caps how much of the string is read. With ``precheck``
    (the middleware's fast path), a string with no IE or Trident marker is
    passed without being parsed when the policy can only gate IE/Trident; the
    verdict is the same, but its client then carries only the string.
    """

    __slots__ = ("_max_length", "_policy", "_precheck")

    def __init__(
        self,
        policy: Policy = DEFAULT_POLICY,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        precheck: bool = True,
    ) -> None:
        self._policy = policy
        self._max_length = max_length
        self._precheck = precheck and policy.gates_only_trident

    def __call__(
        self,
        user_agent: str | None,
        sec_ch_ua: str | None = None,
        full_version_list: str | None = None,
    ) -> Verdict:
        """Return the verdict for ``user_agent`` (``None`` when the header is missing)."""
        capped = cap(user_agent or "", self._max_length)
        if capped.lower() in _PLACEHOLDERS:
            return Verdict(False, Reason.NO_USER_AGENT, Client(capped))
        if self._precheck and not may_be_internet_explorer(capped):
            return Verdict(False, Reason.SUPPORTED, Client(capped))
        hints = (
            ClientHints.parse(sec_ch_ua, full_version_list)
            if sec_ch_ua or full_version_list
            else None
        )
        client = detect(capped, hints)
        if client is None:
            return Verdict(False, Reason.UNPARSEABLE, Client(capped))
        return self._policy.decide(client)


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
    decide = Decider(policy, precheck=False)
    return decide(user_agent, lowered.get("sec-ch-ua"), lowered.get("sec-ch-ua-full-version-list"))
