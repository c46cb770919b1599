"""Forms for the triage queue, triage actions, routing and providers' decisions."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safepath.core.models import VocabularyTerm
from safepath.people.choices import Channel
from safepath.referrals.choices import RiskLevel
from safepath.referrals.models import ContactAttempt, Pathway
from safepath.referrals.selectors import Proposal, QueueFilters
from safepath.referrals.triage import WITHDRAWN_REASONS

ONCE_FIELD = "once"
ONCE_SECONDS = 24 * 3600


def once_token() -> str:
    """A one-time token for a form whose service would otherwise write twice on a double submission."""
    return secrets.token_urlsafe(16)


def claim_once(request: HttpRequest) -> bool:
    """True the first time this user submits this token; False for a repeat (or no token)."""
    token = request.POST.get(ONCE_FIELD, "")
    if not token or len(token) > 64:
        return False
    # cache.add is atomic (the database cache relies on the key's primary key constraint).
    return cache.add(f"safepath:once:{request.user.pk}:{token}", True, ONCE_SECONDS)


class QueueFilterForm(forms.Form):
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("Any risk level")), *RiskLevel.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            risk_level=data.get("risk_level", ""), overdue_only=bool(data.get("overdue")), mine=bool(data.get("mine"))
        )

    def query(self) -> str:
        """The filters as a query string, for pagination links."""
        from urllib.parse import urlencode

        f = self.filters()
        pairs = [("risk_level", f.risk_level)] if f.risk_level else []
        pairs += [("overdue", "on")] if f.overdue_only else []
        pairs += [("mine", "on")] if f.mine else []
        return urlencode(pairs)


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did you try to make contact?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("What happened?"), choices=ContactAttempt.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write anything here that would be unsafe if the person causing harm read it."),
    )

    def __init__(self, *args: Any, refusal: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refusal = refusal

    def clean_channel(self) -> str:
        channel = self.cleaned_data["channel"]
        refusal = self._refusal(channel) if self._refusal else None
        if refusal:
            raise forms.ValidationError(refusal)
        return channel


def _decline_choices(terms: list[VocabularyTerm]) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in terms]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why is the referral declined?"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the reason is “Other reason”."),
    )

    def __init__(self, *args: Any, reasons: list[VocabularyTerm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _decline_choices(reasons)
        self.fields["reason"].error_messages["required"] = _("Choose why the referral is declined.")


class SignpostForm(forms.Form):
    to = forms.CharField(
        label=_("Where was the person signposted to?"),
        max_length=200,
        error_messages={"required": _("Enter where the person was signposted to.")},
        help_text=_("For example, a local housing advice service or a national helpline."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the referral closed?"),
        choices=list(WITHDRAWN_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the person withdrew or could not be contacted.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MatchForm(forms.Form):
    decision = forms.ChoiceField(choices=[("same", "same"), ("new", "new")])
    person = forms.IntegerField(required=False, min_value=1)


class RouteForm(forms.Form):
    """One checkbox per active pathway (the proposed ones ticked), a provider for each, and a
    reason when the choice differs from the proposal. Works without JavaScript."""

    pathways = forms.MultipleChoiceField(
        label=_("Pathways"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The pathways the rules propose are ticked."),
    )
    override_reason = forms.CharField(
        label=_("Why are you choosing different pathways from the ones proposed?"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when you add or remove a pathway."),
    )

    def __init__(self, *args: Any, pathways: list[Pathway], proposals: list[Proposal], **kwargs: Any) -> None:
        proposed = [str(p.pathway.pk) for p in proposals]
        kwargs.setdefault("initial", {"pathways": proposed})
        super().__init__(*args, **kwargs)
        self.pathway_list = pathways
        self.proposed_ids = {p.pathway.pk for p in proposals}
        self.fields["pathways"].choices = [(str(p.pk), p.name) for p in pathways]
        for pathway in pathways:
            providers = list(pathway.providers.all())
            self.fields[self.provider_field(pathway)] = forms.ChoiceField(
                label=_("Provider for %(pathway)s") % {"pathway": pathway.name},
                required=False,
                choices=[("", _("Choose a provider"))] + [(str(o.pk), o.name) for o in providers],
                initial=str(providers[0].pk) if len(providers) == 1 else "",
            )

    @staticmethod
    def provider_field(pathway: Pathway) -> str:
        return f"provider_{pathway.code}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = {int(pk) for pk in data.get("pathways", [])}
        if not chosen:
            self.add_error("pathways", _("Choose at least one pathway."))
        for pathway in self.pathway_list:
            name = self.provider_field(pathway)
            if pathway.pk in chosen and not data.get(name):
                self.add_error(name, _("Choose a provider for %(pathway)s.") % {"pathway": pathway.name})
        if chosen and chosen != self.proposed_ids and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Say why you are choosing different pathways from the ones proposed."))
        return data

    def choices(self) -> list[tuple[Pathway, int]]:
        """(pathway, provider id) for each ticked pathway."""
        chosen = {int(pk) for pk in self.cleaned_data["pathways"]}
        return [
            (pathway, int(self.cleaned_data[self.provider_field(pathway)]))
            for pathway in self.pathway_list
            if pathway.pk in chosen
        ]


class WorkItemDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Can your service take this referral?"),
        choices=[("accept", _("Yes, accept it")), ("decline", _("No, decline it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline the referral.")},
    )
    reason = forms.ChoiceField(label=_("If you decline it, why?"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, reasons: list[VocabularyTerm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _decline_choices(reasons)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason"):
            self.add_error("reason", _("Choose why you cannot take this referral."))
        return data


class ReofferForm(forms.Form):
    """Where to offer a declined referral next: one radio per pathway and provider, and why.

    `targets` comes from selectors_reoffer.reoffer_targets: the same pathway's other providers
    first, then other pathways without a live offer. Works without JavaScript."""

    target = forms.ChoiceField(
        label=_("Who should be offered the referral now?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a provider to offer the referral to.")},
    )
    reason = forms.CharField(
        label=_("Why are you offering it again?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example, the first provider has no capacity and this one has space this week."),
        error_messages={
            "required": _("Say why you are offering the referral again."),
            "max_length": _("The reason must be %(limit_value)s characters or fewer."),
        },
    )

    def __init__(self, *args: Any, targets: list[tuple[Pathway, list[Any]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._targets = {
            f"{pathway.pk}-{provider.pk}": (pathway, provider)
            for pathway, providers in targets
            for provider in providers
        }
        self.fields["target"].choices = [
            (key, _("%(pathway)s: %(provider)s") % {"pathway": pathway.name, "provider": provider.name})
            for key, (pathway, provider) in self._targets.items()
        ]
        self.fields["target"].error_messages["invalid_choice"] = _("Choose one of the providers listed.")

    def chosen(self) -> tuple[Pathway, Any]:
        """(pathway, provider) of a valid form's choice."""
        return self._targets[self.cleaned_data["target"]]
