from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.utils.timezone import now

from safepath.accounts.models import Membership, User
from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, CaseStatusChange
from safepath.core.roles import OrganisationType, Role
from safepath.demo.cases import generate_cases
from safepath.demo.generate import generate_referrals
from safepath.programmes.selectors import delivering_providers
from safepath.referrals.choices import OPEN_STATUSES, Source
from safepath.referrals.models import Referral, WorkItem
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
    assert Membership.objects.filter(user__is_demo=True).count() == len(Role)
    assert Referral.objects.count() == 60
    cases = Case.objects.count()
    assert cases >= WorkItem.objects.filter(status="accepted", referral__received_at__lt=now() - timedelta(days=3)).count()
    assert not User.objects.filter(is_demo=False, memberships__isnull=False).exclude(password__startswith="!").exists()
    call_command("demo", no_serve=True)
    assert Case.objects.count() == cases
    assert not delivering_providers().exists()  # Medway buys no perpetrator interventions


def test_it_carries_cases_through_the_case_services(db):
    area = AreaFactory(postcode_districts="ME4 ME5")
    hub = OrganisationFactory(type=OrganisationType.HUB)
    hub.areas.add(area)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    end = datetime(2026, 11, 20, 17, tzinfo=ZoneInfo("Europe/London"))
    generate_referrals(hub=hub, provider=provider, count=600, seed=11, end=end)
    generate_cases(providers=[provider], end=end, seed=11)
    cases = Case.objects.filter(provider=provider)
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert {"idva", "outreach", "children"} <= set(cases.values_list("pathway__code", flat=True))
    assert cases.filter(is_rereferral=True).exists()
    assert cases.filter(engaged_at__isnull=False).exists()
    closed = cases.filter(status="closed")
    assert closed.exclude(closure_reason="").count() == closed.count()
    # Every case has its history: the first row opens it on the waiting list.
    assert CaseStatusChange.objects.filter(case__in=cases, from_status="", to_status="waiting").count() == cases.count()


def test_it_sets_up_a_consortium_with_each_pathway_delivered_by_its_provider(db, monkeypatch):
    from dataclasses import replace

    from safepath.demo import scenarios

    small = replace(scenarios.LEICESTERSHIRE, referrals_per_year=300)
    monkeypatch.setitem(scenarios.SCENARIOS, "leicestershire", small)
    call_command("demo", scenario="leicestershire", no_serve=True)
    by_provider = dict(
        Case.objects.values_list("pathway__code", "provider__name").distinct().order_by("pathway__code")
    )
    assert by_provider["idva"] == "Soar Valley Domestic Abuse Partnership"
    assert by_provider["outreach"] == "Wreake Community Outreach"
    assert by_provider["children"] == "Charnwood Children and Families Project"
    assert Referral.objects.filter(person__sex="male").exists()


END = datetime(2026, 11, 20, 17, tzinfo=ZoneInfo("Europe/London"))


def test_it_buys_perpetrator_interventions_where_a_provider_delivers_them(db, monkeypatch):
    from dataclasses import replace

    from safepath.demo import scenarios
    from safepath.programmes.models import PerpetratorOrder
    from safepath.programmes.selectors import harm_people_for

    monkeypatch.setitem(scenarios.SCENARIOS, "leicestershire", replace(scenarios.LEICESTERSHIRE, referrals_per_year=900))
    with time_machine.travel(END, tick=False):
        call_command("demo", scenario="leicestershire", no_serve=True)
    assert list(delivering_providers().values_list("name", flat=True)) == ["Foxton Change Programme"]
    orders = PerpetratorOrder.objects.select_related("victim_case", "provider", "ordering_organisation")
    assert orders.exists()
    for order in orders:
        assert order.provider.name == "Foxton Change Programme"
        assert order.ordering_organisation == order.victim_case.provider and order.victim_case.pathway.code == "idva"
        assert harm_people_for(order.victim_case).filter(pk=order.person_id).exists()
        changes = list(order.changes.order_by("at", "id"))
        assert changes[0].from_status == "" and changes[-1].to_status == order.status
        assert order.version == len(changes)
    assert orders.exclude(status__in=["requested", "declined"]).exists()


def test_it_gives_each_demo_account_work_to_see(db, monkeypatch, client):
    from dataclasses import replace

    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    from safepath.cases.models import VolunteerAssignment
    from safepath.demo import scenarios
    from safepath.demo.scenarios import demo_email

    monkeypatch.setitem(scenarios.SCENARIOS, "medway", replace(scenarios.MEDWAY, referrals_per_year=700))
    with time_machine.travel(END, tick=False):
        call_command("demo", no_serve=True)

    def signed_in(role: str) -> tuple[User, object]:
        user = User.objects.get(email=demo_email(role))
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return user, client

    caseworker, browser = signed_in(Role.CASEWORKER)
    held = Case.objects.filter(key_worker=caseworker, status__in=["allocated", "active", "stepping_down"])
    assert held.exists()
    assert held.first().reference in browser.get(reverse("cases:caseload")).content.decode()
    manager, browser = signed_in(Role.TEAM_MANAGER)
    provider = manager.memberships.get().organisation
    assert Case.objects.filter(provider=provider, status="waiting").exists()
    for name in ("cases:waiting_lists", "cases:team", "cases:handovers"):
        assert browser.get(reverse(name)).status_code == 200
    assert caseworker.full_name in browser.get(reverse("cases:team")).content.decode()
    volunteer, browser = signed_in(Role.VOLUNTEER)
    current = VolunteerAssignment.objects.filter(volunteer=volunteer, ended_on__isnull=True).select_related("case__person")
    assert current.filter(sessions__isnull=False).exists()
    assert current.first().case.person.first_name in browser.get(reverse("programmes:volunteer_home")).content.decode()


def test_it_gives_the_same_records_for_the_same_seed_and_others_for_another(db, monkeypatch):
    from dataclasses import replace

    from django.db import transaction

    from safepath.demo import scenarios

    monkeypatch.setitem(scenarios.SCENARIOS, "rotherham", replace(scenarios.ROTHERHAM, referrals_per_year=40))

    def names(seed: int) -> list[tuple[str, str]]:
        with transaction.atomic():
            call_command("demo", scenario="rotherham", no_serve=True, seed=seed)
            found = list(Referral.objects.order_by("received_at", "pk").values_list("person__first_name", "risk_level"))
            transaction.set_rollback(True)
        return found

    assert names(7) == names(7)
    assert names(7) != names(8)
