"""Forms for waiting lists, caseloads, status changes, teams and pathway settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.cases.choices import CaseStatus, EngagementRule, ReReferralPriority
from safepath.cases.models import Team
from safepath.cases.selectors_caseload import SORTS, CaseloadFilters
from safepath.cases.services_config import SETTING_RANGES
from safepath.core.models import VocabularyTerm
from safepath.referrals.choices import RiskLevel
from safepath.referrals.models import Pathway

VERSION_ERRORS = {
    "required": _("This form is out of date. Open the case again and try again."),
    "invalid": _("This form is out of date. Open the case again and try again."),
}


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


# --- caseload filters ----------------------------------------------------------------------

ATTENTION = [
    ("", _("All open cases")),
    ("overdue", _("Review or next action overdue")),
    ("step_down", _("Step-down plan due")),
    ("no_contact", _("No contact in the last 4 weeks")),
]
SORT_LABELS = {
    "urgent": _("Overdue reviews first, then next action due"),
    "next_action": _("Next action due"),
    "review_due": _("Review due"),
    "risk": _("Risk level, highest first"),
    "last_contact": _("Last contact, longest ago first"),
    "support_ends": _("Support ends, soonest first"),
    "name": _("Last name"),
}
CASELOAD_STATUS_CHOICES = [
    (s.value, s.label) for s in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.STEPPING_DOWN)
]


class CaseloadFilterForm(forms.Form):
    attention = forms.ChoiceField(label=_("Show"), required=False, choices=ATTENTION)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("Any risk level")), *RiskLevel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CASELOAD_STATUS_CHOICES]
    )
    pathway = forms.TypedChoiceField(label=_("Pathway"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[(s, SORT_LABELS[s]) for s in SORTS])

    def __init__(self, *args: Any, pathways: list[Pathway], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [("", _("Any pathway")), *((p.pk, p.name) for p in pathways)]

    def filters(self) -> CaseloadFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CaseloadFilters(
            pathway_id=data.get("pathway"),
            risk_level=data.get("risk_level", ""),
            status=data.get("status", ""),
            attention=data.get("attention", ""),
            sort=data.get("sort") or "urgent",
        )

    def query(self) -> str:
        """The filters as a query string, for pagination links."""
        f = self.filters()
        pairs = [
            ("attention", f.attention),
            ("risk_level", f.risk_level),
            ("status", f.status),
            ("pathway", str(f.pathway_id or "")),
            ("sort", "" if f.sort == "urgent" else f.sort),
        ]
        return urlencode([(k, v) for k, v in pairs if v])


# --- allocation ----------------------------------------------------------------------------


class AllocateForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Who will be the key worker?"),
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who will be the key worker."),
            "invalid_choice": _("Choose a caseworker or team manager who works in your organisation."),
        },
    )
    team = forms.ModelChoiceField(
        label=_("Team (optional)"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
        error_messages={"invalid_choice": _("Choose one of your organisation's teams.")},
    )
    version = version_field()

    def __init__(self, *args: Any, staff: QuerySet[User], teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = staff
        self.fields["team"].queryset = teams


# --- status changes ------------------------------------------------------------------------


def status_options(
    status: str, *, can_work: bool, can_manage: bool, key_worker: str = ""
) -> list[tuple[str, str, str]]:
    """(new status, what it means, hint) the user may choose from the case's current status.
    Caseworkers mark cases active or stepping down; team managers also close, return to the
    waiting list and reopen (they approve closures)."""
    options: list[tuple[str, str, str]] = []
    s = CaseStatus
    if can_work and status == s.ALLOCATED:
        options.append((s.ACTIVE, str(_("Active: support has started")), ""))
    if can_work and status == s.ACTIVE:
        options.append((s.STEPPING_DOWN, str(_("Stepping down: the step-down plan has started")), ""))
    if can_work and status == s.STEPPING_DOWN:
        options.append((s.ACTIVE, str(_("Active: back to full support")), str(_("The step-down plan has stopped."))))
    if can_manage and status == s.ALLOCATED:
        options.append((s.WAITING, str(_("Return to the waiting list")), str(_("The key worker is removed."))))
    if can_manage and status in (s.WAITING, s.ALLOCATED, s.ACTIVE, s.STEPPING_DOWN):
        options.append((s.CLOSED, str(_("Close the case")), str(_("Choose the reason below."))))
    if can_manage and status == s.CLOSED:
        options.append((s.WAITING, str(_("Reopen to the waiting list")), ""))
        if key_worker:
            hint = str(_("The key worker was %(name)s.")) % {"name": key_worker}
            options.append((s.ALLOCATED, str(_("Reopen and return to the same key worker")), hint))
    return options


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("What is the case's new status?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the case's new status."),
            "invalid_choice": _("Choose one of the statuses listed."),
        },
    )
    reason_code = forms.ChoiceField(
        label=_("Why is the case closing?"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only when closing the case."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when closing or reopening. Do not write anything that would be unsafe if the person causing harm read it."
        ),
    )
    version = version_field()

    def __init__(
        self,
        *args: Any,
        options: list[tuple[str, str, str]],
        reasons: list[VocabularyTerm],
        from_status: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.from_status = from_status
        self.options = options
        self.fields["to_status"].choices = [(value, label) for value, label, _hint in options]
        self.fields["reason_code"].choices = [(t.code, t.label) for t in reasons]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        to_status = cleaned.get("to_status")
        closing = to_status == CaseStatus.CLOSED
        if closing and not cleaned.get("reason_code"):
            self.add_error("reason_code", _("Choose why the case is closing."))
        if not closing:
            cleaned["reason_code"] = ""
        reopening = self.from_status == CaseStatus.CLOSED
        if (closing or reopening) and not cleaned.get("note", "").strip():
            self.add_error("note", _("Enter a note saying why."))
        return cleaned


# --- teams ---------------------------------------------------------------------------------


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"), max_length=120, error_messages={"required": _("Enter the team's name.")}
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Current caseworkers, team managers and volunteers in your organisation."),
        error_messages={"invalid_choice": _("Choose people who work in your organisation.")},
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff


class TeamEditForm(TeamForm):
    is_active = forms.BooleanField(label=_("The team is in use"), required=False)


# --- pathway settings ----------------------------------------------------------------------


def _whole(label: Any, name: str, hint: Any = "") -> forms.IntegerField:
    low, high = SETTING_RANGES[name]
    message = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
    )


class PathwaySettingsForm(forms.Form):
    support_months = _whole(
        _("Support period, in months"),
        "support_months",
        _("From allocation. Cases already allocated keep their end date."),
    )
    step_down_prompt_days = _whole(
        _("Days before the end of support to prompt a step-down plan"), "step_down_prompt_days"
    )
    rereferral_window_months = _whole(
        _("Re-referral window, in months"),
        "rereferral_window_months",
        _("A person referred again within this many months of their case closing is fast-tracked. 0 turns it off."),
    )
    rereferral_priority = forms.ChoiceField(
        label=_("What happens to a re-referral?"),
        choices=ReReferralPriority.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what happens to a re-referral."),
            "invalid_choice": _("Choose what happens to a re-referral."),
        },
    )
    engagement_rule = forms.ChoiceField(
        label=_("What counts as engagement?"),
        choices=EngagementRule.choices,
        widget=forms.RadioSelect,
        help_text=_("The first contact of this kind makes the case engaged."),
        error_messages={
            "required": _("Choose what counts as engagement."),
            "invalid_choice": _("Choose what counts as engagement."),
        },
    )
    review_interval_days = _whole(_("Days between risk reviews"), "review_interval_days")
    caseload_low = _whole(_("Caseload benchmark: low end"), "caseload_low", _("Open cases per full-time worker."))
    caseload_high = _whole(_("Caseload benchmark: high end"), "caseload_high")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("caseload_low"), cleaned.get("caseload_high")
        if low is not None and high is not None and low > high:
            self.add_error("caseload_high", _("The high end of the benchmark must be at least the low end."))
        return cleaned
