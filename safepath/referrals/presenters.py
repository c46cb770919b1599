"""Display values for referral pages: plain words, GOV.UK tag colours, safe contact rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from safepath.people.choices import Channel
from safepath.people.models import Person, SafeContact
from safepath.referrals import sla
from safepath.referrals.choices import AbuseType, RiskLevel

RISK_TAG = {
    RiskLevel.HIGH: "govuk-tag--red",
    RiskLevel.MEDIUM: "govuk-tag--orange",
    RiskLevel.STANDARD: "govuk-tag--blue",
}

RISK_ORDER = {RiskLevel.STANDARD: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}

MARAC_CRITERIA = {
    "visible_high_risk": gettext_lazy("Visible high risk: the Dash checklist score reaches the high-risk threshold"),
    "professional_judgement": gettext_lazy("Professional judgement: the referrer judges the risk to be high"),
    "potential_escalation": gettext_lazy("Potential escalation: repeated police call-outs in the last 12 months"),
    "repeat": gettext_lazy("Repeat: referred to MARAC within the last 12 months and a new incident has happened"),
}
MARAC_SHORT = {
    "visible_high_risk": gettext_lazy("Visible high risk"),
    "professional_judgement": gettext_lazy("Professional judgement"),
    "potential_escalation": gettext_lazy("Potential escalation"),
    "repeat": gettext_lazy("Repeat"),
}


def risk_tag(level: str) -> dict[str, str]:
    """govukTag parameters for a risk level."""
    label = RiskLevel(level).label if level in RiskLevel.values else _("Not known")
    return {"text": str(label), "classes": RISK_TAG.get(level, "govuk-tag--grey")}


def short_name(person: Person) -> str:
    """First name and last name initial: enough to triage, no more."""
    initial = f" {person.last_name.strip()[:1].upper()}." if person.last_name.strip() else ""
    return f"{person.first_name.strip()}{initial}"


def marac_criteria(codes: list[str], *, short: bool = False) -> list[str]:
    words = MARAC_SHORT if short else MARAC_CRITERIA
    return [str(words.get(code, code)) for code in codes]


def abuse_types(codes: list[str]) -> list[str]:
    return [str(AbuseType(c).label) if c in AbuseType.values else c for c in codes]


def person_url(person: Person) -> str | None:
    """The person page, once it exists (another part of the service builds it)."""
    try:
        return reverse("people:detail", args=[person.pk])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Age:
    working_days: int
    sla_days: int
    overdue: bool
    due: date

    @property
    def text(self) -> str:
        age = ngettext("%(days)s working day", "%(days)s working days", self.working_days) % {"days": self.working_days}
        return _("%(age)s (target %(sla)s)") % {"age": age, "sla": self.sla_days}


def referral_age(received_at: Any, risk_level: str, slas: dict[str, int], today: date) -> Age:
    holidays = sla.england_and_wales_holidays()
    received = timezone.localtime(received_at).date()
    days = slas.get(risk_level, 2)
    age = sla.working_days_between(received, today, holidays)
    return Age(working_days=age, sla_days=days, overdue=age > days, due=sla.add_working_days(received, days, holidays))


@dataclass(frozen=True)
class ChannelRule:
    channel: str
    label: str
    state: str  # "safe", "unsafe" or "unknown"

    @property
    def tag(self) -> dict[str, str]:
        return {
            "safe": {"text": _("Safe"), "classes": "govuk-tag--green"},
            "unsafe": {"text": _("Not safe"), "classes": "govuk-tag--red"},
            "unknown": {"text": _("Not known: do not use"), "classes": "govuk-tag--yellow"},
        }[self.state]


def safe_contact_rules(person: Person) -> tuple[SafeContact, list[ChannelRule]]:
    """Each contact channel and whether it is safe; an unrecorded one is unknown, which means not safe."""
    try:
        contact = person.safe_contact
    except SafeContact.DoesNotExist:
        contact = SafeContact(person=person)
    rules = []
    for channel in Channel:
        flag = getattr(contact, SafeContact.FLAGS[channel])
        state = "safe" if flag is True else "unsafe" if flag is False else "unknown"
        rules.append(ChannelRule(channel=channel.value, label=str(channel.label), state=state))
    return contact, rules


def sla_rows(slas: dict[str, int]) -> list[tuple[str, int]]:
    return [
        (str(RiskLevel(level).label), days) for level, days in sorted(slas.items(), key=lambda i: -RISK_ORDER[i[0]])
    ]


def yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not known")
    return _("Yes") if value else _("No")


def submitted_items(submitted: dict[str, Any]) -> list[tuple[str, str]]:
    """What the sender wrote, as label/value pairs, for the "as submitted" section."""
    items = []
    for key, value in submitted.items():
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif value is None or value == "":
            value = "–"
        items.append((key.replace("_", " ").capitalize(), str(value)))
    return items
