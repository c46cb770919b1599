"""Targets measured by a report figure, and the lead commissioner's updates: a narrative and,
where no report figure applies, the actual for a period. Kept as history, audited, written once
per form, refused in plain words next to the field, and only by the lead commissioner."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from safepath.commissioning import measures, selectors, services
from safepath.commissioning.models import Target, TargetUpdate
from safepath.commissioning.tests.factories import make_contract
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, assert_constant_queries, make_member

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2025-10-06 10:00", tick=False):
        yield


@pytest.fixture
def commissioner() -> Any:
    return make_member(Role.COMMISSIONER)


@pytest.fixture
def contract(commissioner: Any) -> Any:
    return make_contract(commissioner.memberships.get().organisation)


def _target(contract: Any, metric: str = "", unit: str = "%") -> Target:
    return services.target_create(
        request=None,
        contract=contract,
        name="Clients feeling safer at exit",
        kind="outcome",
        polarity="higher",
        value=Decimal("80"),
        unit=unit,
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
        metric=metric,
    )


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "token": TOKEN,
        "start_day": "1",
        "start_month": "7",
        "start_year": "2025",
        "end_day": "30",
        "end_month": "9",
        "end_year": "2025",
        "actual": "78",
        "narrative": "Exit questionnaires returned by most clients.",
    } | extra


# --- measures and the service ----------------------------------------------------------------


def test_every_measure_is_a_figure_of_the_report_json(db: Any) -> None:
    """Each key names a figure `safepath report` prints, so the actual is that same number."""
    from safepath.reporting.metrics.scope import Scope
    from safepath.reporting.periods import Period
    from safepath.reporting.report import build_report
    from safepath.reporting.sections.performance import lookup

    report = build_report(Scope(Period(date(2025, 4, 1), date(2025, 6, 30))))
    for m in measures.MEASURES:
        lookup(report, m.key)  # KeyError if the report has no such figure
        if m.base:
            lookup(report, m.base)


def test_a_target_takes_a_measure_and_its_unit(contract: Any) -> None:
    target = _target(contract, metric="idva.engagement_rate", unit="people")
    assert target.metric == "idva.engagement_rate" and target.unit == "%"
    assert str(target.measure.label) == "IDVA engagement rate"
    with pytest.raises(ValidationError) as error:
        _target(contract, metric="referrals.everything")
    assert "metric" in error.value.message_dict
    assert Target.objects.filter(contract=contract).count() == 1


def test_an_update_is_kept_as_history_and_audited(contract: Any) -> None:
    target = _target(contract)
    first = services.target_update_record(
        request=None,
        target=target,
        token=TOKEN,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        narrative="  First go.  ",
        actual=Decimal("70"),
    )
    again = services.target_update_record(
        request=None,
        target=target,
        token=TOKEN,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        narrative="A double click",
        actual=Decimal("71"),
    )
    assert again.pk == first.pk and TargetUpdate.objects.count() == 1  # the same form saved once
    second = services.target_update_record(
        request=None,
        target=target,
        token="b" * 32,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        narrative="Corrected after the provider's return.",
        actual=Decimal("78"),
    )
    assert [u.pk for u in selectors.updates_for_target(target)] == [second.pk, first.pk]
    assert first.narrative == "First go." and TargetUpdate.objects.get(pk=first.pk).actual == Decimal("70")
    assert selectors.targets_with_latest_update(contract) == [(target, second)]
    audit = AuditEvent.objects.filter(object_type="commissioning.targetupdate")
    assert set(audit.values_list("object_id", flat=True)) == {str(first.pk), str(second.pk)}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"narrative": "   "}, "narrative"),
        ({"period_start": date(2025, 10, 1), "period_end": date(2025, 9, 30)}, "period_end"),
        ({"period_start": date(2026, 4, 1), "period_end": date(2026, 6, 30)}, "period_start"),  # outside the target
        ({"period_start": date(2025, 11, 1), "period_end": date(2025, 12, 31)}, "period_start"),  # not begun
    ],
)
def test_the_service_refuses_bad_updates_and_saves_nothing(contract: Any, changes: dict, field: str) -> None:
    values = {
        "period_start": date(2025, 7, 1),
        "period_end": date(2025, 9, 30),
        "narrative": "Fine.",
        "actual": None,
    } | changes
    with pytest.raises(ValidationError) as error:
        services.target_update_record(request=None, target=_target(contract), token=TOKEN, **values)
    assert field in error.value.message_dict
    assert not TargetUpdate.objects.exists()


def test_a_measured_target_takes_no_hand_recorded_actual(contract: Any) -> None:
    target = _target(contract, metric="outcomes.abuse_stopped_or_reduced.rate")
    with pytest.raises(ValidationError) as error:
        services.target_update_record(
            request=None,
            target=target,
            token=TOKEN,
            period_start=date(2025, 7, 1),
            period_end=date(2025, 9, 30),
            narrative="Fine.",
            actual=Decimal("80"),
        )
    assert "comes from the report" in error.value.message_dict["actual"][0]


# --- the page --------------------------------------------------------------------------------


def test_the_lead_commissioner_writes_an_update(login: Any, commissioner: Any, contract: Any) -> None:
    target = _target(contract)
    client = login(commissioner)
    url = reverse("commissioning:target_update", args=[contract.pk, target.pk])
    page = client.get(url).content.decode()
    assert "Actual for the period (%)" in page and 'name="narrative"' in page
    response = client.post(url, _form())
    assert response.status_code == 302 and response["Location"] == reverse("commissioning:contract", args=[contract.pk])
    update = TargetUpdate.objects.get()
    assert (update.actual, update.author, update.period_start) == (Decimal("78"), commissioner, date(2025, 7, 1))
    assert client.post(url, _form()).status_code == 302  # a double submission
    assert TargetUpdate.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="commissioning.targetupdate", user_id=commissioner.pk).count() == 1
    detail = client.get(reverse("commissioning:contract", args=[contract.pk])).content.decode()
    assert "Exit questionnaires returned by most clients." in detail and "Write an update" in detail


def test_bad_input_is_shown_next_to_the_field_and_kept(login: Any, commissioner: Any, contract: Any) -> None:
    target = _target(contract)
    client = login(commissioner)
    url = reverse("commissioning:target_update", args=[contract.pk, target.pk])
    response = client.post(url, _form(narrative="", actual="seventy", start_month="13"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Write the narrative: how the service did against the target, and why." in page
    assert "Enter the actual as a number, like 85." in page
    assert "Start of the period must be a real date" in page
    assert 'value="30"' in page  # the valid end day is kept
    assert not TargetUpdate.objects.exists()
    response = client.post(url, _form(start_year="2027", end_year="2027"))
    assert "s period, 1 April 2025 to 31 March 2026." in response.content.decode()


def test_a_measured_target_has_no_actual_box(login: Any, commissioner: Any, contract: Any) -> None:
    target = _target(contract, metric="marac.repeat_rate")
    client = login(commissioner)
    url = reverse("commissioning:target_update", args=[contract.pk, target.pk])
    page = client.get(url).content.decode()
    assert 'name="actual"' not in page and "MARAC repeat rate" in page
    assert client.post(url, _form()).status_code == 302
    assert TargetUpdate.objects.get().actual is None  # an actual posted anyway is ignored


def test_a_target_is_added_with_a_measure(login: Any, commissioner: Any, contract: Any) -> None:
    client = login(commissioner)
    url = reverse("commissioning:target_add", args=[contract.pk])
    assert "IDVA engagement rate" in client.get(url).content.decode()
    data = {
        "name": "IDVA clients engaging",
        "kind": "output",
        "polarity": "higher",
        "value": "85",
        "unit": "",
        "metric": "idva.engagement_rate",
        "start_day": "1",
        "start_month": "4",
        "start_year": "2025",
        "end_day": "31",
        "end_month": "3",
        "end_year": "2026",
    }
    assert client.post(url, data | {"metric": "nonsense"}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert Target.objects.get().metric == "idva.engagement_rate"


def test_another_organisations_contract_is_not_found(login: Any, contract: Any) -> None:
    target = _target(contract)
    outsider = make_member(Role.COMMISSIONER)
    url = reverse("commissioning:target_update", args=[contract.pk, target.pk])
    assert login(outsider).post(url, _form()).status_code == 404
    assert not TargetUpdate.objects.exists()


def test_co_commissioners_and_providers_may_not_write(login: Any, client: Any, contract: Any) -> None:
    target = _target(contract)
    co = make_member(Role.COMMISSIONER)
    contract.co_commissioners.add(co.memberships.get().organisation)
    provider = make_member(Role.TEAM_MANAGER, contract.partners.get().organisation)
    url = reverse("commissioning:target_update", args=[contract.pk, target.pk])
    assert login(co).post(url, _form()).status_code == 403
    client.logout()
    assert login(provider).get(url).status_code == 403
    assert login(provider).get(reverse("commissioning:contract", args=[contract.pk])).status_code == 200
    assert not TargetUpdate.objects.exists()


def test_a_target_of_another_contract_is_not_found(login: Any, commissioner: Any, contract: Any) -> None:
    other = make_contract(OrganisationFactory(type=OrganisationType.COMMISSIONER))
    url = reverse("commissioning:target_update", args=[contract.pk, _target(other).pk])
    assert login(commissioner).get(url).status_code == 404


def test_the_contract_page_reads_targets_in_constant_queries(login: Any, commissioner: Any, contract: Any) -> None:
    made = iter(range(1000))

    def grow(n: int) -> None:
        for _ in range(n):
            services.target_update_record(
                request=None,
                target=_target(contract),
                token=f"{next(made):032x}",
                period_start=date(2025, 7, 1),
                period_end=date(2025, 9, 30),
                narrative="Fine.",
            )

    assert_constant_queries(login(commissioner), reverse("commissioning:contract", args=[contract.pk]), grow)


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_contracts_have_measured_targets_and_narratives() -> None:
    from types import SimpleNamespace

    from django.utils import timezone

    from safepath.commissioning import demo
    from safepath.reporting.metrics.scope import Scope
    from safepath.reporting.periods import Period
    from safepath.reporting.report import build_report

    end = timezone.make_aware(datetime(2025, 10, 6, 9, 0))
    commissioner = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    medway = {"commissioner": commissioner, "provider": OrganisationFactory(type=OrganisationType.PROVIDER)}
    demo.demo_load(scenario=SimpleNamespace(name="medway"), organisations=medway, end=end)
    leics = {"commissioner": OrganisationFactory(type=OrganisationType.COMMISSIONER)} | {
        key: OrganisationFactory(type=OrganisationType.PROVIDER)
        for key in ("provider", "provider_community", "provider_children", "provider_perpetrator")
    }
    demo.demo_load(scenario=SimpleNamespace(name="leicestershire"), organisations=leics, end=end)
    for reference in ("MC-PH-0417", "LCC-DSVA-2201"):
        targets = Target.objects.filter(contract__reference=reference)
        assert targets.exclude(metric="").count() >= 2
        assert TargetUpdate.objects.filter(target__in=targets, period_start=date(2025, 7, 1)).count() >= 3
    report = build_report(Scope(Period(date(2025, 7, 1), date(2025, 9, 30))))
    rows = {row["target"]: row for row in report.sections["performance"]}
    assert rows["IDVA clients engaging with support"]["measure"] == "idva.engagement_rate"
    assert rows["Victims at high risk contacted within 2 working days"]["rag"] == "amber"  # 87% against 90%
    assert rows["Referrals contacted within 2 working days"]["rag"] == "green"  # 92% against 90%
    assert rows["MARAC repeat rate"]["narrative"].startswith("Repeats are reviewed")
    assert rows["People supported from rural districts"]["rag_words"] == (
        "Not rated: no actual recorded for this period"
    )
    assert report.sections["funding"]  # the Medway and Leicestershire money for 2025/26
