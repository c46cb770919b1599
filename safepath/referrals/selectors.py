"""Reads for triage, routing and providers' work items. Views reach records only through these.

Each `*_for_*` selector returns nothing for anyone outside its role and organisation
(deny by default), so `get_scoped_or_404` turns everything else into a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import Person
from safepath.people.selectors import match_candidates, people_for
from safepath.referrals import sla
from safepath.referrals.choices import DECLINE_REASONS, OPEN_STATUSES, RiskLevel
from safepath.referrals.models import (
    ContactAttempt,
    Pathway,
    Referral,
    ReferralStatusChange,
    RoutingRule,
    TriageSla,
    WorkItem,
)

HUB_ROLES = frozenset({Role.TRIAGE_WORKER, Role.TEAM_MANAGER})
PROVIDER_ROLES = frozenset({Role.CASEWORKER, Role.TEAM_MANAGER})
RISK_RANK = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.STANDARD: 1}
# Used when a council has removed a level's SLA row: the common local protocol.
DEFAULT_SLA_DAYS = 2

# The queue shows only what a triage worker needs to pick the next referral.
QUEUE_FIELDS = (
    "id",
    "reference",
    "received_at",
    "risk_level",
    "marac_criteria",
    "is_marac_case",
    "is_repeat",
    "match_status",
    "status",
    "assigned_to__id",
    "assigned_to__full_name",
    "person__id",
    "person__first_name",
    "person__last_name",
)


def _membership(user: object) -> Any:
    return getattr(user, "current_membership", None)


def hub_of(user: object) -> Organisation | None:
    """The hub the user works for, when acting as hub staff; else None."""
    membership = _membership(user)
    if membership and membership.role in HUB_ROLES and membership.organisation.type == OrganisationType.HUB:
        return membership.organisation
    return None


def _provider_of(user: object) -> Organisation | None:
    membership = _membership(user)
    if membership and membership.role in PROVIDER_ROLES and membership.organisation.type == OrganisationType.PROVIDER:
        return membership.organisation
    return None


def referrals_for_hub(user: object) -> QuerySet[Referral]:
    """Referrals made to the hub the user works for, when acting as hub staff; else none."""
    hub = hub_of(user)
    if hub is None:
        return Referral.objects.none()
    return Referral.objects.filter(hub=hub)


def work_items_for(user: object) -> QuerySet[WorkItem]:
    """Work items offered to the provider the user works for, when acting as provider staff; else none."""
    provider = _provider_of(user)
    if provider is None:
        return WorkItem.objects.none()
    return WorkItem.objects.filter(provider=provider).select_related("pathway", "referral")


def work_items_inbox(user: object) -> QuerySet[WorkItem]:
    """The provider's inbox: offered items first, then the newest."""
    waiting_first = Case(
        When(status=WorkItem.Status.OFFERED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        work_items_for(user)
        .select_related("referral")
        .only(
            "id",
            "status",
            "created_at",
            "pathway__name",
            "referral__reference",
            "referral__risk_level",
            "referral__received_at",
        )
        .order_by(waiting_first, "-created_at", "-pk")
    )


def work_item_for_detail(user: object) -> QuerySet[WorkItem]:
    return work_items_for(user).select_related(
        "referral__person__safe_contact", "referral__referring_organisation", "referral__area", "provider"
    )


# --- the triage queue -------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    risk_level: str = ""
    overdue_only: bool = False
    mine: bool = False


def triage_slas() -> dict[str, int]:
    """Working days allowed per risk level (one query)."""
    configured = dict(TriageSla.objects.values_list("risk_level", "working_days"))
    return {level: configured.get(level, DEFAULT_SLA_DAYS) for level in RiskLevel.values}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def overdue_condition(slas: dict[str, int], today: date, holidays: frozenset[date]) -> Q:
    """Open referrals past their SLA, as a filter the database can use (an index on received_at)."""
    condition = Q(pk__in=[])
    for level, days in slas.items():
        cutoff = sla.overdue_before(today, days, holidays)
        condition |= Q(risk_level=level, received_at__lt=_start_of(cutoff))
    return condition


def triage_queue(user: object, filters: QueueFilters, *, slas: dict[str, int], today: date) -> QuerySet[Referral]:
    """Open referrals at the user's hub: unassigned first, then highest risk, then oldest."""
    referrals = referrals_for_hub(user).filter(status__in=OPEN_STATUSES)
    if filters.risk_level:
        referrals = referrals.filter(risk_level=filters.risk_level)
    if filters.mine:
        referrals = referrals.filter(assigned_to=user)
    if filters.overdue_only:
        referrals = referrals.filter(overdue_condition(slas, today, sla.england_and_wales_holidays()))
    return (
        referrals.select_related("assigned_to", "person")
        .only(*QUEUE_FIELDS)
        .annotate(
            unassigned_first=Case(
                When(assigned_to__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            risk_rank=Case(
                *[When(risk_level=level, then=Value(rank)) for level, rank in RISK_RANK.items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("unassigned_first", "-risk_rank", "received_at", "pk")
    )


# --- one referral -----------------------------------------------------------------------


def referral_for_triage(user: object) -> QuerySet[Referral]:
    """The referral with what its page shows, joined in one query (use with get_scoped_or_404)."""
    return referrals_for_hub(user).select_related(
        "person", "person__safe_contact", "assigned_to", "referring_organisation", "area", "perpetrator"
    )


def status_history(referral: Referral) -> list[ReferralStatusChange]:
    return list(referral.status_changes.select_related("by").order_by("at", "id"))


def contact_attempts(referral: Referral) -> list[ContactAttempt]:
    return list(referral.contact_attempts.select_related("by").order_by("at", "id"))


def referral_work_items(referral: Referral) -> list[WorkItem]:
    return list(referral.work_items.select_related("pathway", "provider").order_by("pathway__order", "pk"))


def decline_reasons() -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(vocabulary=DECLINE_REASONS, is_active=True).order_by("order", "label"))


def vocabulary_map(vocabulary: str) -> dict[str, str]:
    """Code → label for a configurable list, retired terms included (old records keep their meaning)."""
    return dict(VocabularyTerm.objects.filter(vocabulary=vocabulary).values_list("code", "label"))


def vocabulary_labels(vocabulary: str, codes: list[str]) -> list[str]:
    if not codes:
        return []
    labels = vocabulary_map(vocabulary)
    return [labels.get(code, code) for code in codes]


def known_person_candidates(user: object, referral: Referral, *, limit: int = 5) -> list[tuple[Person, Any]]:
    """People who may be the referral's person, best first with reasons, among people the user
    may see (people referred to their hub): another service's records are never shown."""
    ranked = match_candidates(referral.person.identity(), limit=limit, exclude=referral.person_id)
    if not ranked:
        return []
    visible = set(people_for(user).filter(pk__in=[p.pk for p, _ in ranked]).values_list("pk", flat=True))
    return [(person, match) for person, match in ranked if person.pk in visible]


# --- routing --------------------------------------------------------------------------


def routing_conditions(referral: Referral) -> set[str]:
    """Which RoutingRule conditions the referral meets."""
    met = {f"risk_{referral.risk_level}"}
    if referral.is_marac_case:
        met.add(RoutingRule.Condition.MARAC)
    if (referral.children_in_household or 0) > 0:
        met.add(RoutingRule.Condition.CHILDREN)
    if referral.accommodation_needed:
        met.add(RoutingRule.Condition.ACCOMMODATION)
    if referral.complex_needs:
        met.add(RoutingRule.Condition.COMPLEX_NEEDS)
    return met


@dataclass
class Proposal:
    pathway: Pathway
    prompts: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def active_pathways() -> list[Pathway]:
    """Pathways with their active providers (two queries)."""
    from django.db.models import Prefetch

    providers = Organisation.objects.filter(type=OrganisationType.PROVIDER, is_active=True).order_by("name")
    return list(Pathway.objects.filter(is_active=True).prefetch_related(Prefetch("providers", queryset=providers)))


def routing_proposals(referral: Referral) -> list[Proposal]:
    """The pathways the active rules propose for this referral, each with its prompts, in pathway order."""
    met = routing_conditions(referral)
    rules = RoutingRule.objects.filter(is_active=True, pathway__is_active=True, condition__in=met).select_related(
        "pathway"
    )
    proposals: dict[int, Proposal] = {}
    for rule in sorted(rules, key=lambda r: (r.pathway.order, r.pathway.name, r.pk)):
        proposal = proposals.setdefault(rule.pathway_id, Proposal(pathway=rule.pathway))
        proposal.reasons.append(str(rule.get_condition_display()))
        if rule.prompt and rule.prompt not in proposal.prompts:
            proposal.prompts.append(rule.prompt)
    return list(proposals.values())
