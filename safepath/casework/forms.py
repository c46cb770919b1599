"""Forms for casework pages. They check the shape of each answer; the services check the rules.

Forms that create something carry the person record's one-time token (people.forms.TokenForm);
dates are GOV.UK day / month / year boxes (people.forms.DatePartsMixin).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Organisation, User
from safepath.cases.choices import ContactMode
from safepath.casework import selectors
from safepath.casework.models import Consent, SafetyPlan, SharingRecord, WithWhom
from safepath.casework.services import ActionInput, ConsentInput, ContactInput, SharingInput
from safepath.people.forms import DatePartsMixin, TokenForm

TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
MADE_CHOICES = [("made", _("Made: we spoke or met")), ("attempted", _("Attempted: not reached"))]


def _required(message: Any) -> dict[str, Any]:
    return {"required": message, "invalid_choice": message}


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


def _date_initial(prefix: str, day: date | None) -> dict[str, Any]:
    if day is None:
        return {}
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _time_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Time"),
        required=required,
        max_length=5,
        help_text=_("24-hour clock, for example 14:30."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter the time.")},
    )


def parse_time(value: str) -> time | None:
    found = TIME_RE.match(value or "")
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return None
    return time(int(found.group(1)), int(found.group(2)))


def london(day: date, at: time) -> datetime:
    """A date and time on the clock in England (Europe/London) as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


class OnceForm(TokenForm):
    """The person record's one-time token form; a missing or mangled hidden field is refused in plain words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expired = _("This form has expired. Check your answers and submit it again.")
        for hidden in (f for f in self.fields.values() if isinstance(f.widget, forms.HiddenInput)):
            hidden.error_messages = {
                **hidden.error_messages,
                "required": expired,
                "max_length": expired,
                "invalid": expired,
            }


class _WhenMixin(DatePartsMixin):
    """A date (day/month/year boxes, prefix `on`) and a time box, combined into `at`."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, raw = cleaned.get("on"), cleaned.get("time") or ""
        cleaned["at"] = None
        if "time" in self.errors:  # type: ignore[attr-defined]
            return cleaned
        clock = parse_time(raw) if raw else None
        if raw and clock is None:
            self.add_error("time", _("Enter the time as hours and minutes, for example 14:30."))  # type: ignore[attr-defined]
        elif day and clock:
            cleaned["at"] = london(day, clock)
        elif day and not raw:
            self.add_error("time", _("Enter the time."))  # type: ignore[attr-defined]
        elif raw and not day and "on_day" not in self.errors:  # type: ignore[attr-defined]
            self.add_error("on_day", _("Enter the date."))  # type: ignore[attr-defined]
        return cleaned

    @staticmethod
    def now_initial() -> dict[str, Any]:
        now = timezone.localtime()
        return _date_initial("on", now.date()) | {"time": now.strftime("%H:%M")}


class ContactForm(_WhenMixin, OnceForm):
    DATES = {"on": ("on", True, _("The date of the contact"))}
    SERVICE_ALIASES = {"at": "on_day"}

    contact_type = forms.ChoiceField(
        label=_("Type of contact"), error_messages=_required(_("Choose the type of contact."))
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=ContactMode.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose how the contact happened.")),
    )
    made = forms.ChoiceField(
        label=_("Was contact made?"),
        choices=MADE_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose whether contact was made or only attempted.")),
    )
    on_day = _part(_("Day"))
    on_month = _part(_("Month"))
    on_year = _part(_("Year"))
    time = _time_field()
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    with_whom = forms.ChoiceField(
        label=_("With whom"),
        choices=WithWhom.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose who the contact was with.")),
    )
    agency_name = forms.CharField(
        label=_("Agency"), required=False, max_length=200, help_text=_("If the contact was with another agency.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_type"].choices = [("", _("Choose a type")), *selectors.contact_types()]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial = {"with_whom": WithWhom.PERSON, "made": "made", **self.now_initial(), **self.initial}

    def service_input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            contact_type=data["contact_type"],
            mode=data["mode"],
            made=data["made"] == "made",
            at=data["at"],
            duration_minutes=data["duration_minutes"],
            with_whom=data["with_whom"],
            agency_name=data["agency_name"],
            note=data["note"],
        )


class NoteForm(OnceForm):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": _("Enter the note.")}
    )
    shared = forms.BooleanField(
        label=_("Share this note with the partner services in the consortium"),
        required=False,
        help_text=_("Only when the person has agreed that their full case can be shared with the consortium."),
    )


