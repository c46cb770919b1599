"""The drop-in demo: Medway's two one-stop shops come to about the 624 a year its document
cites, counted by the report; it runs once; scenarios without drop-ins get none."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from safepath.dropins import demo
from safepath.dropins.models import Venue, Visit
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.report import build_report, to_json
from safepath.reporting.tests import factories as f

END = datetime(2026, 3, 31, 18, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def medway(db):
    council = f.area(name="Medway")
    for name in ("Chatham", "Gillingham and Rainham", "Hoo Peninsula"):
        f.area(parent=council, name=name)
    return {"provider": f.OrganisationFactory(type="provider"), "council": council}


def test_it_gives_medway_a_year_of_weekly_sessions_near_its_figure(medway):
    demo.demo_load(scenario=SimpleNamespace(name="medway"), organisations={"provider": medway["provider"]}, end=END)
    assert set(Venue.objects.values_list("name", "area__name")) == {
        ("Chatham One Stop Shop", "Chatham"),
        ("Gillingham One Stop Shop", "Gillingham and Rainham"),
    }
    year = Period(END.date() - timedelta(days=364), END.date())
    out = to_json(build_report(Scope.for_areas(year, [medway["council"].pk])))["contacts"]
    assert 560 <= out["total"] <= 690  # 624 in Medway's 2017 figure
    assert 0.45 <= out["new_rate"] <= 0.65
    assert 0.15 <= out["referral_rate"] <= 0.3
    # One session a week per venue: Tuesdays in Chatham, Thursdays in Gillingham.
    weekdays = {(v.venue.name, v.on.weekday()) for v in Visit.objects.select_related("venue")}
    assert weekdays == {("Chatham One Stop Shop", 1), ("Gillingham One Stop Shop", 3)}
    assert len(out["by_month"]) == 12 and all(m["total"] != 0 for m in out["by_month"])


def test_it_runs_once_and_repeats_itself(medway):
    args = {"scenario": SimpleNamespace(name="medway"), "organisations": {"provider": medway["provider"]}, "end": END}
    demo.demo_load(**args)
    first = list(Visit.objects.order_by("pk").values_list("venue__name", "on", "visitor", "outcomes"))
    demo.demo_load(**args)
    assert Visit.objects.count() == len(first)
    Visit.objects.all().delete()
    Venue.objects.all().delete()
    demo.demo_load(**args)
    assert list(Visit.objects.order_by("pk").values_list("venue__name", "on", "visitor", "outcomes")) == first


def test_scenarios_without_drop_ins_get_none(db):
    provider = f.OrganisationFactory(type="provider")
    demo.demo_load(scenario=SimpleNamespace(name="rotherham"), organisations={"provider": provider}, end=END)
    assert not Venue.objects.exists()
