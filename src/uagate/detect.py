"""Turn a User-Agent string into a :class:`Client`: family, version, engine, bot.

This is the only module that parses User-Agent strings. The rules that matter
for the gate (is this Internet Explorer, or something built on its Trident
engine? is this a bot?) are small, linear regular expressions of our own; the
``user-agents`` package (and the uap-core data behind it) is the parser of
record for browser family names and versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import user_agents

from uagate._log import log_once

__all__ = [
    "CHROMIUM_BRANDS",
    "DEFAULT_MAX_LENGTH",
    "IE_FAMILIES",
    "Client",
    "ClientHints",
    "cap",
    "detect",
    "may_be_internet_explorer",
]

#: How many characters of a User-Agent are read. The longest real Trident
#: strings in our corpus are 263 (IE) and 287 (Trident shells) characters; the
#: longest real bot strings that carry ``MSIE`` name themselves as late as
#: character 487. 512 keeps all of them whole and bounds the regex work on a
#: hostile 1 MB header to that of a normal one.
DEFAULT_MAX_LENGTH = 512

#: Family names under which Internet Explorer itself is reported.
IE_FAMILIES = frozenset({"IE", "IE Mobile", "IE Large Screen"})

# Families the parser gives to strings it cannot name ("Chrome Frame" is IE with
# a plugin that only some sites opt into).
_UNNAMED_FAMILIES = frozenset({"Other", "Chrome Frame"})

_TRIDENT = re.compile(r"Trident/(\d{1,5})(?:\.(\d{1,5}))?", re.IGNORECASE)
_MSIE = re.compile(r"MSIE ?(\d{1,5})(?:\.(\d{1,5}))?", re.IGNORECASE)
_IE11_RV = re.compile(r"\brv[: ](\d{1,5})(?:\.(\d{1,5}))?", re.IGNORECASE)
_IEMOBILE = re.compile(r"(?:IEMobile|Browser/IE)[/ ]?(\d{1,5})(?:\.(\d{1,5}))?", re.IGNORECASE)
_POCKET_IE = re.compile(r"Pocket Internet Explorer(?:/(\d{1,5})(?:\.(\d{1,5}))?)?", re.IGNORECASE)
_MSPIE = re.compile(r"\bMSPIE ?(\d{1,5})(?:\.(\d{1,5}))?", re.IGNORECASE)
# IE 1-2 and Pocket IE name themselves in full ("Microsoft Internet Explorer/4.40.308").
_IE_PRODUCT = re.compile(r"Internet Explorer|\bMSPIE ?\d", re.IGNORECASE)
_MAC = re.compile(r"Mac_P|Mac_68|Macintosh", re.IGNORECASE)
_MOBILE = re.compile(
    r"Windows ?Phone|Windows ?CE|Windows ?Mobile|IEMobile|Pocket Internet Explorer|MSPIE",
    re.IGNORECASE,
)

# Browsers that are not Trident but write an ``MSIE`` token into their string
# to get past old browser sniffing. Only consulted when there is no
# ``Trident/`` token, which none of them sends.
_FAKES_MSIE = re.compile(
    r"\bOpera(?![a-z])|Presto|Gecko/\d|Firefox|Konqueror|KHTML|AppleWebKit|Netscape|NetFront"
    r"|Blazer|PalmSource|PalmOS|OmniWeb|\bEscape \d|EudoraWeb|Mosaic|OpenTV|InettvBrowser"
    r"|POLARIS|UPLUSTVBROWSER|Obigo|iCab|\bLynx[/ ]|\bLinks \(|\bw3m/|Dillo|UP\.Browser"
    r"|Openwave|ELinks|AvantGo|hiptop|Teleca|Novarra|\bBOLT/|Dolfin|Minimo|Fennec"
    r"|\bSeries ?[468]0\b",
    re.IGNORECASE,
)

# Crawlers, link checkers, monitors, preview fetchers and HTTP libraries. The
# uap-core "Spider" device class both misses many of these and flags real IE
# users (toolbar tokens such as ``TeomaBar`` or ``Yahoo-1.0``), so bots are
# recognised here by their own tokens, with word edges where a token is short.
_BOT = re.compile(
    r"(?<!cu)bot\b|(?<!cu)bot[-/_;.+!]|robot\b|crawl|spider|slurp|archiver|indexer|scraper"
    r"|fetcher|scanner|bingpreview|linkcheck|sitecheck|websitepulse|\bprobe\b|\bmatch by\b"
    r"|pingdom|pinger|pingping|uptime|updown\.io|statuscake|site24x7|gomezagent|catchpoint"
    r"|appinsights|datadog|newrelic|monitoring\b|yottaamonitor|rocketmonitor|network monitor"
    r"|netcraft|\bscout\b|\bPTST/|headless|phantomjs|lighthouse|\bw3c[-_]|google web preview"
    r"|google-site-verification|google-inspectiontool|partner_monit|\bcurl/|wget|python"
    r"|\bjava/|libwww-perl|commons-httpclient|apache-httpclient|okhttp|go-http|axios"
    r"|node-fetch|\bnode\b|guzzle|\bhttpie|facebookexternalhit|whatsapp|embedly|mediapartners"
    r"|feedfetcher|feedspot|inoreader|simplepie|hootsuite|sitemap|nutch|heritrix"
    r"|yacy|ia_archiver|teoma(?!bar)|\bscooter\b|zyborg|daumoa|\bdaum \d|yahoo\w*seeker"
    r"|siteimprove|powermapper|sucuri|newsnow|yunjiankong|AppEngine-Google|paypal ipn"
    r"|web services client protocol|windows-rss-platform|sentry/|github-camo|webhook"
    r"|\+\s?https?://",
    re.IGNORECASE,
)

_ENGINES = (
    (re.compile(r"\bEdge/\d"), "EdgeHTML"),
    (re.compile(r"Chrome/|Chromium/|CriOS/|\bEdg(?:A|iOS)?/"), "Blink"),
    (re.compile(r"Presto/|\bOpera[ /]\d"), "Presto"),
    (re.compile(r"AppleWebKit/"), "WebKit"),
    (re.compile(r"Gecko/\d|Firefox/"), "Gecko"),
)


@dataclass(frozen=True, slots=True)
class Client:
    """What a User-Agent string says about the client that sent it.

    ``family`` is the browser family (``"IE"``, ``"IE Mobile"``, ``"Chrome"``,
    ``"Maxthon"``, ..., ``"Other"`` when unknown); ``version`` its version as
    integers (empty when unknown); ``engine`` the rendering engine
    (``"Trident"``, ``"Tasman"`` for IE for Mac, ``"EdgeHTML"``, ``"Blink"``,
    ``"WebKit"``, ``"Gecko"``, ``"Presto"``, or ``""`` when unknown) and
    ``engine_version`` the version that engine reports (``Trident/7.0`` is
    ``(7, 0)``). For IE, ``version`` is the real one, from the engine where
    the string reports an older one, and ``compatibility_mode`` is true when it
    does (compatibility view, Enterprise Mode). ``is_bot`` is true for
    crawlers, checkers, monitors and HTTP libraries. ``user_agent`` is the
    string as read, after the length cap.
    """

    user_agent: str
    family: str = "Other"
    version: tuple[int, ...] = ()
    engine: str = ""
    engine_version: tuple[int, ...] = ()
    is_bot: bool = False
    compatibility_mode: bool = False

    @property
    def is_internet_explorer(self) -> bool:
        """True for Internet Explorer itself, in any of its forms."""
        return self.family in IE_FAMILIES and self.is_trident

    @property
    def is_trident(self) -> bool:
        """True when the client renders with Internet Explorer's engines."""
        return self.engine in ("Trident", "Tasman")