class ActionForm(DatePartsMixin, forms.Form):
    DATES = {"due": ("due_on", False, _("The due date"))}

    text = forms.CharField(label=_("Action"), required=False, max_length=500)
    who = forms.CharField(
        label=_("Who does it"), required=False, max_length=120, help_text=_("For example: the person, IDVA, police.")
    )
    due_day = _part(_("Day"))
    due_month = _part(_("Month"))
    due_year = _part(_("Year"))
    done = forms.BooleanField(label=_("Done"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        filled = cleaned.get("text") or cleaned.get("who")
        cleaned["blank"] = not filled and not cleaned.get("due_on")
        if not cleaned["blank"]:
            if not cleaned.get("text"):
                self.add_error("text", _("Enter what is to be done, or clear this action's boxes to remove it."))
            if not cleaned.get("who"):
                self.add_error("who", _("Enter who does it."))
        return cleaned


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=30, absolute_max=30)


class SafetyPlanForm(DatePartsMixin, OnceForm):
    DATES = {"review": ("review_on", True, _("The review date"))}

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    summary = forms.CharField(
        label=_("The plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What keeps the person safe, in their words where you can."),
    )
    review_day = _part(_("Day"))
    review_month = _part(_("Month"))
    review_year = _part(_("Year"))

    @staticmethod
    def initial_for(plan: SafetyPlan | None) -> dict[str, Any]:
        if plan is None:
            return {"version": 0}
        return {"version": plan.number, "summary": plan.summary, **_date_initial("review", plan.review_on)}


def action_initial(plan: SafetyPlan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [
        {"text": a.text, "who": a.who, "done": a.done, **_date_initial("due", a.due_on)} for a in plan.actions.all()
    ]


def actions_from(formset: Any) -> list[ActionInput]:
    return [
        ActionInput(
            text=f.cleaned_data["text"],
            who=f.cleaned_data["who"],
            due_on=f.cleaned_data["due_on"],
            done=f.cleaned_data["done"],
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("blank")
    ]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class TaskForm(DatePartsMixin, OnceForm):
    DATES = {"due": ("due_on", True, _("The due date"))}

    title = forms.CharField(label=_("Task"), max_length=200, error_messages={"required": _("Enter what needs doing.")})
    due_day = _part(_("Day"))
    due_month = _part(_("Month"))
    due_year = _part(_("Year"))
    assigned_to = StaffChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        empty_label=_("Choose someone"),
        error_messages={"required": _("Choose who will do it."), "invalid_choice": _("Choose who will do it.")},
    )

    def __init__(self, *args: Any, provider_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = selectors.provider_staff(provider_id)  # type: ignore[attr-defined]


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


def _organisation_field(**kwargs: Any) -> OrganisationChoiceField:
    return OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the organisations listed.")},
        **kwargs,
    )


class ConsentForm(DatePartsMixin, OnceForm):
    DATES = {"given": ("given_on", True, _("The date consent was given"))}

    recipient = forms.ChoiceField(
        label=_("Who the person agreed their information can be shared with"),
        choices=Consent.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the person agreed their information can be shared with.")},
    )
    organisation = _organisation_field(
        label=_("Organisation"), empty_label=_("Choose an organisation"), help_text=_("If it uses safepath.")
    )
    agency_name = forms.CharField(
        label=_("Agency"), required=False, max_length=200, help_text=_("If it does not use safepath: its name.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("What information the person agreed can be shared"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what information the person agreed can be shared.")},
    )
    given_day = _part(_("Day"))
    given_month = _part(_("Month"))
    given_year = _part(_("Year"))

    def __init__(self, *args: Any, provider_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.recipient_organisations(provider_id)  # type: ignore[attr-defined]
        self.fields["scopes"].choices = selectors.sharing_scopes()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial = _date_initial("given", timezone.localdate()) | self.initial

    def service_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            recipient=data["recipient"],
            scopes=data["scopes"],
            given_on=data["given_on"],
            organisation=data["organisation"],
            agency_name=data["agency_name"],
        )


class WithdrawForm(DatePartsMixin, forms.Form):
    DATES = {"withdrawn": ("withdrawn_on", True, _("The date consent was withdrawn"))}

    withdrawn_day = _part(_("Day"))
    withdrawn_month = _part(_("Month"))
    withdrawn_year = _part(_("Year"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = _date_initial("withdrawn", timezone.localdate())


class SharingForm(_WhenMixin, OnceForm):
    DATES = {"on": ("on", False, _("The date shared"))}
    SERVICE_ALIASES = {"at": "on_day"}

    organisation = _organisation_field(
        label=_("Shared with: an organisation that uses safepath"), empty_label=_("Not an organisation in safepath")
    )
    agency_name = forms.CharField(
        label=_("Or another agency"),
        required=False,
        max_length=200,
        help_text=_("Its name, if it does not use safepath."),
    )
    scope = forms.ChoiceField(
        label=_("What kind of information"), error_messages=_required(_("Choose what kind of information is shared."))
    )
    what = forms.CharField(
        label=_("What is shared"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe it, for example “the risk assessment of 3 March and the safety plan”."),
        error_messages={"required": _("Describe what is shared.")},
    )
    basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=SharingRecord.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the lawful basis for sharing.")},
    )
    safeguarding_reason = forms.CharField(
        label=_("Safeguarding reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when sharing without consent: who is at risk and why sharing is necessary."),
    )
    on_day = _part(_("Day"))
    on_month = _part(_("Month"))
    on_year = _part(_("Year"))
    time = _time_field(required=False)

    def __init__(self, *args: Any, provider_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.recipient_organisations(provider_id)  # type: ignore[attr-defined]
        self.fields["scope"].choices = [("", _("Choose what kind")), *selectors.sharing_scopes()]  # type: ignore[attr-defined]
        self.fields["time"].help_text = _("Leave the date and time blank if you are sharing it now.")

    def service_input(self) -> SharingInput:
        data = self.cleaned_data
        return SharingInput(
            scope=data["scope"],
            what=data["what"],
            basis=data["basis"],
            organisation=data["organisation"],
            agency_name=data["agency_name"],
            safeguarding_reason=data["safeguarding_reason"],
            at=data["at"],
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("approve", _("Approve: the information may be shared")),
            ("refuse", _("Refuse: it must not be shared")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or refuse the request.")},
    )
    refusal_reason = forms.CharField(
        label=_("Why the request is refused"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
