"""Forms for MARAC. They check the shape of each answer; the services check the rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.people.forms import DatePartsMixin, TokenForm
from safepath.programmes.forms import _number, _part, _time
from safepath.referrals.choices import Source


def _text(
    label: Any, *, required: bool = True, rows: int = 5, max_length: int = 5000, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class MeetingForm(DatePartsMixin, TokenForm):
    DATES = {"on": ("on", True, _("Date of the meeting"))}

    on_day = _part(_("Day"))
    on_month = _part(_("Month"))
    on_year = _part(_("Year"))
    time = _time(_("Time"))
    chair = forms.CharField(
        label=_("Chair"), max_length=200, help_text=_("Name and role, for example DI Sam Patel, police.")
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Attending agencies"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their MARAC representatives will see the agenda's cases from its release."),
        error_messages={"required": _("Choose the agencies attending.")},
    )

    def __init__(self, *args: Any, agencies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["chair"].error_messages["required"] = _("Enter who chairs the meeting.")

    def held_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["on"], self.cleaned_data["time"]))


class ResearchForm(forms.Form):
    text = _text(
        _("What your agency holds about this case"),
        required=False,
        help_text=_("Share what is relevant and proportionate to the risk: incidents, contact, concerns, children."),
    )
    no_information = forms.BooleanField(label=_("Our agency holds nothing about this case"), required=False)

    def __init__(self, *args: Any, with_voice: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_voice:
            self.fields["idva_summary"] = _text(
                _("The victim's voice"),
                required=False,
                help_text=_("As the IDVA service heard it: what the victim wants, fears and agrees to."),
            )


class ActionForm(DatePartsMixin, TokenForm):
    DATES = {"due": ("due_on", True, _("Due date"))}
    SERVICE_ALIASES = {"due_on": "due_day"}

    description = _text(_("Action"), rows=3, max_length=2000)
    owner = forms.ModelChoiceField(label=_("Agency responsible"), queryset=None, empty_label=_("Choose an agency"))
    due_day = _part(_("Day"))
    due_month = _part(_("Month"))
    due_year = _part(_("Year"))

    def __init__(self, *args: Any, agencies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agencies
        self.fields["owner"].error_messages["required"] = _("Choose the agency responsible.")
        self.fields["description"].error_messages["required"] = _("Describe the action.")


class MinutesForm(forms.Form):
    minutes = _text(_("Minutes"), rows=12, max_length=50_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].error_messages["required"] = _("Enter the minutes.")


class PartnerReferralForm(DatePartsMixin, TokenForm):
    DATES = {"dob": ("date_of_birth", False, _("Date of birth"))}

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    dob_day = _part(_("Day"))
    dob_month = _part(_("Month"))
    dob_year = _part(_("Year"))
    postcode = forms.CharField(label=_("Postcode (optional)"), max_length=10, required=False)
    source = forms.ChoiceField(
        label=_("Your agency is"), choices=[(v, label) for v, label in Source.choices if v != Source.SELF]
    )
    dash_score = _number(
        _("Dash checklist score (optional)"),
        minimum=0,
        maximum=24,
        required=False,
        help_text=_("The number of yes answers, if a checklist was done."),
    )
    children_in_household = _number(_("Children in the household (optional)"), minimum=0, maximum=20, required=False)
    reason = _text(
        _("Why this case should go to MARAC"),
        help_text=_("Your professional judgement of the risk, and what has happened."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].error_messages["required"] = _("Enter the person's first name.")
        self.fields["last_name"].error_messages["required"] = _("Enter the person's last name.")
        self.fields["reason"].error_messages["required"] = _("Say why this case should go to MARAC.")


class DatasetForm(DatePartsMixin, forms.Form):
    DATES = {"start": ("date_from", True, _("Start of the period")), "end": ("date_to", True, _("End of the period"))}

    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    end_day = _part(_("Day"))
    end_month = _part(_("Month"))
    end_year = _part(_("Year"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("end_day", _("The end of the period must be on or after its start."))
        return cleaned


def last_quarter(today: date) -> tuple[date, date]:
    """The last complete calendar quarter before `today`."""
    first_month = ((today.month - 1) // 3) * 3 + 1
    end = date(today.year, first_month, 1).toordinal() - 1
    end_day = date.fromordinal(end)
    start = date(end_day.year, ((end_day.month - 1) // 3) * 3 + 1, 1)
    return start, end_day


class SettingsForm(forms.Form):
    max_cases_per_meeting = _number(_("Most cases on one agenda"), minimum=1, maximum=300)
    access_hours_after_meeting = _number(
        _("Hours representatives keep access after the meeting"),
        minimum=0,
        maximum=720,
        help_text=_(
            "From the agenda's release until this long after the meeting. Meetings already released keep theirs."
        ),
    )
    repeat_window_months = _number(
        _("Repeat window in months"), minimum=1, maximum=24, help_text=_("Nationally 12 months.")
    )
    idva_service = forms.ModelChoiceField(
        label=_("IDVA service (records the victim's voice)"),
        queryset=None,
        required=False,
        empty_label=_("None chosen"),
    )

    def __init__(self, *args: Any, agencies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idva_service"].queryset = agencies
