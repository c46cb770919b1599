"""Forms for the person record. They check the shape of each answer; the services check the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepath.core.forms import add_errors
from safepath.core.once import new_token
from safepath.people.choices import (
    Ethnicity,
    GenderIdentity,
    ImmigrationStatus,
    RelationshipType,
    Religion,
    Sex,
    SexualOrientation,
    SocialCare,
    YesNoUnknown,
)
from safepath.people.models import PersonName
from safepath.people.selectors_records import active_areas
from safepath.risk.models import Instrument
from safepath.risk.rules import Answer

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]
SAFE_UNSAFE_UNKNOWN = [("yes", _("Safe")), ("no", _("Not safe")), ("unknown", _("Not known"))]
ANSWERS = [
    (Answer.YES.value, _("Yes")),
    (Answer.NO.value, _("No")),
    (Answer.NOT_KNOWN.value, _("Not known")),
    (Answer.DECLINED.value, _("Declined to answer")),
]
JUDGEMENT_CHOICES = [("", _("No professional judgement")), ("medium", _("Medium risk")), ("high", _("High risk"))]


def to_tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def from_tristate(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[arg-type]


def tristate_field(label: str, choices: list[tuple[str, Any]] = YES_NO_UNKNOWN, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=to_tristate, empty_value=None, widget=forms.RadioSelect, initial="unknown", **kwargs
    )


def radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def select(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, **kwargs)


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


class DatePartsMixin:
    """Dates asked as day, month and year boxes (the GOV.UK date input). DATES maps a prefix
    (`dob` gives fields dob_day, dob_month, dob_year) to the cleaned name, whether it is required
    and what to call it in messages. Errors go on the day box, which the error summary links to."""

    DATES: dict[str, tuple[str, bool, Any]] = {}
    SERVICE_ALIASES: dict[str, str] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for prefix, (name, required, what) in self.DATES.items():
            cleaned[name] = self._date(prefix, required, str(what))
        return cleaned

    def _date(self, prefix: str, required: bool, what: str) -> date | None:
        data = self.cleaned_data  # type: ignore[attr-defined]
        parts = {p: (data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")}
        error = _date_error(parts, required, what)
        if error is None and any(parts.values()):
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        if error:
            self.add_error(f"{prefix}_day", error)  # type: ignore[attr-defined]
        return None

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors next to the fields, mapping its names onto this form's."""
        if hasattr(error, "error_dict"):
            aliases = {name: f"{prefix}_day" for prefix, (name, _r, _w) in self.DATES.items()} | self.SERVICE_ALIASES
            error = ValidationError({aliases.get(k, k): v for k, v in error.error_dict.items()})
        add_errors(self, error)  # type: ignore[arg-type]


def _date_error(parts: dict[str, str], required: bool, what: str) -> str | None:
    if not any(parts.values()):
        return str(_("Enter %(what)s.") % {"what": what.lower()}) if required else None
    missing = [p for p in ("day", "month", "year") if not parts[p]]
    if missing:
        return str(_("%(what)s must include a %(part)s.") % {"what": what, "part": _(missing[0])})
    if not all(v.isdigit() for v in parts.values()) or len(parts["year"]) != 4:
        return str(_("%(what)s must be a real date, like 27 3 2007.") % {"what": what})
    try:
        date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return str(_("%(what)s must be a real date, like 27 3 2007.") % {"what": what})
    return None


