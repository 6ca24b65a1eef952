"""Table tests: real User-Agent strings and the verdict uagate gives each of them.

Every expected family is the name the uap-core data (through ``user-agents``)
gives the browser, except that Internet Explorer itself is always ``"IE"``,
``"IE Mobile"`` (on Windows Phone, Windows CE and Windows Mobile, Pocket IE included) or
``"IE Large Screen"``, and a browser that only pretends to be IE (uap-core calls some of
them ``"IE"``) is ``"Other"``.
"""

from __future__ import annotations

import pytest

from uagate import Policy, Reason, check

IE = Reason.INTERNET_EXPLORER
APP = Reason.TRIDENT_APP
BOT = Reason.BOT
NONE = Reason.NO_USER_AGENT
OK = Reason.SUPPORTED

IE11_WIN7 = "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko"
IE11_COMPAT_VIEW = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.3; WOW64; Trident/7.0; .NET4.0E; .NET4.0C;"
    " .NET CLR 3.5.30729; .NET CLR 2.0.50727; .NET CLR 3.0.30729)"
)
IE8_COMPAT_VIEW = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; Trident/4.0; SLCC1; Media Center PC 5.0;"
    " .NET CLR 3.5.21022)"
)
ENTERPRISE_MODE_TRIDENT7 = (
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E)"
)
WP81_UPDATE = (
    "Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0;"
    " IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537"
    " (KHTML, like Gecko) Mobile Safari/537"
)
IE_MAC = "Mozilla/4.0 (compatible; MSIE 5.23; Mac_PowerPC)"
MSIE_NO_SPACE = "Mozilla/4.0 (compatible; MSIE8.0; Windows NT 6.0) .NET CLR 2.0.50727)"
OUTLOOK_2013 = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; WOW64; Trident/7.0; SLCC2;"
    " .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0; .NET4.0C;"
    " .NET4.0E; AlexaToolbar/amzni-3.0; BRI/2; Microsoft Outlook 15.0.4605; ms-office; MSOffice 15)"
)
OUTLOOK_2016 = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E;"
    " .NET CLR 2.0.50727; .NET CLR 3.0.30729; .NET CLR 3.5.30729; Microsoft Outlook 16.0.4266;"
    " ms-office; MSOffice 16)"
)
MAXTHON_2 = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.2; Trident/4.0; MAXTHON 2.0)"
AVANT = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; Avant Browser)"
SLEIPNIR = (
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0; SLCC1; .NET CLR 2.0.50727;"
    " Media Center PC 5.0; .NET CLR 3.5.30729; .NET CLR 3.0.30618; .NET4.0C; .NET4.0E;"
    " Sleipnir/2.9.9)"
)
SITEIMPROVE = (
    "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0) LinkCheck by Siteimprove.com"
)
MSIE_HTTPS_CLIENT = "Mozilla/4.0 (compatible; MSIE 7.0; +https://github.com/thekvs/yandex-ddns)"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36"
    " (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36"
    " (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

