"""Which clients are gated, and why: :class:`Policy` and :class:`Verdict`."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from uagate.detect import Client

__all__ = ["DEFAULT_POLICY", "Policy", "Reason", "Verdict"]


class Reason(str, enum.Enum):
    """Why a request was gated or passed. The value is a stable, short string."""

    #: Gated: Internet Explorer itself, in any form.
    INTERNET_EXPLORER = "internet-explorer"
    #: Gated: an application or IE shell that renders with Trident (Outlook, Maxthon, ...).
    TRIDENT_APP = "trident-app"
    #: Passed: a Trident application, let through by ``Policy(gate_trident_apps=False)``.
    TRIDENT_APP_ALLOWED = "trident-app-allowed"
    #: Passed: a crawler, checker, monitor or HTTP library.
    BOT = "bot"
    #: Passed: no User-Agent, an empty one, or a placeholder such as ``-``.
    NO_USER_AGENT = "no-user-agent"
    #: Passed: the parser could not read the User-Agent (the error is logged once).
    UNPARSEABLE = "unparseable"
    #: Passed: not Internet Explorer and not Trident.
    SUPPORTED = "supported"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision for one client: ``gated`` or not, the ``reason``, and the ``client`` seen."""

    gated: bool
    reason: Reason
    client: Client


@dataclass(frozen=True, slots=True)
class Policy:
    """The rules the gate applies. The default gates every form of Internet Explorer.

    ``gate_trident_apps``: also gate applications and IE shells that render
    with the Trident engine (Outlook, Maxthon 1-2, Avant, Sleipnir, ...).
    Default ``True``: they show the same broken pages IE does.

    ``gate_bots``: also gate bots that present themselves as IE (or any
    Trident client), with reason ``internet-explorer``. Default ``False``:
    crawlers, link checkers, monitors and preview fetchers pass.
    """

    gate_trident_apps: bool = True
    gate_bots: bool = False

    def __post_init__(self) -> None:
        for name in ("gate_trident_apps", "gate_bots"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Policy {name} must be a bool, not {getattr(self, name)!r}")

    @property
    def gates_only_trident(self) -> bool:
        """True when only IE/Trident clients can be gated: the pre-check settles the rest."""
        return True

    def decide(self, client: Client) -> Verdict:
        """Return the verdict for ``client``."""
        if client.is_bot and not self.gate_bots:
            return Verdict(False, Reason.BOT, client)
        # A bot only gets here with gate_bots; one that presents as IE counts as IE.
        if client.is_internet_explorer or (client.is_bot and client.is_trident):
            return Verdict(True, Reason.INTERNET_EXPLORER, client)
        if client.is_trident:
            if self.gate_trident_apps:
                return Verdict(True, Reason.TRIDENT_APP, client)
            return Verdict(False, Reason.TRIDENT_APP_ALLOWED, client)
        return Verdict(False, Reason.SUPPORTED, client)


#: The policy used when none is given.
DEFAULT_POLICY = Policy()
