"""Scoped reads for programmes, volunteers and perpetrator interventions.

Every view reaches a record through one of the `*_for(user)` functions here (404 outside
them). Programmes belong to a provider: its caseworkers and managers see them; anyone else
none. Enrolments and volunteer assignments are reached through cases.selectors.cases_for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from safepath.accounts.models import Organisation, User
from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.selectors import WORKER_ROLES, cases_for
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.people.choices import PersonKind
from safepath.people.models import Person, Relationship
from safepath.programmes.choices import (
    PERPETRATOR_OUTCOMES,
    PERPETRATOR_PATHWAY,
    PLACE_TAKING,
    SPENDING_STATUSES,
    EnrolmentStatus,
)
from safepath.programmes.models import (
    Cohort,
    Enrolment,
    PerpetratorOrder,
    Programme,
    ProgrammeSession,
    VolunteerSession,
)

RECENT_SESSIONS = 10  # a volunteer's past sessions shown per person


def _provider_worker_org(user: object) -> int | None:
    """The provider the user works at as a caseworker or manager, else None (deny by default)."""
    membership = getattr(user, "current_membership", None)
    if membership is None or membership.role not in WORKER_ROLES:
        return None
    if membership.organisation.type != OrganisationType.PROVIDER:
        return None
    return membership.organisation_id  # type: ignore[no-any-return]


# --- group programmes ---------------------------------------------------------------------


def programmes_for(user: object) -> QuerySet[Programme]:
    org = _provider_worker_org(user)
    if org is None:
        return Programme.objects.none()
    return Programme.objects.filter(provider_id=org)


def programme_list(user: object) -> QuerySet[Programme]:
    """The user's programmes with how many cohorts each has (one query per page)."""
    return programmes_for(user).select_related("pathway").annotate(cohort_count=Count("cohorts")).order_by("name", "id")


def cohorts_for(user: object) -> QuerySet[Cohort]:
    org = _provider_worker_org(user)
    if org is None:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme__provider_id=org)


def cohorts_with_counts(programme: Programme) -> QuerySet[Cohort]:
    places = Q(enrolments__status__in=PLACE_TAKING)
    return programme.cohorts.annotate(
        taken=Count("enrolments", filter=places, distinct=True),
        completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True),
        session_count=Count("sessions", distinct=True),
    ).order_by("-starts_on", "name", "id")


def sessions_for(user: object) -> QuerySet[ProgrammeSession]:
    org = _provider_worker_org(user)
    if org is None:
        return ProgrammeSession.objects.none()
    return ProgrammeSession.objects.filter(cohort__programme__provider_id=org)


def enrolments_for(user: object) -> QuerySet[Enrolment]:
    """Enrolments in the user's programmes, of cases the user may open."""
    org = _provider_worker_org(user)
    if org is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(cohort__programme__provider_id=org, case__in=cases_for(user))


def cohort_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """A cohort's enrolments with the person's name and how many sessions they attended."""
    return (
        cohort.enrolments.select_related("case__person")
        .annotate(attended=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("case__person__first_name", "case__person__last_name", "id")
    )


def register(cohort: Cohort) -> QuerySet[Enrolment]:
    """Who is on a session's attendance register: everyone holding a place."""
    return cohort_enrolments(cohort).filter(status__in=PLACE_TAKING)


def session_marks(session: ProgrammeSession) -> dict[int, tuple[bool, str]]:
    """enrolment id → (attended, note) already recorded for the session."""
    return {a.enrolment_id: (a.attended, a.note) for a in session.attendance.all()}


def enrollable_cases(
    user: object, programme: Programme, cohort: Cohort, *, include_taken: bool = False
) -> QuerySet[Case]:
    """Open cases at the programme's provider the user may open, on the programme's pathway
    when it has one, and (unless `include_taken`) not already holding a place in the cohort."""
    cases = cases_for(user).open().filter(provider_id=programme.provider_id)
    if programme.pathway_id:
        cases = cases.filter(pathway_id=programme.pathway_id)
    if not include_taken:
        cases = cases.exclude(pk__in=cohort.enrolments.filter(status__in=PLACE_TAKING).values("case_id"))
    return cases.select_related("person").order_by("person__first_name", "person__last_name", "id")


def facilitator_choices(provider_id: int) -> QuerySet[User]:
    """Active staff and volunteers at the provider who may run a group."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=provider_id,
            memberships__is_active=True,
            memberships__role__in=[Role.CASEWORKER, Role.TEAM_MANAGER, Role.VOLUNTEER],
        )
        .distinct()
        .order_by("full_name")
    )


# --- a case's groups and volunteers -------------------------------------------------------


def case_enrolments(case: Case) -> list[Enrolment]:
    attendance = Prefetch("attendance", queryset=_attendance_in_order())
    return list(
        case.enrolments.select_related("cohort__programme")
        .prefetch_related(attendance)
        .annotate(session_count=Count("cohort__sessions", distinct=True))
        .order_by("-enrolled_at")
    )


def _attendance_in_order() -> QuerySet:
    from safepath.programmes.models import Attendance

    return Attendance.objects.select_related("session").order_by("session__number")


def case_assignments(case: Case) -> list[VolunteerAssignment]:
    """The case's volunteer assignments (current first) with their sessions, newest first."""
    sessions = Prefetch("sessions", queryset=VolunteerSession.objects.order_by("-at", "-id"))
    return list(
        case.volunteer_assignments.select_related("volunteer")
        .prefetch_related(sessions)
        .order_by("ended_on", "-started_on", "-id")
    )


def assignments_for(user: object) -> QuerySet[VolunteerAssignment]:
    """Assignments on cases the user, a caseworker or manager, may open."""
    if _provider_worker_org(user) is None:
        return VolunteerAssignment.objects.none()
    return VolunteerAssignment.objects.filter(case__in=cases_for(user))


def volunteer_choices(provider_id: int) -> QuerySet[User]:
    """Active volunteers at the provider."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=provider_id,
            memberships__is_active=True,
            memberships__role=Role.VOLUNTEER,
        )
        .distinct()
        .order_by("full_name")
    )


def volunteer_people(assignments: QuerySet[VolunteerAssignment], volunteer: object) -> QuerySet[VolunteerAssignment]:
    """A volunteer's current assignments with only what their page needs: the person (first
    name and safe contact), the key worker and the volunteer's own recent sessions."""
    recent = VolunteerSession.objects.filter(recorded_by=volunteer).order_by("-at", "-id")
    return (
        assignments.select_related("case__person__safe_contact", "case__key_worker")
        .prefetch_related(Prefetch("sessions", queryset=recent[:RECENT_SESSIONS], to_attr="recent_sessions"))
        .order_by("case__person__first_name", "id")
    )