# (User-Agent, family, gated, reason)
ROWS = [
    # --- Internet Explorer on the desktop, 1 to 11 -------------------------------------------
    pytest.param("Microsoft Internet Explorer/4.40.308 (Windows 95)", "IE", True, IE, id="ie1.0"),
    pytest.param("Mozilla/1.22 (compatible; MSIE 1.5; Windows NT)", "IE", True, IE, id="ie1.5"),
    pytest.param("Mozilla/1.22 (compatible; MSIE 2.0; Windows 95)", "IE", True, IE, id="ie2"),
    pytest.param("Mozilla/2.0 (compatible; MSIE 3.02; Windows 95)", "IE", True, IE, id="ie3"),
    pytest.param("Mozilla/4.0 (compatible; MSIE 4.01; Windows 98)", "IE", True, IE, id="ie4"),
    pytest.param("Mozilla/4.0 (compatible; MSIE 5.01; Windows NT 5.0)", "IE", True, IE, id="ie5"),
    pytest.param("Mozilla/4.0 (compatible; MSIE 5.5; Windows NT 5.0)", "IE", True, IE, id="ie5.5"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 1.1.4322;"
        " .NET CLR 2.0.50727)",
        "IE",
        True,
        IE,
        id="ie6-xp",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; SLCC1; .NET CLR 2.0.50727;"
        " Media Center PC 5.0; .NET CLR 3.0.04506)",
        "IE",
        True,
        IE,
        id="ie7-vista",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727;"
        " .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0)",
        "IE",
        True,
        IE,
        id="ie8-win7",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)",
        "IE",
        True,
        IE,
        id="ie9-win7",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)",
        "IE",
        True,
        IE,
        id="ie10-win8",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; ARM; Trident/6.0; Touch)",
        "IE",
        True,
        IE,
        id="ie10-surface-rt",
    ),
    pytest.param(IE11_WIN7, "IE", True, IE, id="ie11-win7-no-msie"),
    pytest.param(
        "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; .NET4.0E; .NET4.0C; rv:11.0) like Gecko",
        "IE",
        True,
        IE,
        id="ie11-win8.1",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "IE",
        True,
        IE,
        id="ie11-win10",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 6.3; Win64; x64; Trident/7.0; Touch; rv:11.0) like Gecko",
        "IE",
        True,
        IE,
        id="ie11-touch",
    ),
    pytest.param(
        "Mozilla/5.0 (IE 11.0; Windows NT 6.3; Trident/7.0; .NET4.0E; .NET4.0C; rv:11.0)"
        " like Gecko",
        "IE",
        True,
        IE,
        id="ie11-with-ie-token",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; chromeframe/13.0.782.218;"
        " chromeframe; .NET CLR 1.1.4322; .NET CLR 2.0.50727)",
        "IE",
        True,
        IE,
        id="ie8-with-chrome-frame",
    ),
    pytest.param(MSIE_NO_SPACE, "IE", True, IE, id="msie8.0-without-space"),
    # --- Compatibility view: MSIE 7.0 with the real engine's Trident token --------------------
    pytest.param(IE8_COMPAT_VIEW, "IE", True, IE, id="compat-view-ie8-trident4"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; Trident/5.0)",
        "IE",
        True,
        IE,
        id="compat-view-ie9-trident5",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/6.0; SLCC2; .NET CLR 2.0.50727;"
        " .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0; .NET4.0C; EIE10;ENUSMSN)",
        "IE",
        True,
        IE,
        id="compat-view-ie10-trident6",
    ),
    pytest.param(IE11_COMPAT_VIEW, "IE", True, IE, id="compat-view-ie11-trident7"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/8.0; .NET4.0C;"
        " .NET4.0E; .NET CLR 2.0.50727; .NET CLR 3.0.30729; .NET CLR 3.5.30729)",
        "IE",
        True,
        IE,
        id="compat-view-ie11-trident8",
    ),
    # --- IE11 Enterprise Mode: the IE8 string --------------------------------------------------
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
        "IE",
        True,
        IE,
        id="enterprise-mode-trident4",
    ),
    pytest.param(ENTERPRISE_MODE_TRIDENT7, "IE", True, IE, id="enterprise-mode-trident7"),
    # --- IE for Mac, WebTV, Pocket IE -----------------------------------------------------------
    pytest.param(IE_MAC, "IE", True, IE, id="ie5.23-mac"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 5.22; Mac_PowerPC)", "IE", True, IE, id="ie5.22-mac"
    ),
    pytest.param("Mozilla/3.0 WebTV/2.6 (compatible; MSIE 4.0)", "IE", True, IE, id="webtv"),
    pytest.param(
        "Microsoft Pocket Internet Explorer/0.6", "IE Mobile", True, IE, id="pocket-ie-0.6"
    ),
    pytest.param(
        "Mozilla/1.1 (compatible; MSPIE 2.0; Windows CE)",
        "IE Mobile",
        True,
        IE,
        id="pocket-ie-mspie2",
    ),
    pytest.param(
        "Mozilla/2.0 (compatible; MSIE 3.02; Windows CE; 240x320)",
        "IE Mobile",
        True,
        IE,
        id="pocket-ie-3.02",
    ),
    # --- IE Mobile -------------------------------------------------------------------------------
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 6.12)",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-6-windows-mobile",
    ),
    pytest.param(
        "Palm750/v0005 Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 7.6)",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-7.6-palm-treo",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows Phone OS 7.0; Trident/3.1; IEMobile/7.0; DELL;"
        " Venue Pro)",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-wp7",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; NOKIA;"
        " Lumia 800)",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-wp7.5",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM;"
        " Touch; NOKIA; Lumia 920)",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-wp8",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows Phone 8.1; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA;"
        " Lumia 928) like Gecko",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-wp8.1",
    ),
    pytest.param(WP81_UPDATE, "IE Mobile", True, IE, id="ie-mobile-wp8.1-update-like-iphone"),
    pytest.param(
        "Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0;"
        " IEMobile/11.0; Microsoft; Lumia 640 LTE) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537"
        " (KHTML, like Gecko) Mobile Safari/537",
        "IE Mobile",
        True,
        IE,
        id="ie-mobile-wp8.1-update-microsoft-lumia",
    ),
    # --- IE Large Screen and Xbox ----------------------------------------------------------------
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; XBLWP7; ZuneWP7)",
        "IE Large Screen",
        True,
        IE,
        id="ie-large-screen-9",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; XBLWP7; ZuneWP7)",
        "IE Large Screen",
        True,
        IE,
        id="ie-large-screen-7",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Xbox; Xbox One)",
        "IE",
        True,
        IE,
        id="xbox-one-ie10",
    ),
    pytest.param(
        "Mozilla/5.0 (Compatible; MSIE 10.0; Windows NT 6.2; Trident /6.0; Xbox; Xbox One)",
        "IE",
        True,
        IE,
        id="xbox-one-ie10-spaced-trident",
    ),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; Xbox)",
        "IE",
        True,
        IE,
        id="xbox-360-ie9",
    ),
    # --- Applications and IE shells that render with Trident -------------------------------------
    pytest.param(OUTLOOK_2013, "Outlook", True, APP, id="outlook-2013"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.2; WOW64; Trident/8.0; .NET4.0C; .NET4.0E;"
        " Tablet PC 2.0; Microsoft Outlook 15.0.4433; ms-office; MSOffice 15)",
        "Outlook",
        True,
        APP,
        id="outlook-2013-trident8",
    ),
    pytest.param(OUTLOOK_2016, "Outlook", True, APP, id="outlook-2016"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; Maxthon)",
        "Maxthon",
        True,
        APP,
        id="maxthon-1",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0; MyIE2; Maxthon)",
        "MyIE2",
        True,
        APP,
        id="maxthon-1-myie2-token",
    ),
    pytest.param(MAXTHON_2, "Maxthon", True, APP, id="maxthon-2"),
    pytest.param(
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0; Maxthon/3.0)",
        "Maxthon",
        True,
        APP,
        id="maxthon-3-trident-mode",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; MyIE2; SLCC1; .NET CLR 2.0.50727;"
        " Media Center PC 5.0)",
        "MyIE2",
        True,
        APP,
        id="myie2",
    ),
    pytest.param(AVANT, "Avant", True, APP, id="avant"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; SV1; Acoo Browser;"
        " .NET CLR 2.0.50727; .NET CLR 3.0.4506.2152; .NET CLR 3.5.30729; Avant Browser)",
        "Avant",
        True,
        APP,
        id="avant-trident4",
    ),
    pytest.param(SLEIPNIR, "Sleipnir", True, APP, id="sleipnir-2.9.9"),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; .NET CLR 1.1.4322; InfoPath.1;"
        " .NET CLR 2.0.50727) Sleipnir/2.8.4",
        "Sleipnir",
        True,
        APP,
        id="sleipnir-2.8.4",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; AOL 9.5; AOLBuild 4337.43; Windows NT 6.0; Trident/4.0;"
        " SLCC1; .NET CLR 2.0.50727; Media Center PC 5.0; .NET CLR 3.5.21022; .NET CLR 3.5.30729;"
        " .NET CLR 3.0.30618)",
        "AOL",
        True,
        APP,
        id="aol-9.5",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 8.0; AOL 9.6; AOLBuild 4340.128; Windows NT 6.1; WOW64;"
        " Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729;"
        " Media Center PC 6.0)",
        "AOL",
        True,
        APP,
        id="aol-9.6",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/5.0; SLCC2; .NET CLR 2.0.50727;"
        " .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0; .NET4.0C; .NET4.0E;"
        " QQBrowser/7.0.3698.400)",
        "QQ Browser",
        True,
        APP,
        id="qqbrowser-trident",
    ),
    # --- Supported browsers ----------------------------------------------------------------------
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/42.0.2311.135 Safari/537.36 Edge/12.10240",
        "Edge",
        False,
        OK,
        id="edgehtml-12",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/46.0.2486.0 Safari/537.36 Edge/13.10586",
        "Edge",
        False,
        OK,
        id="edgehtml-13",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/58.0.3029.110 Safari/537.36 Edge/16.16299",
        "Edge",
        False,
        OK,
        id="edgehtml-16",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763",
        "Edge",
        False,
        OK,
        id="edgehtml-18",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36"
        " (KHTML, like Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/14.14393",
        "Edge",
        False,
        OK,
        id="edgehtml-14-xbox-one",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36"
        " (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
        "Edge Mobile",
        False,
        OK,
        id="edge-mobile-windows-10-mobile",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
        "Edge",
        False,
        OK,
        id="edge-chromium",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.6099.144 Mobile Safari/537.36 EdgA/120.0.2210.126",
        "Edge Mobile",
        False,
        OK,
        id="edge-android",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) EdgiOS/120.0.2210.116 Version/17.0 Mobile/15E148 Safari/604.1",
        "Edge Mobile",
        False,
        OK,
        id="edge-ios",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36",
        "Chrome",
        False,
        OK,
        id="chrome-windows",
    ),
    pytest.param(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36",
        "Chrome",
        False,
        OK,
        id="chrome-macos",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Mobile Safari/537.36",
        "Chrome Mobile",
        False,
        OK,
        id="chrome-android",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
        "Chrome Mobile iOS",
        False,
        OK,
        id="chrome-ios",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Firefox",
        False,
        OK,
        id="firefox-windows",
    ),
    pytest.param(
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Firefox",
        False,
        OK,
        id="firefox-linux",
    ),
    pytest.param(
        "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
        "Firefox Mobile",
        False,
        OK,
        id="firefox-android",
    ),
    pytest.param(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        " Version/17.2 Safari/605.1.15",
        "Safari",
        False,
        OK,
        id="safari-macos",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
        "Mobile Safari",
        False,
        OK,
        id="safari-ios",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; en) Opera 8.50",
        "Opera",
        False,
        OK,
        id="opera-8.50-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; PPC; 240x240) Opera 8.65 [en]",
        "Opera",
        False,
        OK,
        id="opera-8.65-windows-ce-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Nitro) Opera 8.50 [en]",
        "Opera",
        False,
        OK,
        id="opera-nintendo-ds-as-msie",
    ),
    pytest.param(
        "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.229 Version/11.62",
        "Opera",
        False,
        OK,
        id="opera-presto-11",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
        "Opera",
        False,
        OK,
        id="opera-opr",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows 98; PalmSource/hspr-H102; Blazer/4.0)"
        " 16;320x320",
        "Palm Blazer",
        False,
        OK,
        id="palm-blazer-4-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows 95; PalmSource; Blazer 3.0) 16; 160x160",
        "Other",
        False,
        OK,
        id="palm-blazer-3-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible;MSIE 6.0;Windows95;PalmSource) Netfront/3.0;8;320x320",
        "Netfront",
        False,
        OK,
        id="netfront-as-msie",
    ),
    pytest.param(
        "Mozilla/1.22 (compatible; MSIE 5.01; PalmOS 3.0) EudoraWeb 2.1",
        "Other",
        False,
        OK,
        id="eudoraweb-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 5.2; Mac_PowerPC) OmniWeb/4.1.1-v424.6",
        "OmniWeb",
        False,
        OK,
        id="omniweb-as-msie",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0 compatible; Device Mosaic 5.2.2; OpenTV)"
        " InettvBrowser/2.3",
        "Other",
        False,
        OK,
        id="tv-browser-as-msie",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
        " SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        "Samsung Internet",
        False,
        OK,
        id="samsung-internet",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/118.0.0.0 YaBrowser/23.11.0.0 Safari/537.36",
        "Yandex Browser",
        False,
        OK,
        id="yandex-browser",
    ),
    # --- Bots, checkers, monitors and HTTP libraries ---------------------------------------------
    pytest.param(GOOGLEBOT, "Googlebot", False, BOT, id="googlebot"),
    pytest.param(GOOGLEBOT_SMARTPHONE, "Googlebot", False, BOT, id="googlebot-smartphone"),
    pytest.param(
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "bingbot",
        False,
        BOT,
        id="bingbot",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0; BingPreview/1.0b) like Gecko",
        "BingPreview",
        False,
        BOT,
        id="bingpreview-trident",
    ),
    pytest.param(
        "msnbot-media/1.1 (+http://search.msn.com/msnbot.htm)",
        "msnbot-media",
        False,
        BOT,
        id="msnbot-media",
    ),
    pytest.param(
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; GTB6; Ant.com Toolbar 1.6;"
        " MSIECrawler)",
        "MSIECrawler",
        False,
        BOT,
        id="msiecrawler",
    ),
    pytest.param(SITEIMPROVE, "IE", False, BOT, id="siteimprove-linkcheck-as-ie10"),
    pytest.param(
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "UptimeRobot",
        False,
        BOT,
        id="uptimerobot",
    ),
    pytest.param(
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "PingdomBot",
        False,
        BOT,
        id="pingdom",
    ),
    pytest.param(
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "FacebookBot",
        False,
        BOT,
        id="facebookexternalhit",
    ),
    pytest.param(MSIE_HTTPS_CLIENT, "IE", False, BOT, id="plus-url-client-as-msie"),
    pytest.param("curl/7.88.1", "curl", False, BOT, id="curl"),
    pytest.param("python-requests/2.31.0", "Python Requests", False, BOT, id="python-requests"),
    # --- No User-Agent ---------------------------------------------------------------------------
    pytest.param(None, "Other", False, NONE, id="missing"),
    pytest.param("", "Other", False, NONE, id="empty"),
    pytest.param("-", "Other", False, NONE, id="dash"),
    pytest.param("null", "Other", False, NONE, id="null"),
    pytest.param("   ", "Other", False, NONE, id="blank"),
    # --- Garbage ---------------------------------------------------------------------------------
    pytest.param(
        "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x7f\x80\xff\ufffd\ufeff",
        "Other",
        False,
        OK,
        id="binary-junk",
    ),
    pytest.param("MSIE", "Other", False, OK, id="lone-msie"),
    pytest.param("Trident/", "Other", False, OK, id="lone-trident"),
    pytest.param("Mozilla/4.0 (compatible; MSIE ", "Other", False, OK, id="cut-before-version"),
    pytest.param(";" * 5000, "Other", False, OK, id="5000-semicolons"),
]

