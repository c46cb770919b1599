"""Agendas, MARAC referrals from intake and partners, actions, minutes and constant query counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safepath.core.roles import OrganisationType, Role
from safepath.marac import services
from safepath.marac.models import Action, MaracReferral, Meeting
from safepath.marac.tests import factories as f
from safepath.referrals.services import Incoming, referral_receive
from safepath.testing import AreaFactory, OrganisationFactory, assert_constant_queries, make_member

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def marac(db: Any) -> Any:
    return f.make_marac(AreaFactory(postcode_districts="ME4"), max_cases_per_meeting=3)


def _login(client: Any, user: Any) -> Any:
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_it_makes_a_marac_referral_when_intake_finds_the_criteria(marac: Any) -> None:
    hub = OrganisationFactory(type=OrganisationType.HUB)
    values = {
        "channel": "import",
        "source": "police",
        "first_name": "Jane",
        "last_name": "Smith",
        "postcode": "ME4 4AB",
    }
    high = referral_receive(incoming=Incoming(received_at=timezone.now(), dash_score=16, **values), hub=hub)
    low = referral_receive(
        incoming=Incoming(received_at=timezone.now(), dash_score=2, **(values | {"first_name": "Ann"})), hub=hub
    )
    made = MaracReferral.objects.get()
    assert made.referral == high and made.marac == marac and made.criteria == ["visible_high_risk"]
    assert not MaracReferral.objects.filter(referral=low).exists()


def test_it_builds_the_agenda_repeats_first_then_oldest_up_to_the_maximum(marac: Any) -> None:
    area = marac.areas.get()
    now = timezone.now()
    old = f.marac_case(area, received_at=now - timedelta(days=20))
    newer = f.marac_case(area, received_at=now - timedelta(days=10))
    repeat = f.marac_case(area, received_at=now - timedelta(days=2), is_repeat=True)
    f.marac_case(area, received_at=now - timedelta(days=1))  # beyond the maximum of 3
    f.marac_case(area, received_at=now + timedelta(days=3))  # after the meeting
    meeting = f.meeting(marac, held_at=now + timedelta(days=2), build=True)
    assert [i.marac_referral for i in meeting.items.order_by("position")] == [repeat, old, newer]
    assert set(MaracReferral.objects.filter(status="listed")) == {repeat, old, newer}
    assert services.agenda_build(request=None, meeting=meeting) == []  # full


def test_it_refuses_to_release_an_empty_agenda_or_change_a_released_one(marac: Any) -> None:
    meeting = f.meeting(marac)
    with pytest.raises(ValidationError):
        services.agenda_release(request=None, meeting=meeting)
    f.marac_case(marac.areas.get())
    meeting = f.meeting(marac, build=True, release=True)
    with pytest.raises(ValidationError):
        services.agenda_build(request=None, meeting=meeting)


def test_a_partner_agency_refers_a_case_and_a_repeat_is_flagged(client: Any, marac: Any) -> None:
    agency = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Housing")
    OrganisationFactory(type=OrganisationType.HUB)
    rep = make_member(Role.MARAC_REPRESENTATIVE, agency)
    _login(client, rep)
    form = client.get(reverse("marac:refer")).content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    data = {
        "token": token,
        "first_name": "Mary",
        "last_name": "Jones",
        "dob_day": "4",
        "dob_month": "5",
        "dob_year": "1988",
        "postcode": "ME4 1AA",
        "source": "housing",
        "reason": "Threats to kill after separation.",
    }
    assert client.post(reverse("marac:refer"), data).status_code == 200
    assert client.post(reverse("marac:refer"), data).status_code == 200  # the same form again: nothing new
    made = MaracReferral.objects.get()
    assert (made.source, made.referring_agency, made.marac, made.is_repeat) == ("partner", agency, marac, False)
    assert "professional_judgement" in made.criteria
    again = dict(data, token="b" * 32, reason="New incident.")
    client.post(reverse("marac:refer"), again)
    latest = MaracReferral.objects.latest("pk")
    assert (
        latest.pk != made.pk
        and latest.is_repeat
        and latest.referral.person_id in {made.referral.person_id, latest.referral.person_id}
    )


def test_it_agrees_actions_and_shows_overdue_ones(client: Any, marac: Any) -> None:
    agency = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Police")
    f.marac_case(marac.areas.get(), received_at=timezone.now() - timedelta(days=20))
    meeting = f.meeting(marac, held_at=timezone.now() - timedelta(days=10), agencies=[agency], build=True, release=True)
    item = meeting.items.get()
    coordinator = make_member(Role.MARAC_COORDINATOR, marac)
    _login(client, coordinator)
    page = client.get(reverse("marac:action_add", args=[item.pk])).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    due = timezone.localdate() - timedelta(days=2)
    data = {
        "token": token,
        "description": "Flag the address",
        "owner": agency.pk,
        "due_day": due.day,
        "due_month": due.month,
        "due_year": due.year,
    }
    assert client.post(reverse("marac:action_add", args=[item.pk]), data).status_code == 302
    assert client.post(reverse("marac:action_add", args=[item.pk]), data).status_code == 302
    assert Action.objects.count() == 1
    overdue = client.get(reverse("marac:actions") + "?show=overdue").content.decode()
    assert "Flag the address" in overdue and "Overdue" in overdue
    history = client.get(reverse("marac:history", args=[item.marac_referral_id])).content.decode()
    assert "Flag the address" in history


def test_it_records_minutes_after_the_meeting(marac: Any) -> None:
    f.marac_case(marac.areas.get())
    meeting = f.meeting(marac, held_at=timezone.now() + timedelta(hours=1), build=True)
    with pytest.raises(ValidationError):
        services.minutes_record(request=None, meeting=meeting, minutes="Heard.")
    meeting.held_at = timezone.now() - timedelta(hours=1)
    services.minutes_record(request=None, meeting=meeting, minutes="Heard.")
    assert set(MaracReferral.objects.values_list("status", flat=True)) == {"heard"}


def test_it_lets_only_the_idva_service_record_the_victims_voice(marac: Any) -> None:
    idva = OrganisationFactory(type=OrganisationType.PROVIDER)
    police = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY)
    marac.marac_settings.idva_service = idva
    marac.marac_settings.save()
    f.marac_case(marac.areas.get())
    meeting = f.meeting(marac, agencies=[idva, police], build=True, release=True)
    item = meeting.items.get()
    services.research_record(request=None, item=item, organisation=idva, text="Engaged.", idva_summary="Wants to stay.")
    item.refresh_from_db()
    assert item.idva_summary == "Wants to stay."
    with pytest.raises(ValidationError):
        services.research_record(request=None, item=item, organisation=police, text="x", idva_summary="No.")


# --- constant query counts ---------------------------------------------------------------------


def test_the_lists_and_the_agenda_keep_a_constant_number_of_queries(client: Any, db: Any) -> None:
    marac = f.make_marac(AreaFactory(), max_cases_per_meeting=200)
    area = marac.areas.get()
    agency = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY)
    meeting = f.meeting(marac, agencies=[agency])
    _login(client, make_member(Role.MARAC_COORDINATOR, marac))

    def grow(n: int) -> None:
        for _ in range(n):
            f.marac_case(area)
            other = f.meeting(marac, agencies=[agency])
            Meeting.objects.filter(pk=other.pk).update(held_at=timezone.now() - timedelta(days=30))
        Meeting.objects.filter(pk=meeting.pk).update(agenda_released_at=None)
        services.agenda_build(request=None, meeting=meeting)
        for item in meeting.items.all():
            if not item.actions.exists():
                services.action_add(
                    request=None, item=item, owner=agency, description="Do it", due_on=date.today() + timedelta(days=1)
                )
                services.research_record(request=None, item=item, organisation=agency, text="Known.")

    for url in (
        reverse("marac:meetings"),
        reverse("marac:meeting", args=[meeting.pk]),
        reverse("marac:referrals") + "?status=all",
        reverse("marac:actions"),
    ):
        assert_constant_queries(client, url, grow)


def test_an_import_makes_marac_referrals_for_its_marac_cases(db: Any) -> None:
    from safepath.referrals.models import Referral
    from safepath.referrals.tests.test_import_support import row, run_import

    area = AreaFactory(name="Chatham", postcode_districts="ME4 ME5")
    hub = OrganisationFactory(type=OrganisationType.HUB, name="Medway Hub")
    hub.areas.add(area)
    marac = f.make_marac(area)
    rows = [row(first_name=name, dash_score=str(score)) for name, score in (("Ann", 16), ("Bea", 3), ("Cat", 14))]
    run_import(rows)
    cases = Referral.objects.filter(is_marac_case=True)
    assert cases.count() == 2
    assert set(MaracReferral.objects.values_list("referral_id", flat=True)) == set(cases.values_list("pk", flat=True))
    assert set(MaracReferral.objects.values_list("marac_id", flat=True)) == {marac.pk}
