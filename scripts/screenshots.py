"""Take the README screenshots from a running demo (`./scripts/demo --port 8765` first).

Usage:
  .venv/bin/python scripts/screenshots.py [BASE_URL]                    # sign-in, admin home, audit log
  .venv/bin/python scripts/screenshots.py --scenario NAME [BASE_URL]    # a scenario's own pages

With --scenario, the demo at BASE_URL must hold that scenario: the script takes the commissioner's
home page (which introduces the scenario) and the pages the introduction points to, as
docs/screenshots/<scenario>-<page>.png. Pages a role cannot open are skipped with a message.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PASSWORD = "safepath-demo-not-for-real-use"  # noqa: S105 - the demo's published password

# Per scenario: (account's role, path, name of the picture[, text of a link to follow first]).
SCENARIO_PAGES = {
    "medway": [
        ("commissioner", "/", "home-commissioner"),
        ("commissioner", "/reporting/", "performance"),
        ("marac-coordinator", "/marac/", "marac-meetings"),
        ("commissioner", "/reporting/#performance", "performance-targets"),
        ("commissioner", "/reporting/#coverage_map", "coverage-map"),
        ("team-manager", "/drop-ins/", "drop-ins"),
    ],
    "leicestershire": [
        ("commissioner", "/", "home-commissioner"),
        ("commissioner", "/commissioning/funding/flow/", "funding-flow"),
        ("team-manager", "/accommodation/vacancies/", "vacancies"),
    ],
    "dorset": [
        ("commissioner", "/", "home-commissioner"),
        ("commissioner", "/reporting/", "performance"),
    ],
    "rotherham": [
        ("commissioner", "/", "home-commissioner"),
        ("team-manager", "/cases/waiting/", "waiting-lists"),
    ],
    "prevention-review": [
        ("commissioner", "/", "home-commissioner"),
        ("commissioner", "/commissioning/budgets/", "budgets", "Review of preventative services"),
    ],
}


def sign_in(page, base: str, role: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/login/")
    page.fill("#id_login", f"{role}@demo.safepath.test")
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_login) button[type=submit]")


def basics(page, base: str) -> None:
    page.goto(f"{base}/account/login/")
    page.screenshot(path=OUT / "sign-in.png")
    sign_in(page, base, "administrator")
    page.goto(f"{base}/")
    page.screenshot(path=OUT / "home-administrator.png")
    page.goto(f"{base}/admin/audit/")
    page.screenshot(path=OUT / "audit-log.png")


def scenario(page, base: str, name: str) -> None:
    current = None
    for role, path, picture, *follow in SCENARIO_PAGES[name]:
        if role != current:
            sign_in(page, base, role)
            current = role
        path, _, anchor = path.partition("#")  # an anchor: the part of the page to show
        response = page.goto(f"{base}{path}")
        if response is None or response.status != 200:
            print(f"skipped {path} for {role}: {response.status if response else 'no response'}", file=sys.stderr)
            continue
        if follow:
            page.get_by_role("link", name=follow[0]).first.click()
        if anchor:
            page.evaluate(f"document.getElementById({anchor!r}).scrollIntoView()")
        elif picture != "home-commissioner":  # past the header, to the page's own content
            page.evaluate("document.querySelector('main h1, main').scrollIntoView()")
        page.screenshot(path=OUT / f"{name}-{picture}.png", full_page=False)


def main(argv: list[str]) -> None:
    name = None
    if argv[:1] == ["--scenario"]:
        name, argv = argv[1], argv[2:]
    base = argv[0] if argv else "http://127.0.0.1:8765"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        if name:
            page.set_viewport_size({"width": 1100, "height": 1000})
            scenario(page, base, name)
        else:
            basics(page, base)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
