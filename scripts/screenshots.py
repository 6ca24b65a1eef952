"""Photograph the gate page for the docs, as Internet Explorer 11 sees it.

docs/gate-page.png, gate-phone.png, gate-rtl.png, gate-phone-he.png and
gate-phone-zh-hant.png. Run from a checkout with ``.venv/bin/python
scripts/screenshots.py``. It starts the demo app with uvicorn on a free port
of 127.0.0.1, opens it in Debian's chromium (``chromium`` on PATH) as Internet
Explorer 11, saves the screenshots and stops the server. Requests to any other
host are refused.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Route, ViewportSize, sync_playwright

from uagate.testing import IE11

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 667}
#: name: (viewport, locale)
SHOTS: dict[str, tuple[ViewportSize, str]] = {
    "gate-page.png": (DESKTOP, "en-US"),
    "gate-phone.png": (PHONE, "en-US"),
    "gate-rtl.png": (DESKTOP, "ar"),
    "gate-phone-he.png": (PHONE, "he"),
    "gate-phone-zh-hant.png": (PHONE, "zh-TW"),
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(server: subprocess.Popen[bytes], url: str) -> None:
    """Wait until ``url`` answers, at most about 15 seconds."""
    for _ in range(150):
        try:
            with urllib.request.urlopen(url, timeout=1.0):
                return
        except (urllib.error.URLError, OSError):
            if server.poll() is not None:
                sys.exit(f"the demo server exited with status {server.returncode}")
            time.sleep(0.1)
    sys.exit(f"the demo server did not answer at {url} within 15 seconds")


def keep_local(route: Route) -> None:
    """Let requests to 127.0.0.1 through; refuse the rest."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def shoot(browser: Browser, url: str, path: Path, viewport: ViewportSize, locale: str) -> None:
    """Save a screenshot of ``url`` as IE 11 sees it (no Sec-CH-UA naming Chromium)."""
    context = browser.new_context(user_agent=IE11, locale=locale, viewport=viewport)
    try:
        context.set_default_timeout(10_000)
        context.route("**/*", keep_local)
        page = context.new_page()
        # Playwright's user_agent alone still sends Sec-CH-UA naming Chromium, which
        # the gate trusts; an override without userAgentMetadata sends no hints, like IE.
        session = context.new_cdp_session(page)
        session.send("Emulation.setUserAgentOverride", {"userAgent": IE11})
        response = page.goto(url)
        if response is None or response.status != 406:
            sys.exit(f"expected the gate page (406) at {url}, got {response and response.status}")
        page.screenshot(path=path)
    finally:
        context.close()


def main() -> None:
    """Start the demo, take the screenshots, stop the demo."""
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not on PATH (Debian: apt-get install chromium)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "uagate.demo:app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    DOCS.mkdir(exist_ok=True)
    with subprocess.Popen(command, cwd=ROOT) as server:
        try:
            wait_until_up(server, url + "/health")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    args=[
                        "--no-sandbox",
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                        "--dns-prefetch-disable",
                    ],
                    timeout=15_000,
                )
                try:
                    for name, (viewport, locale) in SHOTS.items():
                        path = DOCS / name
                        shoot(browser, url + "/", path, viewport, locale)
                        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