# (User-Agent, family, version, engine, engine version)
VERSIONS = [
    pytest.param(IE11_WIN7, "IE", (11, 0), "Trident", (7, 0), id="ie11"),
    # Compatibility view and Enterprise Mode report an older MSIE; Trident/N is IE N+4.
    pytest.param(IE11_COMPAT_VIEW, "IE", (11, 0), "Trident", (7, 0), id="ie11-compat-view"),
    pytest.param(IE8_COMPAT_VIEW, "IE", (8, 0), "Trident", (4, 0), id="ie8-compat-view"),
    pytest.param(ENTERPRISE_MODE_TRIDENT7, "IE", (11, 0), "Trident", (7, 0), id="enterprise-mode"),
    pytest.param(WP81_UPDATE, "IE Mobile", (11, 0), "Trident", (7, 0), id="ie-mobile-11"),
    pytest.param(IE_MAC, "IE", (5, 23), "Tasman", (), id="ie-mac"),
    pytest.param(MSIE_NO_SPACE, "IE", (8, 0), "Trident", (), id="msie8.0-without-space"),
]


@pytest.mark.parametrize(("user_agent", "family", "gated", "reason"), ROWS)
def test_default_policy_verdict(
    user_agent: str | None, family: str, gated: bool, reason: Reason
) -> None:
    """The default policy gives each real User-Agent the expected family, gate and reason."""
    verdict = check(user_agent)
    assert (verdict.client.family, verdict.gated, verdict.reason) == (family, gated, reason)


