"""Sign-in auditing. Signals are used only here: Django and allauth announce
sign-in events this way and there is no service of ours to call instead."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from safepath.core.audit import Action, audit_event, audit_failed_sign_in


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event(action=Action.SIGN_IN, request=request, user_id=user.pk)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event(action=Action.SIGN_OUT, request=request, user_id=user.pk)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_failed_sign_in(request=request, email=str(credentials.get("email") or credentials.get("username") or ""))