#: Brands in ``Sec-CH-UA`` that only Chromium-based browsers send, with the family
#: each stands for (the first one named here wins: Edge also names Chrome).
_HINT_FAMILIES = (
    ("Microsoft Edge", "Edge"),
    ("Opera", "Opera"),
    ("Opera GX", "Opera"),
    ("Samsung Internet", "Samsung Internet"),
    ("YaBrowser", "Yandex Browser"),
    ("Yandex", "Yandex Browser"),
    ("Brave", "Brave"),
    ("Vivaldi", "Vivaldi"),
    ("Google Chrome", "Chrome"),
    ("HeadlessChrome", "HeadlessChrome"),
    ("Android WebView", "Chrome Mobile WebView"),
    ("Chromium", "Chromium"),
)
CHROMIUM_BRANDS = frozenset(brand for brand, _ in _HINT_FAMILIES)

# One member of a Sec-CH-UA list: "Brand";v="124" (an RFC 8941 string: printable
# ASCII, with \" and \\ escapes; only the v parameter).
_BRAND = re.compile(
    r'[ \t]*"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\]){1,64})"'  # "Brand"
    r'[ \t]*;[ \t]*v[ \t]*=[ \t]*"([0-9.]{1,32})"[ \t]*(,|$)'  # ;v="124" and a comma
)
_MAX_HINT_LENGTH = 1024
_MAX_BRANDS = 16


