"""Which organisation a signed-in person is acting for, and the MFA requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from safepath.accounts.selectors import current_membership
from safepath.core.navigation import navigation_for

SESSION_KEY = "safepath_membership_id"


class CurrentMembershipMiddleware:
    """Sets `request.membership` (and `request.user.current_membership`) for every request.

    A user with several memberships chooses one (stored in the session); roles and
    scopes everywhere come from that one membership only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = current_membership(request.user, request.session.get(SESSION_KEY))
            request.user.current_membership = membership  # type: ignore[union-attr]
        request.membership = membership  # type: ignore[attr-defined]
        request.navigation = navigation_for(request)  # type: ignore[attr-defined]
        return self.get_response(request)


def mfa_exempt(user: object) -> bool:
    return bool(settings.DEMO_SKIP_MFA and getattr(user, "is_demo", False))


class RequireMFAMiddleware:
    """Every staff account must set up MFA before it can do anything else."""

    ALLOWED_PREFIXES = ("/account/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not mfa_exempt(user)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not _has_mfa(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_mfa(user: object) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)
