"""Reads for the person record pages: the person, their referrals, risk history and merges,
all reached through the user's scope (people.selectors.people_for)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from safepath.areas.models import Area
from safepath.core.roles import OrganisationType
from safepath.people.matching import Match
from safepath.people.models import Person, PersonMerge, PersonName, Relationship
from safepath.people.selectors import HUB_ROLES, WORKER_ROLES, match_candidates, people_for
from safepath.referrals.models import Referral
from safepath.risk.models import Instrument, RiskAssessment, ThresholdSet
from safepath.risk.selectors import current_instrument

DEFAULT_INSTRUMENT = "dash-adult"


def person_records_for(user: object) -> QuerySet[Person]:
    """People the user may open: those in their scope, and records merged into one of those
    (so a merged record still says where it went). Two levels cover a kept record merged again."""
    visible = people_for(user).values("pk")
    return Person.objects.filter(
        Q(pk__in=visible) | Q(merged_into__in=visible) | Q(merged_into__merged_into__in=visible)
    ).select_related("area", "merged_into", "safe_contact")


def person_pages_for(user: object) -> QuerySet[Person]:
    """person_records_for with what the person page shows, in a fixed number of queries."""
    relationships = Relationship.objects.select_related("other", "other__child_details").order_by(
        "kind", "other__first_name", "pk"
    )
    return person_records_for(user).prefetch_related(
        Prefetch("other_names", queryset=PersonName.objects.order_by("pk")),
        Prefetch("relationships", queryset=relationships),
    )


def person_referrals_for(user: object, person: Person) -> QuerySet[Referral]:
    """The person's referrals the user may see: their hub's, or those routed to their organisation."""
    membership = getattr(user, "current_membership", None)
    referrals = Referral.objects.filter(person=person).order_by("-received_at", "-pk")
    if membership is None:
        return referrals.none()
    org = membership.organisation
    if org.type == OrganisationType.HUB and membership.role in HUB_ROLES:
        return referrals.filter(hub=org)
    if org.type == OrganisationType.PROVIDER and membership.role in WORKER_ROLES:
        return referrals.filter(pk__in=Referral.objects.filter(work_items__provider=org).values("pk"))
    return referrals.none()


def risk_history(person: Person) -> QuerySet[RiskAssessment]:
    """Every assessment of the person, newest first, with what the page shows about each."""
    return RiskAssessment.objects.filter(person=person).select_related("instrument", "assessed_by", "thresholds")


def merges_of(person: Person) -> QuerySet[PersonMerge]:
    """Merges into this record (which can be undone from its page), newest first."""
    return PersonMerge.objects.filter(kept=person).select_related("merged").order_by("-at", "-pk")


def merges_for(user: object) -> QuerySet[PersonMerge]:
    """Merges whose kept record the user may open."""
    return PersonMerge.objects.filter(kept__in=people_for(user).values("pk")).select_related("kept", "merged")


def merge_candidates_for(user: object, person: Person, *, limit: int = 10) -> list[tuple[Person, Match]]:
    """Known-person candidates for a merge, limited to records the user may see. Merged records
    are never offered (match_candidates leaves them out)."""
    # Ask for more than shown: some of the best may be outside the user's scope.
    candidates = match_candidates(person.identity(), exclude=person.pk, limit=limit * 3)
    visible = set(people_for(user).filter(pk__in=[p.pk for p, _ in candidates]).values_list("pk", flat=True))
    return [(p, m) for p, m in candidates if p.pk in visible][:limit]


def undone_merge_partners(person: Person) -> set[int]:
    """People this record was merged with before, where the merge was undone."""
    pairs = PersonMerge.objects.filter(Q(kept=person) | Q(merged=person), undone_at__isnull=False)
    return {pk for pair in pairs.values_list("kept_id", "merged_id") for pk in pair} - {person.pk}


def instrument_for(person: Person, on: date) -> tuple[Instrument | None, bool]:
    """The checklist to use for the person's age: the newest active version of each instrument whose
    age range fits, the narrowest range first. Falls back to the adult checklist (True) when none fits."""
    age = person.age_on(on)
    fitting = [i for i in _latest_instruments(on) if _fits(i, age)]
    if age is None:
        fitting.sort(key=lambda i: i.code != DEFAULT_INSTRUMENT)
    else:
        fitting.sort(key=lambda i: (i.max_age is None, (i.max_age or 200) - (i.min_age or 0)))
    if fitting:
        return fitting[0], False
    return current_instrument(DEFAULT_INSTRUMENT), True


def _latest_instruments(on: date) -> list[Instrument]:
    latest: dict[str, Instrument] = {}
    instruments = Instrument.objects.filter(is_active=True, effective_from__lte=on).order_by("code", "-version")
    for instrument in instruments.prefetch_related("indicators"):
        latest.setdefault(instrument.code, instrument)
    return list(latest.values())


def _fits(instrument: Instrument, age: int | None) -> bool:
    if age is None:
        return True
    return (instrument.min_age is None or age >= instrument.min_age) and (
        instrument.max_age is None or age <= instrument.max_age
    )


def active_areas() -> QuerySet[Area]:
    return Area.objects.filter(is_active=True).order_by("name")


def threshold_sets() -> QuerySet[ThresholdSet]:
    """Every rule set, default first then by area, newest first within each."""
    return ThresholdSet.objects.select_related("area").order_by(
        F("area__name").asc(nulls_first=True), "-effective_from"
    )


def thresholds_in_force(on: date) -> set[int]:
    """Ids of the set in force on `on` for each area (and the default)."""
    in_force: dict[Any, int] = {}
    for ts in ThresholdSet.objects.filter(effective_from__lte=on).order_by("-effective_from").values("pk", "area_id"):
        in_force.setdefault(ts["area_id"], ts["pk"])
    return set(in_force.values())
