"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so the tests use /usr/bin/chromium
(`apt-get install chromium`). Without it, or without the built GOV.UK assets, the
browser tests are skipped with a message saying what is missing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SAFEPATH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILT_CSS = Path(__file__).resolve().parents[2] / "safepath" / "core" / "static" / "govuk" / "safepath.css"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret safepath.testing gives every test user

# Pages and `expect` assertions wait at most this long for anything (milliseconds).
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last: while Playwright runs, the test thread has an event loop
    (see `browser`), which must not leak into the other tests."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: install it with `apt-get install chromium`")
    if not BUILT_CSS.exists():
        pytest.skip(
            f"browser tests need the built GOV.UK assets ({BUILT_CSS} is missing): run `npm ci && npm run build`"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an event loop running in the test thread from start()
    # to stop(); Django's ORM would refuse to run there (SynchronousOnlyOperation).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test. `page.console_errors` lists console errors."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # The browser asks for /favicon.ico by itself; a 404 there is not the page's fault.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location.get('url', '')})")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    new_page.console_errors = errors
    try:
        yield new_page
    finally:
        context.close()


def axe_check(page: Any) -> None:
    """Run axe-core on the page as it is now; fail listing every violation readably."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        pytest.fail(f"axe found accessibility violations on {page.url}\n{_axe_report(results.response)}", pytrace=False)


def _axe_report(response: dict[str, Any]) -> str:
    lines = []
    for violation in response["violations"]:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}: {node['html'].strip()[:200]}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def totp_code(secret: str = TOTP_SECRET, *, margin: float = 3.0) -> str:
    """The current TOTP code for a base32 secret, computed by allauth's own helper.

    allauth accepts only the current period's code (MFA_TOTP_TOLERANCE is 0), so when
    the period ends within `margin` seconds this waits for the next one: a code typed
    just before the boundary would be refused just after it.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(page: Any, email: str) -> None:
    """Sign a staff member in with their password and a code from their authenticator."""
    from playwright.sync_api import expect

    from safepath.testing import PASSWORD

    page.goto("/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").first.click()
    page.fill("#id_code", totp_code())
    page.locator("form:has(#id_code) [type=submit]").first.click()
    expect(page.locator("h1")).to_be_visible()
