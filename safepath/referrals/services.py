"""Receiving a referral: match the person, apply the risk rules, record the status. One transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.areas.selectors import area_for_postcode
from safepath.core.audit import Action, audit_event
from safepath.core.roles import OrganisationType
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
    return "SP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


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


def _match_person(incoming: Incoming, *, auto_link: bool, auto_link_threshold: float) -> tuple[Person, str, float | None]:
    candidates = match_candidates(incoming.identity(), limit=5)
    best = candidates[0] if candidates else None
    if auto_link and best and best[1].score >= auto_link_threshold:
        return best[0], MatchStatus.AUTO_LINKED, best[1].score
    person = person_create(
        audit=False,
        first_name=incoming.first_name.strip(),
        last_name=incoming.last_name.strip(),
        date_of_birth=incoming.date_of_birth,
        sex=incoming.sex or "unknown",
        postcode=incoming.postcode,
        area=incoming.area,
        **incoming.person_fields,
    )
    status = MatchStatus.NEEDS_REVIEW if best and best[1].score >= REVIEW_THRESHOLD else MatchStatus.NEW_PERSON
    return person, status, best[1].score if best else None


def _person_history(person: Person, before: datetime) -> tuple[datetime | None, list[datetime]]:
    """The person's last MARAC referral before `before`, and their police referral dates."""
    earlier = Referral.objects.filter(person=person, received_at__lt=before)
    last_marac = earlier.filter(is_marac_case=True).order_by("-received_at").values_list("received_at", flat=True).first()
    police = list(earlier.filter(source=Source.POLICE).values_list("received_at", flat=True))
    return last_marac, police


def evaluate(incoming: Incoming, person: Person, area_id: int | None) -> tuple[rules.Outcome, int]:
    thresholds = thresholds_for(area_id, timezone.localdate(incoming.received_at)).as_rules()
    last_marac, police_dates = _person_history(person, incoming.received_at)
    if incoming.source == Source.POLICE:
        police_dates.append(incoming.received_at)
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
    person, match_status, match_score = _match_person(incoming, auto_link=auto_link, auto_link_threshold=auto_link_threshold)
    outcome, incidents = evaluate(incoming, person, area.pk if area else None)
    perpetrator = _perpetrator(incoming, person)
    referral = Referral.objects.create(
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
    ReferralStatusChange.objects.create(referral=referral, to_status=Status.RECEIVED, by=referrer)
    audit_event(action=Action.CREATE, request=request, obj=referral)
    return referral


def _perpetrator(incoming: Incoming, victim: Person) -> Person | None:
    details = incoming.perpetrator or {}
    if not (details.get("first_name") or details.get("last_name")):
        return None
    perpetrator = person_create(
        audit=False,
        kind="person_causing_harm",
        first_name=(details.get("first_name") or "").strip(),
        last_name=(details.get("last_name") or "").strip(),
        date_of_birth=details.get("date_of_birth"),
    )
    Relationship.objects.create(
        victim=victim, other=perpetrator, kind=Relationship.Kind.PERSON_CAUSING_HARM, relationship=incoming.relationship
    )
    return perpetrator
