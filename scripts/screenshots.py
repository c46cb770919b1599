"""Take the README screenshots from a running demo (`./scripts/demo --port 8765` first).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(f"{BASE}/account/login/")
        page.screenshot(path=OUT / "sign-in.png")
        page.fill("#id_login", "administrator@demo.safepath.test")
        page.fill("#id_password", "safepath-demo-not-for-real-use")
        page.click("button[type=submit]")
        page.goto(f"{BASE}/")
        page.screenshot(path=OUT / "home-administrator.png")
        page.goto(f"{BASE}/admin/audit/")
        page.screenshot(path=OUT / "audit-log.png")
        browser.close()


if __name__ == "__main__":
    main()
