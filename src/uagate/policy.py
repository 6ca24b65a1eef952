"""Which clients are gated, and why: :class:`Policy` and :class:`Verdict`."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, cast

from uagate._log import log_once
from uagate._shared import is_async_callable
from uagate.detect import IE_FAMILIES, Client, parse_in_full

__all__ = ["DEFAULT_POLICY", "FAMILIES", "Policy", "Reason", "Verdict"]


class Reason(str, enum.Enum):
    """Why a request was gated or passed. The value is a stable, short string."""

    #: Gated: Internet Explorer itself, in any form.
    INTERNET_EXPLORER = "internet-explorer"
    #: Gated: an application or IE shell that renders with Trident (Outlook, Maxthon, ...).
    TRIDENT_APP = "trident-app"
    #: Gated: a browser older than the policy's minimum version for its family.
    OUTDATED = "outdated"
    #: Gated: IE allowed by version, but running in compatibility view or Enterprise Mode.
    COMPATIBILITY_VIEW = "compatibility-view"
    #: Gated: the policy's own predicate said so.
    PREDICATE = "predicate"
    #: Passed: a client the policy gates, let through by its "Continue anyway" cookie.
    CONTINUED = "continued"
    #: Passed: a Trident application, let through by ``Policy(gate_trident_apps=False)``.
    TRIDENT_APP_ALLOWED = "trident-app-allowed"
    #: Passed: a crawler, checker, monitor or HTTP library.
    BOT = "bot"
    #: Passed: no User-Agent, an empty one, or a placeholder such as ``-``.
    NO_USER_AGENT = "no-user-agent"
    #: Passed: the parser could not read the User-Agent (the error is logged once).
    UNPARSEABLE = "unparseable"
    #: Passed: nothing in the policy gates this client.
    SUPPORTED = "supported"

    def __str__(self) -> str:
        return self.value


class Verdict:
    """The decision for one client: ``gated`` or not, the ``reason``, and the ``client`` seen.

    Verdicts are immutable and compare equal by all three. The gate settles
    most requests with a cheap pre-check that knows ``gated`` alone (a string
    with no IE marker passes under a policy that gates only IE); such a verdict
    works out ``reason`` and ``client`` with the full decision the first time
    either is read, and keeps them, so they are always what :func:`uagate.check`
    says and nobody pays for a description nobody reads.
    """

    __slots__ = ("_describe", "_described", "_parsed", "gated")

    gated: bool
    _described: tuple[Reason, Client] | None
    _describe: Callable[[], Verdict] | None
    _parsed: object

    def __init__(self, gated: bool, reason: Reason, client: Client) -> None:
        self._fill(gated, reason, client, None)

    @classmethod
    def described_later(cls, gated: bool, describe: Callable[[], Verdict]) -> Verdict:
        """A verdict whose reason and client ``describe()`` gives on first use.

        ``describe`` must be the full decision for the same client; its
        ``gated`` must equal ``gated`` (the test suite checks this on every
        corpus row).
        """
        verdict = cls.__new__(cls)
        verdict._fill(gated, None, None, describe)
        return verdict

    def _fill(
        self,
        gated: bool,
        reason: Reason | None,
        client: Client | None,
        describe: Callable[[], Verdict] | None,
    ) -> None:
        _set = object.__setattr__
        _set(self, "gated", gated)
        _set(self, "_described", None if reason is None or client is None else (reason, client))
        _set(self, "_describe", describe)
        _set(self, "_parsed", None)

    def _description(self) -> tuple[Reason, Client]:
        described = self._described
        if described is None:
            describe = self._describe
            assert describe is not None  # one of the two is always set
            full = describe()
            # One store, so that a thread reading meanwhile sees all or nothing.
            described = full.reason, full.client
            object.__setattr__(self, "_described", described)
        return described

    @property
    def reason(self) -> Reason:
        """Why the client was gated or passed."""
        return self._description()[0]

    @property
    def client(self) -> Client:
        """The client, as :func:`uagate.detect.detect` describes it."""
        return self._description()[1]

    @property
    def parsed(self) -> Any:
        """The whole ``user_agents.UserAgent`` of the client: device, OS, ``is_mobile``, ...

        Parsed on first use (see :func:`uagate.detect.parse_in_full`) and kept
        with the verdict, which the gate remembers per distinct User-Agent, so an
        app behind the gate need not parse again.
        """
        parsed = self._parsed
        if parsed is None:
            parsed = parse_in_full(self.client.user_agent)
            object.__setattr__(self, "_parsed", parsed)
        return parsed

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Verdict is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Verdict is immutable; cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return (self.gated, self.reason, self.client) == (other.gated, other.reason, other.client)

    def __hash__(self) -> int:
        return hash((self.gated, self.reason, self.client))

    def __repr__(self) -> str:
        return f"Verdict(gated={self.gated!r}, reason={self.reason!r}, client={self.client!r})"

    def __reduce__(self) -> tuple[type[Verdict], tuple[bool, Reason, Client]]:
        return Verdict, (self.gated, self.reason, self.client)


#: The family names ``min_versions`` accepts, each with the parser families it covers.
FAMILIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "chrome": frozenset(
            {
                "Chrome",
                "Chrome Mobile",
                "Chrome Mobile iOS",
                "Chrome Mobile WebView",
                "Chromium",
                "HeadlessChrome",
            }
        ),
        "edge": frozenset({"Edge", "Edge Mobile"}),
        "firefox": frozenset(
            {
                "Firefox",
                "Firefox Mobile",
                "Firefox iOS",
                "Firefox Beta",
                "Firefox Alpha",
                "Firefox Nightly",
                "Firefox Focus",
            }
        ),
        "safari": frozenset({"Safari", "Mobile Safari", "Mobile Safari UI/WKWebView"}),
        "opera": frozenset({"Opera"}),
        # Opera for Android numbers its versions apart from desktop Opera.
        "opera_mobile": frozenset({"Opera Mobile"}),
        "samsung_internet": frozenset({"Samsung Internet"}),
        "yandex": frozenset({"Yandex Browser"}),
        "uc_browser": frozenset({"UC Browser"}),
        "ie": IE_FAMILIES,
    }
)
_FAMILY_KEYS = {family: key for key, families in FAMILIES.items() for family in families}

Predicate = Callable[[Client], bool]

# The minimum versions of Policy.modern(): the browsers of December 2023 on.
_MODERN_MIN_VERSIONS: Mapping[str, int | tuple[int, ...]] = MappingProxyType(
    {"chrome": 120, "edge": 120, "firefox": 121, "safari": (17, 2), "opera": 106}
)


def _as_version(name: str, value: object) -> tuple[int, ...]:
    """A minimum version as a tuple: 120 -> (120,), (16, 4) -> (16, 4)."""
    parts = value if isinstance(value, tuple) else (value,)
    if not parts or not all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
        raise TypeError(
            f"Policy min_versions[{name!r}] must be an int or a tuple of ints, not {value!r}"
        )
    if any(p < 0 for p in parts):
        raise ValueError(f"Policy min_versions[{name!r}] must not be negative, not {value!r}")
    if len(parts) > 3:
        raise ValueError(
            f"Policy min_versions[{name!r}] has {len(parts)} parts, but versions are compared "
            f"by at most three (major, minor, patch); give {parts[:3]!r} or fewer"
        )
    return tuple(parts)


def _ask(predicate: Predicate, client: Client) -> bool:
    """The predicate's answer, which must be a bool (an awaitable would always be true).

    A predicate that raises, or answers anything but a bool, is logged once per
    cause and counts as ``False``: the client passes, as it would without it.
    """
    try:
        answer = predicate(client)
        if not isinstance(answer, bool):
            if inspect.iscoroutine(answer):
                answer.close()
            raise TypeError(f"Policy predicate returned {type(answer).__name__}, not a bool")
    except Exception as exc:
        log_once(exc, "the policy predicate", traceback=True, outcome="the client passes")
        return False
    return answer


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """The rules the gate applies. The default gates every form of Internet Explorer.

    Every field is given by keyword (``Policy(gate_bots=True)``); :meth:`modern`
    is a stricter preset, which takes the same keywords to change it.

    ``gate_ie``: gate Internet Explorer, every version and form. Default ``True``.
    With ``False``, IE is judged by ``min_versions["ie"]`` like any other family.

    ``gate_trident_apps``: also gate applications and IE shells that render
    with the Trident engine (Outlook, Maxthon 1-2, Avant, Sleipnir, ...).
    Default ``True``: they show the same broken pages IE does.

    ``gate_bots``: also gate bots that present themselves as IE (or any Trident
    client), and apply the other rules to bots. Default ``False``: crawlers,
    link checkers, monitors and preview fetchers pass.

    ``min_versions``: the lowest version allowed per browser family, for
    example ``{"chrome": 120, "safari": (16, 4)}``. Names are those of
    :data:`FAMILIES`, in any case. A family not named passes; a named browser
    whose version cannot be read passes. IE's version is the real one, from its
    engine, not the older one compatibility view reports.

    ``gate_compatibility_view``: when IE is allowed (``gate_ie=False``), still
    gate it while it runs in compatibility view or Enterprise Mode, whose old
    document modes break modern pages; the page says how to turn it off.
    Default ``True``.

    ``predicate``: a plain (not async) callable that takes the
    :class:`~uagate.Client` and returns ``True`` to gate it, ``False`` to pass
    it, for any rule the fields above cannot say. It is asked only about
    clients the other rules pass. Verdicts are remembered, so it is asked once
    per distinct client and must depend on the client alone. If it raises or
    returns anything but a bool, the middleware logs it and lets the request
    through.
    """

    gate_ie: bool = True
    gate_trident_apps: bool = True
    gate_bots: bool = False
    min_versions: Mapping[str, int | tuple[int, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    gate_compatibility_view: bool = True
    predicate: Predicate | None = None

    def __post_init__(self) -> None:
        for name in ("gate_ie", "gate_trident_apps", "gate_bots", "gate_compatibility_view"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Policy {name} must be a bool, not {getattr(self, name)!r}")
        if not isinstance(self.min_versions, Mapping):
            raise TypeError(f"Policy min_versions must be a mapping, not {self.min_versions!r}")
        minimums: dict[str, tuple[int, ...]] = {}
        for name, value in self.min_versions.items():
            key = name.lower() if isinstance(name, str) else name
            if key in minimums:
                raise ValueError(f"Policy min_versions names the family {key!r} twice")
            if key not in FAMILIES:
                known = ", ".join(sorted(FAMILIES))
                raise ValueError(
                    f"Policy min_versions has an unknown family {name!r}; known families: {known}"
                )
            minimums[key] = _as_version(name, value)
        if self.gate_ie and "ie" in minimums:
            raise ValueError(
                "Policy min_versions['ie'] has no effect while gate_ie is True (all IE is gated); "
                "set gate_ie=False to allow IE from that version"
            )
        object.__setattr__(self, "min_versions", MappingProxyType(minimums))
        if self.predicate is not None and (
            not callable(self.predicate) or is_async_callable(self.predicate)
        ):
            raise TypeError(
                f"Policy predicate must be a plain (not async) callable, not {self.predicate!r}"
            )

    @property
    def minimums(self) -> Mapping[str, tuple[int, ...]]:
        """``min_versions`` as checked: family names in lower case, every version a tuple."""
        return cast("Mapping[str, tuple[int, ...]]", self.min_versions)

    def __hash__(self) -> int:
        return hash(
            (
                self.gate_ie,
                self.gate_trident_apps,
                self.gate_bots,
                tuple(sorted(self.minimums.items())),
                self.gate_compatibility_view,
                self.predicate,
            )
        )

    @classmethod
    def modern(cls, **changes: Any) -> Policy:
        """Browsers from about the end of 2023 onward; every form of IE is gated.

        The numbers are those of Rails' ``allow_browser versions: :modern``
        (browsers that support WebP images, web push, badges, import maps, CSS
        nesting and CSS ``:has``): Chrome 120, Firefox 121, Safari 17.2,
        Opera 106, all released in December 2023, plus Edge 120, the Edge
        built on Chrome 120.

        Keywords change fields of the preset, as they would in ``Policy(...)``:
        ``Policy.modern(gate_bots=True)``. ``min_versions=`` replaces the
        preset's minimums as a whole; to add a family to them, write
        ``Policy.modern(min_versions={**Policy.modern().min_versions, "yandex": 24})``.
        A name that is not a field raises TypeError naming it.
        """
        unknown = sorted(set(changes) - _FIELD_NAMES, key=str)
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise TypeError(
                f"Policy.modern() got unknown field{'s' if len(unknown) > 1 else ''} {names}; "
                f"Policy's fields are: {', '.join(each.name for each in fields(cls))}"
            )
        return cls(**{"min_versions": _MODERN_MIN_VERSIONS, **changes})

    @property
    def gates_only_trident(self) -> bool:
        """True when only IE/Trident clients can be gated: the pre-check settles the rest."""
        return not self.min_versions and self.predicate is None

    def decide(self, client: Client) -> Verdict:
        """Return the verdict for ``client``."""
        if client.is_bot and not self.gate_bots:
            return Verdict(False, Reason.BOT, client)
        # A bot only gets here with gate_bots; one that presents as IE counts as IE.
        is_ie = client.is_internet_explorer or (client.is_bot and client.is_trident)
        reason = self._gate_reason(client, is_ie)
        if reason is not None:
            return Verdict(True, reason, client)
        if client.is_trident and not is_ie:
            return Verdict(False, Reason.TRIDENT_APP_ALLOWED, client)
        return Verdict(False, Reason.SUPPORTED, client)

    def _gate_reason(self, client: Client, is_ie: bool) -> Reason | None:
        """Why ``client`` is gated, by the first rule that gates it; ``None`` if none does."""
        if is_ie and self.gate_ie:
            return Reason.INTERNET_EXPLORER
        if client.is_trident and not is_ie and self.gate_trident_apps:
            return Reason.TRIDENT_APP
        minimum = self.minimums.get(_FAMILY_KEYS.get(client.family, ""))
        if minimum is not None and client.version and client.version < minimum:
            return Reason.OUTDATED
        if is_ie and client.compatibility_mode and self.gate_compatibility_view:
            return Reason.COMPATIBILITY_VIEW
        if self.predicate is not None and _ask(self.predicate, client):
            return Reason.PREDICATE
        return None


_FIELD_NAMES = frozenset(each.name for each in fields(Policy))

#: The policy used when none is given.
DEFAULT_POLICY = Policy()

#: The policies the ``uagate`` command can name: ``default`` and ``modern``.
PRESETS = ("default", "modern")


def preset(name: str) -> Policy:
    """The policy a preset name stands for: ``default`` or ``modern`` (Policy.modern())."""
    if name == "modern":
        return Policy.modern()
    if name == "default":
        return DEFAULT_POLICY
    raise ValueError(f"unknown policy {name!r} (choose from {', '.join(PRESETS)})")
