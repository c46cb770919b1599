"""Receiving a referral: match the person, apply the risk rules, record the status. One transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.areas.selectors import area_for_postcode
from safepath.core.audit import Action, audit_event
from safepath.core.roles import OrganisationType
from safepath.marac.services import marac_referrals_from_referrals
from safepath.people.matching import AUTO_LINK_THRESHOLD, REVIEW_THRESHOLD, Identity
from safepath.people.models import Person, Relationship
from safepath.people.selectors import match_candidates
from safepath.people.services import format_postcode, person_create
from safepath.referrals.choices import MatchStatus, RiskLevel, Source, Status
from safepath.referrals.models import Referral, ReferralStatusChange
from safepath.risk import rules
from safepath.risk.selectors import thresholds_for

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


def new_reference() -> str:
    # 32 letters: each random byte picks one uniformly (256 is a multiple of 32), one call for all seven.
    return "SP-" + "".join(REFERENCE_ALPHABET[byte % 32] for byte in secrets.token_bytes(7))


@dataclass
class Incoming:
    """A referral as received, before matching and rules. Validated by the caller (form or import)."""

    channel: str
    source: str
    received_at: datetime
    first_name: str
    last_name: str
    date_of_birth: Any = None
    sex: str = "unknown"
    postcode: str = ""
    area: Area | None = None
    source_ref: str = ""
    sent_risk_level: str = ""
    dash_score: int | None = None
    professional_judgement_high: bool | None = None
    police_callouts_12m: int | None = None
    children_in_household: int | None = None
    abuse_types: list[str] = field(default_factory=list)
    complex_needs: list[str] = field(default_factory=list)
    accommodation_needed: bool = False
    relationship: str = ""
    consent: str = "not_asked"
    person_aware: bool | None = None
    reason: str = ""
    perpetrator: dict[str, Any] | None = None  # first_name, last_name, date_of_birth
    person_fields: dict[str, Any] = field(default_factory=dict)  # extra Person fields (ethnicity, ...)
    submitted: dict[str, Any] = field(default_factory=dict)

    def identity(self) -> Identity:
        return Identity(self.first_name, self.last_name, self.date_of_birth, self.postcode)


def default_hub(area: Area | None) -> Organisation | None:
    hubs = Organisation.objects.filter(type=OrganisationType.HUB, is_active=True).order_by("pk")
    if area is not None:
        serving = hubs.filter(areas__in=[area, *([area.parent] if area.parent_id else [])]).first()
        if serving:
            return serving
    return hubs.first()


def match_status_for(best_score: float | None, *, auto_link: bool, auto_link_threshold: float) -> str:
    """What the best candidate's score means: link to it (AUTO_LINKED), or a new person, flagged as a
    possible duplicate (NEEDS_REVIEW) or not (NEW_PERSON). Shared by single referrals and the bulk import."""
    if best_score is None:
        return MatchStatus.NEW_PERSON
    if auto_link and best_score >= auto_link_threshold:
        return MatchStatus.AUTO_LINKED
    return MatchStatus.NEEDS_REVIEW if best_score >= REVIEW_THRESHOLD else MatchStatus.NEW_PERSON


def new_person_fields(incoming: Incoming) -> dict[str, Any]:
    """The Person a referral creates when it is not linked to someone known (the caller formats the postcode)."""
    return {
        "first_name": incoming.first_name.strip(),
        "last_name": incoming.last_name.strip(),
        "date_of_birth": incoming.date_of_birth,
        "sex": incoming.sex or "unknown",
        "postcode": incoming.postcode,
        "area": incoming.area,
        **incoming.person_fields,
    }


def perpetrator_fields(incoming: Incoming) -> dict[str, Any] | None:
    """The person causing harm the referral names, as a new Person, or None when it names nobody."""
    details = incoming.perpetrator or {}
    if not (details.get("first_name") or details.get("last_name")):
        return None
    return {
        "kind": "person_causing_harm",
        "first_name": (details.get("first_name") or "").strip(),
        "last_name": (details.get("last_name") or "").strip(),
        "date_of_birth": details.get("date_of_birth"),
    }


def _match_person(
    incoming: Incoming, *, auto_link: bool, auto_link_threshold: float
) -> tuple[Person, str, float | None]:
    candidates = match_candidates(incoming.identity(), limit=5)
    best = candidates[0] if candidates else None
    best_score = best[1].score if best else None
    status = match_status_for(best_score, auto_link=auto_link, auto_link_threshold=auto_link_threshold)
    if best and status == MatchStatus.AUTO_LINKED:
        return best[0], status, best_score
    return person_create(audit=False, **new_person_fields(incoming)), status, best_score


# What a person's earlier referrals tell the rules: (received_at, is_marac_case, source) of each.
History = Iterable[tuple[datetime, bool, str]]


def history_before(earlier: History, before: datetime) -> tuple[datetime | None, list[datetime]]:
    """The last MARAC referral received before `before`, and the police referrals' dates before it."""
    earlier = [item for item in earlier if item[0] < before]
    last_marac = max((at for at, is_marac, _source in earlier if is_marac), default=None)
    return last_marac, [at for at, _is_marac, source in earlier if source == Source.POLICE]


