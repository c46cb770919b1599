"""The Leicestershire scenario through safepath's own outputs: a service for every victim including
men (`safepath report`), a three-provider consortium with sub-contract shares and the £1.1m safe
accommodation grant in the funding flow, and the Part 4 return (`safepath export part4-return`).

The referral volume is scaled down (900 of 5,200 a year): the headline figures here are shares
and money, not counts of referrals.
"""

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.commissioning.flow import funding_flow_for_organisation
from safepath.commissioning.terms import financial_year


def test_it_runs_the_consortium_for_every_victim_with_its_money_and_safe_accommodation(db, monkeypatch, tmp_path):
    from safepath.demo import scenarios

    monkeypatch.setitem(
        scenarios.SCENARIOS, "leicestershire", replace(scenarios.LEICESTERSHIRE, referrals_per_year=900)
    )
    call_command("demo", scenario="leicestershire", no_serve=True)
    today = timezone.localdate()
    period = ["--from", (today - timedelta(days=366)).isoformat(), "--to", today.isoformat()]

    call_command("report", *period, "--output", str(tmp_path / "report.json"))
    report = json.loads((tmp_path / "report.json").read_text())
    by_sex = report["demand"]["by_sex"]
    men = by_sex["male"] / (by_sex["female"] + by_sex["male"])
    assert 0.12 < men < 0.24  # the scenario's 18% male victims
    districts = [row for row in report["coverage"]["by_area"] if row["area"] not in ("Maidstone",)]
    assert sum(1 for row in districts if row["referrals"]) >= 8  # city and every county district reached

    county = Organisation.objects.get(name="Leicestershire County Council Public Health")
    flow = funding_flow_for_organisation(county.pk, financial_year(today))
    grant = [name for name in flow.funders if "Part 4" in name or "Safe accommodation" in name]
    assert grant and flow.funders[grant[0]] <= Decimal("1100000")
    consortium = [link for link in flow.links if link.stage == 2 and "consortium" in link.source.lower()]
    assert {round(link.share) for link in consortium} == {55, 30, 15}
    assert sum(flow.funders.values()) == sum(flow.providers.values())

    call_command("export", "part4-return", *period, "--output", str(tmp_path / "part4.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "part4.csv").read_text())))
    assert len(rows) > 5 and rows[0]
