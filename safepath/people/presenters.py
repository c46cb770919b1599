"""Display values for the person record: plain words for codes, tags for levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from safepath.people.choices import Channel
from safepath.people.models import Person, SafeContact
from safepath.risk.models import RiskAssessment, ThresholdSet
from safepath.risk.rules import Criterion

LEVEL_TAG = {"high": "govuk-tag--red", "medium": "govuk-tag--orange", "standard": "govuk-tag--grey"}
SAFE_TAG = {True: "govuk-tag--green", False: "govuk-tag--red", None: "govuk-tag--grey"}


def level_tag(level: str) -> str:
    return LEVEL_TAG.get(level, "govuk-tag--grey")


def age_text(person: Person, today: date) -> str:
    age = person.age_on(today)
    if age is None:
        return _("Not known")
    if person.date_of_birth:
        return str(age)
    return _("About %(age)s (estimated)") % {"age": age}


def yes_no_unknown(value: bool | None) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, _("Not known"))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChannelRule:
    channel: str
    label: str
    status: str
    tag: str
    refusal: str | None


def safe_contact_rules(contact: SafeContact | None) -> list[ChannelRule]:
    """Each way of contacting the person and whether it may be used. No record means nothing is safe."""
    rules = []
    for channel in Channel:
        flag = getattr(contact, SafeContact.FLAGS[channel]) if contact else None
        status = {True: _("Safe"), False: _("Not safe")}.get(flag, _("Not known: do not use"))  # type: ignore[arg-type]
        refusal = contact.refusal(channel) if contact else _("Nobody has confirmed that any channel is safe for this person.")
        rules.append(ChannelRule(channel.value, str(channel.label), status, SAFE_TAG[flag], refusal))
    return rules


def criterion_text(criterion: str, thresholds: ThresholdSet | None) -> str:
    """A MARAC criterion in plain words, with the numbers of the rule it was met under."""
    t = thresholds or ThresholdSet(effective_from=date.min)
    texts = {
        Criterion.VISIBLE_HIGH_RISK: _("Visible high risk: %(n)s or more 'yes' answers.") % {"n": t.high_score},
        Criterion.PROFESSIONAL_JUDGEMENT: _("Professional judgement: the assessor judged the risk to be high."),
        Criterion.POTENTIAL_ESCALATION: _("Potential escalation: %(n)s or more incidents reported to the police within %(m)s months.")
        % {"n": t.escalation_incidents, "m": t.escalation_window_months},
        Criterion.REPEAT: _("Repeat: a new incident within %(m)s months of the person's last MARAC referral.") % {"m": t.repeat_window_months},
    }
    return texts.get(criterion, criterion)  # type: ignore[call-overload]


def criteria_texts(assessment: RiskAssessment) -> list[str]:
    return [criterion_text(c, assessment.thresholds) for c in assessment.criteria]


def outcome_message(assessment: RiskAssessment) -> str:
    """The sentence shown after an assessment is saved."""
    parts = [_("Risk assessment saved: %(level)s risk (%(score)s 'yes' answers).") % {"level": assessment.get_level_display().lower(), "score": assessment.score}]
    criteria = criteria_texts(assessment)
    if criteria:
        parts.append(_("Meets the MARAC referral criteria:") + " " + " ".join(criteria))
    else:
        parts.append(_("Does not meet the MARAC referral criteria."))
    if assessment.is_repeat:
        parts.append(_("This is a repeat MARAC case."))
    return " ".join(parts)


def referral_href(referral: Any, user: Any = None) -> str | None:
    """A link to the referral's triage page, for hub staff who can open it."""
    if user is None or not user.has_perm("referrals.triage"):
        return None
    try:
        return reverse("referrals:triage_detail", args=[referral.pk])
    except NoReverseMatch:
        return None


def user_name(user: Any) -> str:
    return user.full_name if user is not None else _("Not recorded")
