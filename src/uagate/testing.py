"""Real User-Agent strings for tests, named for the client that sends them.

Use them in your own tests with Starlette's ``TestClient`` or httpx::

    from uagate.testing import IE11, CHROME

    assert client.get("/", headers={"User-Agent": IE11}).status_code == 406
    assert client.get("/", headers={"User-Agent": CHROME}).status_code == 200

``CHROME``, ``FIREFOX``, ``EDGE`` and ``SAFARI`` (and their mobile kin) are
current browsers, well above the minimums of :meth:`uagate.Policy.modern`, so
that they stay passed under a stricter policy of your own. The constants named
for a version (``CHROME_120``, ``FIREFOX_121``, ``EDGE_120``, ``SAFARI_17_2``)
are exactly at those minimums, for testing where your policy draws its line.

``GATED`` and ``PASSED`` list the constants the default policy gates and passes.
"""

from __future__ import annotations

__all__ = [
    "BINGBOT",
    "CHROME",
    "CHROME_120",
    "CHROME_ANDROID",
    "EDGE",
    "EDGE_120",
    "EDGE_LEGACY",
    "FIREFOX",
    "FIREFOX_121",
    "GATED",
    "GOOGLEBOT",
    "IE6",
    "IE7",
    "IE8",
    "IE9",
    "IE10",
    "IE11",
    "IE11_COMPATIBILITY_VIEW",
    "IE_MAC",
    "IE_MOBILE",
    "IE_MOBILE_LIKE_IPHONE",
    "OPERA_AS_MSIE",
    "OUTLOOK",
    "PASSED",
    "SAFARI",
    "SAFARI_17_2",
    "SAFARI_IPHONE",
    "XBOX_IE",
]

#: Internet Explorer 6 on Windows XP.
IE6 = "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)"
#: Internet Explorer 7 on Windows Vista.
IE7 = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)"
#: Internet Explorer 8 on Windows 7.
IE8 = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)"
#: Internet Explorer 9 on Windows 7.
IE9 = "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)"
#: Internet Explorer 10 on Windows 8.
IE10 = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)"
#: Internet Explorer 11 on Windows 10: no ``MSIE`` token at all.
IE11 = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"
#: Internet Explorer 11 in compatibility view: it says ``MSIE 7.0``, its engine says 11.
IE11_COMPATIBILITY_VIEW = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E)"
)
#: Internet Explorer 5.2 for Mac.
IE_MAC = "Mozilla/4.0 (compatible; MSIE 5.23; Mac_PowerPC)"
#: IE Mobile 10 on Windows Phone 8.
IE_MOBILE = (
    "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; "
    "ARM; Touch; NOKIA; Lumia 920)"
)
#: IE Mobile 11 on Windows Phone 8.1, which says ``like iPhone`` and ``Android``.
IE_MOBILE_LIKE_IPHONE = (
    "Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; "
    "IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 "
    "(KHTML, like Gecko) Mobile Safari/537"
)
#: Internet Explorer 10 on the Xbox One.
XBOX_IE = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Xbox; Xbox One)"
#: Outlook 2016 rendering mail with Trident (gated unless Trident apps are allowed).
OUTLOOK = (
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/8.0; .NET4.0C; "
    ".NET4.0E; Microsoft Outlook 16.0.6366; ms-office; MSOffice 16)"
)
#: EdgeHTML Edge 18 on Windows 10 (passes: the page itself recommends Edge).
EDGE_LEGACY = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763"
)
#: Chromium Edge 131 on Windows 10 (November 2024).
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)
#: Chromium Edge 120 on Windows 10: exactly the minimum of ``Policy.modern()``.
EDGE_120 = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91"
)
#: Chrome 131 on Windows 10 (November 2024).
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
#: Chrome 120 on Windows 10: exactly the minimum of ``Policy.modern()``.
CHROME_120 = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
#: Chrome 131 on Android.
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
#: Firefox 133 on Windows 10 (November 2024).
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
#: Firefox 121 on Windows 10: exactly the minimum of ``Policy.modern()``.
FIREFOX_121 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
#: Safari 18.2 on macOS (December 2024).
SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.2 Safari/605.1.15"
)
#: Safari 17.2 on macOS: exactly the minimum of ``Policy.modern()``.
SAFARI_17_2 = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15"
)
#: Safari 18.2 on iPhone (iOS 18.2).
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1"
)
#: Opera 8.5, which puts a fake ``MSIE 6.0`` in its string (passes).
OPERA_AS_MSIE = "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; en) Opera 8.50"
#: Googlebot (smartphone).
GOOGLEBOT = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
#: Bing's page preview fetcher, which presents itself as IE 11 (passes: bots are exempt).
BINGBOT = "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0; BingPreview/1.0b) like Gecko"

#: The constants the default policy gates (``Policy.modern()`` gates them too).
GATED: tuple[str, ...] = (
    IE6,
    IE7,
    IE8,
    IE9,
    IE10,
    IE11,
    IE11_COMPATIBILITY_VIEW,
    IE_MAC,
    IE_MOBILE,
    IE_MOBILE_LIKE_IPHONE,
    XBOX_IE,
    OUTLOOK,
)
#: The constants the default policy passes (``Policy.modern()`` gates ``EDGE_LEGACY``).
PASSED: tuple[str, ...] = (
    EDGE_LEGACY,
    EDGE,
    EDGE_120,
    CHROME,
    CHROME_120,
    CHROME_ANDROID,
    FIREFOX,
    FIREFOX_121,
    SAFARI,
    SAFARI_17_2,
    SAFARI_IPHONE,
    OPERA_AS_MSIE,
    GOOGLEBOT,
    BINGBOT,
)
