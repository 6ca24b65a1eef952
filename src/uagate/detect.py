"""Turn a User-Agent string into a :class:`Client`: family, version, engine, bot.

This is the only module that parses User-Agent strings. The rules that matter
for the gate (is this Internet Explorer, or something built on its Trident
engine? is this a bot?) are substring tests and small, linear regular
expressions of our own. Browser families and versions come from uap-core's
rules, the data of the ``user-agents`` package, asked for the browser alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import user_agents

from uagate._bounded import BoundedTable
from uagate._headers import HEADER_LIMIT
from uagate._log import log_once
from uagate._native import Matcher, browser_matcher, literal_matcher

__all__ = [
    "BOT_PATTERNS",
    "BOT_TOKENS",
    "CHROMIUM_BRANDS",
    "DEFAULT_MAX_LENGTH",
    "DOTLESS",
    "FAKES_MSIE",
    "FAKES_MSIE_PATTERNS",
    "IEMOBILE",
    "IE_FAMILIES",
    "IE_MARKERS",
    "IE_PRODUCT",
    "LATIN1_SPACE",
    "LEADING_SPACE_LIMIT",
    "MAX_BRANDS",
    "MSIE",
    "TRIDENT",
    "Client",
    "ClientHints",
    "cap",
    "detect",
    "has_ie_marker",
    "is_bot",
    "is_bot_lowered",
    "parse_in_full",
    "warm_up",
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

# Families the parser reads from tokens that other software adds to IE's own
# string: the Zune player's "Zune 4.0", Office's "ms-office" link check. Such a
# string is still IE itself, not an application built on it. (Media Center,
# Tablet PC, InfoPath and .NET tokens name no family in uap-core's rules.)
_FEATURE_TOKEN_FAMILIES = frozenset({"Zune"})

# IE shells whose strings the parser takes for IE itself, by a token of their
# own (lower-cased), with the family they are reported under: Trident apps.
_IE_SHELLS = (
    ("outlook-express", "Outlook Express"),
    ("slimbrowser", "SlimBrowser"),
    ("greenbrowser", "GreenBrowser"),
    ("theworld", "TheWorld"),
    ("360se", "360 Secure Browser"),
    ("tencenttraveler", "Tencent Traveler"),
    ("metasr", "Sogou Explorer"),
    ("netcaptor", "NetCaptor"),
    ("deepnet explorer", "Deepnet Explorer"),
    ("kkman", "KKman"),
    ("acoo browser", "Acoo Browser"),
    ("browzar", "Browzar"),
    ("enigma browser", "Enigma Browser"),
    ("2345explorer", "2345 Explorer"),
    ("lbbrowser", "Liebao"),
    ("bidubrowser", "Baidu Browser"),
    ("qihu 360ee", "360 Extreme Explorer"),
    ("aol explorer", "AOL Explorer"),
    ("windows live writer", "Windows Live Writer"),
    ("msapphost", "Windows app host"),
)
_SHELL_VERSION = re.compile(r"outlook-express/(\d{1,5})(?:\.(\d{1,5}))?")

#: Every form of IE and Trident carries one of these (in the lower-cased string); a
#: string without any cannot be IE or Trident. Beside the patterns they stand for.
IE_MARKERS = ("msie", "trident", "iemobile", "internet explorer", "browser/ie", "mspie")

#: IE's tokens, matched in the lower-cased string (the nginx export reads them too).
TRIDENT = re.compile(r"trident/(\d{1,5})(?:\.(\d{1,5}))?")
MSIE = re.compile(r"msie ?(\d{1,5})(?:\.(\d{1,5}))?")
_IE11_RV = re.compile(r"\brv[: ](\d{1,5})(?:\.(\d{1,5}))?")
IEMOBILE = re.compile(r"(?:iemobile|browser/ie)[/ ]?(\d{1,5})(?:\.(\d{1,5}))?")
_POCKET_IE = re.compile(r"pocket internet explorer(?:/(\d{1,5})(?:\.(\d{1,5}))?)?")
_MSPIE = re.compile(r"\bmspie ?(\d{1,5})(?:\.(\d{1,5}))?")
#: IE 1-2 and Pocket IE name themselves in full ("Microsoft Internet Explorer/4.40.308").
IE_PRODUCT = re.compile(r"internet explorer|\bmspie ?\d")
_MAC = ("mac_p", "mac_68", "macintosh")
_MOBILE = (
    "windows phone", "windowsphone", "windows ce", "windowsce", "windows mobile",
    "windowsmobile", "iemobile", "pocket internet explorer", "mspie",
)  # fmt: skip

# Browsers that are not Trident but write an ``MSIE`` token into their string
# to get past old browser sniffing. Only consulted when there is no
# ``Trident/`` token, which none of them sends. Plain substrings first, then
#: the few tokens that need an edge (each pattern runs only where its core is).
FAKES_MSIE = (
    "presto", "firefox", "konqueror", "khtml", "applewebkit", "netscape", "netfront",
    "blazer", "palmsource", "palmos", "omniweb", "eudoraweb", "mosaic", "opentv",
    "inettvbrowser", "polaris", "uplustvbrowser", "obigo", "icab", "dillo", "up.browser",
    "openwave", "elinks", "avantgo", "hiptop", "teleca", "novarra", "dolfin", "minimo", "fennec",
)  # fmt: skip
FAKES_MSIE_PATTERNS = tuple(
    (core, re.compile(pattern))
    for core, pattern in (
        ("opera", r"\bopera(?![a-z])"),
        ("gecko/", r"gecko/\d"),
        ("escape ", r"\bescape \d"),
        ("lynx", r"\blynx[/ ]"),
        ("links (", r"\blinks \("),
        ("w3m/", r"\bw3m/"),
        ("bolt/", r"\bbolt/"),
        ("series", r"\bseries ?[468]0\b"),
    )
)


def _contains_any(lowered: str, tokens: tuple[str, ...]) -> bool:
    return any(map(lowered.__contains__, tokens))


def _finder(
    tokens: Iterable[str], patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
) -> Callable[[str], bool]:
    """A test for whether a (lower-cased) string holds one of ``tokens`` or ``patterns``.

    Each of ``patterns`` is a core substring and the pattern that runs only where
    the core occurs. Tokens and cores go to ua-parser's native matcher as one
    search, which finds any of them in one linear pass (about 0.7 us a string for
    73 tokens, where as many ``in`` tests took about 8 us) and says whether a
    token (the answer) or only a core (then its patterns decide) was found.
    """
    groups = [("token", tuple(tokens))]
    if patterns:
        groups.append(("core", tuple(core for core, _ in patterns)))
    matcher = literal_matcher(groups)

    def finds(text: str) -> bool:
        found = matcher.extract(text)
        if found is None:
            return False
        if found.family == "token":
            return True
        return any(core in text and pattern.search(text) for core, pattern in patterns)

    return finds


#: True when the (lower-cased) string names a browser or engine that is not Trident.
_fakes_msie = _finder(FAKES_MSIE, FAKES_MSIE_PATTERNS)


# Crawlers, link checkers, monitors, preview fetchers and HTTP libraries. The
# uap-core "Spider" device class both misses many of these and flags real IE
# users (toolbar tokens such as ``TeomaBar`` or ``Yahoo-1.0``), so bots are
# recognised here by their own tokens, looked for in the lower-cased string.
#: Tokens that mark a bot wherever they stand (a plain substring search each):
BOT_TOKENS = (
    "crawl", "spider", "slurp", "archiver", "indexer", "scraper", "fetcher", "scanner",
    "bingpreview", "linkcheck", "sitecheck", "websitepulse", "pingdom", "pinger", "pingping",
    "uptime", "updown.io", "statuscake", "site24x7", "gomezagent", "catchpoint", "appinsights",
    "datadog", "newrelic", "yottaamonitor", "rocketmonitor", "network monitor", "netcraft",
    "headless", "phantomjs", "lighthouse", "google web preview", "google-site-verification",
    "google-inspectiontool", "partner_monit", "wget", "python", "libwww-perl",
    "commons-httpclient", "apache-httpclient", "okhttp", "go-http", "axios", "node-fetch",
    "guzzle", "facebookexternalhit", "whatsapp", "embedly", "mediapartners", "feedfetcher",
    "feedspot", "inoreader", "simplepie", "hootsuite", "sitemap", "nutch", "heritrix", "yacy",
    "ia_archiver", "zyborg", "daumoa", "siteimprove", "powermapper", "sucuri", "newsnow",
    "yunjiankong", "appengine-google", "paypal ipn", "web services client protocol",
    "windows-rss-platform", "sentry/", "github-camo", "webhook",
    # Fetchers that act for other clients: transcoding proxies and link previews,
    # whose users would otherwise see the gate page instead of the site.
    "transcoder", "skypeuripreview", "microsoftpreview", "mobilesms/", "iframely", "vkshare",
    "snap url preview", "google-pagerenderer", "yahoo link preview", "cardyb", "outbrain",
    "quora link preview", "google favicon", "googleweblight", "novarra-vision",
    "googleimageproxy", "gmailimageproxy", "yahoomailproxy", "googleother", "facebookcatalog",
    # Health checks, synthetic monitors and HTTP tools.
    "healthchecker", "googlehc", "route53", "health check", "check_http", "zabbix",
    "blackbox exporter", "checkly", "freshping", "ruxitsynthetic", "ktxn", "java-http-client",
    "undici", "deno/", "postmanruntime",
    # Monitors, raters, media clients and screenshot services that write an older IE
    # string with a token of their own: Dotcom-Monitor's browser (DMBrowser/2.1,
    # DMBrowser-UV), Blue Coat's real-time site rating, Windows Media Player's HTTP
    # client (Windows-Media-Player/10.00.00.3990 inside IE 7's string), thumbnailers.
    "dmbrowser", "bluecoat drtr", "cerberian drtrs", "windows-media-player/", "nsplayer/",
    "wmfsdk/", "screenshot", "thumbshots", "pagepeeker", "shrinktheweb", "websnapr",
    "url2png", "browshot", "page2images", "thumbalizr",
    # Uptime and speed monitors, link checkers and scanners that name themselves inside
    # an IE string (GomezA/1.0 in IE 7's, "; AlertSite)", "; Uptrends)") or alone.
    "gomeza/", "alertsite", "uptrends", "monitis", "browsershots", "gtmetrix", "webpagetest",
    "xenu link sleuth", "yottaa", "dynatracesynthetic", "dynatrace synthetic", "qualys",
    "acunetix", "nessus",
)  # fmt: skip
# Tokens that need an edge or a context: each small pattern runs only where its
#: core substring stands. ``cubot`` is a phone brand; ``teomabar`` an IE toolbar.
BOT_PATTERNS = tuple(
    (core, re.compile(pattern))
    for core, pattern in (
        ("bot", r"(?<!cu)bot(?:\b|[-/_;.+!])"),
        ("robot", r"robot\b"),
        ("probe", r"\bprobe\b"),
        ("match by", r"\bmatch by\b"),
        ("monitoring", r"monitoring\b"),
        ("scout", r"\bscout\b"),
        ("ptst", r"\bptst(?:/| \d)"),  # WebPageTest: PTST/240201.1, and 2.x's "PTST 2.295"
        ("w3c", r"\bw3c[-_]"),
        ("curl/", r"\bcurl/"),
        ("java/", r"\bjava/"),
        ("node", r"\bnode\b"),
        ("httpie", r"\bhttpie"),
        ("teoma", r"teoma(?!bar)"),
        ("scooter", r"\bscooter\b"),
        ("daum ", r"\bdaum \d"),
        ("seeker", r"yahoo\w{0,40}seeker"),
        ("http", r"\+\s?https?://"),  # the "+http://..." that crawlers name themselves by
    )
)


def is_bot(user_agent: str) -> bool:
    """True for crawlers, link checkers, monitors, preview fetchers and HTTP libraries."""
    return is_bot_lowered(user_agent.lower())


#: True when the (lower-cased) string is a bot's.
is_bot_lowered = _finder(BOT_TOKENS, BOT_PATTERNS)


_IOS = re.compile(r"\((?:iPhone|iPad|iPod)\b|\blike Mac OS X\b|\b(?:CriOS|FxiOS|EdgiOS|OPiOS)/")
_EDGE_HTML = re.compile(r"\bEdge/\d")
_EDGE_CHROMIUM = re.compile(r"\bEdg(?:A|iOS)?/")
_OPERA = re.compile(r"\bOpera[ /]\d")
_GECKO = re.compile(r"Gecko/\d")

# The engine a (non-IE) string names, by its product tokens: the first rule whose
# token the string holds (and, where the rule has one, whose pattern it matches)
# names it. Every browser on iOS (Chrome's CriOS, Firefox's FxiOS, Edge's EdgiOS,
# ...) runs Apple's WebKit, whatever its name.
_ENGINE_RULES: tuple[tuple[str, str, re.Pattern[str] | None], ...] = (
    ("AppleWebKit/", "WebKit", _IOS),
    ("Edge/", "EdgeHTML", _EDGE_HTML),
    ("Chrome/", "Blink", None),
    ("Chromium/", "Blink", None),
    ("CriOS/", "Blink", None),
    ("Edg", "Blink", _EDGE_CHROMIUM),
    ("Presto/", "Presto", None),
    ("Opera", "Presto", _OPERA),
    ("AppleWebKit/", "WebKit", None),
    ("Firefox/", "Gecko", None),
    ("Gecko/", "Gecko", _GECKO),
)


def _engine(user_agent: str) -> str:
    """The rendering engine a (non-IE) string names, by its product tokens; "" if none."""
    for token, engine, pattern in _ENGINE_RULES:
        if token in user_agent and (pattern is None or pattern.search(user_agent)):
            return engine
    return ""


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

# One member of a Sec-CH-UA list: "Brand";v="124", and only the v parameter. A brand
# is printable ASCII without a quote or a backslash: an RFC 8941 string that needs no
# escape, as every browser's brands are (GREASE brands such as "Not?A_Brand" too). A
# list with an escape in it is malformed, as the nginx export, whose patterns repeat
# only classes, reads it.
_BRAND = re.compile(
    r'[ \t]{0,64}"([\x20\x21\x23-\x5b\x5d-\x7e]{1,64})"'  # "Brand"
    r'[ \t]{0,64};[ \t]{0,64}v[ \t]{0,64}=[ \t]{0,64}"([0-9.]{1,32})"[ \t]{0,64}(,|$)'  # ;v="124",
)
#: The most members a well-formed hint list has; a brand named twice counts twice.
MAX_BRANDS = 16


def _brand_list(value: str | None) -> dict[str, tuple[int, ...]] | None:
    """Brands and versions of a ``Sec-CH-UA`` style header; None when absent or malformed.

    Malformed: more than :data:`MAX_BRANDS` members (duplicates count), a member
    that is not ``"Brand";v="N.N"``, a version with an empty part (``124.``,
    ``.1``, ``1..2``), or a trailing comma. A brand named twice keeps its last
    version. Spaces and tabs around the value go first, as an HTTP server drops
    them, so :func:`uagate.check` reads a value as the middleware does.
    """
    if value:
        value = value.strip(" \t")
    if not value or len(value) > HEADER_LIMIT:
        return None
    brands: dict[str, tuple[int, ...]] = {}
    position = 0
    for _ in range(MAX_BRANDS):
        match = _BRAND.match(value, position)
        if match is None:
            return None
        position = match.end()
        if match.group(3) == "," and position == len(value):
            return None  # a trailing comma
        parts = match.group(2).split(".")
        if not all(part.isdigit() for part in parts):
            return None
        brands[match.group(1)] = tuple(int(part) for part in parts)
        if position == len(value):
            return brands
    return None  # a 17th member


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


#: What str.lstrip() and str.rstrip() strip among the latin-1 characters, as bytes:
#: tab to carriage return, the separators 0x1c-0x1f, space, NEL (0x85) and no-break
#: space (0xa0). The nginx export strips the same bytes.
LATIN1_SPACE = bytes(code for code in range(256) if chr(code).isspace())

#: How many whitespace characters before a User-Agent are stripped after its spaces
#: and tabs (which an HTTP server drops, however many). One with more before its
#: first other character is read as empty (no User-Agent), as the nginx export reads
#: it: no client sends that, and the bound keeps nginx's pattern linear.
LEADING_SPACE_LIMIT = 1024


def cap(user_agent: str | bytes, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """The part of a User-Agent that is read: stripped, then cut to ``max_length``, then stripped.

    Leading spaces and tabs go first, as an HTTP server drops them; then at
    most :data:`LEADING_SPACE_LIMIT` more whitespace characters, and a string
    with more before its first other character gives "". Raw header bytes are
    read as latin-1 (any bytes decode), in the same order as text, so
    ``cap(raw) == cap(raw.decode("latin-1"))`` whatever the bytes: the
    middleware and :func:`uagate.check` read one header alike. Bytes are cut
    before they are decoded.
    """
    if isinstance(user_agent, bytes):
        rest = user_agent.lstrip(b" \t")
        head = rest[: LEADING_SPACE_LIMIT + 1]
        lead = len(head) - len(head.lstrip(LATIN1_SPACE))
        if lead > LEADING_SPACE_LIMIT:
            return ""
        return rest[lead : lead + max_length].decode("latin-1").rstrip()
    rest_text = user_agent.lstrip(" \t")
    head_text = rest_text[: LEADING_SPACE_LIMIT + 1]
    lead = len(head_text) - len(head_text.lstrip())
    if lead > LEADING_SPACE_LIMIT:
        return ""
    text = rest_text[lead : lead + max_length].rstrip()
    # A lone surrogate (text that no request could carry) cannot reach the matcher.
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def has_ie_marker(lowered: str) -> bool:
    """True when the lower-cased string holds one of :data:`IE_MARKERS`."""
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


def _numeric(parts: tuple[str | None, ...]) -> tuple[int, ...]:
    """Leading numeric parts of a parser version: ``("10", "b1")`` gives ``(10,)``.

    ``int()`` raises ValueError on a number of more than 4,300 digits, as the
    parser of record does; the caller treats that as a failed parse.
    """
    numbers: list[int] = []
    for part in parts:
        if part is None or not (part.isascii() and part.isdigit()):
            break
        numbers.append(int(part))
    return tuple(numbers)


_browsers: Matcher = None  # built by warm_up()

#: A browser's product token whose version has no dot (linear: one bounded run of digits).
DOTLESS = re.compile(
    r"\b((?:Chrome|Chromium|CriOS|Firefox|FxiOS|Edg|EdgA|EdgiOS|Edge|OPR|OPiOS|Version|"
    r"SamsungBrowser|YaBrowser|Vivaldi|Opera|Safari)/\d{1,5})(?![\d.])"
)


def warm_up() -> None:
    """Build the browser parser now (about 0.05 s), rather than on the first request."""
    global _browsers
    if _browsers is None:
        _browsers = browser_matcher()


def _browser(user_agent: str) -> tuple[str, tuple[int, ...]] | None:
    """Family and version of the browser alone (not OS or device); None when it fails.

    The same uap-core rules as ``user-agents`` (the test suite checks that both
    give the same family and version on every corpus string), matched by
    ``ua_parser``'s native, linear-time matcher (the one its ``regex`` resolver
    uses) for the browser only. On odd non-ASCII input the two can differ.
    """
    if _browsers is None:
        warm_up()
    try:
        # uap-core's rules want a dot in most versions: read "Chrome/118" as 118.0.
        if "/" in user_agent and DOTLESS.search(user_agent) is not None:
            user_agent = DOTLESS.sub(r"\1.0", user_agent)
        found = _browsers.extract(user_agent)
        if found is None:
            return "Other", ()
        # major.minor.patch, as user-agents reports a browser's version
        return found.family, _numeric((found.major, found.minor, found.patch))
    except (TypeError, ValueError) as exc:
        log_once(exc, "parsing a User-Agent")
        return None


def _internet_explorer(lowered: str) -> tuple[str, tuple[int, ...]] | None:
    """Engine and engine version if the (lower-cased) string is IE's engines, else None."""
    trident = TRIDENT.search(lowered)
    if trident is not None:
        return "Trident", _version(trident)
    if MSIE.search(lowered) is not None:
        if _fakes_msie(lowered):
            return None
        return ("Tasman" if _contains_any(lowered, _MAC) else "Trident"), ()
    if IEMOBILE.search(lowered) or IE_PRODUCT.search(lowered):
        return "Trident", ()
    return None


