"""Health advocacy: actions with a status history, recorded as outcomes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.outcomes.models import HealthAction, HealthStatusChange
from safepath.outcomes.services import health_action_add, health_action_update
from safepath.outcomes.tests.url_table_outcomes import token
from safepath.testing import assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 4, 20, 11, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW):
        yield


def add(case, action="gp_registration", status="planned", on=date(2026, 4, 1), **kwargs):
    return health_action_add(
        request=None, case=case, action=action, status=status, on=on, token=kwargs.pop("token", token()), **kwargs
    )


def update(action, status, on=date(2026, 4, 15), seen=None, **kwargs):
    return health_action_update(
        request=None,
        action=action,
        status=status,
        on=on,
        token=kwargs.pop("token", token()),
        seen_status=seen or action.status,
        **kwargs,
    )


# --- services -------------------------------------------------------------------------------------


def test_it_keeps_every_status_an_action_has_had(setup):
    action = add(setup.case)
    update(action, "in_progress", on=date(2026, 4, 10))
    update(action, "achieved", on=date(2026, 4, 18))
    action.refresh_from_db()
    assert (action.status, action.status_on) == ("achieved", date(2026, 4, 18))
    history = [(c.from_status, c.to_status, c.on) for c in action.changes.order_by("recorded_at", "id")]
    assert history == [
        ("", "planned", date(2026, 4, 1)),
        ("planned", "in_progress", date(2026, 4, 10)),
        ("in_progress", "achieved", date(2026, 4, 18)),
    ]


def test_it_refuses_a_change_the_transitions_do_not_allow(setup):
    action = add(setup.case, status="achieved", on=date(2026, 4, 2))
    with pytest.raises(ValidationError) as raised:
        update(action, "planned")
    message = "An action that is “Achieved” cannot be changed to “Planned”."
    assert raised.value.message_dict == {"status": [message]}


def test_it_lets_a_declined_action_be_planned_again(setup):
    action = add(setup.case, status="declined")
    update(action, "planned", on=date(2026, 5, 1))
    assert HealthAction.objects.get().status == "planned"


def test_it_refuses_a_stale_change_and_keeps_the_colleague_s(setup):
    action = add(setup.case)
    stale = HealthAction.objects.get(pk=action.pk)
    update(action, "achieved")
    with pytest.raises(ValidationError, match="Someone else changed this action"):
        update(stale, "declined", seen="planned")
    assert HealthAction.objects.get().status == "achieved"
    assert HealthStatusChange.objects.count() == 2


def test_it_records_a_status_change_once_when_the_form_is_sent_twice(setup):
    action = add(setup.case)
    form = token()
    first = update(action, "in_progress", token=form)
    second = update(HealthAction.objects.get(pk=action.pk), "in_progress", token=form, seen="planned")
    assert first.pk == second.pk and HealthStatusChange.objects.count() == 2


def test_it_adds_an_action_once_when_the_form_is_sent_twice(setup):
    form = token()
    assert add(setup.case, token=form).pk == add(setup.case, token=form).pk
    assert HealthAction.objects.count() == 1


def test_it_refuses_a_second_open_action_of_the_same_kind(setup):
    add(setup.case)
    with pytest.raises(ValidationError) as raised:
        add(setup.case, status="in_progress")
    assert "already planned or in progress" in raised.value.message_dict["action"][0]
    add(setup.case, action="dental_registration")
    add(setup.case, status="achieved")  # a closed one of the same kind is fine
    assert HealthAction.objects.count() == 3


def test_it_refuses_an_action_not_in_the_vocabulary(setup):
    with pytest.raises(ValidationError) as raised:
        add(setup.case, action="haircut")
    assert raised.value.message_dict == {"action": ["Choose a health action from the list."]}


def test_it_allows_a_future_date_only_for_a_planned_action(setup):
    add(setup.case, status="planned", on=date(2026, 6, 1))
    with pytest.raises(ValidationError) as raised:
        add(setup.case, action="screening", status="achieved", on=date(2026, 6, 1))
    assert raised.value.message_dict == {"on": ["The date cannot be in the future, except for a planned action."]}


def test_it_refuses_a_date_before_the_case_opened(setup):
    with pytest.raises(ValidationError) as raised:
        add(setup.case, on=date(2026, 1, 1))
    assert raised.value.message_dict == {"on": ["The date must be on or after the day the case opened, 10 March 2026."]}


def test_it_audits_adding_and_changing(setup):
    action = add(setup.case)
    update(action, "achieved")
    events = AuditEvent.objects.filter(object_type="outcomes.healthaction", object_id=str(action.pk))
    assert sorted(e.action for e in events) == ["create", "update"]


# --- pages ----------------------------------------------------------------------------------------


def test_it_lists_the_case_s_actions_with_their_status_in_words(setup, login):
    add(setup.case)
    add(setup.case, action="dental_registration", status="achieved", on=date(2026, 4, 3))
    html = login(setup.worker).get(reverse("outcomes:health", args=[setup.case.pk])).content.decode()
    assert "GP registration" in html and "Dental registration" in html
    assert "Planned" in html and "Achieved" in html and "3 Apr 2026" in html


def test_it_adds_an_action_from_the_form(setup, login):
    client = login(setup.worker)
    page = reverse("outcomes:health_add", args=[setup.case.pk])
    assert "Mental health referral" in client.get(page).content.decode()
    data = {
        "token": token(),
        "action": "mental_health_referral",
        "status": "in_progress",
        "on_day": "19",
        "on_month": "4",
        "on_year": "2026",
    }
    assert client.post(page, data).status_code == 302
    assert client.post(page, data).status_code == 302  # a double submission
    action = HealthAction.objects.get()
    assert (action.action, action.status, action.status_on) == (
        "mental_health_referral",
        "in_progress",
        date(2026, 4, 19),
    )


def test_it_shows_a_bad_date_beside_the_date(setup, login):
    page = reverse("outcomes:health_add", args=[setup.case.pk])
    data = {
        "token": token(),
        "action": "screening",
        "status": "achieved",
        "on_day": "31",
        "on_month": "2",
        "on_year": "2026",
    }
    html = login(setup.worker).post(page, data).content.decode()
    assert "Date must be a real date" in html
    data |= {"on_day": "1", "on_month": "6"}
    html = login(setup.worker).post(page, data).content.decode()
    assert "The date cannot be in the future, except for a planned action." in html
    assert not HealthAction.objects.exists()


def test_it_changes_the_status_and_shows_the_history(setup, login):
    action = add(setup.case)
    client = login(setup.worker)
    page = reverse("outcomes:health_update", args=[setup.case.pk, action.pk])
    html = client.get(page).content.decode()
    assert "In progress" in html and 'value="planned"' in html  # the status seen, sent back with the form
    data = {
        "token": token(),
        "seen_status": "planned",
        "status": "achieved",
        "on_day": "18",
        "on_month": "4",
        "on_year": "2026",
    }
    assert client.post(page, data).status_code == 302
    html = client.get(page).content.decode()
    assert "This action was achieved: its status is final." in html
    assert "(was planned)" in html


def test_it_tells_the_worker_when_a_colleague_changed_the_status(setup, login):
    action = add(setup.case)
    page = reverse("outcomes:health_update", args=[setup.case.pk, action.pk])
    update(action, "in_progress")
    data = {
        "token": token(),
        "seen_status": "planned",
        "status": "declined",
        "on_day": "18",
        "on_month": "4",
        "on_year": "2026",
    }
    html = login(setup.worker).post(page, data).content.decode()
    assert "Someone else changed this action while you were working on it." in html
    assert HealthAction.objects.get().status == "in_progress"


def test_it_reads_a_constant_number_of_queries_for_the_list(setup, login):
    kinds = ["gp_registration", "dental_registration", "sexual_health", "screening", "immunisations"]
    count = [0]

    def grow(n):
        for _ in range(n):
            count[0] += 1
            add(setup.case, action=kinds[count[0] % len(kinds)], status="achieved")

    assert_constant_queries(login(setup.worker), reverse("outcomes:health", args=[setup.case.pk]), grow)
