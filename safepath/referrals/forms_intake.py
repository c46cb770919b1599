"""Forms for referral intake: the professional referral and the public self-referral steps.

Every message is written for the person filling the form in, and sits next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.people.choices import Ethnicity, RelationshipType, Sex, SocialCare, YesNoUnknown
from safepath.people.matching import postcode_compact
from safepath.referrals.choices import AbuseType, Consent, Source
from safepath.risk.rules import Answer

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
PHONE_RE = re.compile(r"^\+?[0-9]{10,15}$")
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"
DASH_PREFIX = "dash_"

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]
DASH_ANSWERS = [
    (Answer.YES.value, _("Yes")),
    (Answer.NO.value, _("No")),
    (Answer.NOT_KNOWN.value, _("Not known")),
    (Answer.DECLINED.value, _("Declined to answer")),
]
# Safe-contact flags on people.SafeContact, with the question asked of a professional.
CONTACT_FLAGS = [
    ("phone_safe", _("Are phone calls safe?")),
    ("voicemail_safe", _("Is voicemail safe?")),
    ("text_safe", _("Are text messages safe?")),
    ("letters_safe", _("Are letters safe?")),
    ("email_safe", _("Is email safe?")),
]


# --- Shared fields --------------------------------------------------------------------


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input); rendered by the date_input macro."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}, attrs)

    def decompress(self, value: date | None) -> list[Any]:
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK-style messages naming what is wrong."""

    widget = DateWidget

    def __init__(self, *, past: bool = True, noun: Any = None, **kwargs: Any) -> None:
        self.past = past
        self.noun = noun
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        values = [(v or "").strip() for v in (data_list or ["", "", ""])]
        if not any(values):
            return None
        label = str(self.noun or self.label or _("Date"))
        for name, value in zip((_("a day"), _("a month"), _("a year")), values, strict=True):
            if not value:
                raise ValidationError(_("%(label)s must include %(part)s") % {"label": label, "part": name})
        if not all(v.isdigit() for v in values) or len(values[2]) != 4:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label})
        try:
            day = date(int(values[2]), int(values[1]), int(values[0]))
        except ValueError:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label}) from None
        if self.past and day > timezone.localdate():
            raise ValidationError(_("%(label)s must be in the past") % {"label": label})
        if day.year < 1900:
            raise ValidationError(_("%(label)s must be after 1900") % {"label": label})
        return day


def clean_postcode(value: str) -> str:
    compact = postcode_compact(value)
    if compact and not POSTCODE_RE.match(compact):
        raise ValidationError(_("Enter a real postcode, like SW1A 1AA"))
    return f"{compact[:-3]} {compact[-3:]}" if compact else ""


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(re.sub(r"[\s()-]", "", value)):
        raise ValidationError(_("Enter a phone number, like 07700 900 982 or 01632 960 001"))
    return value


