"""Forms for risk reviews, handovers and step-down plans. They check the shape of each answer;
the services check the rules. The review form is the people app's risk assessment form with the
case's version and a review note added."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.cases.selectors_reviews import Destination
from safepath.cases.services_reviews import Answers, Target
from safepath.people.forms import RiskAssessmentForm, TokenForm

SUMMARY_HELP = _(
    "What the receiving team needs to know: risks, safe contact, what the person wants, what is "
    "already in place. Do not include anything the person has asked not to be shared."
)


class VersionMixin(forms.Form):
    """The case version the form was shown with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(RiskAssessmentForm, VersionMixin):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What changed since the last assessment, and what happens next."),
    )

    def assessment(self, instrument: Any) -> Answers:
        data = self.cleaned_data
        return Answers(
            instrument=instrument,
            answers=self.answers(),
            judgement=data["judgement"],
            judgement_reason=data["judgement_reason"],
            police_incidents=data["police_incidents"],
            narrative=data["narrative"],
        )


def _destination_field(choices: list[Destination], *, required: bool, empty: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Pathway and receiving provider"),
        required=required,
        choices=[("", empty), *((d.value, d.label) for d in choices)],
    )


class HandoverFields(forms.Form):
    """Where to, and what the receiving team needs to know."""

    summary = forms.CharField(label=_("Handover summary"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=SUMMARY_HELP, max_length=5000)
    close_from_case = forms.BooleanField(
        label=_("Close this case when the receiving team accepts the handover"), required=False, initial=True
    )

    def set_destinations(self, choices: list[Destination], *, required: bool, empty: Any) -> None:
        self._destinations = {d.value: d for d in choices}
        self.fields["destination"] = _destination_field(choices, required=required, empty=empty)
        self.order_fields(["plan", "destination", "summary", "close_from_case"])

    def target(self) -> Target | None:
        chosen = self._destinations.get(self.cleaned_data.get("destination") or "")
        if chosen is None:
            return None
        return Target(
            pathway=chosen.pathway,
            provider=chosen.provider,
            summary=self.cleaned_data["summary"],
            close_from_case=self.cleaned_data["close_from_case"],
        )


class HandoverForm(HandoverFields, TokenForm, VersionMixin):
    def __init__(self, *args: Any, destinations: list[Destination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_destinations(destinations, required=True, empty=_("Choose where to hand over"))
        self.fields["destination"].error_messages["required"] = _("Choose a pathway and a receiving provider.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("summary") or "").strip():
            self.add_error("summary", _("Write what the receiving team needs to know."))
        return cleaned


class StepDownForm(HandoverFields, TokenForm, VersionMixin):
    plan = forms.CharField(
        label=_("Step-down plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How support will end: what is in place, who the person can contact, and when."),
        error_messages={"required": _("Write the step-down plan.")},
    )

    def __init__(self, *args: Any, destinations: list[Destination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_destinations(destinations, required=False, empty=_("No handover"))
        self.fields["destination"].label = _("Hand over to a lower pathway (optional)")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("destination") and not (cleaned.get("summary") or "").strip():
            self.add_error("summary", _("Write what the receiving team needs to know, or choose no handover."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("accept", _("Accept: open a case on our waiting list")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline the handover.")},
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if you decline. The sending team sees it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why you are declining the handover."))
        return cleaned
