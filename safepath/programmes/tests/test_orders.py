"""Perpetrator interventions: ordering from the victim's case, the delivering provider's pages
(never anything about the victim), status and outcome updates, spend for commissioning."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import Person
from safepath.programmes import services_orders as services
from safepath.programmes.models import PerpetratorOrder
from safepath.programmes.selectors import SpendRow, perpetrator_spend, spend_by_provider, spend_totals
from safepath.programmes.tests import factories as f
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def victims_provider():
    return OrganisationFactory(type=OrganisationType.PROVIDER, name="Northgate IDVA Service")


@pytest.fixture
def deliverer():
    return f.make_delivering(OrganisationFactory(type=OrganisationType.PROVIDER, name="Change Project"))


@pytest.fixture
def victim_worker(member, victims_provider):
    return member(Role.CASEWORKER, victims_provider, full_name="Olwen Ordering")


@pytest.fixture
def delivering_worker(member, deliverer):
    return member(Role.CASEWORKER, deliverer)


@pytest.fixture
def delivering_manager(member, deliverer):
    return member(Role.TEAM_MANAGER, deliverer)


@pytest.fixture
def case(hub, victims_provider):
    case = f.open_case(hub, victims_provider, "Gwenllian", "Marchbank", "idva")
    Person.objects.filter(pk=case.person_id).update(address="4 Secret Row", postcode="LE2 7QQ")
    return case


@pytest.fixture
def harm(case):
    return f.harm_person(case, "Dafydd", "Harrower")


@pytest.fixture
def order(case, harm, deliverer, victim_worker):
    return f.make_order(case, deliverer, person=harm)


def order_data(harm, deliverer, **overrides):
    return {
        "token": f.token(),
        "person": harm.pk,
        "provider": deliverer.pk,
        "unit_description": "one session",
        "unit_cost": "85.50",
        "units": "12",
        "ordered_day": "2",
        "ordered_month": "3",
        "ordered_year": "2026",
        "start_day": "",
        "start_month": "",
        "start_year": "",
    } | overrides


def victim_case_url_for(case):
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("programmes:case_support", args=[case.pk])


VICTIM_DETAILS = ("Gwenllian", "Marchbank", "Secret Row", "LE2 7QQ")


def assert_nothing_of_the_victim(html, case):
    for detail in (
        *VICTIM_DETAILS,
        case.reference,
        f"/cases/{case.pk}/",
        victim_case_url_for(case),
        "victim-case-link",
        "Victim&#39;s case",
    ):
        assert detail not in html, detail


# --- ordering -----------------------------------------------------------------------------


def test_it_orders_an_intervention_from_the_victims_case_once(login, victim_worker, case, harm, deliverer):
    client = login(victim_worker)
    html = client.get(f"/programmes/cases/{case.pk}/perpetrator-orders/new/").content.decode()
    assert "Dafydd Harrower, born 3 Feb 1980" in html and "Change Project" in html
    data = order_data(harm, deliverer)
    first = client.post(f"/programmes/cases/{case.pk}/perpetrator-orders/new/", data)
    second = client.post(f"/programmes/cases/{case.pk}/perpetrator-orders/new/", data)
    order = PerpetratorOrder.objects.get()
    assert first["Location"] == second["Location"] == f"/programmes/perpetrator-orders/{order.pk}/"
    assert (order.person, order.provider, order.victim_case, order.ordering_organisation_id) == (
        harm,
        deliverer,
        case,
        case.provider_id,
    )
    assert order.unit_cost == Decimal("85.50") and order.units == 12 and order.status == "requested"
    assert order.ordered_by == victim_worker and order.changes.count() == 1


def test_it_offers_only_the_people_causing_harm_linked_to_the_case(login, victim_worker, hub, case, harm, deliverer):
    other_case = f.open_case(hub, case.provider, "Ceri", "Other", "idva")
    stranger = f.harm_person(other_case, "Emlyn", "Stranger")
    client = login(victim_worker)
    html = client.get(f"/programmes/cases/{case.pk}/perpetrator-orders/new/").content.decode()
    assert "Dafydd" in html and "Emlyn" not in html
    response = client.post(f"/programmes/cases/{case.pk}/perpetrator-orders/new/", order_data(stranger, deliverer))
    assert response.status_code == 200 and "Choose the person causing harm." in response.content.decode()
    assert not PerpetratorOrder.objects.exists()


def test_it_offers_only_providers_on_the_perpetrator_pathway(case, harm):
    not_delivering = OrganisationFactory(type=OrganisationType.PROVIDER)
    with pytest.raises(ValidationError) as error:
        services.perpetrator_order_create(
            request=None,
            case=case,
            person=harm,
            provider=not_delivering,
            token=f.token(),
            unit_description="one session",
            unit_cost=Decimal("10"),
            units=1,
        )
    assert "provider" in error.value.error_dict


def test_it_says_when_no_person_causing_harm_is_recorded(login, victim_worker, case, deliverer):
    html = login(victim_worker).get(f"/programmes/cases/{case.pk}/perpetrator-orders/new/").content.decode()
    assert 'data-testid="no-harm-people"' in html and f"/people/{case.person_id}/people-causing-harm/add/" in html


def test_it_refuses_a_negative_cost_next_to_the_field(login, victim_worker, case, harm, deliverer):
    response = login(victim_worker).post(
        f"/programmes/cases/{case.pk}/perpetrator-orders/new/", order_data(harm, deliverer, unit_cost="-5")
    )
    html = response.content.decode()
    assert "The cost cannot be negative." in html and 'href="#id_unit_cost"' in html


# --- the delivering side never sees the victim --------------------------------------------


def test_it_never_shows_the_delivering_provider_anything_of_the_victim(login, delivering_manager, order, case):
    client = login(delivering_manager)
    pages = [
        "/programmes/perpetrator-orders/",
        f"/programmes/perpetrator-orders/{order.pk}/",
        f"/programmes/perpetrator-orders/{order.pk}/update/",
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "Dafydd" in html and "Harrower" in html
        assert_nothing_of_the_victim(html, case)
    assert "3 Feb 1980" in client.get(pages[1]).content.decode()


def test_it_never_shows_the_victim_after_an_update_either(login, delivering_manager, order, case):
    client = login(delivering_manager)
    order = update(order, "accepted")
    response = client.post(
        f"/programmes/perpetrator-orders/{order.pk}/update/",
        {"version": order.version, "status": "in_progress", "start_day": "1", "start_month": "4", "start_year": "2026"},
        follow=True,
    )
    assert_nothing_of_the_victim(response.content.decode(), case)
    order.refresh_from_db()
    assert order.status == "in_progress" and order.starts_on == date(2026, 4, 1)


def test_it_gives_the_ordering_side_the_link_to_the_victims_case(login, victim_worker, order, case):
    client = login(victim_worker)
    link = f'href="{victim_case_url_for(case)}"'
    detail = client.get(f"/programmes/perpetrator-orders/{order.pk}/").content.decode()
    assert 'data-testid="victim-case-link"' in detail and link in detail
    assert link in client.get("/programmes/perpetrator-orders/").content.decode()
    assert "Update status" not in detail


def test_it_lets_only_the_delivering_provider_update_an_order(login, victim_worker, delivering_worker, order):
    data = {"version": order.version, "status": "accepted"}
    assert login(victim_worker).post(f"/programmes/perpetrator-orders/{order.pk}/update/", data).status_code == 403
    assert login(delivering_worker).post(f"/programmes/perpetrator-orders/{order.pk}/update/", data).status_code == 302
    order.refresh_from_db()
    assert order.status == "accepted"


def test_it_gives_another_provider_and_a_commissioner_404(login, member, order):
    outsider = member(Role.TEAM_MANAGER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(outsider).get(f"/programmes/perpetrator-orders/{order.pk}/").status_code == 404
    commissioner = login(member(Role.COMMISSIONER))
    assert commissioner.get("/programmes/perpetrator-orders/").status_code == 403
    assert commissioner.get(f"/programmes/perpetrator-orders/{order.pk}/").status_code == 404


def test_it_audits_reading_an_order_without_personal_data(login, delivering_manager, order):
    login(delivering_manager).get(f"/programmes/perpetrator-orders/{order.pk}/")
    events = AuditEvent.objects.filter(action="view", object_id__in=[str(order.pk), str(order.person_id)])
    assert {e.object_type for e in events} >= {"programmes.perpetratororder", "people.person"}
    assert not any("Dafydd" in e.reason for e in events)


# --- status and outcome -------------------------------------------------------------------


def update(order, status, **values):
    return services.perpetrator_order_update(request=None, order=order, status=status, version=order.version, **values)


def test_it_moves_an_order_through_its_statuses_with_an_outcome(order):
    order = update(order, "accepted")
    order = update(order, "in_progress", starts_on=date(2026, 4, 1))
    order = update(order, "completed", starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 30), outcome="completed")
    assert order.status == "completed" and order.outcome == "completed" and order.version == 4
    assert [c.to_status for c in order.changes.all()] == ["requested", "accepted", "in_progress", "completed"]


def test_it_refuses_a_move_outside_the_allowed_transitions(order):
    with pytest.raises(ValidationError, match="cannot be changed"):
        update(order, "completed", starts_on=date(2026, 4, 1), ends_on=date(2026, 5, 1), outcome="completed")


def test_it_needs_an_outcome_and_end_date_to_end_early(order):
    order = update(update(order, "accepted"), "in_progress", starts_on=date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        update(order, "ended_early", starts_on=date(2026, 4, 1))
    assert {"outcome", "ends_on"} <= set(error.value.error_dict)
    order = update(
        order, "ended_early", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 20), outcome="removed_for_risk"
    )
    assert order.outcome == "removed_for_risk"


def test_it_refuses_a_stale_form_and_saves_nothing(login, delivering_manager, order):
    client = login(delivering_manager)
    stale = order.version
    update(order, "accepted")
    response = client.post(
        f"/programmes/perpetrator-orders/{order.pk}/update/", {"version": stale, "status": "declined"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Someone else changed this order" in html and "govuk-error-summary" in html
    order.refresh_from_db()
    assert order.status == "accepted"


# --- spend --------------------------------------------------------------------------------


def test_it_sums_spend_by_provider_and_month_in_exact_pence():
    rows = spend_totals(
        [
            (2, "Beta", date(2026, 4, 3), 3, Decimal("33.33")),
            (1, "Alpha", date(2026, 4, 30), 10, Decimal("85.50")),
            (1, "Alpha", date(2026, 4, 1), 1, Decimal("0.10")),
            (1, "Alpha", date(2026, 5, 1), 2, Decimal("0.10")),
        ]
    )
    assert rows == [
        SpendRow(1, "Alpha", date(2026, 4, 1), 2, 11, Decimal("855.10")),
        SpendRow(1, "Alpha", date(2026, 5, 1), 1, 2, Decimal("0.20")),
        SpendRow(2, "Beta", date(2026, 4, 1), 1, 3, Decimal("99.99")),
    ]
    assert spend_by_provider(rows) == {1: Decimal("855.30"), 2: Decimal("99.99")}
    assert spend_totals([]) == []


def test_it_counts_spend_only_for_accepted_orders_in_the_period(case, harm, deliverer, victims_provider):
    accepted = f.make_order(
        case, deliverer, person=harm, ordered_on=date(2026, 4, 2), unit_cost=Decimal("100.00"), units=3
    )
    update(accepted, "accepted")
    f.make_order(case, deliverer, person=harm, ordered_on=date(2026, 4, 5))  # requested: nothing committed yet
    declined = f.make_order(case, deliverer, person=harm, ordered_on=date(2026, 4, 6))
    update(declined, "declined")
    before = f.make_order(case, deliverer, person=harm, ordered_on=date(2026, 3, 31))
    update(before, "accepted")
    rows = perpetrator_spend(None, date(2026, 4, 1), date(2026, 4, 30))
    assert rows == [SpendRow(deliverer.pk, "Change Project", date(2026, 4, 1), 1, 3, Decimal("300.00"))]
    assert perpetrator_spend(victims_provider, date(2026, 4, 1), date(2026, 4, 30)) == rows
    assert perpetrator_spend(deliverer.pk, date(2026, 4, 1), date(2026, 4, 30)) == rows
    unrelated = OrganisationFactory(type=OrganisationType.PROVIDER)
    assert perpetrator_spend(unrelated, date(2026, 4, 1), date(2026, 4, 30)) == []


# --- query counts -------------------------------------------------------------------------


def test_it_lists_orders_in_a_constant_number_of_queries(login, delivering_manager, victim_worker, case, deliverer):
    def grow(n):
        for person in f.bulk_harm_people(case, n):
            f.make_order(case, deliverer, person=person)

    assert_constant_queries(login(delivering_manager), "/programmes/perpetrator-orders/", grow)
    assert_constant_queries(login(victim_worker), "/programmes/perpetrator-orders/", grow)
