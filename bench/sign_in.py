"""Sign-in: POST email and password to allauth's login view.

Passwords are hashed with Argon2 on purpose (settings.PASSWORD_HASHERS), so most
of this time is the hash; ``password_verify`` reports that cost on its own. The
demo accounts have a TOTP authenticator, so a correct password answers 302 to
the MFA code page: only 302 responses count as successes. The test Client does
not enforce CSRF, so no login page is fetched first.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bench._harness import demo_staff, summary_ms
from safepath.demo.scenarios import DEMO_PASSWORD

WARMUP = 3
HASH_SAMPLES = 20


def run(n: int) -> dict:
    staff = demo_staff()
    url = reverse("account_login")
    # allauth counts attempts per address in the cache (e.g. 60 sign-ins a minute);
    # clear it between attempts, outside the timed part, so the limit is not what is measured.
    clear_cache = bool(getattr(settings, "ACCOUNT_RATE_LIMITS", None))
    client = Client()
    timings: list[float] = []
    statuses: dict[str, int] = {}
    redirects: dict[str, int] = {}
    for attempt in range(WARMUP + n):
        account = staff[attempt % len(staff)]
        if clear_cache:
            cache.clear()
        start = time.perf_counter()
        response = client.post(url, {"login": account.email, "password": DEMO_PASSWORD})
        elapsed = time.perf_counter() - start
        client.logout()
        if attempt < WARMUP:
            continue
        timings.append(elapsed)
        code = str(response.status_code)
        statuses[code] = statuses.get(code, 0) + 1
        if response.status_code == 302:
            redirects[response["Location"]] = redirects.get(response["Location"], 0) + 1
    successes = statuses.get("302", 0)

    encoded = staff[0].user.password
    hash_timings = []
    for _ in range(HASH_SAMPLES):
        start = time.perf_counter()
        check_password(DEMO_PASSWORD, encoded)
        hash_timings.append(time.perf_counter() - start)

    return {
        "url": url,
        "warmup_requests": WARMUP,
        "accounts": len(staff),
        "successes": successes,
        "failures": n - successes,
        "status_codes": statuses,
        "redirects": redirects,
        "rate_limit_cache_cleared": clear_cache,
        "sign_in": summary_ms(timings),
        "password_hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "password_verify": summary_ms(hash_timings),
    }
