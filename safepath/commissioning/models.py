"""Commissioning: contracts and their terms, money in (funding sources) and out (allocations,
spend), budgets and savings, options appraisals and targets.

Nothing here is about a person: no SENSITIVE models. Contracts are still scoped to the
organisations that commission or deliver them (selectors.contracts_for).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.commissioning import terms
from safepath.commissioning.choices import (
    AppraisalDecision,
    ChangeKind,
    Decision,
    FunderKind,
    PartnerRole,
    Polarity,
    PreventionLevel,
    ProcurementRoute,
    TargetKind,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


# --- configuration --------------------------------------------------------------------------


class ApprovalBody(models.Model):
    """A decision-making body (officer, director, lead member, cabinet): authority as data."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(
        _("authority level"), help_text=_("Higher levels may take any decision a lower level may.")
    )

    class Meta:
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class ApprovalRule(models.Model):
    """ "An extension longer than 3 months on a contract first approved by the executive needs
    Cabinet": the conditions are optional; every condition set must hold for the rule to apply."""

    name = models.CharField(_("rule"), max_length=200)
    kind = models.CharField(_("applies to"), max_length=20, choices=ChangeKind.choices)
    months_over = models.PositiveSmallIntegerField(_("when longer than (months)"), null=True, blank=True)
    first_approved_by = models.ForeignKey(
        ApprovalBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("when the contract was first approved by"),
    )
    value_over = models.DecimalField(_("when the value is over (£)"), null=True, blank=True, **MONEY)
    required_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="rules")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_rules",
        help_text=_("The commissioning organisation whose constitution sets the rule; empty: every organisation."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="approval_rule_kind_valid")]

    def __str__(self) -> str:
        return self.name


class AlertWindow(models.Model):
    """Commissioners are alerted this many days before an extension decision is due."""

    days_before = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["-days_before"]

    def __str__(self) -> str:
        return f"{self.days_before} days"


# --- contracts ------------------------------------------------------------------------------


class Contract(models.Model):
    """One entry in the contracts register (Local Government Transparency Code fields), the
    organisation that leads its commissioning and any co-commissioners pooling money into it."""

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    commissioner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="led_contracts",
        verbose_name=_("lead commissioner"),
    )
    co_commissioners = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="co_commissioned_contracts",
        verbose_name=_("co-commissioners"),
    )
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_registration_number = models.CharField(_("supplier registration number"), max_length=40, blank=True)
    sme = models.BooleanField(_("small or medium enterprise"), default=False)
    voluntary_sector = models.BooleanField(_("voluntary or community sector"), default=False)
    total_value = models.DecimalField(_("total value"), **MONEY)
    annual_value = models.DecimalField(_("annual value"), **MONEY)
    vat_unrecoverable = models.DecimalField(_("unrecoverable VAT"), default=ZERO, **MONEY)
    start_date = models.DateField(_("start date"))
    initial_end_date = models.DateField(_("end of the initial term"))
    end_date = models.DateField(
        _("end date"), help_text=_("The initial term's end, moved by approved extensions and decommissioning.")
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    procurement_route = models.CharField(_("procurement route"), max_length=20, choices=ProcurementRoute.choices)
    first_approved_by = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="+")
    decision_lead_days = models.PositiveSmallIntegerField(
        _("decision lead time (days)"),
        default=180,
        help_text=_("How long before the end of a term an extension must be decided."),
    )
    pathways = models.ManyToManyField("referrals.Pathway", blank=True, related_name="contracts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_end_date__gte=models.F("start_date")), name="contract_term_positive"
            ),
            models.CheckConstraint(
                condition=Q(total_value__gte=0, annual_value__gte=0, vat_unrecoverable__gte=0),
                name="contract_values_positive",
            ),
            models.CheckConstraint(
                condition=Q(procurement_route__in=ProcurementRoute.values), name="contract_route_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ContractPartner(models.Model):
    """The lead provider and sub-contracted partners, with each one's share of the contract's money."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="contract_parts")
    role = models.CharField(max_length=20, choices=PartnerRole.choices)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["role", "-share", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organisation"], name="contract_partner_once"),
            models.UniqueConstraint(fields=["contract"], condition=Q(role=PartnerRole.LEAD), name="contract_one_lead"),
            models.CheckConstraint(condition=Q(share__gt=0, share__lte=100), name="contract_partner_share_range"),
            models.CheckConstraint(condition=Q(role__in=PartnerRole.values), name="contract_partner_role_valid"),
        ]


class ExtensionOption(models.Model):
    """One optional extension (the "2" and "1" of 2+2+1) and its decision."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="options")
    sequence = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    rule = models.ForeignKey(ApprovalRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    required_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="extension_option_sequence_once"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=120), name="extension_option_months_range"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="extension_option_decision_valid"),
            models.CheckConstraint(
                condition=Q(decision__in=[Decision.PENDING, Decision.LAPSED])
                | Q(decided_by_body__isnull=False, decided_on__isnull=False, required_body__isnull=False),
                name="extension_option_decision_recorded",
            ),
        ]


class DeadlineAlert(models.Model):
    """An alert sent about an extension decision coming due (one per option and window)."""

    option = models.ForeignKey(ExtensionOption, on_delete=models.CASCADE, related_name="alerts")
    days_before = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["option", "days_before", "deadline"], name="deadline_alert_once")
        ]


