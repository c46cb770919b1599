"""Scoped reads for drop-in visits and venues: a provider's caseworkers and team managers reach
their own organisation's, nobody else any (views answer 404 outside these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.dropins.models import OUTCOMES, Venue, Visit, Visitor

WORKER_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


def referral_outcome() -> str:
    """The outcome code that means "referral made to the hub" (configurable; reported on its own)."""
    return getattr(settings, "SAFEPATH_DROPIN_REFERRAL_OUTCOME", "referral_to_hub")


def provider_id_of(user: object) -> int | None:
    """The provider the user records drop-in visits for, or None."""
    membership = getattr(user, "current_membership", None)
    if membership is None or membership.role not in WORKER_ROLES:  # type: ignore[attr-defined]
        return None
    if membership.organisation.type != OrganisationType.PROVIDER:  # type: ignore[attr-defined]
        return None
    return membership.organisation_id  # type: ignore[attr-defined]


def venues_for(user: object) -> QuerySet[Venue]:
    provider = provider_id_of(user)
    if provider is None:
        return Venue.objects.none()
    return Venue.objects.filter(provider_id=provider).select_related("area")


def visits_for(user: object) -> QuerySet[Visit]:
    provider = provider_id_of(user)
    if provider is None:
        return Visit.objects.none()
    return Visit.objects.filter(provider_id=provider)


def outcome_choices() -> list[tuple[str, str]]:
    """The outcomes a visit may record now (retired terms are not offered)."""
    terms = VocabularyTerm.objects.filter(vocabulary=OUTCOMES, is_active=True).order_by("order", "label")
    return list(terms.values_list("code", "label"))


def outcome_terms() -> list[tuple[str, str]]:
    """Every outcome term, retired ones too (old visits still count under them)."""
    terms = VocabularyTerm.objects.filter(vocabulary=OUTCOMES).order_by("order", "label")
    return list(terms.values_list("code", "label"))


def with_outcome(code: str) -> Q:
    """Visits recording `code` among their outcomes. A JSON list holding the code has it, quoted,
    in its text (portable across SQLite and PostgreSQL; codes are slugs, so no false matches)."""
    return Q(outcomes__icontains=f'"{code}"')


@dataclass
class MonthRow:
    month: date
    by_venue: dict[int, int] = field(default_factory=dict)
    new: int = 0
    returning: int = 0
    referrals: int = 0

    @property
    def total(self) -> int:
        return self.new + self.returning


def visits_by_month_and_venue(visits: QuerySet[Visit], first: date, last: date) -> list[MonthRow]:
    """Visits from `first` to `last` by calendar month and venue, with new, returning and
    referrals made: one aggregate query, every month included (months with none show 0)."""
    rows = (
        visits.filter(on__gte=first, on__lte=last)
        .annotate(month=TruncMonth("on"))
        .values("month", "venue")
        .annotate(
            new=Count("pk", filter=Q(visitor=Visitor.NEW)),
            returning=Count("pk", filter=Q(visitor=Visitor.RETURNING)),
            referrals=Count("pk", filter=with_outcome(referral_outcome())),
        )
        .order_by()
    )
    months: dict[date, MonthRow] = {}
    day = first.replace(day=1)
    while day <= last:
        months[day] = MonthRow(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    for r in rows:
        month = r["month"]
        month = month.date() if hasattr(month, "date") else month
        row = months[month]
        row.by_venue[r["venue"]] = r["new"] + r["returning"]
        row.new += r["new"]
        row.returning += r["returning"]
        row.referrals += r["referrals"]
    return list(months.values())