def _brand_list(value: str | None) -> dict[str, tuple[int, ...]] | None:
    """Brands and versions of a ``Sec-CH-UA`` style header; None when absent or malformed."""
    if not value or len(value) > _MAX_HINT_LENGTH:
        return None
    brands: dict[str, tuple[int, ...]] = {}
    position = 0
    while position < len(value):
        match = _BRAND.match(value, position)
        if match is None or len(brands) >= _MAX_BRANDS:
            return None
        position = match.end()
        if match.group(3) == "," and position == len(value):
            return None  # a trailing comma
        brand = match.group(1).replace('\\"', '"').replace("\\\\", "\\")
        parts = match.group(2).split(".")
        if not all(part.isdigit() for part in parts):
            return None
        brands[brand] = tuple(int(part) for part in parts)
    return brands


@dataclass(frozen=True, slots=True)
class ClientHints:
    """The browser brands a client names in ``Sec-CH-UA``, with their versions.

    Versions come from ``Sec-CH-UA-Full-Version-List`` where it is sent and
    well formed, else from ``Sec-CH-UA`` (major version only); either header
    alone is enough.
    """

    brands: tuple[tuple[str, tuple[int, ...]], ...]

    @classmethod
    def parse(
        cls, sec_ch_ua: str | None, full_version_list: str | None = None
    ) -> ClientHints | None:
        """Read the hint headers; None when neither is sent well formed.

        Either header alone is enough; where both are, ``Sec-CH-UA`` names the
        brands and the full list gives their versions.
        """
        brands = _brand_list(sec_ch_ua)
        full = _brand_list(full_version_list)
        if brands is None:
            brands, full = full, None
        if brands is None:
            return None
        full = full or {}
        return cls(tuple((brand, full.get(brand, version)) for brand, version in brands.items()))

    @property
    def chromium(self) -> tuple[str, tuple[int, ...]] | None:
        """Family and version when a Chromium brand is named, else None."""
        named = dict(self.brands)
        for brand, family in _HINT_FAMILIES:
            if brand in named:
                return family, named[brand]
        return None


