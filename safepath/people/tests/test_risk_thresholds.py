import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.risk.models import ThresholdSet
from safepath.risk.selectors import thresholds_for
from safepath.testing import AreaFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
URL = "/people/risk-thresholds/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def admin(db, member, login):
    return login(member(Role.ADMINISTRATOR))


def new_set(area="", **overrides):
    data = {
        "area": area,
        "from_day": "1",
        "from_month": "4",
        "from_year": "2027",
        "medium_score": "8",
        "high_score": "12",
        "escalation_incidents": "5",
        "escalation_window_months": "6",
        "repeat_window_months": "12",
    }
    return data | overrides


def test_it_lists_the_sets_per_area_and_which_is_in_force(admin):
    area = AreaFactory(name="Medway")
    ThresholdSet.objects.create(area=area, effective_from=date(2025, 1, 1), high_score=13, medium_score=9)
    ThresholdSet.objects.create(area=area, effective_from=date(2026, 1, 1), high_score=12, medium_score=8)
    ThresholdSet.objects.create(area=area, effective_from=date(2027, 1, 1), high_score=11, medium_score=8)
    page = admin.get(URL).content.decode()
    assert page.count("Medway") == 3 and "Default" in page
    assert page.count(">In force<") == 2  # the default and Medway's 2026 set
    assert ">Replaced<" in page and ">Future<" in page


def test_it_adds_a_set_for_an_area_from_a_date(admin):
    area = AreaFactory()
    response = admin.post(f"{URL}add/", new_set(area.pk))
    assert response.status_code == 302 and response["Location"] == URL
    added = ThresholdSet.objects.get(area=area)
    assert (added.effective_from, added.medium_score, added.high_score, added.escalation_incidents) == (date(2027, 4, 1), 8, 12, 5)
    assert AuditEvent.objects.filter(action="create", object_type="risk.thresholdset", object_id=str(added.pk)).exists()
    assert thresholds_for(area.pk, date(2027, 3, 31)).area is None
    assert thresholds_for(area.pk, date(2027, 4, 1)) == added


def test_it_never_changes_rules_in_the_past(admin):
    page = html.unescape(admin.post(f"{URL}add/", new_set(from_year="2026", from_month="1")).content.decode())
    assert "The date must be today or later" in page and 'href="#id_from_day"' in page
    assert ThresholdSet.objects.count() == 1


def test_it_refuses_a_medium_score_above_the_high_score(admin):
    page = admin.post(f"{URL}add/", new_set(medium_score="15", high_score="12")).content.decode()
    assert "The medium score must be no higher than the high score." in page
    assert 'value="15"' in page


def test_it_asks_for_the_start_date(admin):
    page = admin.post(f"{URL}add/", new_set(from_day="", from_month="", from_year="")).content.decode()
    assert "Enter the date the rules start." in page


def test_it_adds_a_set_once_when_the_form_is_sent_twice(admin):
    admin.post(f"{URL}add/", new_set())
    assert admin.post(f"{URL}add/", new_set()).status_code == 302
    assert ThresholdSet.objects.filter(effective_from=date(2027, 4, 1)).count() == 1


def test_it_refuses_a_different_set_for_the_same_area_and_date(admin):
    admin.post(f"{URL}add/", new_set())
    page = admin.post(f"{URL}add/", new_set(high_score="20")).content.decode()
    assert "There is already a rule set for this area from that date." in page
    assert ThresholdSet.objects.get(effective_from=date(2027, 4, 1)).high_score == 12


def test_it_lets_commissioners_read_but_not_add(db, member, login):
    commissioner = login(member(Role.COMMISSIONER))
    page = commissioner.get(URL).content.decode()
    assert "Default" in page and f"{URL}add/" not in page
    assert commissioner.get(f"{URL}add/").status_code == 403
    assert commissioner.post(f"{URL}add/", new_set()).status_code == 403
    assert ThresholdSet.objects.count() == 1


def test_it_refuses_everyone_else(db, member, login):
    for role in (Role.TRIAGE_WORKER, Role.CASEWORKER, Role.TEAM_MANAGER):
        assert login(member(role)).get(URL).status_code == 403


def test_it_keeps_the_rule_an_earlier_assessment_was_made_under(db):
    """Two sets for one area: the selector picks the one in force on each date."""
    area = AreaFactory()
    old = ThresholdSet.objects.create(area=area, effective_from=date(2026, 1, 1), escalation_incidents=3)
    new = ThresholdSet.objects.create(area=area, effective_from=date(2026, 12, 1), escalation_incidents=5)
    assert thresholds_for(area.pk, date(2026, 11, 30)) == old
    assert thresholds_for(area.pk, date(2026, 12, 1)) == new
    assert thresholds_for(None, date(2026, 12, 1)).area is None
