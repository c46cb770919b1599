"""Reads for waiting lists, caseloads, the team view, the case overview, teams and pathway
settings. Every case read starts from selectors.cases_for (the user's scope); staff are the
people with a membership at the user's own provider. Lists aggregate in the database so a
page costs the same number of queries however much data there is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from safepath.accounts.models import Membership, User
from safepath.cases.choices import OPEN_STATUSES, CaseStatus
from safepath.cases.models import Case, CaseStatusChange, PathwaySettings, Team
from safepath.cases.selectors import WORKER_ROLES, cases_for, settings_for
from safepath.cases.services import CLOSURE_REASONS, same_person_ids
from safepath.cases.services_config import TEAM_ROLES
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType
from safepath.referrals.choices import RiskLevel
from safepath.referrals.models import Pathway

THROUGHPUT_DAYS = 90
# Allocations straight back to a previous key worker never waited, so they say nothing about the list.
FAST_TRACK_REASON = "rereferral_fast_track"
CASELOAD_STATUSES = (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.STEPPING_DOWN)

RISK_RANK = SqlCase(
    When(risk_level=RiskLevel.HIGH, then=Value(0)),
    When(risk_level=RiskLevel.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def provider_id(user: object) -> int | None:
    """The provider the user acts for as a caseworker or team manager, else None."""
    membership = getattr(user, "current_membership", None)
    if membership is None or membership.role not in WORKER_ROLES:  # type: ignore[attr-defined]
        return None
    if membership.organisation.type != OrganisationType.PROVIDER:  # type: ignore[attr-defined]
        return None
    return membership.organisation_id  # type: ignore[attr-defined,no-any-return]


# --- configuration -----------------------------------------------------------------------


def all_settings() -> dict[int, PathwaySettings]:
    """Every pathway's settings by pathway id (a handful of rows)."""
    return {s.pathway_id: s for s in PathwaySettings.objects.all()}


def pathways_with_settings() -> list[tuple[Pathway, PathwaySettings]]:
    """Every pathway with its settings (defaults saved for a pathway that has none yet)."""
    pathways = list(Pathway.objects.all())
    found = all_settings()
    return [(p, found.get(p.pk) or settings_for(p)) for p in pathways]


def pathway_for_settings(pk: int) -> Pathway:
    return Pathway.objects.get(pk=pk)


def closure_reasons() -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(vocabulary=CLOSURE_REASONS, is_active=True).order_by("order", "label"))


def closure_labels() -> dict[str, str]:
    """Code → label, retired reasons included (old closures keep their meaning)."""
    return dict(VocabularyTerm.objects.filter(vocabulary=CLOSURE_REASONS).values_list("code", "label"))


# --- staff ---------------------------------------------------------------------------------


def _staff_membership(org_id: int, roles: set[str]) -> Exists:
    return Exists(
        Membership.objects.filter(user=OuterRef("pk"), organisation_id=org_id, role__in=roles, is_active=True)
    )


def allocatable_staff(user: object) -> QuerySet[User]:
    """Who a case at the user's provider can be allocated to: its active caseworkers and managers."""
    org_id = provider_id(user)
    if org_id is None:
        return User.objects.none()
    return User.objects.filter(_staff_membership(org_id, WORKER_ROLES), is_active=True).order_by("full_name", "pk")


def team_staff(user: object) -> QuerySet[User]:
    """Who may be put in one of the provider's teams: its active caseworkers, managers and volunteers."""
    org_id = provider_id(user)
    if org_id is None:
        return User.objects.none()
    return User.objects.filter(_staff_membership(org_id, TEAM_ROLES), is_active=True).order_by("full_name", "pk")


def team_workers(user: object) -> QuerySet[User]:
    """The team view's people: the provider's active caseworkers and managers, and anyone who
    still holds open cases there (someone who left: their cases need a new key worker).
    `works_here` says which."""
    org_id = provider_id(user)
    if org_id is None:
        return User.objects.none()
    # Per-user EXISTS probes on (key_worker, status), not IN over every open case of the provider.
    holds = Exists(cases_for(user).filter(key_worker=OuterRef("pk"), status__in=OPEN_STATUSES))
    works_here = _staff_membership(org_id, WORKER_ROLES)
    return (
        User.objects.annotate(works_here=works_here)
        .filter(Q(works_here=True, is_active=True) | Q(holds))
        .order_by("full_name", "pk")
    )