def _ie_version(lowered: str, engine_version: tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
    """IE's real version, and whether it runs in a compatibility mode.

    The version comes from IE Mobile's own IEMobile N, else MSIE N, IE 11's
    rv:11, or Pocket IE's own token. In
    compatibility view and Enterprise Mode, desktop IE reports an older MSIE
    version than its engine: ``Trident/N`` is IE N+4 (IE 8 to 11), and that wins.
    """
    # IE Mobile names its own version (IEMobile/9.0, IEMobile 8.12); MSIE there is
    # the desktop engine's compatibility version.
    for pattern in (IEMOBILE, MSIE, _IE11_RV, _POCKET_IE, _MSPIE):
        found = pattern.search(lowered)
        if found is not None and found.group(1) is not None:
            reported = _version(found)
            break
    else:
        return (), False
    if pattern is MSIE and engine_version and engine_version[0] >= 4:
        real = min(engine_version[0] + 4, 11)
        if reported[0] < real:
            return (real, 0), True
    return reported, False


def detect(
    user_agent: str, hints: ClientHints | None = None, *, bot: bool | None = None
) -> Client | None:
    """Describe the client behind a (capped) User-Agent string and its client hints.

    Hints are read only where the string has an IE marker (:data:`IE_MARKERS`):
    there a Chromium brand wins, as such a client is never IE (a Chromium
    browser whose User-Agent was set to IE's), and its family and version are
    the hinted ones. Any other string names its client itself; Chromium's
    reduced User-Agent still carries its brand and major version. So a verdict
    depends on the hint headers only for IE-like strings, and a cache keys
    every other client by its User-Agent alone. Returns None when the string
    cannot be parsed: the parser's error is logged once per cause, and the
    caller lets the request pass. ``bot``: whether the string is a bot's, where
    the caller has asked :func:`is_bot` already.
    """
    lowered = user_agent.lower()
    if bot is None:
        bot = is_bot_lowered(lowered)
    marked = has_ie_marker(lowered)
    chromium = hints.chromium if hints is not None and marked else None
    if chromium is not None:
        family, version = chromium
        return Client(user_agent, family, version, "Blink", (), bot)
    browser = _browser(user_agent)
    if browser is None:
        return None
    ie = _internet_explorer(lowered) if marked else None
    if ie is None:
        return _not_trident(user_agent, browser, bot)
    return _trident(user_agent, lowered, browser, ie, bot)


def _not_trident(user_agent: str, browser: tuple[str, tuple[int, ...]], bot: bool) -> Client:
    """A client that does not run IE's engines, with the parser's family and version."""
    family, version = browser
    if family in IE_FAMILIES:
        # A browser that only pretends to be IE (OmniWeb, TV browsers, ...).
        family, version = "Other", ()
    return Client(user_agent, family, version, _engine(user_agent), (), bot)


def _shell(lowered: str) -> str | None:
    """The family of the IE shell a (lower-cased) string names by a token of its own, if any."""
    return next((name for token, name in _IE_SHELLS if token in lowered), None)


def _trident(
    user_agent: str,
    lowered: str,
    browser: tuple[str, tuple[int, ...]],
    ie: tuple[str, tuple[int, ...]],
    bot: bool,
) -> Client:
    """A client that runs IE's engines (``ie``): IE itself, or an application built on it.

    The parser names IE shells (Maxthon, Avant, Outlook, ...) by their own
    family; anything it cannot name but that has IE's tokens is IE itself,
    unless one of the shells it does not know names itself.
    """
    family, version = browser
    engine, engine_version = ie
    named_ie = family in IE_FAMILIES or family in _UNNAMED_FAMILIES
    shell = _shell(lowered) if named_ie else None
    if shell is not None:
        shell_version = _version(_SHELL_VERSION.search(lowered))
        return Client(user_agent, shell, shell_version, engine, engine_version, bot)
    if family in _FEATURE_TOKEN_FAMILIES or (
        family == "Outlook" and "ms-office" in lowered and "outlook" not in lowered
    ):
        family, named_ie = "IE", True
    if not named_ie:
        return Client(user_agent, family, version, engine, engine_version, bot)
    if family != "IE Large Screen":
        family = "IE Mobile" if _contains_any(lowered, _MOBILE) else "IE"
    version, compatibility_mode = _ie_version(lowered, engine_version)
    return Client(user_agent, family, version, engine, engine_version, bot, compatibility_mode)


# user_agents' descriptions, kept by string: at most 4,096 of them and 4 MiB of text.
_in_full: BoundedTable[str, Any] = BoundedTable(4096, 4 * 1024 * 1024)


def parse_in_full(user_agent: str) -> Any:
    """``user_agents.parse`` of the first 512 characters: browser, OS and device.

    ``user_agents`` matches with Python's own regular expressions, some of them
    slow on long hostile strings, so it reads no more than :data:`DEFAULT_MAX_LENGTH`
    characters (a few milliseconds at worst, once per distinct string). Returns
    a ``user_agents.parsers.UserAgent``; the package has no type hints.
    """
    text = user_agent[:DEFAULT_MAX_LENGTH]
    found = _in_full.data.get(text)
    if found is None:
        found = user_agents.parse(text)
        _in_full.add(text, found, len(text) + 1024)
    return found
