"""Forms for recording outcomes, health actions and framework configuration. They check the
shape of what was sent; the rules (what is due, which values a scale allows, transitions)
live in services.py so they hold whichever way a record is written."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.outcomes.choices import HealthStatus, Moment
from safepath.outcomes.models import Measure, Scale
from safepath.outcomes.selectors import Question
from safepath.outcomes.services import Answer, answer_field
from safepath.people.forms import DatePartsMixin
from safepath.referrals.choices import AbuseType
from safepath.referrals.models import Pathway

INVALID_CHOICE = {"invalid_choice": _("Choose one of the answers given.")}


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


class TokenForm(forms.Form):
    """A form whose submission must write once: it carries a one-time token."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4().hex


class MomentForm(forms.Form):
    moment = forms.ChoiceField(
        label=_("When are you asking?"),
        choices=Moment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when you are asking these questions."), **INVALID_CHOICE},
    )


class RecordForm(TokenForm):
    """One radio group per question (the scale's answers) and a skip reason beside it.

    `questions` are the ones shown; `ask_again` adds the reason box (needed whenever a question
    shown is not due)."""

    moment = forms.CharField(widget=forms.HiddenInput)
    again = forms.BooleanField(widget=forms.HiddenInput, required=False)
    ask_again_reason = forms.CharField(
        label=_("Why are you asking these questions again?"),
        help_text=_("They have been answered recently. Say what has changed, briefly."),
        max_length=255,
        required=False,
    )

    def __init__(self, *args: Any, questions: list[Question], reasons: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        skip_choices = [("", _("Not skipped")), *reasons]
        for question in questions:
            measure = question.measure
            points = [(str(p.value), p.label) for p in measure.scale.points.all()]
            self.fields[answer_field(measure.pk)] = forms.TypedChoiceField(
                label=measure.question,
                help_text=measure.hint,
                choices=points,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages=INVALID_CHOICE,
            )
            self.fields[f"{answer_field(measure.pk)}_skip"] = forms.ChoiceField(
                label=_("Or, if skipped, why"),
                choices=skip_choices,
                required=False,
                error_messages={"invalid_choice": _("Choose a reason from the list.")},
            )
        if not self.needs_reason:
            del self.fields["ask_again_reason"]

    @property
    def needs_reason(self) -> bool:
        return any(not q.is_due for q in self.questions)

    def pairs(self) -> list[tuple[Question, forms.BoundField, forms.BoundField]]:
        """Each question with its answer and skip fields, for the template."""
        return [
            (q, self[answer_field(q.measure.pk)], self[f"{answer_field(q.measure.pk)}_skip"]) for q in self.questions
        ]

    def answers(self) -> dict[int, Answer]:
        data = self.cleaned_data
        return {
            q.measure.pk: Answer(
                data.get(answer_field(q.measure.pk)), data.get(f"{answer_field(q.measure.pk)}_skip") or ""
            )
            for q in self.questions
        }


class HealthActionForm(DatePartsMixin, TokenForm):
    DATES = {"on": ("on", True, _("Date"))}

    action = forms.ChoiceField(label=_("Health action"), error_messages={"required": _("Choose a health action.")})
    status = forms.ChoiceField(
        label=_("Status"),
        choices=HealthStatus.choices,
        widget=forms.RadioSelect,
        initial=HealthStatus.PLANNED,
        error_messages={"required": _("Choose a status.")},
    )
    on_day, on_month, on_year = _part(_("Day")), _part(_("Month")), _part(_("Year"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Choose an action")), *kinds]


class HealthStatusForm(DatePartsMixin, TokenForm):
    DATES = {"on": ("on", True, _("Date"))}

    seen_status = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("New status"), widget=forms.RadioSelect, error_messages={"required": _("Choose a status.")}
    )
    on_day, on_month, on_year = _part(_("Day")), _part(_("Month")), _part(_("Year"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class FrameworkForm(forms.Form):
    """A framework's wording, use and pathways, and per question its order and use."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("In use"), required=False)
    pathways = forms.ModelMultipleChoiceField(
        label=_("Pathways that ask these questions"),
        queryset=Pathway.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathways"].queryset = Pathway.objects.filter(is_active=True).order_by("order", "name")
        self.measures = measures
        for measure in measures:
            self.fields[f"order_{measure.pk}"] = forms.IntegerField(
                label=_("Order"),
                min_value=0,
                max_value=999,
                initial=measure.order,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": _("Enter a number for the order."),
                    "invalid": _("The order must be a whole number."),
                },
            )
            self.fields[f"active_{measure.pk}"] = forms.BooleanField(
                label=_("In use"), required=False, initial=measure.is_active
            )

    def rows(self) -> list[tuple[Measure, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"order_{m.pk}"], self[f"active_{m.pk}"]) for m in self.measures]


class FrameworkAddForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("A short name used in reports, e.g. wellbeing."))
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pathways = forms.ModelMultipleChoiceField(
        label=_("Pathways that ask these questions"),
        queryset=Pathway.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathways"].queryset = Pathway.objects.filter(is_active=True).order_by("order", "name")


class MeasureAddForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("A short name used in reports, e.g. sleep."))
    question = forms.CharField(label=_("Question, in plain words"), max_length=255)
    hint = forms.CharField(label=_("Hint for the worker (optional)"), max_length=255, required=False)
    scale = forms.ModelChoiceField(
        label=_("Answers (scale)"),
        queryset=Scale.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the answers the question offers.")},
    )
    moments = forms.MultipleChoiceField(
        label=_("When it is asked"),
        choices=Moment.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose when the question is asked.")},
    )
    higher_is_better = forms.BooleanField(label=_("A higher answer is better"), required=False, initial=True)
    abuse_type = forms.ChoiceField(
        label=_("Only when this kind of abuse was recorded (optional)"),
        required=False,
        choices=[("", _("Always ask")), *AbuseType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = Scale.objects.prefetch_related("points").order_by("name")
        self.fields["scale"].label_from_instance = lambda s: f"{s.name}: " + " / ".join(p.label for p in s.points.all())