def worker_in_scope(user: object) -> QuerySet[User]:
    """Workers whose caseload a manager may open: anyone who has been a caseworker or manager at
    the provider, or holds a case there. Anyone else is outside the manager's organisation (404)."""
    org_id = provider_id(user)
    if org_id is None:
        return User.objects.none()
    member = Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id=org_id, role__in=WORKER_ROLES))
    holders = cases_for(user).filter(key_worker__isnull=False).values("key_worker_id")
    return User.objects.filter(Q(member) | Q(pk__in=holders))


@dataclass
class Load:
    """A worker's open cases, in all and per pathway."""

    open: int = 0
    high: int = 0
    overdue_reviews: int = 0
    by_pathway: dict[int, int] = field(default_factory=dict)


def loads(user: object, worker_ids: list[int], today: date) -> dict[int, Load]:
    """Open-case counts per worker (one grouped query over the provider's cases)."""
    rows = (
        cases_for(user)
        .filter(key_worker_id__in=worker_ids, status__in=CASELOAD_STATUSES)
        .values("key_worker_id", "pathway_id")
        .annotate(
            n=Count("id"),
            high=Count("id", filter=Q(risk_level=RiskLevel.HIGH)),
            overdue=Count("id", filter=Q(review_due_on__lt=today)),
        )
        .order_by()
    )
    found: dict[int, Load] = defaultdict(Load)
    for row in rows:
        load = found[row["key_worker_id"]]
        load.open += row["n"]
        load.high += row["high"]
        load.overdue_reviews += row["overdue"]
        load.by_pathway[row["pathway_id"]] = row["n"]
    return found


def pathways_by_id(ids: set[int]) -> dict[int, Pathway]:
    return {p.pk: p for p in Pathway.objects.filter(pk__in=ids)}


# --- waiting lists -------------------------------------------------------------------------


@dataclass
class WaitingSummary:
    pathway: Pathway
    waiting: int
    rereferrals: int
    oldest: Any  # datetime | None
    allocations: int  # from the waiting list in the last THROUGHPUT_DAYS days


