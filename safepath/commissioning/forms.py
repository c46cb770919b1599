"""Forms for commissioning. They check the shape of each answer; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.commissioning import measures
from safepath.commissioning.choices import Decision, Polarity, TargetKind
from safepath.people.forms import DatePartsMixin, TokenForm


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


def _money(label: Any, *, minimum: Decimal | None = Decimal("0"), help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=minimum,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter an amount in pounds."),
            "invalid": _("Enter an amount in pounds and pence, for example 12500.00."),
            "max_decimal_places": _("Enter an amount in pounds and pence, for example 12500.00."),
            "max_digits": _("Enter a smaller amount."),
            "max_whole_digits": _("Enter a smaller amount."),
            "min_value": _("The amount cannot be negative."),
        },
    )


def _body_field(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who took the decision."),
            "invalid_choice": _("Choose who took the decision."),
        },
    )


def _today_initial(form: forms.Form, prefix: str) -> None:
    if not form.is_bound:
        day = timezone.localdate()
        form.initial.update({f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year})


class OptionDecisionForm(DatePartsMixin, forms.Form):
    DATES = {"decided": ("decided_on", True, _("Date of the decision"))}

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.APPROVED, _("Approve the extension")), (Decision.DECLINED, _("Decline the extension"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the extension is approved or declined.")},
    )
    body = _body_field(_("Who took the decision?"))
    decided_day = _part(_("Day"))
    decided_month = _part(_("Month"))
    decided_year = _part(_("Year"))
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The minute, decision notice or report that records it."),
        error_messages={
            "required": _("Enter the evidence for the decision, for example the minute or report reference.")
        },
    )

    def __init__(self, *args: Any, bodies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        _today_initial(self, "decided")


class VariationForm(DatePartsMixin, TokenForm):
    DATES = {"agreed": ("agreed_on", True, _("Date agreed"))}

    description = forms.CharField(label=_("What changes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    value_change = _money(
        _("Change in the contract's total value, in pounds"),
        minimum=None,
        help_text=_("Negative for a reduction, 0 for none."),
    )
    agreed_day = _part(_("Day"))
    agreed_month = _part(_("Month"))
    agreed_year = _part(_("Year"))
    body = _body_field(_("Who approved it?"))
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, bodies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["description"].error_messages["required"] = _("Describe the variation.")
        _today_initial(self, "agreed")


class DecommissionForm(DatePartsMixin, forms.Form):
    DATES = {"end": ("end_date", True, _("End date")), "decided": ("decided_on", True, _("Date of the decision"))}

    end_day = _part(_("Day"))
    end_month = _part(_("Month"))
    end_year = _part(_("Year"))
    transition_plan = forms.CharField(
        label=_("Transition plan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("How people using the service will be supported through the change."),
        error_messages={"required": _("Describe the transition plan.")},
    )
    decided_day = _part(_("Day"))
    decided_month = _part(_("Month"))
    decided_year = _part(_("Year"))
    body = _body_field(_("Who took the decision?"))
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, bodies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        _today_initial(self, "decided")


class TargetForm(DatePartsMixin, forms.Form):
    DATES = {
        "start": ("period_start", True, _("Start of the period")),
        "end": ("period_end", True, _("End of the period")),
    }

    name = forms.CharField(label=_("Target"), max_length=200, error_messages={"required": _("Enter the target.")})
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TargetKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose outcome or output.")},
    )
    polarity = forms.ChoiceField(
        label=_("Which way is better?"),
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which way is better.")},
    )
    value = forms.DecimalField(
        label=_("Target value"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Enter the target value."), "invalid": _("Enter a number, like 85.")},
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("For example %, people, sessions.")
    )
    metric = forms.ChoiceField(
        label=_("Measured by"),
        required=False,
        help_text=_(
            "The figure in the performance report that gives the actual. A rate is compared as a percentage. "
            "Choose none to record the actual yourself each period."
        ),
        error_messages={"invalid_choice": _("Choose a measure from the list.")},
    )
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    end_day = _part(_("Day"))
    end_month = _part(_("Month"))
    end_year = _part(_("Year"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("None: record the actual by hand")), *measures.choices()]


class TargetUpdateForm(DatePartsMixin, TokenForm):
    """The narrative for a period and, when no report measure gives the actual, the actual."""

    DATES = {
        "start": ("period_start", True, _("Start of the period")),
        "end": ("period_end", True, _("End of the period")),
    }

    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    end_day = _part(_("Day"))
    end_month = _part(_("Month"))
    end_year = _part(_("Year"))
    actual = forms.DecimalField(
        label=_("Actual"),
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter the actual as a number, like 85."),
            "max_decimal_places": _("Enter the actual with no more than 2 decimal places."),
            "max_digits": _("Enter a smaller number."),
            "max_whole_digits": _("Enter a smaller number."),
        },
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("How the service did against the target in the period, why, and what is being done about it."),
        error_messages={
            "required": _("Write the narrative: how the service did against the target, and why."),
            "max_length": _("The narrative must be 5,000 characters or fewer."),
        },
    )

    def __init__(self, *args: Any, target: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        if target.metric:
            del self.fields["actual"]  # the report gives it
        else:
            unit = f" ({target.unit})" if target.unit else ""
            self.fields["actual"].label = _("Actual for the period%(unit)s") % {"unit": unit}
            self.fields["actual"].help_text = _("Leave blank if it is not known yet.")
        if not self.is_bound:
            for prefix, day in (("start", target.period_start), ("end", target.period_end)):
                self.initial.update(
                    {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}
                )


class AllocationForm(TokenForm):
    funding_year = forms.ModelChoiceField(
        label=_("From which source?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the source."), "invalid_choice": _("Choose the source.")},
    )
    contract = forms.ModelChoiceField(label=_("To which contract?"), queryset=None, required=False)
    spot_purchase = forms.CharField(
        label=_("Or spot purchases of"),
        max_length=120,
        required=False,
        help_text=_("For example, perpetrator interventions."),
    )
    provider = forms.ModelChoiceField(label=_("Spot purchases from"), queryset=None, required=False)
    amount = _money(_("Amount, in pounds"))

    def __init__(
        self, *args: Any, funding_years: QuerySet, contracts: QuerySet, providers: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funding_year"].queryset = funding_years
        self.fields["funding_year"].label_from_instance = lambda fy: f"{fy.source.name} ({fy.label}): £{fy.amount:,.2f}"
        self.fields["contract"].queryset = contracts
        self.fields["provider"].queryset = providers


class SpendForm(forms.Form):
    q1 = _money(_("April to June"))
    q2 = _money(_("July to September"))
    q3 = _money(_("October to December"))
    q4 = _money(_("January to March"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("q1", "q2", "q3", "q4"):
            self.fields[name].required = False


class AppraisalForm(TokenForm):
    option = forms.CharField(label=_("Option"), max_length=200, error_messages={"required": _("Describe the option.")})
    benefits = forms.CharField(label=_("Benefits"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disadvantages = forms.CharField(label=_("Disadvantages"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    risks = forms.CharField(label=_("Risks"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    decision_notes = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from safepath.commissioning.choices import AppraisalDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = AppraisalDecision.choices
        self.fields["decision"].initial = AppraisalDecision.PENDING


def _int(label: Any, *, minimum: int, maximum: int, **kwargs: Any) -> forms.IntegerField:
    message = _("Enter a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


class ContractForm(DatePartsMixin, forms.Form):
    DATES = {
        "start": ("start_date", True, _("Start date")),
        "initial_end": ("initial_end_date", True, _("End of the initial term")),
        "review": ("review_date", False, _("Review date")),
    }

    reference = forms.CharField(
        label=_("Reference"), max_length=60, error_messages={"required": _("Enter the contract's reference.")}
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the contract's title.")}
    )
    department = forms.CharField(
        label=_("Department"), max_length=200, error_messages={"required": _("Enter the department.")}
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_provider = forms.ModelChoiceField(
        label=_("Lead provider"), queryset=None, error_messages={"required": _("Choose the lead provider.")}
    )
    supplier_registration_number = forms.CharField(
        label=_("Supplier's registration number"),
        max_length=40,
        required=False,
        help_text=_("Companies House or charity number."),
    )
    sme = forms.BooleanField(label=_("The supplier is a small or medium enterprise"), required=False)
    voluntary_sector = forms.BooleanField(
        label=_("The supplier is a voluntary or community sector organisation"), required=False
    )
    total_value = _money(_("Total value, in pounds"), help_text=_("Including every extension option."))
    annual_value = _money(_("Annual value, in pounds"))
    vat_unrecoverable = _money(_("Unrecoverable VAT, in pounds"))
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    initial_end_day = _part(_("Day"))
    initial_end_month = _part(_("Month"))
    initial_end_year = _part(_("Year"))
    review_day = _part(_("Day"))
    review_month = _part(_("Month"))
    review_year = _part(_("Year"))
    options = forms.CharField(
        label=_("Extension options, in months"),
        max_length=60,
        required=False,
        help_text=_("Separated by commas: for a 2+2+1 contract, 24, 12. Leave empty for none."),
    )
    decision_lead_days = _int(
        _("Decide extensions this many days before the term ends"), minimum=0, maximum=730, initial=180
    )
    procurement_route = forms.ChoiceField(
        label=_("Procurement route"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the procurement route.")},
    )
    first_approved_by = forms.ModelChoiceField(
        label=_("Who first approved the contract?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who first approved the contract.")},
    )
    co_commissioners = forms.ModelMultipleChoiceField(
        label=_("Organisations pooling money into it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, providers: QuerySet, bodies: QuerySet, commissioners: QuerySet, **kwargs: Any
    ) -> None:
        from safepath.commissioning.choices import ProcurementRoute

        super().__init__(*args, **kwargs)
        self.fields["vat_unrecoverable"].required = False
        self.fields["lead_provider"].queryset = providers
        self.fields["first_approved_by"].queryset = bodies
        self.fields["co_commissioners"].queryset = commissioners
        self.fields["procurement_route"].choices = ProcurementRoute.choices

    def clean_options(self) -> list[int]:
        raw = self.cleaned_data.get("options", "")
        parts = [p.strip() for p in raw.replace("+", ",").split(",") if p.strip()]
        if not all(p.isdigit() and 1 <= int(p) <= 120 for p in parts):
            raise forms.ValidationError(_("Enter each option's length in months, from 1 to 120, separated by commas."))
        return [int(p) for p in parts]


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Sub-contracted partner"), queryset=None, error_messages={"required": _("Choose the partner.")}
    )
    share = forms.DecimalField(
        label=_("Share of the contract's money (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("99.99"),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Taken from the lead provider's share."),
        error_messages={"required": _("Enter the partner's share."), "invalid": _("Enter a percentage, like 30.")},
    )

    def __init__(self, *args: Any, providers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = providers


class SourceForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the budget or grant"), max_length=200, error_messages={"required": _("Enter a name.")}
    )
    kind = forms.ChoiceField(
        label=_("Kind of funder"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of funder.")},
    )
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        help_text=_("Who the money comes from."),
        error_messages={"required": _("Enter the funder.")},
    )
    year = _int(
        _("Financial year, by the year it starts"), minimum=2000, maximum=2100, help_text=_("For 2025/26, enter 2025.")
    )
    amount = _money(_("Amount for that year, in pounds"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from safepath.commissioning.choices import FunderKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FunderKind.choices


class RuleForm(forms.Form):
    name = forms.CharField(
        label=_("The rule, in words"),
        max_length=200,
        help_text=_(
            "For example: an extension longer than 3 months on a contract first approved by Cabinet needs Cabinet."
        ),
        error_messages={"required": _("Write the rule in words.")},
    )
    kind = forms.ChoiceField(
        label=_("What it applies to"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the rule applies to.")},
    )
    months_over = _int(_("Only when longer than this many months (optional)"), minimum=0, maximum=120, required=False)
    first_approved_by = forms.ModelChoiceField(
        label=_("Only when the contract was first approved by (optional)"), queryset=None, required=False
    )
    value_over = _money(_("Only when worth more than, in pounds (optional)"))
    required_body = forms.ModelChoiceField(
        label=_("Who must approve"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who must approve."), "invalid_choice": _("Choose who must approve.")},
    )

    def __init__(self, *args: Any, bodies: QuerySet, **kwargs: Any) -> None:
        from safepath.commissioning.choices import ChangeKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChangeKind.choices
        self.fields["value_over"].required = False
        self.fields["first_approved_by"].queryset = bodies
        self.fields["required_body"].queryset = bodies
