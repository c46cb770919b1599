"""Reads for casework. Everything here hangs off a case the view already reached through
cases.selectors.cases_for (404 outside it), or is scoped by cases_for itself.

The consortium is defined here, plainly: a provider's consortium is the provider itself and
every active provider organisation that serves an area in the same council area. An area
and the localities under it (Area.parent) count as one council area. A provider that serves
no area has no partners: everyone else is outside its consortium.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.cases.models import Case
from safepath.cases.selectors import WORKER_ROLES, cases_for
from safepath.casework.models import (
    CONTACT_TYPES,
    FULL_CASE,
    SHARING_SCOPES,
    CaseNote,
    Consent,
    Contact,
    SafetyPlan,
    SafetyPlanAction,
    SharingRecord,
    Task,
)
from safepath.casework.sharing import ConsentFacts
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType

# --- configuration -------------------------------------------------------------------------


def vocabulary_choices(vocabulary: str) -> list[tuple[str, str]]:
    """Active terms of a vocabulary, in order, for a form."""
    terms = VocabularyTerm.objects.filter(vocabulary=vocabulary, is_active=True).order_by("order", "label")
    return [(t.code, t.label) for t in terms]


def vocabulary_labels(vocabulary: str) -> dict[str, str]:
    """Every term's label, retired ones too, so old records still read in words."""
    return dict(VocabularyTerm.objects.filter(vocabulary=vocabulary).values_list("code", "label"))


def contact_types() -> list[tuple[str, str]]:
    return vocabulary_choices(CONTACT_TYPES)


def sharing_scopes() -> list[tuple[str, str]]:
    return vocabulary_choices(SHARING_SCOPES)


def scope_terms(codes: list[str]) -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(vocabulary=SHARING_SCOPES, code__in=codes, is_active=True))


# --- the consortium and who may be chosen --------------------------------------------------


def consortium_of(provider_id: int) -> frozenset[int]:
    """The provider and the active providers serving an area in the same council area."""
    councils = {
        parent or pk for pk, parent in Area.objects.filter(organisations=provider_id).values_list("id", "parent_id")
    }
    if not councils:
        return frozenset({provider_id})
    partners = (
        Organisation.objects.filter(type=OrganisationType.PROVIDER, is_active=True)
        .filter(Q(areas__in=councils) | Q(areas__parent__in=councils))
        .values_list("id", flat=True)
        .distinct()
    )
    return frozenset(partners) | {provider_id}


def recipient_organisations(provider_id: int) -> QuerySet[Organisation]:
    """Organisations information may go to: active, not the provider itself and never a
    commissioner (commissioners see no one's record)."""
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(type=OrganisationType.COMMISSIONER)
        .exclude(pk=provider_id)
        .order_by("name")
    )


def provider_staff(provider_id: int) -> QuerySet[User]:
    """Who a task can be assigned to: the provider's active caseworkers and team managers."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=provider_id,
            memberships__role__in=WORKER_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


# --- one case's records --------------------------------------------------------------------


def contacts_of(case: Case) -> QuerySet[Contact]:
    return Contact.objects.filter(case=case).select_related("by").order_by("-at", "-id")


def notes_of(case: Case) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case=case).select_related("author").order_by("-at", "-id")


def _consortium_consent_in_force(case_ref: object, day: date) -> QuerySet[Consent]:
    return Consent.objects.filter(
        case=case_ref, recipient=Consent.Recipient.CONSORTIUM, given_on__lte=day, scopes__code=FULL_CASE
    ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def partner_shared_notes(case: Case, *, day: date | None = None) -> QuerySet[CaseNote]:
    """Notes that consortium partners working with the same person marked shared, while the
    person's consent to share the full case with the consortium is in force on their case."""
    day = day or timezone.localdate()
    partners = consortium_of(case.provider_id) - {case.provider_id}
    if not partners:
        return CaseNote.objects.none()
    return (
        CaseNote.objects.filter(shared=True, case__person_id=case.person_id, case__provider_id__in=partners)
        .filter(Exists(_consortium_consent_in_force(OuterRef("case"), day)))
        .select_related("author", "case__provider", "case__pathway")
        .order_by("-at", "-id")
    )


def consortium_consent_in_force(case: Case, day: date) -> bool:
    return _consortium_consent_in_force(case, day).exists()


def current_plan(case: Case) -> SafetyPlan | None:
    return (
        SafetyPlan.objects.filter(case=case, is_current=True)
        .select_related("created_by")
        .prefetch_related("actions")
        .first()
    )


def plan_history(case: Case) -> QuerySet[SafetyPlan]:
    """Earlier versions, newest first, each with its actions."""
    return (
        SafetyPlan.objects.filter(case=case, is_current=False)
        .select_related("created_by")
        .prefetch_related(Prefetch("actions", queryset=SafetyPlanAction.objects.order_by("position", "id")))
        .order_by("-number")
    )


def tasks_of(case: Case) -> QuerySet[Task]:
    """Open tasks first, soonest due first; then done tasks, most recently done first."""
    return (
        Task.objects.filter(case=case)
        .select_related("assigned_to", "done_by")
        .order_by(F("done_at").desc(nulls_first=True), "due_on", "id")
    )


def consents_of(case: Case) -> QuerySet[Consent]:
    return Consent.objects.filter(case=case).select_related("organisation", "recorded_by").prefetch_related("scopes")


def consent_facts(case: Case) -> list[ConsentFacts]:
    """The case's consents as plain facts for the sharing rules (two queries)."""
    return [
        ConsentFacts(
            id=c.pk,
            recipient=c.recipient,
            organisation_id=c.organisation_id,
            agency_name=c.agency_name,
            scopes=frozenset(term.code for term in c.scopes.all()),
            given_on=c.given_on,
            withdrawn_on=c.withdrawn_on,
        )
        for c in Consent.objects.filter(case=case).prefetch_related("scopes").order_by("-given_on", "-id")
    ]


def sharing_records_of(case: Case) -> QuerySet[SharingRecord]:
    return (
        SharingRecord.objects.filter(case=case)
        .select_related("organisation", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def next_action_due(case: Case) -> date | None:
    """The earliest of: open tasks' due dates, the current safety plan's open actions' due
    dates and its review date."""
    task_due = Task.objects.filter(case=case, done_at__isnull=True).aggregate(d=Min("due_on"))["d"]
    plan = (
        SafetyPlan.objects.filter(case=case, is_current=True)
        .annotate(action_due=Min("actions__due_on", filter=Q(actions__done=False)))
        .values("review_on", "action_due")
        .first()
    )
    dates = [task_due, *(plan.values() if plan else [])]
    found = [d for d in dates if d is not None]
    return min(found) if found else None


# --- scoped beyond one case ----------------------------------------------------------------


def sharing_records_for(user: object) -> QuerySet[SharingRecord]:
    """Sharing records on cases the user may open (404 for anything else)."""
    return SharingRecord.objects.filter(case__in=cases_for(user)).select_related(
        "case", "case__person", "case__pathway", "case__provider", "organisation", "requested_by", "decided_by"
    )


def pending_sharing_requests(user: object) -> QuerySet[SharingRecord]:
    """Requests to share without consent outside the consortium, waiting for a manager: oldest first."""
    return sharing_records_for(user).filter(status=SharingRecord.Status.PENDING).order_by("requested_at", "id")