class Variation(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="variations")
    description = models.TextField()
    value_change = models.DecimalField(_("change in total value (£)"), default=ZERO, **MONEY)
    agreed_on = models.DateField()
    required_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="+")
    decided_by_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(ApprovalRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    form_token = models.CharField(max_length=32, unique=True)

    class Meta:
        ordering = ["agreed_on", "id"]


class Decommissioning(models.Model):
    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="decommissioning")
    end_date = models.DateField()
    transition_plan = models.TextField()
    decided_on = models.DateField()
    required_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="+")
    decided_by_body = models.ForeignKey(ApprovalBody, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(ApprovalRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")


class Target(models.Model):
    """An outcome or output the contract is expected to achieve in a period (reporting rates it)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=30, blank=True, help_text=_("For example %, people, sessions."))
    period_start = models.DateField()
    period_end = models.DateField()
    metric = models.CharField(
        _("measured by"),
        max_length=80,
        blank=True,
        help_text=_("The report figure that gives the actual (measures.MEASURES); empty: recorded by hand."),
    )

    class Meta:
        ordering = ["period_start", "kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_positive"
            ),
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="target_kind_valid"),
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="target_polarity_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from safepath.commissioning.measures import BY_KEY

        if self.metric and self.metric not in BY_KEY:
            raise ValidationError({"metric": _("Choose a measure from the list.")})

    @property
    def measure(self) -> Any:
        from safepath.commissioning.measures import measure

        return measure(self.metric)


class TargetUpdate(models.Model):
    """What the lead commissioner wrote about a target for one period: the narrative and, for a
    target no report measure gives, the actual. Never changed: a new row for every update, so
    the history stays; the latest for a period is the one reports show."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="updates")
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("narrative"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["target", "-period_end", "-created", "-id"]
        indexes = [models.Index(fields=["target", "period_end"], name="target_update_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_update_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} ({self.period_start} to {self.period_end})"


# --- money ----------------------------------------------------------------------------------


class FundingSource(models.Model):
    """Money from one funder (a budget line or a grant), managed by a commissioning organisation."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=FunderKind.choices)
    funder = models.CharField(_("funder"), max_length=200, help_text=_("Who the money comes from."))
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="funding_sources")

    class Meta:
        ordering = ["funder", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FunderKind.values), name="funding_source_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name


class FundingYear(models.Model):
    """A source's amount for one financial year (year = the year it starts, 2025 for 2025/26).
    Allocations against it never add up to more than `amount`: `allocated_total` is their running total,
    moved in the same statement as each allocation is made, and the database refuses a total
    above the amount (a sum cannot be a CHECK constraint; a running total can). The service also
    locks the row while it checks, to give a clear message rather than an error."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    allocated_total = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["source", "year"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="funding_year_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_year_amount_positive"),
            models.CheckConstraint(
                condition=Q(allocated_total__gte=0) & Q(allocated_total__lte=F("amount")),
                name="funding_year_not_over_allocated",
            ),
        ]

    @property
    def label(self) -> str:
        return terms.financial_year_label(self.year)


class Allocation(models.Model):
    """Money from a source's year to a contract, or to spot purchases (e.g. perpetrator work
    bought order by order)."""

    funding_year = models.ForeignKey(FundingYear, on_delete=models.PROTECT, related_name="allocations")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    spot_purchase = models.CharField(_("spot purchases of"), max_length=120, blank=True)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For spot purchases: the provider they are bought from."),
    )
    amount = models.DecimalField(**MONEY)
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["funding_year__year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=(Q(contract__isnull=False) & Q(spot_purchase=""))
                | (Q(contract__isnull=True) & ~Q(spot_purchase="")),
                name="allocation_one_purpose",
            ),
        ]

    @property
    def purpose(self) -> str:
        return (
            str(self.contract)
            if self.contract_id
            else str(_("Spot purchases: %(what)s") % {"what": self.spot_purchase})
        )


class Spend(models.Model):
    """Money spent against an allocation in one quarter of its financial year (1 = April–June)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="spend")
    quarter = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["allocation", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "quarter"], name="spend_quarter_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="spend_quarter_range"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_amount_positive"),
        ]


# --- budgets, savings, options --------------------------------------------------------------


class TargetPopulation(models.Model):
    """Who a budget line serves (configuration: victims, children, perpetrators, …)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BudgetPlan(models.Model):
    """A multi-year budget with savings to find, e.g. a review of preventative services. The
    baseline is what the base year's lines commit (computed, never typed in)."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="budget_plans")
    name = models.CharField(max_length=200)
    base_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Committed spend and planned reinvestment in one year, by prevention level and population."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="lines")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="budget_lines"
    )
    prevention_level = models.CharField(max_length=20, choices=PreventionLevel.choices)
    population = models.ForeignKey(TargetPopulation, on_delete=models.PROTECT, related_name="budget_lines")
    committed = models.DecimalField(default=ZERO, **MONEY)
    reinvestment = models.DecimalField(_("planned reinvestment"), default=ZERO, **MONEY)

    class Meta:
        ordering = ["plan", "year", "prevention_level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__gte=0, reinvestment__gte=0), name="budget_line_amounts_positive"
            ),
            models.CheckConstraint(
                condition=Q(prevention_level__in=PreventionLevel.values), name="budget_line_level_valid"
            ),
        ]


class SavingsTarget(models.Model):
    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="savings")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="savings_target_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="savings_target_positive"),
        ]


class OptionAppraisal(models.Model):
    """One commissioning option weighed up: what it is, for and against, and what was decided."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="options")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="appraisals")
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="option_appraisals")
    option = models.CharField(max_length=200)
    benefits = models.TextField(blank=True)
    disadvantages = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=AppraisalDecision.choices, default=AppraisalDecision.PENDING)
    decision_notes = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=AppraisalDecision.values), name="appraisal_decision_valid")
        ]
