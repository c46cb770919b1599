"""Pages: recording an extension decision through the approval rule, the register export,
the funding flow (links sum to the table's totals), funding with perpetrator spot purchases,
budgets, and what providers may see."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from safepath.commissioning import flow, services
from safepath.commissioning.choices import Decision
from safepath.commissioning.exports import REGISTER_COLUMNS, contracts_register
from safepath.commissioning.models import BudgetLine, BudgetPlan, SavingsTarget, TargetPopulation
from safepath.commissioning.tests.factories import body, make_contract, make_funding
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, assert_constant_queries, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner() -> Any:
    return make_member(Role.COMMISSIONER)


def _org(user: Any) -> Any:
    return user.memberships.get().organisation


def _decision(body_pk: int, **extra: Any) -> dict[str, Any]:
    return {
        "decision": Decision.APPROVED,
        "body": body_pk,
        "decided_day": "1",
        "decided_month": "9",
        "decided_year": "2025",
        "evidence": "Cabinet minute 88",
        **extra,
    }


@time_machine.travel("2025-09-02 10:00", tick=False)
def test_it_refuses_then_records_an_extension_decision_through_the_rule(login: Any, commissioner: Any) -> None:
    contract = make_contract(_org(commissioner), first_approved_by="cabinet")
    option = contract.options.get(sequence=1)
    client = login(commissioner)
    url = reverse("commissioning:option_decide", args=[option.pk])
    page = client.get(url)
    assert "Cabinet (the executive)" in page.content.decode()
    refused = client.post(url, _decision(body("director").pk, version=0))
    assert refused.status_code == 200
    assert "Director cannot take this decision: it needs Cabinet (the executive)" in refused.content.decode()
    done = client.post(url, _decision(body("cabinet").pk, version=0))
    assert done.status_code == 302
    option.refresh_from_db()
    assert option.decision == Decision.APPROVED and option.decided_by == commissioner
    assert AuditEvent.objects.filter(
        action="update", object_type="commissioning.extensionoption", user_id=commissioner.pk
    ).exists()
    detail = client.get(reverse("commissioning:contract", args=[contract.pk])).content.decode()
    assert "31 Mar 2028" in detail  # the new end date


def test_it_shows_providers_their_contract_and_targets_read_only(login: Any, commissioner: Any) -> None:
    manager = make_member(Role.TEAM_MANAGER)
    contract = make_contract(_org(commissioner), _org(manager))
    services.target_create(
        request=None,
        contract=contract,
        name="Clients feeling safer",
        kind="outcome",
        polarity="higher",
        value=Decimal(80),
        unit="%",
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
    )
    page = login(manager).get(reverse("commissioning:contract", args=[contract.pk])).content.decode()
    assert "Clients feeling safer" in page
    assert "Record the decision" not in page and "Decommission" not in page


def test_it_exports_exactly_the_transparency_code_columns_safely(login: Any, commissioner: Any) -> None:
    make_contract(_org(commissioner), title='=HYPERLINK("http://evil.test")')
    make_contract(OrganisationFactory(type=OrganisationType.COMMISSIONER), title="Not ours")
    client = login(commissioner)
    response = client.get(reverse("commissioning:contracts_export") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == REGISTER_COLUMNS
    assert ",".join(rows[0]) == (
        "reference,title,department,description,supplier_name,supplier_registration_number,sme,voluntary_sector,"
        "total_value,annual_value,vat_unrecoverable,start_date,end_date,review_date,procurement_route"
    )
    assert len(rows) == 2  # only the commissioner's own contract
    assert not rows[1][1].startswith("=") and "HYPERLINK" in rows[1][1]
    book = load_workbook(io.BytesIO(client.get(reverse("commissioning:contracts_export") + "?format=xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(REGISTER_COLUMNS)
    assert sheet.cell(2, 2).data_type == "s" and not str(sheet.cell(2, 2).value).startswith("=")
    assert AuditEvent.objects.filter(action="export", reason="contracts register").count() == 2


def test_it_publishes_every_contract_from_the_command_line(commissioner: Any) -> None:
    make_contract(_org(commissioner))
    make_contract(OrganisationFactory(type=OrganisationType.COMMISSIONER))
    table = contracts_register()
    assert len(table.rows) == 2 and list(table.header) == list(REGISTER_COLUMNS)


def _pooled_world(commissioner: Any) -> tuple[Any, Any, Any]:
    org = _org(commissioner)
    lead, partner, other = (OrganisationFactory(type=OrganisationType.PROVIDER) for _ in range(3))
    consortium = make_contract(org, lead, partners=[(partner, Decimal("33.33"))])
    council = make_funding(org, Decimal("1000000.00"), name="Council public health")
    nhs = make_funding(org, Decimal("500000.00"), name="NHS ICB")
    services.allocation_create(request=None, funding_year=council, contract=consortium, amount=Decimal("700000.01"))
    services.allocation_create(request=None, funding_year=nhs, contract=consortium, amount=Decimal("300000.00"))
    services.allocation_create(
        request=None,
        funding_year=nhs,
        spot_purchase="perpetrator interventions",
        provider=other,
        amount=Decimal("50000.00"),
    )
    return consortium, lead, partner


def test_it_sums_the_flow_links_to_the_tables_totals(login: Any, commissioner: Any) -> None:
    _consortium, lead, partner = _pooled_world(commissioner)
    commissioner.current_membership = commissioner.memberships.get()
    money = flow.funding_flow(commissioner, 2025)
    assert money.total == Decimal("1050000.01")
    assert sum(money.providers.values()) == money.total == sum(money.contracts.values())
    into = {name: sum(x.amount for x in money.links if x.stage == 2 and x.source == name) for name in money.contracts}
    assert into == money.contracts  # every contract passes on exactly what it receives
    assert money.providers[partner.name] == Decimal("333300.00")
    assert money.providers[lead.name] == Decimal("666700.01")  # the lead takes the rounding
    page = login(commissioner).get(reverse("commissioning:funding_flow") + "?year=2025").content.decode()
    assert "data:image/svg+xml;base64," in page
    assert "£1,050,000.01" in page and lead.name in page
    import re

    stage1 = [Decimal(a) for a in re.findall(r'data-amount="([\d.]+)"', page.split('data-testid="flow-stage2"')[0])]
    stage2 = [Decimal(a) for a in re.findall(r'data-amount="([\d.]+)"', page.split('data-testid="flow-stage2"')[1])]
    assert sum(stage1) == sum(stage2) == money.total
    funding = login(commissioner).get(reverse("commissioning:funding") + "?year=2025").content.decode()
    assert "Pooled budgets" in funding and "70.0%" in funding and "30.0%" in funding


def test_it_draws_one_band_per_link(commissioner: Any) -> None:
    from safepath.commissioning.charts import sankey_svg

    _pooled_world(commissioner)
    commissioner.current_membership = commissioner.memberships.get()
    money = flow.funding_flow(commissioner, 2025)
    svg = sankey_svg(money)
    assert svg.count('id="patch_') >= len(money.links) and "<svg" in svg


def test_it_shows_perpetrator_spot_purchases_against_their_allocation(login: Any, commissioner: Any) -> None:
    from safepath.programmes.models import PerpetratorOrder
    from safepath.programmes.tests import factories as pf

    hub = OrganisationFactory(type=OrganisationType.HUB)
    victim_provider, deliverer = (OrganisationFactory(type=OrganisationType.PROVIDER) for _ in range(2))
    with time_machine.travel("2025-05-10 10:00", tick=False):
        order = pf.make_order(
            pf.open_case(hub, victim_provider, "Ann", "Bee", "idva"), deliverer, unit_cost=Decimal("100.00"), units=6
        )
    PerpetratorOrder.objects.filter(pk=order.pk).update(status="accepted")
    money = make_funding(_org(commissioner), Decimal("50000.00"))
    services.allocation_create(
        request=None,
        funding_year=money,
        spot_purchase="perpetrator interventions",
        provider=deliverer,
        amount=Decimal("20000.00"),
    )
    page = login(commissioner).get(reverse("commissioning:funding") + "?year=2025").content.decode()
    assert "spend from perpetrator orders" in page and "£600" in page and "£19,400" in page


def test_it_shows_the_savings_plan_and_the_gap(login: Any, commissioner: Any) -> None:
    plan = BudgetPlan.objects.create(owner=_org(commissioner), name="Prevention review", base_year=2024)
    people = TargetPopulation.objects.get(code="victims")
    for year, committed in ((2024, "9400000"), (2025, "8500000")):
        BudgetLine.objects.create(
            plan=plan,
            year=year,
            name="All",
            prevention_level="tertiary",
            population=people,
            committed=Decimal(committed),
        )
    SavingsTarget.objects.create(plan=plan, year=2025, amount=Decimal("1000000"))
    page = login(commissioner).get(reverse("commissioning:budget", args=[plan.pk])).content.decode()
    assert "£8,400,000" in page and "−£100,000" in page


def test_it_keeps_the_contracts_page_queries_constant(login: Any, commissioner: Any) -> None:
    org = _org(commissioner)
    client = login(commissioner)
    assert_constant_queries(
        client, reverse("commissioning:contracts"), lambda n: [make_contract(org) for _ in range(n)]
    )


def test_it_keeps_the_funding_page_queries_constant(login: Any, commissioner: Any) -> None:
    org = _org(commissioner)
    contract = make_contract(org)

    def grow(n: int) -> None:
        for _ in range(n):
            services.allocation_create(
                request=None,
                funding_year=make_funding(org, Decimal("10.00")),
                contract=contract,
                amount=Decimal("5.00"),
            )

    assert_constant_queries(login(commissioner), reverse("commissioning:funding") + "?year=2025", grow)


def test_it_adds_a_contract_with_its_options_and_a_partner(login: Any, commissioner: Any) -> None:
    lead, partner = (OrganisationFactory(type=OrganisationType.PROVIDER) for _ in range(2))
    client = login(commissioner)
    data = {
        "reference": "DA-77",
        "title": "=Outreach",
        "department": "Public Health",
        "lead_provider": lead.pk,
        "total_value": "950000",
        "annual_value": "190000",
        "vat_unrecoverable": "",
        "start_day": "1",
        "start_month": "4",
        "start_year": "2025",
        "initial_end_day": "31",
        "initial_end_month": "3",
        "initial_end_year": "2027",
        "options": "24, 12",
        "decision_lead_days": "180",
        "procurement_route": "tendered",
        "first_approved_by": body("cabinet").pk,
        "sme": "on",
    }
    response = client.post(reverse("commissioning:contract_add"), data)
    assert response.status_code == 302
    contract = _org(commissioner).led_contracts.get()
    assert list(contract.options.values_list("months", flat=True)) == [24, 12]
    assert contract.supplier_name == lead.name and contract.sme and contract.end_date == date(2027, 3, 31)
    again = client.post(reverse("commissioning:contract_add"), data)
    assert "already exists" in again.content.decode()
    added = client.post(
        reverse("commissioning:partner_add", args=[contract.pk]), {"organisation": partner.pk, "share": "30"}
    )
    assert added.status_code == 302
    assert dict(contract.partners.values_list("organisation_id", "share")) == {lead.pk: 70, partner.pk: 30}


def test_it_adds_a_funding_source_for_a_year(login: Any, commissioner: Any) -> None:
    data = {"name": "Part 4 grant", "kind": "government_grant", "funder": "MHCLG", "year": "2025", "amount": "1100000"}
    assert login(commissioner).post(reverse("commissioning:source_add"), data).status_code == 302
    source = _org(commissioner).funding_sources.get()
    assert source.years.get(year=2025).amount == Decimal("1100000")


def test_it_applies_an_organisations_own_rule_only_to_its_own_contracts(commissioner: Any) -> None:
    from django.core.exceptions import ValidationError

    from safepath.commissioning.models import ApprovalRule

    org = _org(commissioner)
    ApprovalRule.objects.create(
        name="Every extension needs the lead member",
        kind="extension",
        required_body=body("lead_member"),
        organisation=org,
    )
    ours = make_contract(org, first_approved_by="director")
    theirs = make_contract(OrganisationFactory(type=OrganisationType.COMMISSIONER), first_approved_by="director")
    with time_machine.travel("2025-09-02 10:00", tick=False):
        with pytest.raises(ValidationError, match="lead member"):
            services.option_decide(
                request=None,
                option=ours.options.first(),
                decision="approved",
                body=body("director"),
                decided_on=date(2025, 9, 1),
                evidence="x",
            )
        decided = services.option_decide(
            request=None,
            option=theirs.options.first(),
            decision="approved",
            body=body("director"),
            decided_on=date(2025, 9, 1),
            evidence="x",
        )
    assert decided.required_body.code == "director"


def test_it_gives_the_committee_paper_the_same_flow_as_a_png(commissioner: Any) -> None:
    from safepath.commissioning.charts import sankey_png

    _pooled_world(commissioner)
    commissioner.current_membership = commissioner.memberships.get()
    paper = flow.funding_flow_for_organisation(_org(commissioner).pk, 2025)
    assert paper.links == flow.funding_flow(commissioner, 2025).links
    assert sankey_png(paper, dpi=40).startswith(b"\x89PNG")


def test_it_allocates_and_records_spend_through_the_pages(login: Any, commissioner: Any) -> None:
    org = _org(commissioner)
    contract = make_contract(org)
    year = make_funding(org, Decimal("1000.00"))
    client = login(commissioner)
    from safepath.core.once import new_token

    assert client.get(reverse("commissioning:allocation_add")).status_code == 200
    token = new_token()
    over = client.post(
        reverse("commissioning:allocation_add"),
        {"token": token, "funding_year": year.pk, "contract": contract.pk, "amount": "1000.01"},
    )
    assert "Only £1,000.00 of this source is left" in over.content.decode()
    done = client.post(
        reverse("commissioning:allocation_add"),
        {"token": token, "funding_year": year.pk, "contract": contract.pk, "amount": "800"},
    )
    assert done.status_code == 302
    allocation = year.allocations.get()
    saved = client.post(
        reverse("commissioning:spend_record", args=[allocation.pk]), {"q1": "190.50", "q2": "", "q3": "", "q4": ""}
    )
    assert saved.status_code == 302
    assert list(allocation.spend.values_list("quarter", "amount")) == [(1, Decimal("190.50"))]


def test_it_writes_the_register_from_the_command_line(commissioner: Any, tmp_path: Any) -> None:
    from django.core.management import call_command

    make_contract(_org(commissioner), title="@SUM(A1)")
    out = tmp_path / "register.csv"
    call_command("export", "contracts-register", output=str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == REGISTER_COLUMNS and len(rows) == 2
    assert not rows[1][1].startswith("@")


def test_it_adds_and_retires_an_organisations_own_rule_through_the_pages(login: Any, commissioner: Any) -> None:
    from safepath.commissioning.models import ApprovalRule

    client = login(commissioner)
    data = {
        "name": "Any variation needs Cabinet",
        "kind": "variation",
        "months_over": "",
        "first_approved_by": "",
        "value_over": "",
        "required_body": body("cabinet").pk,
    }
    assert client.post(reverse("commissioning:rule_add"), data).status_code == 302
    rule = ApprovalRule.objects.get(name="Any variation needs Cabinet")
    assert rule.organisation == _org(commissioner) and rule.months_over is None and rule.value_over is None
    assert "Any variation needs Cabinet" in client.get(reverse("commissioning:rules")).content.decode()
    everyone = ApprovalRule.objects.filter(organisation__isnull=True).first()
    assert client.post(reverse("commissioning:rule_retire", args=[everyone.pk])).status_code == 404
    client.post(reverse("commissioning:rule_retire", args=[rule.pk]))
    rule.refresh_from_db()
    assert not rule.is_active
