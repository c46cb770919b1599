"""Extension decisions under the approval rules, deadlines and alerts (frozen clock),
decommissioning, variations and funding allocations that never exceed their source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from safepath.commissioning import alerts, services, tasks
from safepath.commissioning.choices import Decision
from safepath.commissioning.models import AlertWindow, Allocation, ApprovalRule, DeadlineAlert, FundingYear
from safepath.commissioning.selectors import option_schedule
from safepath.commissioning.tests.factories import body, make_contract, make_funding
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> object:
    return OrganisationFactory(type=OrganisationType.COMMISSIONER)


def _decide(option: object, code: str, on: date, decision: str = Decision.APPROVED) -> object:
    return services.option_decide(
        request=None, option=option, decision=decision, body=body(code), decided_on=on, evidence="Cabinet minute 42"
    )


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_refuses_a_decision_by_a_body_without_the_authority_the_rule_requires(council: object) -> None:
    contract = make_contract(council, first_approved_by="cabinet")
    option = contract.options.get(sequence=1)
    with pytest.raises(ValidationError) as refused:
        _decide(option, "director", date(2025, 9, 1))
    message = refused.value.message_dict["body"][0]
    assert "Director cannot take this decision" in message and "Cabinet" in message
    option.refresh_from_db()
    assert option.decision == Decision.PENDING


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_records_an_approval_with_the_rule_and_moves_the_end_date(council: object) -> None:
    contract = make_contract(council, first_approved_by="cabinet")
    option = _decide(contract.options.get(sequence=1), "cabinet", date(2025, 9, 1))
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 3, 31)
    assert option.required_body.code == "cabinet" and option.decided_by_body.code == "cabinet"
    assert option.rule.name.startswith("An extension longer than 3 months")
    assert AuditEvent.objects.filter(object_type="commissioning.extensionoption", object_id=str(option.pk)).exists()


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_lets_a_director_approve_when_the_contract_was_first_approved_by_a_director(council: object) -> None:
    contract = make_contract(council, first_approved_by="director")
    option = _decide(contract.options.get(sequence=1), "director", date(2025, 9, 1))
    assert option.required_body.code == "director"


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_follows_a_changed_rule(council: object) -> None:
    ApprovalRule.objects.filter(months_over=3).update(required_body=body("lead_member"))
    contract = make_contract(council, first_approved_by="cabinet")
    option = _decide(contract.options.get(sequence=1), "lead_member", date(2025, 9, 1))
    assert option.required_body.code == "lead_member"


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_decides_options_in_order_and_lapses_the_rest_when_one_is_declined(council: object) -> None:
    contract = make_contract(council, options=[24, 24, 12])
    with pytest.raises(ValidationError, match="earlier options first"):
        _decide(contract.options.get(sequence=2), "cabinet", date(2025, 9, 1))
    _decide(contract.options.get(sequence=1), "cabinet", date(2025, 9, 1), Decision.DECLINED)
    assert list(contract.options.values_list("decision", flat=True)) == [
        Decision.DECLINED,
        Decision.LAPSED,
        Decision.LAPSED,
    ]
    contract.refresh_from_db()
    assert contract.end_date == date(2026, 3, 31)


@time_machine.travel("2026-04-02 10:00", tick=False)
def test_it_refuses_an_option_once_the_term_it_would_extend_has_ended(council: object) -> None:
    contract = make_contract(council)
    with pytest.raises(ValidationError) as refused:
        _decide(contract.options.get(sequence=1), "cabinet", date(2026, 4, 2))
    assert "no longer be taken" in refused.value.message_dict["decided_on"][0]


def test_it_shows_an_option_overdue_only_after_its_deadline(council: object) -> None:
    contract = make_contract(council, lead_days=180)  # initial term ends 31 Mar 2026: deadline 2 Oct 2025
    first = option_schedule(contract, date(2025, 10, 2))[0]
    assert first.is_next and not first.overdue and first.days_left == 0
    assert option_schedule(contract, date(2025, 10, 3))[0].overdue
    assert not option_schedule(contract, date(2025, 10, 3))[1].is_next


def test_it_alerts_the_lead_commissioners_once_per_window_with_a_frozen_clock(council: object, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "https://safepath.example.gov.uk"
    make_member(Role.COMMISSIONER, council, email="lead@example.test")
    co = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    make_member(Role.COMMISSIONER, co, email="co@example.test")
    contract = make_contract(council)  # deadline 2 Oct 2025; windows 90, 30, 7 and overdue
    contract.co_commissioners.add(co)
    with time_machine.travel("2025-07-01 08:00", tick=False):
        assert tasks.send_deadline_alerts.call() == 0  # 93 days before: nothing yet
    with time_machine.travel("2025-07-04 08:00", tick=False):
        assert alerts.deadline_alerts_send() == 1
        assert alerts.deadline_alerts_send() == 0  # the same window is not alerted twice
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lead@example.test"]
    assert contract.reference in mail.outbox[0].subject
    assert f"https://safepath.example.gov.uk/commissioning/contracts/{contract.pk}/" in mail.outbox[0].body
    with time_machine.travel("2025-09-28 08:00", tick=False):  # 4 days before: the 30 and 7 windows both reached
        assert alerts.deadline_alerts_send() == 1
    assert list(DeadlineAlert.objects.values_list("days_before", flat=True).order_by("sent_at")) == [90, 7]
    with time_machine.travel("2025-10-03 08:00", tick=False):
        assert alerts.deadline_alerts_send() == 1
        assert "overdue" in mail.outbox[-1].subject


def test_it_stops_alerting_once_the_option_is_decided(council: object) -> None:
    make_member(Role.COMMISSIONER, council)
    contract = make_contract(council)
    with time_machine.travel("2025-09-01 08:00", tick=False):
        _decide(contract.options.get(sequence=1), "cabinet", date(2025, 9, 1))
        assert alerts.deadline_alerts_send() == 0  # the next option is due in 2027


def test_it_uses_the_configured_alert_windows(council: object) -> None:
    AlertWindow.objects.all().delete()
    AlertWindow.objects.create(days_before=120)
    make_contract(council)
    with time_machine.travel("2025-06-10 08:00", tick=False):
        assert alerts.deadline_alerts_send() == 1
    assert DeadlineAlert.objects.get().days_before == 120


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_decommissions_with_a_transition_plan_and_lapses_open_options(council: object) -> None:
    contract = make_contract(council)
    with pytest.raises(ValidationError) as refused:
        services.contract_decommission(
            request=None,
            contract=contract,
            end_date=date(2026, 3, 31),
            transition_plan="Step down",
            decided_on=date(2025, 9, 1),
            body=body("director"),
            evidence="Report 7",
        )
    assert "Lead member" in refused.value.message_dict["body"][0]
    services.contract_decommission(
        request=None,
        contract=contract,
        end_date=date(2026, 1, 31),
        transition_plan="Step down to the new service",
        decided_on=date(2025, 9, 1),
        body=body("lead_member"),
        evidence="Decision notice 7",
    )
    contract.refresh_from_db()
    assert contract.end_date == date(2026, 1, 31)
    assert set(contract.options.values_list("decision", flat=True)) == {Decision.LAPSED}


@time_machine.travel("2025-09-01 10:00", tick=False)
def test_it_records_a_variation_and_changes_the_total_value(council: object) -> None:
    contract = make_contract(council, annual=Decimal("100000.00"))
    with pytest.raises(ValidationError):
        services.variation_record(
            request=None,
            contract=contract,
            token="a" * 32,
            description="More hours",
            value_change=Decimal("60000"),
            agreed_on=date(2025, 8, 1),
            body=body("officer"),
            evidence="",
        )
    services.variation_record(
        request=None,
        contract=contract,
        token="b" * 32,
        description="More hours",
        value_change=Decimal("60000"),
        agreed_on=date(2025, 8, 1),
        body=body("director"),
        evidence="Delegated decision 3",
    )
    contract.refresh_from_db()
    assert contract.total_value == Decimal("560000.00")


def test_it_refuses_an_allocation_that_would_exceed_the_source(council: object) -> None:
    year = make_funding(council, Decimal("1100000.00"))
    contract = make_contract(council)
    services.allocation_create(request=None, funding_year=year, contract=contract, amount=Decimal("1000000.00"))
    with pytest.raises(ValidationError) as refused:
        services.allocation_create(
            request=None, funding_year=year, spot_purchase="perpetrator work", amount=Decimal("100000.01")
        )
    assert "Only £100,000.00 of this source is left" in refused.value.message_dict["amount"][0]
    services.allocation_create(
        request=None, funding_year=year, spot_purchase="perpetrator work", amount=Decimal("100000.00")
    )
    assert sum(a.amount for a in Allocation.objects.all()) == year.amount


def test_it_keeps_the_running_total_that_the_database_holds_under_the_amount(council: object) -> None:
    year = make_funding(council, Decimal("500.00"))
    services.allocation_create(request=None, funding_year=year, spot_purchase="x", amount=Decimal("400.00"))
    year.refresh_from_db()
    assert year.allocated_total == Decimal("400.00")
    # Whatever a future code path forgets to check, the database refuses more than the source holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingYear.objects.filter(pk=year.pk).update(allocated_total=F("allocated_total") + Decimal("100.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingYear.objects.filter(pk=year.pk).update(amount=Decimal("399.99"))


def test_it_refuses_to_cut_a_source_below_what_is_allocated(council: object) -> None:
    year = make_funding(council, Decimal("500.00"))
    services.allocation_create(request=None, funding_year=year, spot_purchase="x", amount=Decimal("400.00"))
    with pytest.raises(ValidationError, match="already allocated"):
        services.funding_year_set(request=None, source=year.source, year=year.year, amount=Decimal("399.99"))


def test_it_locks_the_source_row_while_checking(council: object) -> None:
    year = make_funding(council, Decimal("500.00"))
    with CaptureQueriesContext(connection) as queries:
        services.allocation_create(request=None, funding_year=year, spot_purchase="x", amount=Decimal("1.00"))
    if connection.features.has_select_for_update:
        assert any(
            "FOR UPDATE" in q["sql"] for q in queries.captured_queries if "commissioning_fundingyear" in q["sql"]
        )


def test_it_refuses_partner_shares_that_do_not_add_up(council: object) -> None:
    lead, partner = (OrganisationFactory(type=OrganisationType.PROVIDER) for _ in range(2))
    shares = [
        services.PartnerShare(lead, "lead", Decimal("60")),
        services.PartnerShare(partner, "subcontractor", Decimal("30")),
    ]
    with pytest.raises(ValidationError, match="add up to 100"):
        services.contract_create(request=None, commissioner=council, partners=shares, option_months=[12])
