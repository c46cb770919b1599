"""Reads for referral intake: a referrer's own referrals, and the lists the forms offer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safepath.core.models import VocabularyTerm
from safepath.referrals.choices import COMPLEX_NEEDS, Channel
from safepath.referrals.models import Referral, ReferralStatusChange


def referrals_made_by(user: Any) -> QuerySet[Referral]:
    """Referrals this person made while acting for their current organisation. Nothing else:
    not a colleague's, not the ones they made for another organisation (ADR 0003)."""
    membership = getattr(user, "current_membership", None)
    if membership is None or not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    return Referral.objects.filter(referrer=user, referring_organisation=membership.organisation)


def own_referral_list(user: Any) -> QuerySet[Referral]:
    """Only what a referrer may see in their list: reference, date and status."""
    return referrals_made_by(user).only("pk", "reference", "received_at", "status").order_by("-received_at", "-pk")


def status_history(referral: Referral) -> list[ReferralStatusChange]:
    return list(referral.status_changes.only("pk", "to_status", "at").order_by("at", "pk"))


def last_source_for(user: Any) -> str:
    """The source this referrer chose last time, offered again (one less question)."""
    found = (
        referrals_made_by(user)
        .filter(channel=Channel.PROFESSIONAL)
        .order_by("-received_at", "-pk")
        .values_list("source", flat=True)
        .first()
    )
    return found or ""


def complex_needs_choices() -> list[tuple[str, str]]:
    terms = VocabularyTerm.objects.filter(vocabulary=COMPLEX_NEEDS, is_active=True).order_by("order", "label")
    return list(terms.values_list("code", "label"))