def radios(choices: Iterable[tuple[str, Any]], label: Any, required_message: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


def _whole_number_field(label: Any, help_text: Any, min_value: int, max_value: int, messages: dict[str, Any]) -> forms.IntegerField:
    """An optional whole number typed into a text box (numeric keyboard on phones), with plain messages."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=min_value,
        max_value=max_value,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages=messages,
    )


def age_field(label: Any, *, help_text: Any = "", min_value: int = 0, max_value: int = 120) -> forms.IntegerField:
    return _whole_number_field(
        label,
        help_text,
        min_value,
        max_value,
        {
            "invalid": _("Age must be a whole number, like 34"),
            "min_value": _("Age must be %(limit_value)s or more"),
            "max_value": _("Age must be %(limit_value)s or less"),
        },
    )


def count_field(label: Any, *, help_text: Any = "", min_value: int = 0, max_value: int = 20) -> forms.IntegerField:
    return _whole_number_field(
        label,
        help_text,
        min_value,
        max_value,
        {
            "invalid": _("Enter a whole number, like 2"),
            "min_value": _("Enter a number from %(limit_value)s upwards"),
            "max_value": _("Enter a number no bigger than %(limit_value)s"),
        },
    )


def text(
    label: Any,
    *,
    required: bool = False,
    max_length: int = 100,
    error_messages: dict[str, Any] | None = None,
    **kwargs: Any,
) -> forms.CharField:
    messages = {"max_length": _("Must be %(limit_value)s characters or fewer")} | (error_messages or {})
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=messages, **kwargs)


def long_text(label: Any, *, required: bool = False, max_length: int = 5000, **kwargs: Any) -> forms.CharField:
    return text(label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": 4}), **kwargs)


def form_token_field() -> forms.CharField:
    return forms.CharField(
        widget=forms.HiddenInput,
        validators=[RegexValidator(FORM_KEY_PATTERN)],
        error_messages={
            "required": _("This form has expired. Check your answers and send it again."),
            "invalid": _("This form has expired. Check your answers and send it again."),
        },
    )


# --- Professional referral -------------------------------------------------------------


class ProfessionalReferralForm(forms.Form):
    """Everything a referring professional tells the hub, on one page (with ChildFormSet)."""

    # The person being referred.
    first_name = text(_("First name"), required=True, error_messages={"required": _("Enter their first name")})
    last_name = text(_("Last name"), required=True, error_messages={"required": _("Enter their last name")})
    date_of_birth = DateField(label=_("Date of birth"), required=False, help_text=_("For example, 27 3 1990"))
    age = age_field(_("Age, if you do not know their date of birth"))
    sex = radios(Sex.choices, _("Sex"), _("Select their sex, or ‘Not known’"), initial=Sex.UNKNOWN)
    postcode = text(_("Postcode"), max_length=10, help_text=_("Leave blank if it is not safe to record"))
    address = long_text(
        _("Address"), max_length=500, help_text=_("Leave blank if it is not safe to record, for example a refuge")
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group"),
        choices=Ethnicity.choices,
        initial=Ethnicity.UNKNOWN,
        error_messages={"required": _("Select their ethnic group, or ‘Not known’")},
    )
    first_language = text(_("First language"), max_length=60)
    interpreter_needed = radios(YES_NO, _("Do they need an interpreter?"), _("Select whether they need an interpreter"))
    disability = radios(
        YesNoUnknown.choices,
        _("Do they have a disability?"),
        _("Select whether they have a disability"),
        initial=YesNoUnknown.UNKNOWN,
    )

    # Safe contact.
    safe_phone = text(_("Safe phone number"), max_length=30, help_text=_("A number nobody else answers or checks"))
    safe_times = text(_("Safe times to contact"), max_length=200, help_text=_("For example, weekdays 10am to 2pm"))
    phone_safe = radios(
        YES_NO_UNKNOWN, CONTACT_FLAGS[0][1], _("Select whether phone calls are safe"), initial="unknown"
    )
    voicemail_safe = radios(
        YES_NO_UNKNOWN, CONTACT_FLAGS[1][1], _("Select whether voicemail is safe"), initial="unknown"
    )
    text_safe = radios(
        YES_NO_UNKNOWN, CONTACT_FLAGS[2][1], _("Select whether text messages are safe"), initial="unknown"
    )
    letters_safe = radios(YES_NO_UNKNOWN, CONTACT_FLAGS[3][1], _("Select whether letters are safe"), initial="unknown")
    email_safe = radios(YES_NO_UNKNOWN, CONTACT_FLAGS[4][1], _("Select whether email is safe"), initial="unknown")
    safe_email = forms.EmailField(
        label=_("Safe email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )

    # Household.
    children_in_household = count_field(
        _("How many children live in the household?"), help_text=_("Leave blank if not known")
    )

    # What is happening.
    abuse_types = forms.MultipleChoiceField(
        label=_("Types of abuse"),
        choices=AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply"),
        error_messages={"required": _("Select at least one type of abuse")},
    )
    complex_needs = forms.MultipleChoiceField(
        label=_("Complex needs"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply"),
    )
    accommodation_needed = radios(
        YES_NO, _("Do they need safe accommodation?"), _("Select whether they need safe accommodation")
    )

    # The person causing harm.
    perpetrator_first_name = text(_("First name"))
    perpetrator_last_name = text(_("Last name"))
    perpetrator_date_of_birth = DateField(
        label=_("Their date of birth"), required=False, help_text=_("For example, 27 3 1985")
    )
    relationship = radios(
        [("", _("Not known")), *RelationshipType.choices],
        _("Relationship to the person being referred"),
        "",
        required=False,
        initial="",
    )

    # Consent.
    consent = radios(
        Consent.choices, _("Did they consent to this referral?"), _("Select whether they consented to this referral")
    )
    person_aware = radios(
        YES_NO, _("Do they know about this referral?"), _("Select whether they know about this referral")
    )

    # Risk.
    police_callouts_12m = count_field(
        _("How many incidents were reported to the police in the last 12 months?"),
        help_text=_("Leave blank if not known"),
        max_value=99,
    )
    judgement_high = forms.BooleanField(
        label=_("In my professional judgement the risk is high"),
        required=False,
        help_text=_("Judgement can raise the risk level, never lower it. Give your reason below."),
    )
    judgement_reason = long_text(_("Reason for your professional judgement"), max_length=2000)

    reason = long_text(
        _("Reason for referral"),
        required=True,
        help_text=_("What has happened, and what support you think they need"),
        error_messages={"required": _("Enter the reason for the referral")},
    )
    source = forms.ChoiceField(
        label=_("Type of organisation you are referring from"),
        choices=[("", _("Select a type")), *[(s.value, s.label) for s in Source if s != Source.SELF]],
        error_messages={"required": _("Select the type of organisation you are referring from")},
    )
    form_token = form_token_field()

    def __init__(
        self, *args: Any, indicators: Iterable[Any] = (), complex_needs: Iterable[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complex_needs"].choices = list(complex_needs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[DASH_PREFIX + indicator.code] = radios(
                DASH_ANSWERS,
                f"{indicator.number}. {indicator.text}",
                _("Select an answer for question %(number)s") % {"number": indicator.number},
                initial=Answer.NOT_KNOWN.value,
            )
        # The checklist sits with the other risk questions, in page order (and error-summary order).
        names = [name for name in self.fields if not name.startswith(DASH_PREFIX)]
        at = names.index("police_callouts_12m") + 1
        self.order_fields(names[:at] + [DASH_PREFIX + i.code for i in self.indicators] + names[at:])

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_safe_phone(self) -> str:
        return clean_phone(self.cleaned_data["safe_phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._check_date_of_birth(data)
        self._check_safe_contact(data)
        self._check_person_causing_harm(data)
        if data.get("consent") == Consent.YES and data.get("person_aware") == "no":
            self.add_error(
                "person_aware", _("If they consented to the referral, they know about it: check these answers")
            )
        if data.get("judgement_high") and not (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_reason", _("Enter the reason for your professional judgement"))
        if not data.get("judgement_high") and (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_high", _("Tick this box to raise the risk to high, or remove the reason"))
        return data

    def _check_date_of_birth(self, data: dict[str, Any]) -> None:
        if "date_of_birth" in data and "age" in data and not data["date_of_birth"] and data["age"] is None:
            self.add_error("date_of_birth", _("Enter their date of birth, or their age if you do not know it"))

    def _check_safe_contact(self, data: dict[str, Any]) -> None:
        by_phone = any(data.get(flag) == "yes" for flag in ("phone_safe", "voicemail_safe", "text_safe"))
        if by_phone and "safe_phone" in data and not data["safe_phone"]:
            self.add_error(
                "safe_phone",
                _("Enter a safe phone number, or change calls, voicemail and texts to ‘No’ or ‘Not known’"),
            )
        if data.get("email_safe") == "yes" and "safe_email" in data and not data["safe_email"]:
            self.add_error("safe_email", _("Enter a safe email address, or change email to ‘No’ or ‘Not known’"))
        if data.get("letters_safe") == "yes" and "address" in data and not data["address"].strip():
            self.add_error("address", _("Enter an address for letters, or change letters to ‘No’ or ‘Not known’"))

    def _check_person_causing_harm(self, data: dict[str, Any]) -> None:
        named = data.get("perpetrator_first_name") or data.get("perpetrator_last_name")
        if data.get("perpetrator_date_of_birth") and not named:
            self.add_error(
                "perpetrator_first_name", _("Enter the name of the person causing harm, or remove their date of birth")
            )

    def dash_fields(self) -> list[forms.BoundField]:
        return [self[DASH_PREFIX + indicator.code] for indicator in self.indicators]

    def section(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names]


class ChildForm(forms.Form):
    first_name = text(_("First name"))
    age = age_field(_("Age"), max_value=17)
    school = text(_("School or nursery"), max_length=200)
    social_care = forms.ChoiceField(
        label=_("Children's social care involvement"), choices=SocialCare.choices, initial=SocialCare.UNKNOWN
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.has_changed():
            return data
        if "first_name" in data and not data["first_name"].strip():
            self.add_error("first_name", _("Enter the child's first name"))
        if "age" in data and data["age"] is None:
            self.add_error("age", _("Enter the child's age"))
        return data


ChildFormSet = forms.formset_factory(ChildForm, extra=4, max_num=20, validate_max=True)


def children_from(formset: Any) -> list[dict[str, Any]]:
    """The children a (valid) formset describes; untouched rows are left out."""
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]


# --- Self-referral steps -----------------------------------------------------------------

SAFE_WAYS = [
    ("call", _("A phone call")),
    ("voicemail", _("A voicemail message")),
    ("text", _("A text message")),
    ("email", _("An email")),
    ("letter", _("A letter")),
    ("none", _("None of these are safe")),
]

# What is happening, in plain words (codes from referrals.choices.AbuseType).
PLAIN_ABUSE = [
    (AbuseType.PHYSICAL.value, _("Being hit, pushed, choked or hurt")),
    (AbuseType.EMOTIONAL.value, _("Being put down, threatened or frightened")),
    (AbuseType.COERCIVE_CONTROL.value, _("Being controlled: who you see, where you go, what you do")),
    (AbuseType.ECONOMIC.value, _("Your money being controlled or taken")),
    (AbuseType.SEXUAL.value, _("Being made to do sexual things you do not want to do")),
    (AbuseType.STALKING.value, _("Being followed, watched or contacted again and again")),
    (AbuseType.HARASSMENT.value, _("Being pestered or harassed")),
    (AbuseType.ONLINE.value, _("Abuse through your phone, the internet or social media")),
    (AbuseType.FORCED_MARRIAGE.value, _("Being made to marry someone")),
    (AbuseType.HONOUR_BASED.value, _("Being hurt or threatened to protect a family’s ‘honour’")),
    (AbuseType.FGM.value, _("Female genital mutilation (FGM), or the threat of it")),
    (AbuseType.OTHER.value, _("Something else")),
]


class SelfContactForm(forms.Form):
    safe_ways = forms.MultipleChoiceField(
        label=_("Which of these are safe for us to use?"),
        choices=SAFE_WAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only choose ways that nobody else will see or hear. Select all that apply."),
        error_messages={"required": _("Select the ways that are safe, or ‘None of these are safe’")},
    )
    safe_phone = text(_("Safe phone number"), max_length=30, help_text=_("Only if calls, voicemail or texts are safe"))
    safe_times = text(
        _("When is it safe to contact you?"), max_length=200, help_text=_("For example, weekdays between 10am and 2pm")
    )
    safe_email = forms.EmailField(
        label=_("Safe email address"),
        required=False,
        max_length=254,
        help_text=_("Only if email is safe"),
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    safe_address = long_text(_("Safe address for letters"), max_length=500, help_text=_("Only if letters are safe"))

    def clean_safe_phone(self) -> str:
        return clean_phone(self.cleaned_data["safe_phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ways = set(data.get("safe_ways") or ())
        if "none" in ways and len(ways) > 1:
            self.add_error("safe_ways", _("Select ‘None of these are safe’, or the ways that are safe, not both"))
        if ways & {"call", "voicemail", "text"} and "safe_phone" in data and not data["safe_phone"]:
            self.add_error("safe_phone", _("Enter a phone number that is safe to use"))
        if "email" in ways and "safe_email" in data and not data["safe_email"]:
            self.add_error("safe_email", _("Enter an email address that is safe to use"))
        if "letter" in ways and "safe_address" in data and not data["safe_address"].strip():
            self.add_error("safe_address", _("Enter an address that is safe for letters"))
        return data


class SelfAboutForm(forms.Form):
    first_name = text(
        _("First name"),
        required=True,
        help_text=_("Or the name you would like us to use"),
        error_messages={"required": _("Enter your first name, or a name we can use")},
    )
    last_name = text(_("Last name (optional)"))
    date_of_birth = DateField(
        label=_("Date of birth (optional)"),
        noun=_("Date of birth"),
        required=False,
        help_text=_("For example, 27 3 1990"),
    )
    age = age_field(
        _("Your age (optional)"), help_text=_("If you would rather not give your date of birth"), min_value=13
    )
    postcode = text(
        _("Postcode (optional)"), max_length=10, help_text=_("This helps us find the service nearest to you")
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])


class SelfHappeningForm(forms.Form):
    abuse_types = forms.MultipleChoiceField(
        label=_("What is happening to you?"),
        choices=PLAIN_ABUSE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. You do not have to answer."),
    )
    details = long_text(_("Is there anything else you want to tell us? (optional)"), max_length=2000)


class SelfChildrenForm(forms.Form):
    has_children = radios(
        [("yes", _("Yes")), ("no", _("No")), ("prefer_not", _("I would rather not say"))],
        _("Do any children live with you?"),
        _("Select whether any children live with you"),
    )
    number = count_field(_("How many children live with you? (optional)"), min_value=1)


class SelfDangerForm(forms.Form):
    in_danger = radios(YES_NO, _("Are you in danger right now?"), _("Select yes if you are in danger right now"))


class SelfSubmitForm(forms.Form):
    form_token = form_token_field()
    # The spam trap: hidden from people (and screen readers); automated senders fill it in.
    website = forms.CharField(label=_("Leave this blank"), required=False, max_length=200)