def cap(user_agent: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Return the part of ``user_agent`` that is read: stripped, at most ``max_length`` chars."""
    return user_agent.lstrip()[:max_length].rstrip()


def may_be_internet_explorer(user_agent: str) -> bool:
    """Cheap pre-check: False means the string cannot be IE or Trident.

    A plain substring search on the lower-cased string, no regular expression:
    every form of IE carries one of these tokens.
    """
    lowered = user_agent.lower()
    return (
        "msie" in lowered
        or "trident" in lowered
        or "iemobile" in lowered
        or "internet explorer" in lowered
        or "browser/ie" in lowered
        or "mspie" in lowered
    )


def _version(match: re.Match[str] | None) -> tuple[int, ...]:
    if match is None:
        return ()
    return tuple(int(part) for part in match.groups() if part is not None)


def _numeric(parts: tuple[object, ...]) -> tuple[int, ...]:
    """Leading numeric parts of a parser version: ``(10, "b1")`` gives ``(10,)``."""
    numbers: list[int] = []
    for part in parts:
        if not isinstance(part, int):
            break
        numbers.append(part)
    return tuple(numbers)


def _browser(user_agent: str) -> tuple[str, tuple[int, ...]] | None:
    """Family and version from the parser of record; None when it fails."""
    try:
        browser = user_agents.parse(user_agent).browser
    except (TypeError, ValueError) as exc:
        log_once(exc, "parsing a User-Agent")
        return None
    return str(browser.family), _numeric(browser.version)


def _internet_explorer(user_agent: str) -> tuple[str, tuple[int, ...]] | None:
    """Engine and engine version if the string is rendered by IE's engines, else None."""
    trident = _TRIDENT.search(user_agent)
    if trident is not None:
        return "Trident", _version(trident)
    msie = _MSIE.search(user_agent)
    if msie is not None:
        if _FAKES_MSIE.search(user_agent):
            return None
        return ("Tasman" if _MAC.search(user_agent) else "Trident"), ()
    if _IEMOBILE.search(user_agent) or _IE_PRODUCT.search(user_agent):
        return "Trident", ()
    return None


def _ie_version(user_agent: str, engine_version: tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
    """IE's real version, and whether it runs in a compatibility mode.

    The version comes from MSIE N, IE 11's rv:11, IEMobile N (which on Windows
    CE is a build number, so it comes after MSIE), or Pocket IE's own token. In
    compatibility view and Enterprise Mode, desktop IE reports an older MSIE
    version than its engine: ``Trident/N`` is IE N+4 (IE 8 to 11), and that wins.
    """
    for pattern in (_MSIE, _IE11_RV, _IEMOBILE, _POCKET_IE, _MSPIE):
        found = pattern.search(user_agent)
        if found is not None and found.group(1) is not None:
            reported = _version(found)
            break
    else:
        return (), False
    if pattern is _MSIE and engine_version and engine_version[0] >= 4:
        real = min(engine_version[0] + 4, 11)
        if reported[0] < real:
            return (real, 0), True
    return reported, False


def _engine(user_agent: str) -> str:
    for pattern, name in _ENGINES:
        if pattern.search(user_agent):
            return name
    return ""


def detect(user_agent: str, hints: ClientHints | None = None) -> Client | None:
    """Describe the client behind a (capped) User-Agent string and its client hints.

    Hints that name a Chromium brand win: such a client is never IE, and its
    family and version are the hinted ones. Returns None when the string cannot
    be parsed: the parser's error is logged once per cause, and the caller lets
    the request pass.
    """
    chromium = hints.chromium if hints is not None else None
    if chromium is not None:
        family, version = chromium
        return Client(user_agent, family, version, "Blink", (), _BOT.search(user_agent) is not None)
    browser = _browser(user_agent)
    if browser is None:
        return None
    family, version = browser
    is_bot = _BOT.search(user_agent) is not None
    ie = _internet_explorer(user_agent) if may_be_internet_explorer(user_agent) else None
    if ie is None:
        if family in IE_FAMILIES:
            # A browser that only pretends to be IE (OmniWeb, TV browsers, ...).
            family, version = "Other", ()
        return Client(user_agent, family, version, _engine(user_agent), (), is_bot)
    engine, engine_version = ie
    # The parser names IE shells (Maxthon, Avant, Outlook, ...) by their own
    # family; anything it cannot name but that has IE's tokens is IE itself.
    if family in IE_FAMILIES or family in _UNNAMED_FAMILIES:
        if family != "IE Large Screen":
            family = "IE Mobile" if _MOBILE.search(user_agent) else "IE"
        version, compatibility_mode = _ie_version(user_agent, engine_version)
        return Client(
            user_agent, family, version, engine, engine_version, is_bot, compatibility_mode
        )
    return Client(user_agent, family, version, engine, engine_version, is_bot)
