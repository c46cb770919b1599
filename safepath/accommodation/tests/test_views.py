"""The pages: search local first with what each vacancy lacks, refer from a case (out of area
with a reason), decide, move in, move on; who may do what; constant queries as data grows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safepath.accommodation.choices import BedspaceState, PlacementStatus
from safepath.accommodation.models import Placement
from safepath.accommodation.tests import factories as f
from safepath.core.models import AuditEvent
from safepath.testing import assert_constant_queries


def _search(acc, **extra):
    query = {"gender": "woman", "adults": 1, "area": acc["medway"].pk, "girls_ages": "", "boys_ages": ""} | extra
    return reverse("accommodation:search") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_it_lists_local_vacancies_first_with_what_they_lack(acc, login):
    response = login(acc["users"]["referrer"]).get(_search(acc, boys_ages="15", case=acc["case"].pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Medway Refuge") < page.index("City Refuge")
    assert "Out of area" in page and "In the household's area" in page.replace("&#39;", "'")
    assert "Medway Sanctuary" in page  # sanctuary schemes in the council
    assert reverse("accommodation:refer", args=[acc["case"].pk, acc["city_refuge"].pk]) in page


def test_it_says_what_a_vacancy_lacks(acc, login):
    page = login(acc["users"]["hub"]).get(_search(acc, gender="man", pets="on")).content.decode()
    assert "Does not take men" in page and "Does not take pets" in page


def test_it_refers_out_of_area_with_a_reason(acc, login):
    client = login(acc["users"]["referrer"])
    url = reverse("accommodation:refer", args=[acc["case"].pk, acc["city_refuge"].pk])
    token = "a" * 32
    response = client.post(url, {"token": token, "adults": 1, "girls_ages": "4", "boys_ages": ""})
    assert (
        response.status_code == 200
        and "Choose why the household needs a place out of their area" in response.content.decode()
    )
    response = client.post(
        url, {"token": token, "adults": 1, "girls_ages": "4", "boys_ages": "", "out_of_area_reason": "no_local_space"}
    )
    placement = Placement.objects.get(form_token=token)
    assert response.status_code == 302 and response["Location"] == reverse(
        "accommodation:placement", args=[placement.pk]
    )
    assert placement.out_of_area_reason == "no_local_space" and placement.children == [{"age": 4, "sex": "girl"}]
    client.post(url, {"token": token, "adults": 1, "out_of_area_reason": "no_local_space"})
    assert Placement.objects.filter(form_token=token).count() == 1


def test_it_declines_with_no_capacity_then_places_and_moves_on(acc, login):
    pending = acc["pending"]
    runner = login(acc["users"]["runner"])
    decide = reverse("accommodation:placement_decide", args=[pending.pk])
    response = runner.post(decide, {"decision": "decline"})
    assert "Choose why the referral is declined" in response.content.decode()
    runner.post(decide, {"decision": "decline", "reason": "no_capacity"})
    pending.refresh_from_db()
    assert pending.status == PlacementStatus.DECLINED and pending.decline_reason == "no_capacity"
    second = f.refer(pending.case, acc["city_refuge"], out_of_area_reason="safety")
    runner.post(reverse("accommodation:placement_decide", args=[second.pk]), {"decision": "accept"})
    bedspace = acc["city_refuge"].bedspaces.first()
    response = runner.post(
        reverse("accommodation:placement_move_in", args=[second.pk]),
        {"moved_day": 1, "moved_month": 6, "moved_year": 2026, "bedspace": bedspace.pk},
    )
    assert response.status_code == 302
    bedspace.refresh_from_db()
    assert bedspace.state == BedspaceState.OCCUPIED
    runner.post(
        reverse("accommodation:placement_end", args=[second.pk]),
        {
            "ended_day": 1,
            "ended_month": 6,
            "ended_year": 2026,
            "reason": "planned_move_on",
            "destination": "own_tenancy",
        },
    )
    second.refresh_from_db()
    bedspace.refresh_from_db()
    assert second.status == PlacementStatus.ENDED and bedspace.state == BedspaceState.VACANT


def test_it_lets_only_the_receiving_side_decide(acc, login):
    url = reverse("accommodation:placement_decide", args=[acc["pending"].pk])
    assert login(acc["users"]["referrer"]).get(url).status_code == 403
    assert login(acc["users"]["other"]).get(url).status_code == 404
    assert login(acc["users"]["runner"]).get(url).status_code == 200


def test_it_lets_only_the_referring_side_withdraw(acc, login):
    url = reverse("accommodation:placement_withdraw", args=[acc["pending"].pk])
    assert login(acc["users"]["runner"]).post(url).status_code == 403
    assert login(acc["users"]["referrer"]).post(url).status_code == 302
    acc["pending"].refresh_from_db()
    assert acc["pending"].status == PlacementStatus.WITHDRAWN


def test_it_keeps_vacancies_current(acc, login):
    bedspace = acc["city_refuge"].bedspaces.first()
    client = login(acc["users"]["runner"])
    client.post(reverse("accommodation:bedspace_state", args=[bedspace.pk]), {"state": "out_of_use"})
    bedspace.refresh_from_db()
    assert bedspace.state == BedspaceState.OUT_OF_USE
    assert (
        login(acc["users"]["other"])
        .post(reverse("accommodation:bedspace_state", args=[bedspace.pk]), {"state": "vacant"})
        .status_code
        == 404
    )


def test_it_audits_reading_placements(acc, login):
    login(acc["users"]["runner"]).get(reverse("accommodation:placements"))
    login(acc["users"]["referrer"]).get(reverse("accommodation:placement", args=[acc["placement"].pk]))
    login(acc["users"]["referrer"]).get(reverse("accommodation:case_placements", args=[acc["case"].pk]))
    viewed = AuditEvent.objects.filter(action="view", object_type="accommodation.placement")
    assert viewed.filter(reason="placement requests").count() == 2  # both open (referred, in support)
    assert viewed.filter(object_id=str(acc["placement"].pk)).count() >= 2


def test_it_shows_the_return_to_commissioners_suppressed(acc, login):
    url = (
        reverse("accommodation:part4_return")
        + "?from_day=1&from_month=4&from_year=2026&to_day=31&to_month=3&to_year=2027"
    )
    page = login(acc["users"]["commissioner"]).get(url).content.decode()
    assert "&lt;10" in page
    csv = login(acc["users"]["commissioner"]).get(url + "&format=csv")
    assert csv["Content-Disposition"].startswith('attachment; filename="part4-return-')
    assert AuditEvent.objects.filter(action="export", object_type="accommodation.part4_return").exists()


def _grow(acc):
    hub = acc["case"].referral.hub if hasattr(acc["case"].referral, "hub") else None

    def grow(n: int) -> None:
        from safepath.core.roles import OrganisationType
        from safepath.testing import OrganisationFactory

        source = hub or OrganisationFactory(type=OrganisationType.HUB)
        for i in range(n):
            service = f.make_service(acc["refuge"].provider, acc["medway"], spaces=1)
            case = f.make_case(source, acc["case"].provider, f"P{i}", "Grow", area=acc["medway"])
            f.refer(case, service)
            f.refer(acc["case"], service)

    return grow


@pytest.mark.parametrize(
    "who,name,args",
    [
        ("runner", "accommodation:services", None),
        ("runner", "accommodation:vacancies", None),
        ("runner", "accommodation:placements", None),
        ("commissioner", "accommodation:services", None),
        ("referrer", "accommodation:case_placements", "case"),
    ],
)
def test_it_keeps_queries_constant(acc, login, who, name, args):
    url = reverse(name, args=[acc[args].pk] if args else None)
    assert_constant_queries(login(acc["users"][who]), url, _grow(acc))


def test_it_keeps_search_queries_constant(acc, login):
    assert_constant_queries(login(acc["users"]["referrer"]), _search(acc, case=acc["case"].pk), _grow(acc))


def test_it_records_a_household_that_could_not_be_supported(acc, login):
    from safepath.accommodation.models import UnmetNeed

    client = login(acc["users"]["referrer"])
    url = reverse("accommodation:unmet_need_add", args=[acc["case"].pk])
    response = client.post(url, {"token": "b" * 32, "area": acc["medway"].pk})
    assert "Choose why the household could not be supported" in response.content.decode()
    response = client.post(url, {"token": "b" * 32, "area": acc["medway"].pk, "reason": "no_capacity"})
    assert response.status_code == 302
    unmet = UnmetNeed.objects.get()
    assert (unmet.case, unmet.reason) == (acc["case"], "no_capacity")
    page = client.get(reverse("accommodation:case_placements", args=[acc["case"].pk])).content.decode()
    assert "No capacity (no space free)" in page


def test_it_lets_a_manager_add_a_service_and_its_spaces(acc, login):
    from safepath.accommodation.models import Service

    client = login(acc["users"]["runner_manager"])
    response = client.post(
        reverse("accommodation:service_add"),
        {"name": "Swale Refuge", "type": "refuge", "area": acc["medway"].pk, "address": f"9 {f.MARKER}, Sittingbourne"},
    )
    service = Service.objects.get(name="Swale Refuge")
    assert response["Location"] == reverse("accommodation:service", args=[service.pk])
    assert service.provider == acc["refuge"].provider and f.MARKER not in service.address_sealed
    url = reverse("accommodation:bedspace_add", args=[service.pk])
    assert client.post(url, {"label": "Room 1", "max_children": 2, "max_boy_age": 12}).status_code == 302
    again = client.post(url, {"label": "Room 1", "max_children": 2})
    assert "already has a space with that name" in again.content.decode()
    assert service.bedspaces.get().max_boy_age == 12
    assert login(acc["users"]["runner"]).get(url).status_code == 403


def test_it_keeps_the_return_queries_constant(acc, login):
    url = (
        reverse("accommodation:part4_return")
        + "?from_day=1&from_month=4&from_year=2025&to_day=31&to_month=3&to_year=2027"
    )
    assert_constant_queries(login(acc["users"]["commissioner"]), url, _grow(acc))
