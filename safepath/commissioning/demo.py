"""Demo contracts and money for the seed scenarios (called by safepath.demo.services).

Medway: one provider on a 2+2+1 contract at £190k a year pooled by the council and the NHS.
Leicestershire: the three-provider consortium with sub-contract shares, perpetrator work
bought order by order, the £1.1m safe-accommodation grant, and the review of preventative
services (£9.4m falling to £5.9m through £1.0m, £0.5m and £2.0m of savings) with contracts
to extend or decommission and an options appraisal. Every figure shown is summed from these
records; no total is written. Safe to run again: a scenario already loaded is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.commissioning import services, terms
from safepath.commissioning.choices import (
    AppraisalDecision,
    Decision,
    FunderKind,
    PartnerRole,
    Polarity,
    PreventionLevel,
    ProcurementRoute,
    TargetKind,
)
from safepath.commissioning.models import (
    ApprovalBody,
    BudgetLine,
    BudgetPlan,
    Contract,
    FundingSource,
    SavingsTarget,
    Spend,
    Target,
    TargetPopulation,
)
from safepath.core.roles import OrganisationType

K = Decimal(1000)


def demo_load(*, scenario: Any, organisations: dict[str, Organisation], end: datetime) -> None:
    # The prevention review is the commissioning side of Leicestershire: the same contracts and money.
    loader = {"medway": _medway, "leicestershire": _leicestershire, "prevention-review": _leicestershire}.get(
        scenario.name
    )
    if loader is not None:
        loader(organisations, timezone.localdate(end) if timezone.is_aware(end) else end.date())


def _body(code: str) -> ApprovalBody:
    return ApprovalBody.objects.get(code=code)


def _org(name: str, org_type: str = OrganisationType.COMMISSIONER) -> Organisation:
    return Organisation.objects.update_or_create(name=name, defaults={"type": org_type, "is_active": True})[0]


def _contract(commissioner: Organisation, partners: list[tuple[Organisation, str]], **values: Any) -> Contract:
    """`partners`: (organisation, share) with the lead first."""
    shares = [
        services.PartnerShare(org, PartnerRole.LEAD if i == 0 else PartnerRole.SUBCONTRACTOR, Decimal(share))
        for i, (org, share) in enumerate(partners)
    ]
    values.setdefault("supplier_name", partners[0][0].name)
    values.setdefault("department", "Public Health")
    values.setdefault("procurement_route", ProcurementRoute.TENDERED)
    values.setdefault("sme", True)
    values.setdefault("voluntary_sector", True)
    return services.contract_create(request=None, commissioner=commissioner, partners=shares, **values)


def _source(owner: Organisation, name: str, kind: str, funder: str, amounts: dict[int, Decimal]) -> FundingSource:
    source = FundingSource.objects.create(owner=owner, name=name, kind=kind, funder=funder)
    for year, amount in amounts.items():
        services.funding_year_set(request=None, source=source, year=year, amount=amount)
    return source


def _allocate(source: FundingSource, year: int, amount: Decimal, today: date, **target: Any) -> None:
    """Allocate, then record spend for each quarter already over (a little under plan)."""
    allocation = services.allocation_create(
        request=None, funding_year=source.years.get(year=year), amount=amount, **target
    )
    if allocation.contract_id is None:
        return
    quarter_spend = (amount / 4).quantize(Decimal("0.01"))
    spend = []
    for quarter in (1, 2, 3, 4):
        ends = terms.term_end(date(year, 4, 1), quarter * 3)
        if ends < today:
            spend.append(Spend(allocation=allocation, quarter=quarter, amount=quarter_spend * Decimal("0.97")))
    Spend.objects.bulk_create(spend)


def _targets(contract: Contract, year: int, rows: list[tuple[str, str, str, str, str, str]]) -> list[Target]:
    """Targets for the financial year; the last field is the report measure giving the actual
    (commissioning.measures), empty where the commissioner records it by hand."""
    return [
        services.target_create(
            request=None,
            contract=contract,
            name=name,
            kind=kind,
            polarity=polarity,
            value=Decimal(value),
            unit=unit,
            period_start=date(year, 4, 1),
            period_end=date(year + 1, 3, 31),
            metric=metric,
        )
        for name, kind, polarity, value, unit, metric in rows
    ]


def _last_quarter(today: date) -> tuple[date, date]:
    """The last complete calendar quarter (the commissioner's dashboard opens on it)."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _narratives(targets: list[Target], today: date, notes: dict[str, tuple[str, str]]) -> None:
    """The lead commissioner's narrative (and hand-recorded actual, "" for none) for last quarter."""
    first, last = _last_quarter(today)
    for target in targets:
        if target.name not in notes or first > target.period_end or last < target.period_start:
            continue
        actual, narrative = notes[target.name]
        services.target_update_record(
            request=None,
            target=target,
            token=f"{target.pk:032x}",
            period_start=first,
            period_end=last,
            narrative=narrative,
            actual=Decimal(actual) if actual and not target.metric else None,
        )


# --- Medway ---------------------------------------------------------------------------------


def _medway(orgs: dict[str, Organisation], today: date) -> None:
    if Contract.objects.filter(reference="MC-PH-0417").exists():
        return
    council, provider = orgs["commissioner"], orgs["provider"]
    nhs = _org("NHS Kent and Medway (formerly Medway CCG)")
    fy = terms.financial_year(today)
    start = date(fy - 1, 4, 1)
    contract = _contract(
        council,
        [(provider, "100")],
        co_commissioners=[nhs],
        option_months=[24, 12],
        reference="MC-PH-0417",
        title="Integrated domestic abuse service",
        description="Single point of access, IDVA, outreach, One Stop Shop, Freedom Programme and volunteers (2+2+1).",
        supplier_registration_number="07654321",
        total_value=Decimal("950000.00"),
        annual_value=Decimal("190000.00"),
        start_date=start,
        initial_end_date=terms.term_end(start, 24),
        review_date=date(fy, 9, 30),
        first_approved_by=_body("cabinet"),
        decision_lead_days=90,
    )
    council_money = _source(
        council,
        "Public health grant: domestic abuse",
        FunderKind.COUNCIL_PUBLIC_HEALTH,
        "Medway Council",
        {fy - 1: 120 * K, fy: 125 * K},
    )
    nhs_money = _source(
        council,
        "NHS contribution to the pooled budget",
        FunderKind.NHS_ICB,
        "NHS Kent and Medway",
        {fy - 1: 75 * K, fy: 80 * K},
    )
    for year, from_council, from_nhs in ((fy - 1, 115 * K, 60 * K), (fy, 125 * K, 80 * K)):
        _allocate(council_money, year, from_council, today, contract=contract)
        _allocate(nhs_money, year, from_nhs, today, contract=contract)
    targets = _targets(
        contract,
        fy,
        [
            (
                "Victims at high risk contacted within 2 working days",
                TargetKind.OUTPUT,
                Polarity.HIGHER_IS_BETTER,
                "90",
                "%",
                "",
            ),
            (
                "IDVA clients engaging with support",
                TargetKind.OUTPUT,
                Polarity.HIGHER_IS_BETTER,
                "85",
                "%",
                "idva.engagement_rate",
            ),
            ("Referrals received", TargetKind.OUTPUT, Polarity.HIGHER_IS_BETTER, "1200", "", "referrals.total"),
            ("Clients feeling safer at exit", TargetKind.OUTCOME, Polarity.HIGHER_IS_BETTER, "80", "%", ""),
            ("MARAC repeat rate", TargetKind.OUTCOME, Polarity.LOWER_IS_BETTER, "28", "%", "marac.repeat_rate"),
        ],
    )
    _narratives(
        targets,
        today,
        {
            "Victims at high risk contacted within 2 working days": (
                "87",
                "Two IDVAs were on long-term sick leave in August; agency cover started in September and "
                "contact times recovered by the end of the quarter.",
            ),
            "IDVA clients engaging with support": (
                "",
                "Engagement held up despite the staffing gap; evening appointments at the One Stop Shop helped.",
            ),
            "Clients feeling safer at exit": (
                "82",
                "From exit questionnaires. The Freedom Programme groups restarted in July.",
            ),
            "MARAC repeat rate": (
                "",
                "Repeats are reviewed at the monthly MARAC steering group; police flagging of repeat "
                "victims was tightened in the quarter.",
            ),
        },
    )


# --- Leicestershire -------------------------------------------------------------------------


def _leicestershire(orgs: dict[str, Organisation], today: date) -> None:
    if Contract.objects.filter(reference="LCC-DSVA-2201").exists():
        return
    county = orgs["commissioner"]
    city, pcc, icb = (
        _org("Leicester City Council"),
        _org("Office of the Police and Crime Commissioner for Leicestershire"),
        _org("NHS Leicester, Leicestershire and Rutland ICB"),
    )
    lead, community, children, perpetrator = (
        orgs["provider"],
        orgs["provider_community"],
        orgs["provider_children"],
        orgs["provider_perpetrator"],
    )
    fy = terms.financial_year(today)
    start = date(fy - 2, 4, 1)
    consortium = _contract(
        county,
        [(lead, "55"), (community, "30"), (children, "15")],
        co_commissioners=[city, pcc, icb],
        decision_lead_days=120,
        option_months=[24, 12],
        reference="LCC-DSVA-2201",
        title="Domestic and sexual violence and abuse support (consortium)",
        description="One service across city and county for all victims, delivered by a lead provider and two partners.",
        supplier_registration_number="05123456",
        sme=False,
        total_value=Decimal("9250000.00"),
        annual_value=Decimal("1850000.00"),
        start_date=start,
        initial_end_date=terms.term_end(start, 36),
        review_date=date(fy, 12, 31),
        first_approved_by=_body("cabinet"),
    )
    refuge = _contract(
        county,
        [(lead, "100")],
        option_months=[12],
        reference="LCC-SA-2305",
        title="Refuge accommodation and support",
        description="Refuge places with specialist support (Domestic Abuse Act 2021 Part 4).",
        total_value=Decimal("1950000.00"),
        annual_value=Decimal("650000.00"),
        start_date=date(fy - 1, 4, 1),
        initial_end_date=date(fy + 1, 3, 31),
        first_approved_by=_body("director"),
        procurement_route=ProcurementRoute.GRANT,
    )
    dispersed = _contract(
        county,
        [(community, "100")],
        option_months=[12, 12],
        reference="LCC-SA-2306",
        title="Dispersed safe accommodation",
        description="Self-contained safe homes with floating support.",
        total_value=Decimal("1200000.00"),
        annual_value=Decimal("300000.00"),
        start_date=date(fy - 1, 4, 1),
        initial_end_date=date(fy + 1, 3, 31),
        first_approved_by=_body("director"),
    )
    schools = _contract(
        county,
        [(children, "100")],
        option_months=[12],
        reference="LCC-PH-1908",
        title="Healthy relationships in schools",
        description="Primary prevention sessions in secondary schools.",
        total_value=Decimal("480000.00"),
        annual_value=Decimal("120000.00"),
        start_date=date(fy - 3, 4, 1),
        initial_end_date=date(fy + 1, 3, 31),  # ends with this financial year: being decommissioned
        first_approved_by=_body("cabinet"),
        procurement_route=ProcurementRoute.QUOTED,
    )
    _decisions(refuge, dispersed, schools, fy)
    _money(county, consortium, refuge, dispersed, perpetrator, fy, today)
    targets = _targets(
        consortium,
        fy,
        [
            ("Referrals contacted within 2 working days", TargetKind.OUTPUT, Polarity.HIGHER_IS_BETTER, "90", "%", ""),
            (
                "People supported from rural districts",
                TargetKind.OUTPUT,
                Polarity.HIGHER_IS_BETTER,
                "900",
                "people",
                "",
            ),
            (
                "Median days to first contact",
                TargetKind.OUTPUT,
                Polarity.LOWER_IS_BETTER,
                "5",
                "days",
                "waiting.median_days_to_first_contact",
            ),
            (
                "Abuse stopped or reduced at exit",
                TargetKind.OUTCOME,
                Polarity.HIGHER_IS_BETTER,
                "75",
                "%",
                "outcomes.abuse_stopped_or_reduced.rate",
            ),
            (
                "Re-referrals within 12 months",
                TargetKind.OUTCOME,
                Polarity.LOWER_IS_BETTER,
                "15",
                "%",
                "referrals.re_referral_rate",
            ),
        ],
    )
    _narratives(
        targets,
        today,
        {
            "Referrals contacted within 2 working days": (
                "92",
                "The consortium's shared triage rota now covers Saturdays, which cleared the Monday backlog.",
            ),
            "People supported from rural districts": (
                "",
                "Outreach in Melton and Harborough continues; the figure for the quarter comes with the "
                "consortium's annual return.",
            ),
            "Abuse stopped or reduced at exit": (
                "",
                "Scrutiny asked for outcomes rather than output KPIs: this is now the first measure reported.",
            ),
            "Re-referrals within 12 months": (
                "",
                "Most re-referrals are of people who closed within three months; step-down support is being piloted.",
            ),
        },
    )
    _prevention_review(county, schools, fy)


def _decisions(refuge: Contract, dispersed: Contract, schools: Contract, fy: int) -> None:
    """An extension approved under the rules, one declined, a contract being decommissioned."""
    option = dispersed.options.get(sequence=1)
    decided = terms.option_periods(dispersed.initial_end_date, [12], dispersed.decision_lead_days)[
        0
    ].deadline - timedelta(days=30)
    if decided <= timezone.localdate():
        services.option_decide(
            request=None,
            option=option,
            decision=Decision.APPROVED,
            body=_body("director"),
            decided_on=decided,
            evidence="Director of Public Health delegated decision DPH/24/17",
        )
    if schools.end_date >= timezone.localdate():
        services.contract_decommission(
            request=None,
            contract=schools,
            end_date=schools.end_date,
            transition_plan="Schools keep the lesson plans; the new whole-school approach is funded through the education partnership. "
            "Pupils who disclosed abuse are referred to the children's pathway before the service ends.",
            decided_on=min(timezone.localdate(), schools.end_date - timedelta(days=120)),
            body=_body("lead_member"),
            evidence="Lead member decision notice LM/PH/09",
        )


def _money(
    county: Organisation,
    consortium: Contract,
    refuge: Contract,
    dispersed: Contract,
    perpetrator: Organisation,
    fy: int,
    today: date,
) -> None:
    years = (fy - 1, fy)
    ph = _source(
        county,
        "Public health grant: domestic abuse",
        FunderKind.COUNCIL_PUBLIC_HEALTH,
        "Leicestershire County Council",
        {y: 1150 * K for y in years},
    )
    city = _source(
        county,
        "City contribution to the pooled budget",
        FunderKind.COUNCIL_OTHER,
        "Leicester City Council",
        {y: 450 * K for y in years},
    )
    pcc = _source(
        county,
        "Victims' services grant",
        FunderKind.PCC,
        "Police and Crime Commissioner for Leicestershire",
        {y: 330 * K for y in years},
    )
    icb = _source(
        county,
        "NHS health advocacy contribution",
        FunderKind.NHS_ICB,
        "NHS Leicester, Leicestershire and Rutland ICB",
        {y: 150 * K for y in years},
    )
    part4 = _source(
        county,
        "Safe accommodation grant (Domestic Abuse Act 2021, Part 4)",
        FunderKind.GOVERNMENT_GRANT,
        "Ministry of Housing, Communities and Local Government",
        {y: 1100 * K for y in years},
    )
    for year in years:
        _allocate(ph, year, 1100 * K, today, contract=consortium)
        _allocate(city, year, 450 * K, today, contract=consortium)
        _allocate(pcc, year, 200 * K, today, contract=consortium)
        _allocate(icb, year, 100 * K, today, contract=consortium)
        _allocate(pcc, year, 60 * K, today, spot_purchase="perpetrator interventions", provider=perpetrator)
        _allocate(part4, year, 650 * K, today, contract=refuge)
        _allocate(part4, year, 300 * K, today, contract=dispersed)
        _allocate(part4, year, 150 * K, today, spot_purchase="sanctuary scheme installations")


LINES = [
    # (name, level, population code, share of the base year)
    ("Healthy relationships in schools", PreventionLevel.PRIMARY, "children", Decimal("0.05")),
    ("Community awareness campaigns", PreventionLevel.PRIMARY, "whole_population", Decimal("0.04")),
    ("Early help for families", PreventionLevel.SECONDARY, "children", Decimal("0.16")),
    ("Outreach and floating support", PreventionLevel.SECONDARY, "victims", Decimal("0.22")),
    ("Perpetrator behaviour change", PreventionLevel.SECONDARY, "perpetrators", Decimal("0.08")),
    ("IDVA and high-risk support", PreventionLevel.TERTIARY, "victims", Decimal("0.25")),
    ("Refuge and safe accommodation", PreventionLevel.TERTIARY, "victims", Decimal("0.20")),
]
# Committed spend each year of the review (£m) and planned reinvestment (£m): the base year is £9.4m.
REVIEW = [
    (Decimal("9.4"), Decimal("0")),
    (Decimal("8.3"), Decimal("0.1")),
    (Decimal("7.7"), Decimal("0.2")),
    (Decimal("5.6"), Decimal("0.5")),
]
SAVINGS = [Decimal("1.0"), Decimal("0.5"), Decimal("2.0")]


def _prevention_review(county: Organisation, schools: Contract, fy: int) -> None:
    plan = BudgetPlan.objects.create(owner=county, name="Review of preventative services", base_year=fy - 1)
    populations = {p.code: p for p in TargetPopulation.objects.all()}
    million = Decimal(1_000_000)
    lines = []
    for offset, (committed, reinvestment) in enumerate(REVIEW):
        year = plan.base_year + offset
        amounts = _shares(committed * million, [share for *_rest, share in LINES])
        for (name, level, population, _share), amount in zip(LINES, amounts, strict=True):
            lines.append(
                BudgetLine(
                    plan=plan,
                    year=year,
                    name=name,
                    prevention_level=level,
                    population=populations[population],
                    committed=amount,
                    reinvestment=reinvestment * million if name.startswith("Early help") else Decimal(0),
                    contract=schools if name.startswith("Healthy") else None,
                )
            )
    BudgetLine.objects.bulk_create(lines)
    SavingsTarget.objects.bulk_create(
        SavingsTarget(plan=plan, year=plan.base_year + i, amount=amount * million)
        for i, amount in enumerate(SAVINGS, start=1)
    )
    for option, benefits, disadvantages, risks, decision, notes in APPRAISAL:
        services.appraisal_create(
            request=None,
            owner=county,
            plan=plan,
            option=option,
            benefits=benefits,
            disadvantages=disadvantages,
            risks=risks,
            decision=decision,
            decision_notes=notes,
            decided_on=date(fy, 2, 1) if decision != AppraisalDecision.PENDING else None,
        )


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` by weights in pennies; the last line takes the remainder so lines sum exactly."""
    parts = [(total * w).quantize(Decimal("0.01")) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


APPRAISAL = [
    (
        "Extend the current contracts unchanged for a year",
        "No disruption to people using services; time to consult.",
        "Delivers none of the £1.0m first-year saving.",
        "Savings pushed into later years become harder to find.",
        AppraisalDecision.REJECTED,
        "Does not meet the savings target.",
    ),
    (
        "Recommission one integrated service with a smaller prevention offer",
        "Delivers the savings; one point of access; outcome-focused monitoring.",
        "Primary prevention in schools ends; providers face TUPE costs.",
        "Gap in early help while the new service mobilises.",
        AppraisalDecision.PREFERRED,
        "Cabinet agreed to consult on this option.",
    ),
    (
        "Reduce every contract by the same percentage",
        "Simple to apply; no procurement needed.",
        "Spreads cuts to crisis services that carry the highest risk.",
        "Providers may hand contracts back.",
        AppraisalDecision.PENDING,
        "",
    ),
]
