"""Records for the programmes tests and URL table: cases at a provider, programmes and cohorts,
volunteers and perpetrator orders. Bulk helpers skip the services, for query-count tests."""

from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.services import case_open_from_work_item, new_case_reference
from safepath.people.models import Person, Relationship, SafeContact
from safepath.people.services_records import person_causing_harm_add
from safepath.people.tests.url_table_people import refer, route
from safepath.programmes import services, services_orders
from safepath.programmes.models import Cohort, PerpetratorOrder, Programme
from safepath.referrals.models import Pathway


def token() -> str:
    return uuid.uuid4().hex


def open_case(
    hub: Organisation, provider: Organisation, first: str, last: str, pathway: str = "group-programme"
) -> Case:
    """A waiting case at `provider` for a newly referred person."""
    return case_open_from_work_item(request=None, item=route(refer(hub, first, last), provider, pathway))


def make_programme(
    provider: Organisation,
    name: str = "Freedom Programme",
    sessions: int = 4,
    needed: int = 3,
    pathway: str | None = None,
) -> Programme:
    return services.programme_create(
        request=None,
        provider=provider,
        token=token(),
        name=name,
        sessions_planned=sessions,
        sessions_to_complete=needed,
        pathway=Pathway.objects.get(code=pathway) if pathway else None,
    )


def make_cohort(
    programme: Programme, starts_on: date = date(2025, 1, 7), capacity: int = 12, name: str = "Tuesdays"
) -> Cohort:
    return services.cohort_create(
        request=None,
        programme=programme,
        token=token(),
        name=name,
        starts_on=starts_on,
        first_session_at=time(18, 30),
        venue="Community centre, west side",
        capacity=capacity,
    )


def harm_person(case: Case, first: str = "Gareth", last: str = "Vane") -> Person:
    return person_causing_harm_add(
        request=None,
        victim=case.person,
        token=token(),
        first_name=first,
        last_name=last,
        relationship="ex_partner",
        date_of_birth=date(1980, 2, 3),
    )


def make_delivering(provider: Organisation) -> Organisation:
    Pathway.objects.get(code="perpetrator").providers.add(provider)
    return provider


def make_order(
    case: Case, provider: Organisation, person: Person | None = None, by: User | None = None, **values: Any
) -> PerpetratorOrder:
    fields = {"unit_description": "one session", "unit_cost": Decimal("85.50"), "units": 10} | values
    return services_orders.perpetrator_order_create(
        request=None,
        case=case,
        person=person or harm_person(case),
        provider=make_delivering(provider),
        token=token(),
        **fields,
    )


def assign(case: Case, volunteer: User) -> VolunteerAssignment:
    return services.volunteer_assign(request=None, case=case, volunteer=volunteer)


# --- bulk, for query counts -------------------------------------------------------------------


def bulk_people(count: int, prefix: str = "Bulk", **fields: Any) -> list[Person]:
    people = Person.objects.bulk_create(
        [Person(first_name=f"{prefix}{n}", last_name="Person", **fields) for n in range(count)]
    )
    SafeContact.objects.bulk_create([SafeContact(person=p, phone_safe=True) for p in people])
    return people


def bulk_cases(
    provider: Organisation, count: int, pathway: str = "group-programme", key_worker: User | None = None
) -> list[Case]:
    now = timezone.now()
    pathway_obj = Pathway.objects.get(code=pathway)
    return Case.objects.bulk_create(
        [
            Case(
                reference=new_case_reference(),
                person=person,
                pathway=pathway_obj,
                provider=provider,
                risk_level="standard",
                status="allocated" if key_worker else "waiting",
                key_worker=key_worker,
                opened_at=now,
                waiting_since=now,
            )
            for person in bulk_people(count)
        ]
    )


def bulk_harm_people(case: Case, count: int) -> list[Person]:
    people = bulk_people(count, prefix="Harm", kind="person_causing_harm")
    Relationship.objects.bulk_create(
        [Relationship(victim=case.person, other=p, kind="person_causing_harm") for p in people]
    )
    return people
