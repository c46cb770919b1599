"""Forms for programmes, volunteers and perpetrator interventions. They check the shape of each
answer; the services check the rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.core.models import VocabularyTerm
from safepath.people.forms import DatePartsMixin, TokenForm
from safepath.programmes.choices import OrderStatus, SessionMode
from safepath.programmes.models import Enrolment


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


def _number(label: Any, *, minimum: int, maximum: int, required: bool = True, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a number."),
            "invalid": _("Enter a whole number, like 12."),
            "min_value": _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum},
            "max_value": _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum},
        },
        **kwargs,
    )


def _time(label: Any, **kwargs: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=_("Use the 24-hour clock, for example 18:30."),
        error_messages={
            "required": _("Enter a time."),
            "invalid": _("Enter a time in the 24-hour clock, like 18:30."),
        },
        **kwargs,
    )


def _with_date_initial(form: forms.Form, prefix: str, day: date) -> None:
    if not form.is_bound:
        form.initial.update({f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year})


class ProgrammeForm(TokenForm):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example, the Freedom Programme."))
    description = forms.CharField(
        label=_("Description (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    pathway = forms.ModelChoiceField(
        label=_("Pathway (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Any pathway"),
        help_text=_("Only people with an open case on this pathway can be enrolled."),
    )
    sessions_planned = _number(_("Number of sessions"), minimum=1, maximum=52)
    sessions_to_complete = _number(
        _("Sessions a person must attend to complete the programme"),
        minimum=1,
        maximum=52,
        help_text=_("For example, 9 of 12 sessions."),
    )

    def __init__(self, *args: Any, pathways: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = pathways
        self.fields["name"].error_messages["required"] = _("Enter the programme's name.")


class CohortForm(DatePartsMixin, TokenForm):
    DATES = {"start": ("starts_on", True, _("Start date"))}
    SERVICE_ALIASES = {"first_session_at": "time"}

    name = forms.CharField(
        label=_("Name of the group"), max_length=120, help_text=_("For example, Tuesday evenings, spring 2026.")
    )
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    time = _time(_("Time of the first session"))
    venue = forms.CharField(
        label=_("Where the group meets"),
        max_length=200,
        help_text=_("A description people can be told, such as a community centre. Never a refuge address."),
    )
    capacity = _number(_("Number of places"), minimum=1, maximum=100)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators (optional)"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, facilitators: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitators
        self.fields["facilitators"].label_from_instance = lambda user: user.full_name
        self.fields["name"].error_messages["required"] = _("Enter a name for the group.")
        self.fields["venue"].error_messages["required"] = _("Describe where the group meets.")


class EnrolForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("Who are you enrolling?"),
        queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("People with an open case at your organisation."),
        error_messages={
            "required": _("Choose the person to enrol."),
            "invalid_choice": _("Choose the person to enrol."),
        },
    )

    def __init__(self, *args: Any, cases: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: f"{case.person.display_name} ({case.reference})"


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AttendanceForm(forms.Form):
    """One yes/no answer (and an optional note) for everyone on the register."""

    def __init__(
        self, *args: Any, enrolments: list[Enrolment], marks: dict[int, tuple[bool, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            name = enrolment.case.person.display_name
            attended, note = marks.get(enrolment.pk, (None, ""))
            self.fields[f"attended_{enrolment.pk}"] = forms.ChoiceField(
                label=_("Did %(name)s attend?") % {"name": name},
                choices=YES_NO,
                widget=forms.RadioSelect,
                initial={True: "yes", False: "no"}.get(attended),  # type: ignore[arg-type]
                error_messages={"required": _("Choose whether %(name)s attended.") % {"name": name}},
            )
            self.fields[f"note_{enrolment.pk}"] = forms.CharField(
                label=_("Note about %(name)s (optional)") % {"name": name}, required=False, max_length=200, initial=note
            )
            self.rows.append((enrolment, f"attended_{enrolment.pk}", f"note_{enrolment.pk}"))

    def marks(self) -> dict[int, tuple[bool, str]]:
        return {
            enrolment.pk: (self.cleaned_data[attended] == "yes", self.cleaned_data[note])
            for enrolment, attended, note in self.rows
        }


class AssignVolunteerForm(DatePartsMixin, forms.Form):
    DATES = {"start": ("started_on", True, _("Start date"))}

    volunteer = forms.ModelChoiceField(
        label=_("Which volunteer?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a volunteer."), "invalid_choice": _("Choose a volunteer.")},
    )
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))

    def __init__(self, *args: Any, volunteers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda user: user.full_name
        _with_date_initial(self, "start", timezone.localdate())


class VolunteerSessionForm(DatePartsMixin, TokenForm):
    DATES = {"on": ("on", True, _("Date of the session"))}

    on_day = _part(_("Day"))
    on_month = _part(_("Month"))
    on_year = _part(_("Year"))
    time = _time(_("Time it started"))
    minutes = _number(_("How long it lasted, in minutes"), minimum=1, maximum=720)
    mode = forms.ChoiceField(
        label=_("How did you meet?"),
        choices=SessionMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the session happened.")},
    )
    note = forms.CharField(
        label=_("Note for the key worker (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything the key worker should know. Keep it short. Do not write anything that would be unsafe "
            "if the person causing harm read it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_date_initial(self, "on", timezone.localdate())

    def at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["on"], self.cleaned_data["time"]))


class PerpetratorOrderForm(DatePartsMixin, TokenForm):
    DATES = {
        "ordered": ("ordered_on", True, _("Date ordered")),
        "start": ("starts_on", False, _("Planned start date")),
    }

    person = forms.ModelChoiceField(
        label=_("Who is the intervention for?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the person causing harm."),
            "invalid_choice": _("Choose the person causing harm."),
        },
    )
    provider = forms.ModelChoiceField(
        label=_("Which provider will deliver it?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a provider."), "invalid_choice": _("Choose a provider.")},
    )
    unit_description = forms.CharField(
        label=_("What one unit is"), max_length=60, initial=_("one session"), help_text=_("For example, one session.")
    )
    unit_cost = forms.DecimalField(
        label=_("Cost of one unit, in pounds"),
        min_value=Decimal("0"),
        max_value=Decimal("99999.99"),
        max_digits=7,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the cost of one unit."),
            "invalid": _("Enter the cost in pounds and pence, for example 85.50."),
            "max_decimal_places": _("Enter the cost in pounds and pence, for example 85.50."),
            "max_digits": _("Enter a cost under £100,000."),
            "max_whole_digits": _("Enter a cost under £100,000."),
            "min_value": _("The cost cannot be negative."),
            "max_value": _("Enter a cost under £100,000."),
        },
    )
    units = _number(_("Number of units"), minimum=1, maximum=500)
    ordered_day = _part(_("Day"))
    ordered_month = _part(_("Month"))
    ordered_year = _part(_("Year"))
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))

    def __init__(self, *args: Any, people: QuerySet, providers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _person_label
        self.fields["provider"].queryset = providers
        self.fields["unit_description"].error_messages["required"] = _("Enter what one unit is.")
        _with_date_initial(self, "ordered", timezone.localdate())


def _person_label(person: Any) -> str:
    born = person.date_of_birth.strftime("%-d %b %Y") if person.date_of_birth else _("not known")
    return str(_("%(name)s, born %(born)s") % {"name": person.display_name, "born": born})


class PerpetratorOrderUpdateForm(DatePartsMixin, forms.Form):
    DATES = {"start": ("starts_on", False, _("Start date")), "end": ("ends_on", False, _("End date"))}

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=OrderStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the order's status.")},
    )
    start_day = _part(_("Day"))
    start_month = _part(_("Month"))
    start_year = _part(_("Year"))
    end_day = _part(_("Day"))
    end_month = _part(_("Month"))
    end_year = _part(_("Year"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("When the intervention has ended: completed or ended early."),
    )

    def __init__(self, *args: Any, outcomes: list[VocabularyTerm], statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(t.code, t.label) for t in outcomes]
        submitted = self.data.get("status") if self.is_bound else None
        if submitted in OrderStatus.values and submitted not in statuses:
            # A form shown before someone else moved the order: let the service say so.
            statuses = [*statuses, submitted]
        self.fields["status"].choices = [(s, OrderStatus(s).label) for s in statuses]

    @staticmethod
    def initial_for(order: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": order.version, "status": order.status, "outcome": order.outcome}
        for prefix, day in (("start", order.starts_on), ("end", order.ends_on)):
            if day:
                initial |= {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}
        return initial