@pytest.mark.parametrize(("user_agent", "family", "version", "engine", "engine_version"), VERSIONS)
def test_versions_come_from_the_right_token(
    user_agent: str,
    family: str,
    version: tuple[int, ...],
    engine: str,
    engine_version: tuple[int, ...],
) -> None:
    """IE's version comes from MSIE, rv: or IEMobile and its engine version from Trident."""
    client = check(user_agent).client
    assert (client.family, client.version, client.engine, client.engine_version) == (
        family,
        version,
        engine,
        engine_version,
    )


@pytest.mark.parametrize(
    ("user_agent", "gated", "reason"),
    [
        pytest.param(OUTLOOK_2013, False, Reason.TRIDENT_APP_ALLOWED, id="outlook-2013"),
        pytest.param(OUTLOOK_2016, False, Reason.TRIDENT_APP_ALLOWED, id="outlook-2016"),
        pytest.param(MAXTHON_2, False, Reason.TRIDENT_APP_ALLOWED, id="maxthon-2"),
        pytest.param(AVANT, False, Reason.TRIDENT_APP_ALLOWED, id="avant"),
        pytest.param(SLEIPNIR, False, Reason.TRIDENT_APP_ALLOWED, id="sleipnir"),
        pytest.param(IE11_WIN7, True, IE, id="ie11-still-gated"),
        pytest.param(IE11_COMPAT_VIEW, True, IE, id="ie11-compat-view-still-gated"),
        pytest.param(WP81_UPDATE, True, IE, id="ie-mobile-still-gated"),
        pytest.param(IE_MAC, True, IE, id="ie-mac-still-gated"),
    ],
)
def test_policy_can_allow_trident_apps(user_agent: str, gated: bool, reason: Reason) -> None:
    """With gate_trident_apps=False Trident apps pass as allowed while real IE stays gated."""
    verdict = check(user_agent, policy=Policy(gate_trident_apps=False))
    assert (verdict.gated, verdict.reason) == (gated, reason)


