"""The Dorset scenario: a rural county whose service must reach every locality, with children
identified and an age profile like the people who experience abuse (DOMAIN.md)."""

import json
from dataclasses import replace
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Count
from django.utils.timezone import localdate

from safepath.areas.models import Area, RuralUrbanClass
from safepath.referrals.models import Referral


def test_it_reaches_every_locality_of_a_rural_county_with_children_identified(db, monkeypatch, tmp_path):
    from safepath.demo import scenarios

    monkeypatch.setitem(scenarios.SCENARIOS, "dorset", replace(scenarios.DORSET, referrals_per_year=400))
    call_command("demo", scenario="dorset", no_serve=True)

    localities = Area.objects.filter(parent__name="Dorset")
    assert localities.count() == 5
    assert localities.exclude(rural_urban_class=RuralUrbanClass.URBAN_CITY_TOWN).count() == 4
    by_area = dict(Referral.objects.values_list("area__name").annotate(n=Count("id")))
    assert all(by_area.get(name, 0) > 10 for name in localities.values_list("name", flat=True)), by_area

    referrals = Referral.objects.select_related("person")
    with_children = referrals.filter(children_in_household__gt=0).count()
    assert 0.55 < with_children / referrals.count() < 0.70  # weights 38 / 26 / 22 / 14

    today = localdate()
    ages = [(r.received_at.date() - r.person.date_of_birth).days // 365.25 for r in referrals if r.person.date_of_birth]
    assert min(ages) >= 16
    young = sum(1 for age in ages if age < 25) / len(ages)
    old = sum(1 for age in ages if age >= 65) / len(ages)
    assert young > old  # younger adults are over-represented, as prevalence says
    assert today.year - 81 <= min(r.person.date_of_birth.year for r in referrals if r.person.date_of_birth)

    # The same through safepath report: coverage per 1,000 adults in every locality, rural below urban.
    call_command(
        "report", "--from", (today - timedelta(days=366)).isoformat(), "--to", today.isoformat(),
        "--output", str(tmp_path / "report.json"),
    )  # fmt: skip
    report = json.loads((tmp_path / "report.json").read_text())
    coverage = {row["area"]: row for row in report["coverage"]["by_area"]}
    assert all(coverage[name]["referrals_per_1000"] > 0 for name in localities.values_list("name", flat=True))
    split = report["coverage"]["rural_urban"]
    assert split["rural"]["referrals_per_1000"] < split["urban"]["referrals_per_1000"]