# --- perpetrator interventions ------------------------------------------------------------


def orders_for(user: object) -> QuerySet[PerpetratorOrder]:
    """Orders the user's organisation delivers or placed (caseworkers and managers only)."""
    org = _provider_worker_org(user)
    if org is None:
        return PerpetratorOrder.objects.none()
    return PerpetratorOrder.objects.filter(Q(provider_id=org) | Q(ordering_organisation_id=org))


def order_list(user: object) -> QuerySet[PerpetratorOrder]:
    """Only what the list shows: never the victim's case or person (see views_orders)."""
    return orders_for(user).select_related("person", "provider", "ordering_organisation")


def case_orders(case: Case) -> list[PerpetratorOrder]:
    """Orders placed from the victim's case (shown on that case, to its provider's workers)."""
    return list(case.perpetrator_orders.select_related("person", "provider").order_by("-ordered_on", "-id"))


def harm_people_for(case: Case) -> QuerySet[Person]:
    """The people causing harm recorded against the case's person (people.Relationship)."""
    linked = Relationship.objects.filter(victim_id=case.person_id, kind=Relationship.Kind.PERSON_CAUSING_HARM).values(
        "other_id"
    )
    return Person.objects.filter(pk__in=linked, kind=PersonKind.PERSON_CAUSING_HARM, merged_into__isnull=True).order_by(
        "first_name", "last_name"
    )


def delivering_providers() -> QuerySet[Organisation]:
    """Active providers on the perpetrator pathway."""
    return Organisation.objects.filter(
        type=OrganisationType.PROVIDER, is_active=True, pathways__code=PERPETRATOR_PATHWAY, pathways__is_active=True
    ).distinct()


def outcome_terms(*, active_only: bool = True) -> list[VocabularyTerm]:
    terms = VocabularyTerm.objects.filter(vocabulary=PERPETRATOR_OUTCOMES)
    return list(terms.filter(is_active=True) if active_only else terms)


def outcome_labels() -> dict[str, str]:
    return {t.code: t.label for t in outcome_terms(active_only=False)}


# --- spend for commissioning --------------------------------------------------------------


@dataclass(frozen=True)
class SpendRow:
    provider_id: int
    provider: str
    period: date  # the first day of the month the orders were placed in
    orders: int
    units: int
    total: Decimal


def spend_totals(orders: Iterable[tuple[int, str, date, int, Decimal]]) -> list[SpendRow]:
    """Sum (provider id, provider name, ordered on, units, unit cost) rows into one row per
    delivering provider and month, in exact pounds and pence. Pure: no database."""
    sums: dict[tuple[int, date], list] = defaultdict(lambda: ["", 0, 0, Decimal("0.00")])
    for provider_id, name, ordered_on, units, unit_cost in orders:
        row = sums[(provider_id, ordered_on.replace(day=1))]
        row[0] = name
        row[1] += 1
        row[2] += units
        row[3] += Decimal(units) * Decimal(unit_cost)
    rows = [
        SpendRow(pid, v[0], period, v[1], v[2], v[3].quantize(Decimal("0.01"))) for (pid, period), v in sums.items()
    ]
    return sorted(rows, key=lambda r: (r.provider.lower(), r.provider_id, r.period))


def perpetrator_spend(organisation: Organisation | int | None, start: date, end: date) -> list[SpendRow]:
    """Money committed to perpetrator interventions ordered from `start` to `end` inclusive,
    by delivering provider and month. Orders count from acceptance (requested and declined
    orders cost nothing). `organisation`: only orders it placed or delivers; None: all."""
    orders = PerpetratorOrder.objects.filter(status__in=SPENDING_STATUSES, ordered_on__gte=start, ordered_on__lte=end)
    if organisation is not None:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        orders = orders.filter(Q(provider_id=org_id) | Q(ordering_organisation_id=org_id))
    return spend_totals(orders.values_list("provider_id", "provider__name", "ordered_on", "units", "unit_cost"))


def spend_by_provider(rows: list[SpendRow]) -> dict[int, Decimal]:
    """Each delivering provider's total over every period."""
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row in rows:
        totals[row.provider_id] += row.total
    return dict(totals)
