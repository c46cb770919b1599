"""The Rotherham scenario: support for adult survivors of child sexual exploitation, configured,
not coded — a pathway of its own with a twelve-month support period, three providers aligned to
an NHS hub, fast re-referral and outcomes on health, coping and control."""

import json
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from safepath.cases.models import Case, PathwaySettings
from safepath.outcomes.models import Recording
from safepath.referrals.models import Referral, WorkItem


def test_it_runs_a_survivors_service_on_its_own_configured_pathway(db, tmp_path):
    call_command("demo", scenario="rotherham", no_serve=True)

    settings = PathwaySettings.objects.get(pathway__code="cse-survivors")
    assert (settings.support_months, settings.rereferral_priority, settings.caseload_high) == (12, "skip", 25)

    referrals = Referral.objects.all()
    assert referrals.count() == 380
    assert not referrals.filter(dash_score__isnull=False).exists()  # not a Dash-assessed service
    items = WorkItem.objects.filter(status="accepted")
    assert set(items.values_list("pathway__code", flat=True)) == {"cse-survivors"}
    by_provider = dict(items.values_list("provider__name").annotate(n=Count("id")))
    assert len(by_provider) == 3 and min(by_provider.values()) > 40, by_provider

    cases = Case.objects.filter(pathway__code="cse-survivors")
    assert cases.filter(status="waiting").exists()  # a waiting list
    assert cases.filter(status__in=["active", "stepping_down"]).count() > cases.filter(status="closed").count() / 2
    measures = set(
        Recording.objects.filter(case__in=cases).values_list("measure__framework__code", flat=True).distinct()
    )
    assert "rotherham" in measures

    # Through safepath report: time to first contact, and change on health, coping and control.
    today = timezone.localdate()
    call_command(
        "report", "--from", (today - timedelta(days=366)).isoformat(), "--to", today.isoformat(),
        "--no-suppress", "--output", str(tmp_path / "report.json"),
    )  # fmt: skip
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["waiting"]["median_days_to_first_contact"] > 0
    assert any(code.startswith("rotherham.") for code in report["outcomes"]["measures"])
