"""Drop-in pages: the fast form (today by default, errors by the fields, nothing saved twice),
the organisation's visits by month and venue (never another organisation's), venues."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.dropins.models import Venue, Visit
from safepath.dropins.tests import factories as d
from safepath.reporting.tests import factories as f
from safepath.testing import AreaFactory, assert_constant_queries, make_member

ADD = reverse("dropins:visit_add")
LIST = reverse("dropins:visits")


@pytest.fixture
def world(db):
    provider, other = d.provider(), d.provider()
    area = AreaFactory(name="Chatham")
    return {
        "provider": provider,
        "other": other,
        "area": area,
        "venue": d.venue(provider, area, "Chatham One Stop Shop"),
        "second": d.venue(provider, area, "Gillingham Drop-in"),
        "other_venue": d.venue(other, area, "Not Ours Drop-in"),
        "worker": make_member(Role.CASEWORKER, provider),
        "manager": make_member(Role.TEAM_MANAGER, provider),
    }


def _form_token(response) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode())
    assert found, "the form carries a one-time token"
    return found.group(1)


def _checked(response, name: str) -> list[str]:
    page = html.fromstring(response.content.decode())
    return [i.get("value") for i in page.xpath(f'//input[@name="{name}"][@checked]')]


def _month_rows(response) -> dict[str, list[str]]:
    page = html.fromstring(response.content.decode())
    return {
        tr.get("data-month"): [c.text_content().strip() for c in tr.xpath("./th|./td")][1:]
        for tr in page.xpath("//tr[@data-month]")
    }


def _valid(world, token: str, **changes) -> dict:
    today = timezone.localdate()
    return {
        "token": token,
        "venue": str(world["venue"].pk),
        "on_day": str(today.day),
        "on_month": str(today.month),
        "on_year": str(today.year),
        "visitor": "new",
        "outcomes": ["information_advice", "safety_planning"],
        "case_reference": "",
    } | changes


def test_the_form_offers_only_open_venues_of_the_organisation_and_today(world, login):
    world["second"].is_active = False
    world["second"].save()
    client = login(world["worker"])
    response = client.get(ADD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chatham One Stop Shop" in page
    assert "Gillingham Drop-in" not in page and "Not Ours Drop-in" not in page
    today = timezone.localdate()
    assert f'value="{today.day}"' in page and f'value="{today.year}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_recording_a_visit_then_submitting_the_same_form_again_saves_one(world, login):
    client = login(world["worker"])
    token = _form_token(client.get(ADD))
    first = client.post(ADD, _valid(world, token))
    assert first.status_code == 302 and first["Location"] == ADD
    again = client.post(ADD, _valid(world, token))
    assert again.status_code == 302
    visit = Visit.objects.get()
    assert (visit.venue, visit.on, visit.visitor) == (world["venue"], timezone.localdate(), "new")
    assert visit.outcomes == ["information_advice", "safety_planning"]
    assert visit.recorded_by == world["worker"]
    assert AuditEvent.objects.filter(object_type="dropins.visit", action="create").count() == 1


def test_bad_input_is_shown_by_the_fields_keeps_what_was_valid_and_saves_nothing(world, login):
    client = login(world["worker"])
    token = _form_token(client.get(ADD))
    data = _valid(world, token, on_day="31", on_month="2", outcomes=[], case_reference="C404")
    response = client.post(ADD, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The date of the visit must be a real date" in page
    assert "Choose what happened at the visit." in page
    assert _checked(response, "venue") == [str(world["venue"].pk)]
    assert _checked(response, "visitor") == ["new"]
    assert not Visit.objects.exists()


def test_an_unknown_case_reference_is_refused_by_the_field(world, login):
    other_case = f.case(
        provider=world["other"], referral=None, person=f.person(), code="outreach", opened=timezone.now()
    )
    client = login(world["worker"])
    token = _form_token(client.get(ADD))
    response = client.post(ADD, _valid(world, token, case_reference=other_case.reference))
    assert response.status_code == 200
    assert "cases has this reference" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_visit_at_another_organisations_venue_is_refused(world, login):
    client = login(world["worker"])
    token = _form_token(client.get(ADD))
    response = client.post(ADD, _valid(world, token, venue=str(world["other_venue"].pk)))
    assert response.status_code == 200
    assert "Choose the venue." in response.content.decode()
    assert not Visit.objects.exists()


def test_the_list_counts_the_organisations_visits_by_month_and_venue(world, login):
    year = timezone.localdate().year - 1
    venue, second = world["venue"], world["second"]
    d.visit(venue, date(year, 1, 5), "new", ["referral_to_hub"])
    d.visit(venue, date(year, 1, 28), "returning")
    d.visit(second, date(year, 1, 9), "new")
    d.visit(second, date(year, 3, 9), "returning", ["signposted", "referral_to_hub"])
    d.visit(venue, date(year - 1, 12, 31), "new")  # the year before: not counted
    d.visit(world["other_venue"], date(year, 1, 5), "new")  # another organisation: not counted
    client = login(world["manager"])
    response = client.get(f"{LIST}?year={year}")
    assert response.status_code == 200
    rows = _month_rows(response)
    assert len(rows) == 12
    # Venues (Chatham, Gillingham), all visits, new, returning, referrals to the hub.
    assert rows[date(year, 1, 1).isoformat()] == ["2", "1", "3", "2", "1", "1"]
    assert rows[date(year, 2, 1).isoformat()] == ["0", "0", "0", "0", "0", "0"]
    assert rows[date(year, 3, 1).isoformat()] == ["0", "1", "1", "0", "1", "1"]
    page = html.fromstring(response.content.decode())
    totals = [c.text_content().strip() for c in page.xpath('//tr[@data-testid="year-totals"]/td')]
    assert totals == ["2", "2", "4", "2", "2", "2"]
    assert "Not Ours Drop-in" not in response.content.decode()


def test_the_list_runs_the_same_number_of_queries_however_many_visits(world, login):
    client = login(world["worker"])
    year = timezone.localdate().year
    venues = [world["venue"], world["second"]]

    def grow(n: int) -> None:
        Visit.objects.bulk_create(
            [
                Visit(
                    provider=world["provider"],
                    venue=venues[i % 2],
                    on=date(year, 1 + i % timezone.localdate().month, 1),
                    visitor="new" if i % 3 else "returning",
                    outcomes=["information_advice"],
                    recorded_at=timezone.now(),
                )
                for i in range(n)
            ]
        )

    assert_constant_queries(client, LIST, grow)


def test_a_manager_adds_and_retires_a_venue(world, login):
    client = login(world["manager"])
    response = client.post(reverse("dropins:venues"), {"name": "Strood Library Drop-in", "area": world["area"].pk})
    assert response.status_code == 302
    venue = Venue.objects.get(name="Strood Library Drop-in")
    assert venue.provider == world["provider"] and venue.is_active
    client.post(reverse("dropins:venue_active", args=[venue.pk]), {"active": "0"})
    venue.refresh_from_db()
    assert not venue.is_active
    assert AuditEvent.objects.filter(object_type="dropins.venue", object_id=str(venue.pk)).count() == 2


def test_a_venue_name_already_used_is_refused_by_the_field(world, login):
    client = login(world["manager"])
    response = client.post(reverse("dropins:venues"), {"name": "chatham one stop shop", "area": world["area"].pk})
    assert response.status_code == 200
    assert "already has a venue with this name" in response.content.decode()


def test_a_manager_cannot_retire_another_organisations_venue(world, login):
    client = login(world["manager"])
    response = client.post(reverse("dropins:venue_active", args=[world["other_venue"].pk]), {"active": "0"})
    assert response.status_code == 404
    world["other_venue"].refresh_from_db()
    assert world["other_venue"].is_active


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.COMMISSIONER, Role.ADMINISTRATOR, Role.TRIAGE_WORKER])
def test_roles_that_do_not_run_drop_ins_are_refused(world, login, role):
    client = login(make_member(role))
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {}).status_code == 403
    assert not Visit.objects.exists()


def test_a_caseworker_cannot_manage_venues(world, login):
    client = login(world["worker"])
    assert client.get(reverse("dropins:venues")).status_code == 403
    response = client.post(reverse("dropins:venue_active", args=[world["venue"].pk]), {"active": "0"})
    assert response.status_code == 403
