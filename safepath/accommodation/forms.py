"""Forms for safe accommodation. They check the shape of each answer; the services check the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accommodation import matching
from safepath.accommodation.choices import STAFF_STATES, BedspaceState, OutOfAreaReason, ServiceType, Specialism
from safepath.people.forms import DatePartsMixin, TokenForm

GENDERS = [
    (matching.WOMAN, _("Woman")),
    (matching.MAN, _("Man")),
    (matching.TRANS_WOMAN, _("Trans woman")),
    (matching.TRANS_MAN, _("Trans man")),
    (matching.NON_BINARY, _("Non-binary")),
]
AGES_HINT = _("Ages from 0 to 17, separated by commas, for example 3, 14. Leave blank for none.")


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


def _number(label: Any, minimum: int, maximum: int, **kwargs: Any) -> forms.IntegerField:
    message = _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


def _ages(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=60, help_text=AGES_HINT)


def _with_today(form: forms.Form, prefix: str) -> None:
    if not form.is_bound:
        today = timezone.localdate()
        form.initial.update({f"{prefix}_day": today.day, f"{prefix}_month": today.month, f"{prefix}_year": today.year})


class HouseholdMixin:
    """Girls' and boys' ages as typed lists, checked and turned into matching.Child values."""

    def clean_girls_ages(self) -> list[int]:
        return self._ages("girls_ages")

    def clean_boys_ages(self) -> list[int]:
        return self._ages("boys_ages")

    def _ages(self, name: str) -> list[int]:
        ages = matching.parse_ages(self.cleaned_data.get(name) or "")  # type: ignore[attr-defined]
        if ages is None:
            raise forms.ValidationError(_("Enter ages as whole numbers from 0 to 17, separated by commas."))
        return ages

    def children(self) -> list[matching.Child]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return [matching.Child(a, matching.GIRL) for a in data.get("girls_ages") or []] + [
            matching.Child(a, matching.BOY) for a in data.get("boys_ages") or []
        ]


class SearchForm(HouseholdMixin, forms.Form):
    area = forms.ModelChoiceField(
        label=_("The household's home area"),
        queryset=None,
        required=False,
        empty_label=_("Not known"),
        help_text=_("Spaces in this area and council are listed first."),
    )
    gender = forms.ChoiceField(label=_("The adult seeking safety is a"), choices=GENDERS, widget=forms.RadioSelect)
    adults = _number(_("Adults in the household"), 1, 6, initial=1)
    girls_ages = _ages(_("Girls' ages"))
    boys_ages = _ages(_("Boys' ages"))
    pets = forms.BooleanField(label=_("The household has a pet"), required=False)
    accessible = forms.BooleanField(label=_("Someone uses a wheelchair"), required=False)
    language = forms.CharField(label=_("Language the adult needs support in (optional)"), required=False, max_length=60)
    specialisms = forms.MultipleChoiceField(
        label=_("Specialist support needed"),
        choices=Specialism.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, areas: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def need(self) -> matching.Need:
        data = self.cleaned_data
        return matching.Need(
            gender=data["gender"],
            adults=data["adults"],
            children=tuple(self.children()),
            pets=data["pets"],
            accessible=data["accessible"],
            language=data["language"],
            specialisms=frozenset(data["specialisms"]),
        )


class ReferForm(HouseholdMixin, TokenForm):
    adults = _number(_("Adults in the household"), 1, 6, initial=1)
    girls_ages = _ages(_("Girls' ages"))
    boys_ages = _ages(_("Boys' ages"))
    pets = forms.BooleanField(label=_("The household has a pet"), required=False)
    out_of_area_reason = forms.ChoiceField(
        label=_("Why does the household need a place out of their area?"),
        choices=OutOfAreaReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, out_of_area: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not out_of_area:
            del self.fields["out_of_area_reason"]
        else:
            self.fields["out_of_area_reason"].required = True
            self.fields["out_of_area_reason"].error_messages["required"] = _(
                "Choose why the household needs a place out of their area."
            )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Can the service offer this household a place?"),
        choices=[("accept", _("Yes, accept the referral")), ("decline", _("No, decline the referral"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline the referral.")},
    )
    reason = forms.ChoiceField(label=_("Why is it declined?"), required=False, help_text=_("Only if you decline."))

    def __init__(self, *args: Any, reasons: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose a reason"))] + [(t.code, t.label) for t in reasons]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason"):
            self.add_error("reason", _("Choose why the referral is declined."))
        return cleaned


class MoveInForm(DatePartsMixin, forms.Form):
    DATES = {"moved": ("moved_in_on", True, _("The date"))}

    moved_day = _part(_("Day"))
    moved_month = _part(_("Month"))
    moved_year = _part(_("Year"))
    bedspace = forms.ModelChoiceField(
        label=_("Space the household moved into"),
        queryset=None,
        empty_label=_("Choose a space"),
        error_messages={"required": _("Choose the space the household moved into.")},
    )
    measures = forms.CharField(
        label=_("Security measures fitted"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: new locks, door and window alarms, a fire-proof letterbox."),
        error_messages={"required": _("Describe the security measures fitted.")},
    )

    def __init__(self, *args: Any, bedspaces: QuerySet | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_today(self, "moved")
        if bedspaces is None:
            del self.fields["bedspace"]
        else:
            self.fields["bedspace"].queryset = bedspaces
            del self.fields["measures"]


class EndForm(DatePartsMixin, forms.Form):
    DATES = {"ended": ("ended_on", True, _("The date"))}

    ended_day = _part(_("Day"))
    ended_month = _part(_("Month"))
    ended_year = _part(_("Year"))
    reason = forms.ChoiceField(label=_("Why did the support end?"))
    destination = forms.ChoiceField(label=_("Where did the household go?"))

    def __init__(self, *args: Any, reasons: QuerySet, destinations: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_today(self, "ended")
        self.fields["reason"].choices = [("", _("Choose a reason"))] + [(t.code, t.label) for t in reasons]
        self.fields["destination"].choices = [("", _("Choose where"))] + [(t.code, t.label) for t in destinations]
        self.fields["reason"].error_messages["required"] = _("Choose why the support ended.")
        self.fields["destination"].error_messages["required"] = _("Choose where the household went.")


class BedspaceStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[(s.value, s.label) for s in BedspaceState if s in STAFF_STATES],
        widget=forms.RadioSelect,
    )


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Only your organisation's staff ever see it. It is stored encrypted."),
    )


class ReturnForm(DatePartsMixin, forms.Form):
    DATES = {"from": ("date_from", True, _("The start date")), "to": ("date_to", True, _("The end date"))}

    from_day = _part(_("Day"))
    from_month = _part(_("Month"))
    from_year = _part(_("Year"))
    to_day = _part(_("Day"))
    to_month = _part(_("Month"))
    to_year = _part(_("Year"))
    area = forms.ModelChoiceField(
        label=_("Council or area"), queryset=None, required=False, empty_label=_("Every area")
    )

    def __init__(self, *args: Any, areas: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("to_day", _("The end date must be on or after the start date."))
        return cleaned


class UnmetNeedForm(TokenForm):
    area = forms.ModelChoiceField(
        label=_("Area where support was sought"),
        queryset=None,
        empty_label=_("Choose an area"),
        error_messages={"required": _("Choose the area where support was sought.")},
    )
    reason = forms.ChoiceField(
        label=_("Why could the household not be supported?"),
        error_messages={"required": _("Choose why the household could not be supported.")},
    )

    def __init__(self, *args: Any, areas: QuerySet, reasons: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["reason"].choices = [("", _("Choose a reason"))] + [(t.code, t.label) for t in reasons]


class ServiceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("A name people can be told. Never the address.")
    )
    type = forms.ChoiceField(label=_("Type of accommodation"), choices=ServiceType.choices, widget=forms.RadioSelect)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=_("Choose an area"))
    address = forms.CharField(
        label=_("Address (secret)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Only your organisation's staff ever see it. It is stored encrypted."),
    )
    languages = forms.CharField(
        label=_("Languages staff speak (optional)"), max_length=200, required=False, help_text=_("Separated by commas.")
    )
    by_and_for = forms.CharField(
        label=_("By and for (optional)"),
        max_length=120,
        required=False,
        help_text=_("The community the service is run by and for, for example Black and minoritised women."),
    )
    lgbt = forms.BooleanField(label=_("Specialist LGBT+ service"), required=False)
    complex_needs = forms.BooleanField(label=_("Supports complex needs (mental health, substance use)"), required=False)

    def __init__(self, *args: Any, areas: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class BedspaceForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=60, help_text=_("For example, Room 3. Never the address."))
    max_children = _number(_("Most children it takes"), 0, 12, initial=0)
    max_boy_age = forms.IntegerField(
        label=_("Oldest boy it takes (optional)"),
        min_value=0,
        max_value=17,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Leave blank if it takes boys of any age."),
    )
    accessible = forms.BooleanField(label=_("Accessible to a wheelchair user"), required=False)
    accepts_men = forms.BooleanField(label=_("Takes men"), required=False)
    accepts_pets = forms.BooleanField(label=_("Takes pets"), required=False)