def waiting_summaries(user: object) -> list[WaitingSummary]:
    """One row per pathway the provider delivers (or has people waiting on): how many wait,
    since when, and how many were allocated from the list recently (three queries)."""
    org_id = provider_id(user)
    if org_id is None:
        return []
    counts = {
        row["pathway_id"]: row
        for row in cases_for(user)
        .filter(status=CaseStatus.WAITING)
        .values("pathway_id")
        .annotate(n=Count("id"), rereferrals=Count("id", filter=Q(is_rereferral=True)), oldest=Min("waiting_since"))
        .order_by()
    }
    since = timezone.now() - timedelta(days=THROUGHPUT_DAYS)
    allocated = dict(
        CaseStatusChange.objects.filter(
            case__provider_id=org_id, from_status=CaseStatus.WAITING, to_status=CaseStatus.ALLOCATED, at__gte=since
        )
        .exclude(reason_code=FAST_TRACK_REASON)
        .values("case__pathway_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("case__pathway_id", "n")
    )
    pathways = Pathway.objects.filter(Q(providers__id=org_id, is_active=True) | Q(pk__in=counts.keys())).distinct()
    return [
        WaitingSummary(
            pathway=p,
            waiting=counts.get(p.pk, {}).get("n", 0),
            rereferrals=counts.get(p.pk, {}).get("rereferrals", 0),
            oldest=counts.get(p.pk, {}).get("oldest"),
            allocations=allocated.get(p.pk, 0),
        )
        for p in pathways
    ]


def waiting_cases(user: object, pathway_id: int) -> QuerySet[Case]:
    """The pathway's waiting list at the user's provider in priority order: re-referrals first,
    then high, medium and standard risk, then the longest waiting."""
    return (
        cases_for(user)
        .filter(status=CaseStatus.WAITING, pathway_id=pathway_id)
        .select_related("person")
        .annotate(risk_rank=RISK_RANK)
        .order_by("-is_rereferral", "risk_rank", "waiting_since", "id")
    )


# --- caseloads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadFilters:
    pathway_id: int | None = None
    risk_level: str = ""
    status: str = ""
    attention: str = ""  # "", overdue, step_down, no_contact
    sort: str = "urgent"


NO_CONTACT_DAYS = 28

SORTS = ("urgent", "next_action", "review_due", "risk", "last_contact", "support_ends", "name")


def caseload_order(sort: str, today: date) -> list[Any]:
    """Sort orders for a caseload; "urgent" puts overdue reviews first, then the next action due."""
    orders: dict[str, list[Any]] = {
        "urgent": [
            SqlCase(When(review_due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()),
            F("next_action_on").asc(nulls_last=True),
            "risk_rank",
            "id",
        ],
        "next_action": [F("next_action_on").asc(nulls_last=True), "risk_rank", "id"],
        "review_due": [F("review_due_on").asc(nulls_last=True), "risk_rank", "id"],
        "risk": ["risk_rank", F("next_action_on").asc(nulls_last=True), "id"],
        "last_contact": [F("last_contact_at").asc(nulls_first=True), "risk_rank", "id"],
        "support_ends": [F("support_ends_on").asc(nulls_last=True), "risk_rank", "id"],
        "name": ["person__last_name", "person__first_name", "id"],
    }
    return orders.get(sort, orders["urgent"])


def step_down_due_q(today: date, settings: dict[int, PathwaySettings]) -> Q:
    """Open cases, not yet stepping down, whose support ends within their pathway's prompt days."""
    due = Q(pk__in=[])
    for pathway_id, s in settings.items():
        due |= Q(pathway_id=pathway_id, support_ends_on__lte=today + timedelta(days=s.step_down_prompt_days))
    default_days = PathwaySettings._meta.get_field("step_down_prompt_days").default
    due |= ~Q(pathway_id__in=list(settings)) & Q(support_ends_on__lte=today + timedelta(days=default_days))
    return due & Q(status__in=(CaseStatus.ALLOCATED, CaseStatus.ACTIVE))


def caseload(
    user: object, worker: User, filters: CaseloadFilters, *, today: date, settings: dict[int, PathwaySettings]
) -> QuerySet[Case]:
    """A worker's open cases at the user's provider, filtered and sorted."""
    cases = (
        cases_for(user)
        .filter(key_worker=worker, status__in=CASELOAD_STATUSES)
        .select_related("person", "pathway")
        .annotate(risk_rank=RISK_RANK)
    )
    if filters.pathway_id:
        cases = cases.filter(pathway_id=filters.pathway_id)
    if filters.risk_level:
        cases = cases.filter(risk_level=filters.risk_level)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.attention == "overdue":
        cases = cases.filter(Q(review_due_on__lt=today) | Q(next_action_on__lt=today))
    elif filters.attention == "step_down":
        cases = cases.filter(step_down_due_q(today, settings))
    elif filters.attention == "no_contact":
        cutoff = timezone.now() - timedelta(days=NO_CONTACT_DAYS)
        cases = cases.filter(Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True))
    return cases.order_by(*caseload_order(filters.sort, today))


def caseload_pathways(user: object, worker: User) -> list[Pathway]:
    """The pathways the worker holds open cases on here (for the filter)."""
    ids = cases_for(user).filter(key_worker=worker, status__in=CASELOAD_STATUSES).values("pathway_id")
    return list(Pathway.objects.filter(pk__in=ids))


# --- one case ------------------------------------------------------------------------------


def status_history(case: Case) -> list[CaseStatusChange]:
    return list(case.status_changes.select_related("by").order_by("at", "id"))


def previous_case(user: object, case: Case) -> tuple[Case | None, bool]:
    """The closed case this re-referral follows, and whether the user may open it."""
    if case.previous_case_id is None:
        return None, False
    previous = Case.objects.select_related("pathway", "provider").filter(pk=case.previous_case_id).first()
    if previous is None:
        return None, False
    return previous, cases_for(user).filter(pk=previous.pk).exists()


def other_open_cases(user: object, case: Case) -> list[Case]:
    """The person's other open cases at this provider (only those the user may see)."""
    return list(
        cases_for(user)
        .filter(person_id__in=same_person_ids(case.person), provider_id=case.provider_id, status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .select_related("pathway", "key_worker")
        .order_by("opened_at", "id")
    )


# --- teams ---------------------------------------------------------------------------------


def provider_teams(user: object) -> QuerySet[Team]:
    """The user's provider's teams, stopped ones too, with their members."""
    org_id = provider_id(user)
    if org_id is None:
        return Team.objects.none()
    members = Prefetch("members", queryset=User.objects.order_by("full_name", "pk"))
    return Team.objects.filter(organisation_id=org_id).prefetch_related(members).order_by("-is_active", "name")


def active_teams(user: object) -> QuerySet[Team]:
    org_id = provider_id(user)
    if org_id is None:
        return Team.objects.none()
    return Team.objects.filter(organisation_id=org_id, is_active=True).order_by("name")


def team_member_choices(user: object, team: Team) -> QuerySet[User]:
    """Who the team form lists: current staff, and current members who have left (to remove them)."""
    staff = team_staff(user).values("pk")
    return User.objects.filter(Q(pk__in=staff) | Q(teams=team)).distinct().order_by("full_name", "pk")


def waiting_count(user: object) -> int:
    return cases_for(user).filter(status=CaseStatus.WAITING).count()