@pytest.mark.parametrize(
    ("user_agent", "gated", "reason"),
    [
        pytest.param(SITEIMPROVE, True, IE, id="siteimprove-as-ie10"),
        pytest.param(MSIE_HTTPS_CLIENT, True, IE, id="plus-url-client-as-msie"),
        pytest.param(GOOGLEBOT, False, OK, id="googlebot"),
        pytest.param(GOOGLEBOT_SMARTPHONE, False, OK, id="googlebot-smartphone-chrome"),
    ],
)
def test_policy_can_gate_bots_that_present_as_ie(
    user_agent: str, gated: bool, reason: Reason
) -> None:
    """With gate_bots=True a bot presenting as IE is gated as IE while Googlebot still passes."""
    verdict = check(user_agent, policy=Policy(gate_bots=True))
    assert (verdict.gated, verdict.reason) == (gated, reason)


@pytest.mark.parametrize(
    ("user_agent", "compatibility_mode"),
    [
        pytest.param(IE11_COMPAT_VIEW, True, id="ie11-compat-view"),
        pytest.param(IE8_COMPAT_VIEW, True, id="ie8-compat-view"),
        pytest.param(ENTERPRISE_MODE_TRIDENT7, True, id="enterprise-mode"),
        pytest.param(IE11_WIN7, False, id="ie11"),
        pytest.param(WP81_UPDATE, False, id="ie-mobile-11"),
        pytest.param(IE_MAC, False, id="ie-mac"),
        pytest.param(MSIE_NO_SPACE, False, id="msie8.0-without-space"),
    ],
)
def test_compatibility_mode_is_flagged(user_agent: str, compatibility_mode: bool) -> None:
    """IE that reports an older MSIE than its Trident engine is in compatibility mode."""
    assert check(user_agent).client.compatibility_mode is compatibility_mode


