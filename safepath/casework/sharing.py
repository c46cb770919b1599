"""Whether the person's consent allows a piece of sharing: pure rules, no Django.

A consent names one recipient (an organisation, an agency outside safepath by name, or every
partner in the consortium), the scopes it covers ("full_case" covers every scope), the day it
was given and the day it was withdrawn, if it was. It is in force from the day it was given
until the day before it was withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

FULL_CASE = "full_case"


@dataclass(frozen=True)
class ConsentFacts:
    id: int
    recipient: str  # "organisation" | "agency" | "consortium"
    organisation_id: int | None
    agency_name: str
    scopes: frozenset[str]
    given_on: date
    withdrawn_on: date | None


@dataclass(frozen=True)
class Recipient:
    """Who information goes to: an organisation in safepath or an agency named outside it."""

    organisation_id: int | None = None
    agency_name: str = ""


class Verdict(Enum):
    ALLOWED = "allowed"
    NO_CONSENT = "no_consent"  # nothing recorded for this recipient
    NOT_YET = "not_yet"  # consent given after the day of sharing
    WITHDRAWN = "withdrawn"  # consent withdrawn on or before the day of sharing
    SCOPE = "scope"  # consent in force for this recipient, but not for this kind of information


def agency_key(name: str) -> str:
    """Agency names compare without case or extra spaces ("Victim  Support" = "victim support")."""
    return " ".join(name.split()).casefold()


def in_force(consent: ConsentFacts, day: date) -> bool:
    return consent.given_on <= day and (consent.withdrawn_on is None or day < consent.withdrawn_on)


def covers_scope(scopes: Iterable[str], scope: str) -> bool:
    scopes = set(scopes)
    return scope in scopes or FULL_CASE in scopes


def names(consent: ConsentFacts, recipient: Recipient, consortium: frozenset[int]) -> bool:
    """Whether the consent is about this recipient. A consortium consent covers every
    organisation in the consortium, never an agency outside safepath."""
    if consent.recipient == "organisation":
        return recipient.organisation_id is not None and consent.organisation_id == recipient.organisation_id
    if consent.recipient == "agency":
        return bool(recipient.agency_name) and agency_key(consent.agency_name) == agency_key(recipient.agency_name)
    if consent.recipient == "consortium":
        return recipient.organisation_id is not None and recipient.organisation_id in consortium
    return False


def judge(
    consents: Iterable[ConsentFacts], recipient: Recipient, scope: str, day: date, consortium: frozenset[int]
) -> tuple[Verdict, ConsentFacts | None]:
    """The consent that allows sharing `scope` with `recipient` on `day`, or why none does.
    The explanation is the most specific one: a scope mismatch before a withdrawal before
    consent given too late before no consent at all."""
    relevant = [c for c in consents if names(c, recipient, consortium)]
    for consent in relevant:
        if in_force(consent, day) and covers_scope(consent.scopes, scope):
            return Verdict.ALLOWED, consent
    for verdict, test in (
        (Verdict.SCOPE, lambda c: in_force(c, day)),
        (Verdict.WITHDRAWN, lambda c: c.withdrawn_on is not None and c.withdrawn_on <= day),
        (Verdict.NOT_YET, lambda c: c.given_on > day),
    ):
        found = [c for c in relevant if test(c)]
        if found:
            return verdict, found[0]
    return Verdict.NO_CONSENT, None
