from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safepath.core.audit import audit_failed_sign_in


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators only: nobody can sign up.

    Also audits sign-ins refused by the lockout (allauth refuses them before
    Django's failed-login signal would fire) and words messages calmly.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "This account is locked for 15 minutes after too many attempts. Wait, then try again, or reset your password."
        ),
        "email_password_mismatch": _("The email address or password is not correct."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            audit_failed_sign_in(request=request, email=str(credentials.get("email") or ""), reason="account locked")
            raise