def _person_history(person: Person, before: datetime) -> tuple[datetime | None, list[datetime]]:
    """The person's last MARAC referral before `before`, and their police referral dates."""
    relevant = Q(is_marac_case=True) | Q(source=Source.POLICE)
    earlier = Referral.objects.filter(relevant, person=person, received_at__lt=before)
    return history_before(earlier.values_list("received_at", "is_marac_case", "source"), before)


def evaluate(incoming: Incoming, person: Person, area_id: int | None) -> tuple[rules.Outcome, int]:
    thresholds = thresholds_for(area_id, timezone.localdate(incoming.received_at)).as_rules()
    return apply_rules(incoming, thresholds, *_person_history(person, incoming.received_at))


def apply_rules(
    incoming: Incoming, thresholds: rules.Thresholds, last_marac: datetime | None, police_dates: list[datetime]
) -> tuple[rules.Outcome, int]:
    """Risk level, MARAC criteria and police incidents for a referral, given the person's history (pure)."""
    if incoming.source == Source.POLICE:
        police_dates = [*police_dates, incoming.received_at]
    incidents = rules.police_incidents(incoming.police_callouts_12m, police_dates, incoming.received_at, thresholds)
    outcome = rules.evaluate(
        rules.Assessment(
            score=incoming.dash_score,
            judgement=rules.RiskLevel.HIGH if incoming.professional_judgement_high else None,
            police_incidents=incidents,
            sent_level=rules.RiskLevel.from_code(incoming.sent_risk_level) if incoming.sent_risk_level else None,
        ),
        repeat=rules.is_repeat(incoming.received_at, last_marac, thresholds),
        thresholds=thresholds,
    )
    return outcome, incidents


def referral_build(
    incoming: Incoming,
    *,
    hub: Organisation,
    area: Area | None,
    person: Person,
    match_status: str,
    match_score: float | None,
    outcome: rules.Outcome,
    incidents: int,
    perpetrator: Person | None,
    referrer: User | None = None,
    referring_organisation: Organisation | None = None,
) -> Referral:
    """The Referral (not yet saved) for what was received and what matching and the rules made of it."""
    return Referral(
        reference=new_reference(),
        hub=hub,
        channel=incoming.channel,
        source=incoming.source,
        source_ref=incoming.source_ref,
        received_at=incoming.received_at,
        person=person,
        match_status=match_status,
        match_score=match_score,
        referrer=referrer,
        referring_organisation=referring_organisation,
        area=area,
        sent_risk_level=incoming.sent_risk_level,
        dash_score=incoming.dash_score,
        professional_judgement_high=incoming.professional_judgement_high,
        police_callouts_12m=incoming.police_callouts_12m,
        children_in_household=incoming.children_in_household,
        abuse_types=sorted(set(incoming.abuse_types)),
        complex_needs=sorted(set(incoming.complex_needs)),
        accommodation_needed=incoming.accommodation_needed,
        perpetrator=perpetrator,
        relationship=incoming.relationship,
        consent=incoming.consent,
        person_aware=incoming.person_aware,
        reason=incoming.reason,
        submitted=incoming.submitted,
        risk_level=RiskLevel(outcome.level.code),
        police_incidents=incidents,
        marac_criteria=sorted(c.value for c in outcome.criteria),
        is_marac_case=outcome.meets_marac,
        is_repeat=outcome.is_repeat,
    )


@transaction.atomic
def referral_receive(
    *,
    incoming: Incoming,
    request: HttpRequest | None = None,
    hub: Organisation | None = None,
    referrer: User | None = None,
    referring_organisation: Organisation | None = None,
    auto_link: bool = False,
    auto_link_threshold: float = AUTO_LINK_THRESHOLD,
) -> Referral:
    """Create the referral, its person (matched or new) and its first status row, and audit it."""
    if incoming.postcode:
        incoming.postcode = format_postcode(incoming.postcode)
    area = incoming.area or (area_for_postcode(incoming.postcode) if incoming.postcode else None)
    incoming.area = area
    hub = hub or default_hub(area)
    if hub is None:
        raise ValueError("No single point of access (hub) organisation is configured.")
    person, match_status, match_score = _match_person(
        incoming, auto_link=auto_link, auto_link_threshold=auto_link_threshold
    )
    outcome, incidents = evaluate(incoming, person, area.pk if area else None)
    perpetrator = _perpetrator(incoming, person)
    referral = referral_build(
        incoming,
        hub=hub,
        area=area,
        person=person,
        match_status=match_status,
        match_score=match_score,
        outcome=outcome,
        incidents=incidents,
        perpetrator=perpetrator,
        referrer=referrer,
        referring_organisation=referring_organisation,
    )
    referral.save(force_insert=True)
    ReferralStatusChange.objects.create(referral=referral, to_status=Status.RECEIVED, by=referrer)
    audit_event(action=Action.CREATE, request=request, obj=referral)
    marac_referrals_from_referrals([referral])  # MARAC: a referral meeting the criteria is a MARAC referral
    return referral


def _perpetrator(incoming: Incoming, victim: Person) -> Person | None:
    fields = perpetrator_fields(incoming)
    if fields is None:
        return None
    perpetrator = person_create(audit=False, **fields)
    Relationship.objects.create(
        victim=victim, other=perpetrator, kind=Relationship.Kind.PERSON_CAUSING_HARM, relationship=incoming.relationship
    )
    return perpetrator