@pytest.mark.parametrize(
    ("user_agent", "gated", "reason", "is_bot"),
    [
        pytest.param(
            "Mozilla/4.0 (compatible; MSIE 5.0; Series80/2.0 Nokia9500/4.51 Profile/MIDP-2.0"
            " Configuration/CLDC-1.1)",
            False,
            OK,
            False,
            id="nokia-series80-fakes-msie",
        ),
        pytest.param(
            "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)",
            False,
            BOT,
            True,
            id="dotnet-soap-client",
        ),
        pytest.param(
            "Windows-RSS-Platform/2.0 (MSIE 9.0; Windows NT 6.1)",
            False,
            BOT,
            True,
            id="ie-feed-platform",
        ),
        pytest.param(
            "Mozilla/5.0 (Linux; Android 9; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko)"
            " Chrome/120.0.0.0 Mobile Safari/537.36",
            False,
            OK,
            False,
            id="cubot-phone-is-no-bot",
        ),
    ],
)
def test_clients_that_look_like_ie_or_bots(
    user_agent: str, gated: bool, reason: Reason, is_bot: bool
) -> None:
    """Phones that fake MSIE pass; HTTP clients with MSIE are bots; a Cubot phone is not a bot."""
    verdict = check(user_agent)
    assert (verdict.gated, verdict.reason, verdict.client.is_bot) == (gated, reason, is_bot)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; Talboté)",
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; AbbotÃ©)",
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; Robot²)",
    ],
)
def test_bot_needs_a_word_edge_in_any_script(user_agent: str) -> None:
    """'bot' followed by a letter or digit of any script is not a bot token: IE stays gated."""
    verdict = check(user_agent)
    assert verdict.gated
    assert not verdict.client.is_bot
