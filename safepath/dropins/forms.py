"""Forms for drop-in pages: the shape of each answer. The services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.areas.models import Area
from safepath.casework.forms import OnceForm
from safepath.dropins import selectors
from safepath.dropins.models import Venue, Visitor
from safepath.dropins.services import VisitInput
from safepath.people.forms import DatePartsMixin


def _required(message: Any) -> dict[str, Any]:
    return {"required": message, "invalid_choice": message}


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


class VisitForm(DatePartsMixin, OnceForm):
    """Fast to fill in at a busy drop-in: venue, date (today unless changed), new or returning,
    what happened, and a case reference only when the visitor has a case with us."""

    DATES = {"on": ("on", True, _("The date of the visit"))}

    venue = forms.ChoiceField(
        label=_("Venue"), widget=forms.RadioSelect, error_messages=_required(_("Choose the venue."))
    )
    on_day = _part(_("Day"))
    on_month = _part(_("Month"))
    on_year = _part(_("Year"))
    visitor = forms.ChoiceField(
        label=_("New or returning visitor"),
        choices=Visitor.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose whether the visitor was new or returning.")),
    )
    outcomes = forms.MultipleChoiceField(
        label=_("What happened"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Choose what happened at the visit.")),
    )
    case_reference = forms.CharField(
        label=_("Case reference (optional)"),
        required=False,
        max_length=12,
        help_text=_("Only if the visitor already has a case with your organisation. Do not record names here."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, venues: QuerySet[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(v.pk), v.name) for v in venues]
        self.fields["venue"].choices = choices  # type: ignore[attr-defined]
        self.fields["outcomes"].choices = selectors.outcome_choices()  # type: ignore[attr-defined]
        if not self.is_bound:
            today = timezone.localdate()
            initial: dict[str, Any] = {"on_day": today.day, "on_month": today.month, "on_year": today.year}
            if len(choices) == 1:
                initial["venue"] = choices[0][0]
            self.initial = {**initial, **self.initial}

    def service_input(self) -> VisitInput:
        data = self.cleaned_data
        return VisitInput(
            venue_id=int(data["venue"]),
            on=data["on"],
            visitor=data["visitor"],
            outcomes=list(data["outcomes"]),
            case_reference=data["case_reference"],
        )


class VenueForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the venue"),
        max_length=120,
        help_text=_("For example, Chatham One Stop Shop."),
        error_messages={"required": _("Enter the name of the venue.")},
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        help_text=_("Visits here are counted in this area's figures."),
        empty_label=_("Choose an area"),
        error_messages=_required(_("Choose the area the venue is in.")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