class PersonForm(DatePartsMixin, forms.Form):
    DATES = {"dob": ("date_of_birth", False, _("Date of birth"))}

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    dob_day = _part(_("Day"))
    dob_month = _part(_("Month"))
    dob_year = _part(_("Year"))
    age_estimate = forms.IntegerField(
        label=_("Age, if the date of birth is not known"), required=False, min_value=0, max_value=120, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    sex = radios(_("Sex"), Sex.choices)
    gender_identity = select(_("Gender identity"), GenderIdentity.choices)
    ethnicity = select(_("Ethnic group"), Ethnicity.choices, help_text=_("Census 2021 categories."))
    disability = radios(_("Disabled, or has a long-term health condition"), YesNoUnknown.choices)
    sexual_orientation = select(_("Sexual orientation"), SexualOrientation.choices)
    religion = select(_("Religion"), Religion.choices)
    first_language = forms.CharField(label=_("First language"), max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    immigration_status = select(_("Immigration status"), ImmigrationStatus.choices)
    no_recourse_to_public_funds = radios(_("No recourse to public funds"), YesNoUnknown.choices)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label=_("Postcode"), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=active_areas(), required=False, empty_label=_("Work out from the postcode"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        from safepath.people.services_records import valid_postcode

        postcode = self.cleaned_data["postcode"]
        if postcode and not valid_postcode(postcode):
            raise ValidationError(_("Enter a real postcode, like ME4 4AB."))
        return postcode

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for prefix in self.DATES:
            for part in ("day", "month", "year"):
                data.pop(f"{prefix}_{part}", None)
        return data

    @staticmethod
    def initial_for(person: Any) -> dict[str, Any]:
        from safepath.people.services_records import PERSON_FIELDS

        initial = {name: getattr(person, name) for name in PERSON_FIELDS if name != "date_of_birth"}
        if person.date_of_birth:
            dob = person.date_of_birth
            initial |= {"dob_day": dob.day, "dob_month": dob.month, "dob_year": dob.year}
        return initial


class SafeContactForm(forms.Form):
    safe_phone = forms.CharField(label=_("Safe phone number"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    safe_times = forms.CharField(label=_("Safe times to contact"), max_length=200, required=False, help_text=_("For example: weekdays 10am to 2pm, never at weekends."))
    phone_safe = tristate_field(_("Phone calls"), SAFE_UNSAFE_UNKNOWN)
    voicemail_safe = tristate_field(_("Voicemail"), SAFE_UNSAFE_UNKNOWN)
    text_safe = tristate_field(_("Text messages"), SAFE_UNSAFE_UNKNOWN)
    letters_safe = tristate_field(_("Letters"), SAFE_UNSAFE_UNKNOWN)
    email_safe = tristate_field(_("Email"), SAFE_UNSAFE_UNKNOWN)
    safe_email = forms.EmailField(label=_("Safe email address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    safe_word = forms.CharField(label=_("Safe word"), max_length=60, required=False, help_text=_("Agreed with the person, so they know a caller is from the service."), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    notes = forms.CharField(label=_("Other safety notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_safe_phone(self) -> str:
        phone = self.cleaned_data["safe_phone"]
        digits = "".join(c for c in phone if c.isdigit())
        if phone and (set(phone) - set("0123456789+() -") or not 10 <= len(digits) <= 15):
            raise ValidationError(_("Enter a phone number, like 07700 900 982 or +44 7700 900 982."))
        return phone

    @staticmethod
    def initial_for(contact: Any) -> dict[str, Any]:
        if contact is None:
            return {}
        from safepath.people.services_records import SAFE_CONTACT_FIELDS

        initial = {name: getattr(contact, name) for name in SAFE_CONTACT_FIELDS}
        for name in ("phone_safe", "voicemail_safe", "text_safe", "letters_safe", "email_safe"):
            initial[name] = from_tristate(initial[name])
        return initial


class OtherNameForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    kind = radios(_("What kind of name is it?"), PersonName.Kind.choices, initial=PersonName.Kind.KNOWN_AS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("first_name") and not cleaned.get("last_name"):
            self.add_error("first_name", _("Enter the other first name or last name."))
        return cleaned


class TokenForm(forms.Form):
    """A form whose submission must create something once: it carries a one-time token."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = new_token()


class RelatedPersonForm(DatePartsMixin, TokenForm):
    DATES = {"dob": ("date_of_birth", False, _("Date of birth"))}

    first_name = forms.CharField(label=_("First name"), max_length=100, help_text=_("Or the name they are known by."))
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    dob_day = _part(_("Day"))
    dob_month = _part(_("Month"))
    dob_year = _part(_("Year"))
    age_estimate = forms.IntegerField(
        label=_("Age, if the date of birth is not known"), required=False, min_value=0, max_value=120, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    sex = radios(_("Sex"), Sex.choices, initial=Sex.UNKNOWN)
    lives_in_household = tristate_field(_("Lives in the same household"))

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for part in ("day", "month", "year"):
            data.pop(f"dob_{part}", None)
        return data


class ChildForm(RelatedPersonForm):
    school = forms.CharField(label=_("School or nursery"), max_length=200, required=False)
    social_care = radios(_("Children's social care involvement"), SocialCare.choices, initial=SocialCare.UNKNOWN)

    field_order = ["first_name", "last_name", "dob_day", "dob_month", "dob_year", "age_estimate", "sex", "school", "social_care", "lives_in_household"]


class PersonCausingHarmForm(RelatedPersonForm):
    relationship = radios(_("How are they related to the person?"), RelationshipType.choices)

    field_order = ["first_name", "last_name", "relationship", "dob_day", "dob_month", "dob_year", "age_estimate", "sex", "lives_in_household"]


class RiskAssessmentForm(TokenForm):
    police_incidents = forms.IntegerField(
        label=_("Incidents reported to the police in the last 12 months"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("As far as you know. Enter 0 if none or not known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    judgement = forms.ChoiceField(
        label=_("Professional judgement"),
        choices=JUDGEMENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        initial="",
        help_text=_("Your judgement can raise the level the answers give, never lower it."),
    )
    judgement_reason = forms.CharField(label=_("Why you judge the risk to be at this level"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    narrative = forms.CharField(
        label=_("What happened, in your words"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Include anything the answers do not show.")
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(instrument.indicators.all())
        for indicator in self.indicators:
            self.fields[self.answer_name(indicator.code)] = forms.ChoiceField(
                label=indicator.text, help_text=indicator.hint, choices=ANSWERS, initial=Answer.NOT_KNOWN.value, widget=forms.RadioSelect
            )

    @staticmethod
    def answer_name(code: str) -> str:
        return f"answer_{code}"

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[self.answer_name(i.code)] for i in self.indicators]

    def answers(self) -> dict[str, str]:
        return {i.code: self.cleaned_data[self.answer_name(i.code)] for i in self.indicators}


class MergeSearchForm(forms.Form):
    record = forms.IntegerField(
        label=_("Record number"), min_value=1, help_text=_("Shown at the top of the other person's page."), widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class MergeConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these records the same person?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: same date of birth and address; the person confirmed their previous name."),
    )


class UndoMergeForm(forms.Form):
    """No fields: the button is the confirmation."""


class ThresholdSetForm(DatePartsMixin, forms.Form):
    DATES = {"from": ("effective_from", True, _("The date the rules start"))}

    area = forms.ModelChoiceField(label=_("Area"), queryset=active_areas(), required=False, empty_label=_("Default for every area without its own rules"))
    from_day = _part(_("Day"))
    from_month = _part(_("Month"))
    from_year = _part(_("Year"))
    high_score = forms.IntegerField(label=_("High risk from this many 'yes' answers"), min_value=1, max_value=50, initial=14)
    medium_score = forms.IntegerField(label=_("Medium risk from this many 'yes' answers"), min_value=1, max_value=50, initial=10)
    escalation_incidents = forms.IntegerField(label=_("Potential escalation: this many police incidents"), min_value=1, max_value=120, initial=3)
    escalation_window_months = forms.IntegerField(label=_("… within this many months"), min_value=1, max_value=120, initial=12)
    repeat_window_months = forms.IntegerField(
        label=_("Repeat: a new incident within this many months of the last MARAC referral"), min_value=1, max_value=120, initial=12
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for part in ("day", "month", "year"):
            data.pop(f"from_{part}", None)
        return data
