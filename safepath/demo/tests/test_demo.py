from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command

from safepath.accounts.models import Membership, User
from safepath.core.roles import OrganisationType, Role
from safepath.demo.generate import generate_referrals
from safepath.referrals.choices import OPEN_STATUSES, Source
from safepath.referrals.models import Referral
from safepath.testing import AreaFactory, OrganisationFactory


def test_it_generates_referrals_from_every_source_at_every_risk_level(db):
    area = AreaFactory(postcode_districts="ME4 ME5")
    hub = OrganisationFactory(type=OrganisationType.HUB)
    hub.areas.add(area)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    generate_referrals(hub=hub, provider=provider, count=400, seed=7, end=datetime(2026, 11, 20, 17, tzinfo=ZoneInfo("Europe/London")))
    referrals = Referral.objects.filter(hub=hub)
    assert referrals.count() == 400
    assert set(referrals.values_list("source", flat=True)) == set(Source.values)
    assert set(referrals.values_list("risk_level", flat=True)) == {"standard", "medium", "high"}
    assert referrals.filter(status__in=OPEN_STATUSES).exists()
    assert referrals.values("person").distinct().count() < 400  # re-referrals of the same people
    assert referrals.filter(match_status="auto_linked").exists()
    assert referrals.filter(is_marac_case=True, is_repeat=True).exists()


def test_it_sets_up_the_demo_twice_without_duplicating_anything(db, monkeypatch):
    from dataclasses import replace

    from safepath.demo import scenarios

    monkeypatch.setitem(scenarios.SCENARIOS, "medway", replace(scenarios.MEDWAY, referrals_per_year=60))
    call_command("demo", no_serve=True)
    call_command("demo", no_serve=True)
    assert User.objects.filter(is_demo=True).count() == len(Role)
    assert Membership.objects.count() == len(Role)
    assert Referral.objects.count() == 60
