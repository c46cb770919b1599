from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safepath.core.audit import Action, audit_event


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
            email = str(credentials.get("email") or "")
            user = get_user_model().objects.filter(email__iexact=email).only("pk").first() if email else None
            audit_event(
                action=Action.SIGN_IN_FAILED,
                request=request,
                user_id=user.pk if user else None,
                object_type="accounts.user" if user else "",
                object_id=user.pk if user else "",
                reason="account locked",
            )
            raise
