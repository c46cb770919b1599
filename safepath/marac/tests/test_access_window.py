"""The representative's time-limited window: from the agenda's release until the configured time
after the meeting (docs/adr/0010-marac-access-window.md), tested with a frozen clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.marac import services
from safepath.marac.tests import factories as f
from safepath.testing import AreaFactory, OrganisationFactory, make_member

LONDON = ZoneInfo("Europe/London")
HELD = datetime(2026, 5, 11, 10, 0, tzinfo=LONDON)
RELEASED = datetime(2026, 5, 5, 9, 0, tzinfo=LONDON)
WINDOW_HOURS = 48


@pytest.fixture
def setup(db: Any) -> dict[str, Any]:
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=LONDON), tick=False):
        area = AreaFactory()
        marac = f.make_marac(area, access_hours_after_meeting=WINDOW_HOURS)
        police = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Police")
        housing = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Housing")
        f.marac_case(area)
        meeting = f.meeting(marac, held_at=HELD, agencies=[police], build=True)
    with time_machine.travel(RELEASED, tick=False):
        services.agenda_release(request=None, meeting=meeting)
    item = meeting.items.get()
    with time_machine.travel(HELD, tick=False):
        action = services.action_add(
            request=None,
            item=item,
            owner=police,
            description="Check the address",
            due_on=HELD.date() + timedelta(days=7),
        )
    return {
        "meeting": meeting,
        "item": item,
        "action": action,
        "rep": make_member(Role.MARAC_REPRESENTATIVE, police),
        "outsider": make_member(Role.MARAC_REPRESENTATIVE, housing),
        "coordinator": make_member(Role.MARAC_COORDINATOR, marac),
    }


def _status(client: Any, user: Any, url: str, when: datetime) -> int:
    with time_machine.travel(when, tick=False):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client.get(url).status_code


def _urls(setup: dict[str, Any]) -> list[str]:
    item, meeting = setup["item"], setup["meeting"]
    return [
        reverse("marac:meeting", args=[meeting.pk]),
        reverse("marac:item", args=[item.pk]),
        reverse("marac:research", args=[item.pk]),
        reverse("marac:action_add", args=[item.pk]),
    ]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (RELEASED - timedelta(minutes=1), 404),  # before the agenda is released
        (RELEASED, 200),  # from the release
        (HELD, 200),  # at the meeting
        (HELD + timedelta(hours=WINDOW_HOURS) - timedelta(minutes=1), 200),  # the last minute of the window
        (HELD + timedelta(hours=WINDOW_HOURS), 404),  # expired
        (HELD + timedelta(days=30), 404),
    ],
)
def test_it_shows_an_attending_representative_the_cases_only_in_the_window(
    client: Any, setup: dict[str, Any], when: datetime, expected: int
) -> None:
    for url in _urls(setup):
        assert _status(client, setup["rep"], url, when) == expected, url


def test_it_hides_the_meeting_from_an_agency_that_does_not_attend(client: Any, setup: dict[str, Any]) -> None:
    for url in _urls(setup):
        assert _status(client, setup["outsider"], url, HELD) == 404, url


def test_it_lets_the_coordinator_see_the_meeting_at_any_time(client: Any, setup: dict[str, Any]) -> None:
    url = reverse("marac:item", args=[setup["item"].pk])
    for when in (RELEASED - timedelta(days=1), HELD, HELD + timedelta(days=90)):
        assert _status(client, setup["coordinator"], url, when) == 200


def test_it_audits_every_view_of_a_case(client: Any, setup: dict[str, Any]) -> None:
    url = reverse("marac:item", args=[setup["item"].pk])
    before = AuditEvent.objects.filter(action="view", object_type="marac.maracreferral").count()
    _status(client, setup["rep"], url, HELD)
    _status(client, setup["rep"], reverse("marac:meeting", args=[setup["meeting"].pk]), HELD)
    rows = AuditEvent.objects.filter(action="view", object_type="marac.maracreferral")
    assert rows.count() == before + 2
    assert set(rows.values_list("user_id", flat=True)) == {setup["rep"].pk}
    assert set(rows.values_list("object_id", flat=True)) == {str(setup["item"].marac_referral_id)}


def test_it_keeps_the_owning_agencys_actions_visible_after_the_window(client: Any, setup: dict[str, Any]) -> None:
    later = HELD + timedelta(days=30)
    with time_machine.travel(later, tick=False):
        client.force_login(setup["rep"], backend="allauth.account.auth_backends.AuthenticationBackend")
        page = client.get(reverse("marac:actions")).content.decode()
        assert "Check the address" in page
        assert "Overdue" in page
        done = client.post(reverse("marac:action_complete", args=[setup["action"].pk]))
    assert done.status_code == 302
    setup["action"].refresh_from_db()
    assert setup["action"].completed_at == later


def test_it_records_research_in_the_window_for_the_representatives_agency(client: Any, setup: dict[str, Any]) -> None:
    url = reverse("marac:research", args=[setup["item"].pk])
    with time_machine.travel(HELD - timedelta(days=1), tick=False):
        client.force_login(setup["rep"], backend="allauth.account.auth_backends.AuthenticationBackend")
        response = client.post(url, {"text": "Two call-outs in March."})
    assert response.status_code == 302
    research = setup["item"].research.get()
    assert (research.organisation.name, research.text) == ("Police", "Two call-outs in March.")


def test_it_fixes_the_window_when_the_agenda_is_released(setup: dict[str, Any]) -> None:
    assert setup["meeting"].access_until is None  # the fixture's copy predates the release
    setup["meeting"].refresh_from_db()
    assert setup["meeting"].access_until == HELD + timedelta(hours=WINDOW_HOURS)


def test_a_coordinator_changes_the_window_without_reopening_released_meetings(
    client: Any, setup: dict[str, Any]
) -> None:
    with time_machine.travel(HELD, tick=False):
        client.force_login(setup["coordinator"], backend="allauth.account.auth_backends.AuthenticationBackend")
        assert client.get(reverse("marac:settings")).status_code == 200
        data = {"max_cases_per_meeting": "20", "access_hours_after_meeting": "240", "repeat_window_months": "12"}
        assert client.post(reverse("marac:settings"), data).status_code == 302
    setup["meeting"].refresh_from_db()
    assert setup["meeting"].marac.marac_settings.access_hours_after_meeting == 240
    assert setup["meeting"].access_until == HELD + timedelta(hours=WINDOW_HOURS)
    url = reverse("marac:item", args=[setup["item"].pk])
    assert _status(client, setup["rep"], url, HELD + timedelta(hours=WINDOW_HOURS + 1)) == 404
