"""Reads for people: scoped access and known-person candidates."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from safepath.cases.models import Case
from safepath.core.roles import OrganisationType, Role
from safepath.people.matching import Identity, Match, blocking_keys, rank
from safepath.people.models import Person, PersonKey
from safepath.referrals.models import WorkItem

HUB_ROLES = {Role.TRIAGE_WORKER, Role.TEAM_MANAGER}
WORKER_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


def people_for(user: object) -> QuerySet[Person]:
    """People the user may see: hub staff see everyone referred to their hub; providers see
    people routed to their organisation. Everyone else sees nobody (deny by default)."""
    membership = getattr(user, "current_membership", None)
    if membership is None:
        return Person.objects.none()
    org = membership.organisation
    if org.type == OrganisationType.HUB and membership.role in HUB_ROLES:
        return Person.objects.filter(Q(referrals__hub=org) | Q(merged_from__referrals__hub=org)).distinct()
    if org.type == OrganisationType.PROVIDER and membership.role in WORKER_ROLES:
        routed = WorkItem.objects.filter(provider=org, referral__person=OuterRef("pk"))
        cased = Case.objects.filter(provider=org, person=OuterRef("pk"))
        return Person.objects.filter(Exists(routed) | Exists(cased))
    if org.type == OrganisationType.PROVIDER and membership.role == Role.VOLUNTEER:
        # Volunteers reach only the people they are currently assigned to.
        assigned = Case.objects.filter(
            provider=org,
            person=OuterRef("pk"),
            volunteer_assignments__volunteer=user,
            volunteer_assignments__ended_on__isnull=True,
        )
        return Person.objects.filter(Exists(assigned))
    return Person.objects.none()


def match_candidates(identity: Identity, *, limit: int = 5, exclude: int | None = None) -> list[tuple[Person, Match]]:
    """Known people who may be this identity, best first, with the reasons.

    One indexed query on the blocking keys, one to load the candidates, one for their
    other names; scoring is in Python over that small set.
    """
    keys = blocking_keys(identity)
    if not keys:
        return []
    # Two plain indexed lookups: as one IN (subquery), PostgreSQL without fresh statistics
    # sometimes scans every person for each referral.
    ids = set(PersonKey.objects.filter(key__in=keys).values_list("person_id", flat=True))
    if not ids:
        return []
    candidates = (
        Person.objects.filter(pk__in=ids, merged_into__isnull=True, kind="victim")
        .exclude(pk=exclude)
        .prefetch_related("other_names")
    )
    people = {p.pk: p for p in candidates}
    ranked = rank(identity, [(pk, p.identity()) for pk, p in people.items()], limit=limit)
    return [(people[pk], match) for pk, match in ranked]  # type: ignore[index]
