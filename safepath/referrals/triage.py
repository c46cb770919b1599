"""Writes for triage, known-person decisions, routing and providers' decisions on work items.

Every function here validates, writes and audits inside one transaction. Each one first
re-reads the referral (or work item) with `select_for_update`, so that two submissions of
the same form (a double click, a second tab) are decided one after the other against the
current state: the second finds the work done and creates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.accounts.models import Organisation, User
from safepath.cases.services import case_open_from_work_item
from safepath.core.audit import Action, audit_event
from safepath.core.models import VocabularyTerm
from safepath.marac.services import marac_referrals_from_referrals
from safepath.people.choices import Channel
from safepath.people.models import Person, SafeContact
from safepath.people.services import person_merge
from safepath.referrals.choices import DECLINE_REASONS, OPEN_STATUSES, TRANSITIONS, MatchStatus, RiskLevel, Status
from safepath.referrals.models import ContactAttempt, Pathway, Referral, ReferralStatusChange, WorkItem
from safepath.referrals.services import Incoming, evaluate

WITHDRAWN_REASONS = {
    "withdrawn": gettext_lazy("The person withdrew"),
    "no_contact": gettext_lazy("No contact possible"),
}


def _user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _sync(target: Referral, source: Referral, *fields: str) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


# --- status -----------------------------------------------------------------------------


@transaction.atomic
def referral_change_status(
    *, request: HttpRequest | None, referral: Referral, to_status: str, reason_code: str = "", note: str = ""
) -> ReferralStatusChange | None:
    """Move the referral to `to_status` if TRANSITIONS allow it; None when it is already there.

    Raises ValidationError with a plain message for a change that is not allowed.
    """
    current = _locked(referral)
    if current.status == to_status:
        _sync(referral, current, "status")
        return None  # a repeated submission: the change is already made
    if to_status not in TRANSITIONS.get(current.status, frozenset()):
        raise ValidationError(
            _("A referral that is “%(current)s” cannot be changed to “%(new)s”.")
            % {"current": Status(current.status).label, "new": Status(to_status).label},
            code="transition",
        )
    change = ReferralStatusChange.objects.create(
        referral=current,
        from_status=current.status,
        to_status=to_status,
        by=_user(request),
        reason_code=reason_code,
        note=note,
    )
    current.status = to_status
    current.save(update_fields=["status"])
    _sync(referral, current, "status")
    audit_event(
        action=Action.UPDATE, request=request, obj=current, reason=f"status {change.from_status} to {to_status}"
    )
    return change


@transaction.atomic
def referral_start_triage(*, request: HttpRequest, referral: Referral) -> ReferralStatusChange | None:
    """Received → in triage; the worker who starts it takes it when nobody has."""
    change = referral_change_status(request=request, referral=referral, to_status=Status.IN_TRIAGE)
    if change is not None and referral.assigned_to_id is None:
        referral_assign(request=request, referral=referral)
    return change


@transaction.atomic
def referral_assign(*, request: HttpRequest, referral: Referral) -> None:
    """Assign an open referral to the signed-in worker."""
    current = _locked(referral)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("This referral is closed, so it cannot be assigned."), code="closed")
    user = _user(request)
    if current.assigned_to_id == getattr(user, "pk", None):
        return
    current.assigned_to = user
    current.save(update_fields=["assigned_to"])
    _sync(referral, current, "assigned_to")
    audit_event(action=Action.UPDATE, request=request, obj=current, reason="assigned")


def _decline_term(code: str) -> VocabularyTerm:
    term = VocabularyTerm.objects.filter(vocabulary=DECLINE_REASONS, code=code, is_active=True).first()
    if term is None:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    return term


def referral_decline(
    *, request: HttpRequest, referral: Referral, reason: str, note: str = ""
) -> ReferralStatusChange | None:
    """Decline with a reason from the council's list (it includes "no_capacity" for the Part 4 return)."""
    if not reason:
        raise ValidationError({"reason": _("Choose why the referral is declined.")})
    term = _decline_term(reason)
    if term.code == "other" and not note.strip():
        raise ValidationError({"note": _("Say why the referral is declined.")})
    return referral_change_status(
        request=request, referral=referral, to_status=Status.DECLINED, reason_code=term.code, note=note
    )


def referral_signpost(
    *, request: HttpRequest, referral: Referral, to: str, note: str = ""
) -> ReferralStatusChange | None:
    if not to.strip():
        raise ValidationError({"to": _("Enter where the person was signposted to.")})
    text = _("Signposted to: %(to)s") % {"to": to.strip()}
    if note.strip():
        text = f"{text}\n{note.strip()}"
    return referral_change_status(
        request=request, referral=referral, to_status=Status.SIGNPOSTED, reason_code="signposted", note=text
    )


def referral_withdraw(
    *, request: HttpRequest, referral: Referral, reason: str, note: str = ""
) -> ReferralStatusChange | None:
    if reason not in WITHDRAWN_REASONS:
        raise ValidationError({"reason": _("Choose whether the person withdrew or could not be contacted.")})
    return referral_change_status(
        request=request, referral=referral, to_status=Status.WITHDRAWN, reason_code=reason, note=note
    )


# --- contact attempts ------------------------------------------------------------------


def contact_refusal(person: Person, channel: str) -> str | None:
    """Why `channel` must not be used for this person, or None when it is marked safe."""
    if channel not in Channel.values:
        return _("Choose how you tried to make contact.")
    try:
        safe_contact = person.safe_contact
    except SafeContact.DoesNotExist:
        safe_contact = SafeContact(person=person)  # nothing recorded: every channel is unknown, so refused
    return safe_contact.refusal(channel)


@transaction.atomic
def contact_attempt_record(
    *, request: HttpRequest, referral: Referral, channel: str, outcome: str, note: str = ""
) -> ContactAttempt:
    """Record an attempt to reach the person. Refuses a channel not marked safe."""
    current = _locked(referral)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("This referral is closed: record contact on the person's case instead."), code="closed")
    refusal = contact_refusal(current.person, channel)
    if refusal:
        raise ValidationError({"channel": refusal})
    if outcome not in ContactAttempt.Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    attempt = ContactAttempt.objects.create(
        referral=current, at=timezone.now(), by=_user(request), channel=channel, outcome=outcome, note=note
    )
    audit_event(action=Action.CREATE, request=request, obj=attempt, reason=f"referral {current.pk}")
    return attempt


# --- known person ----------------------------------------------------------------------


def _reapply_rules(referral: Referral) -> None:
    """The person's history (an earlier MARAC referral, police referrals) is now known: apply the rules again.
    More history can only add criteria, so this never lowers what the first evaluation found."""
    person = referral.person
    incoming = Incoming(
        channel=referral.channel,
        source=referral.source,
        received_at=referral.received_at,
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        sent_risk_level=referral.sent_risk_level,
        dash_score=referral.dash_score,
        professional_judgement_high=referral.professional_judgement_high,
        police_callouts_12m=referral.police_callouts_12m,
    )
    outcome, incidents = evaluate(incoming, person, referral.area_id)
    referral.risk_level = RiskLevel(max(outcome.level.code, referral.risk_level, key=_risk_rank))
    referral.police_incidents = max(incidents, referral.police_incidents)
    referral.marac_criteria = sorted(set(referral.marac_criteria) | {c.value for c in outcome.criteria})
    referral.is_marac_case = referral.is_marac_case or outcome.meets_marac
    referral.is_repeat = referral.is_repeat or outcome.is_repeat


def _risk_rank(level: str) -> int:
    return [RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH].index(RiskLevel(level))


RULE_FIELDS = ["risk_level", "police_incidents", "marac_criteria", "is_marac_case", "is_repeat"]


@transaction.atomic
def referral_confirm_person(*, request: HttpRequest, referral: Referral, person: Person) -> None:
    """The worker says this is the same person: fold the referral's provisional record into
    `person` (reversible: people.services.person_merge) and mark the match confirmed."""
    current = _locked(referral)
    if current.match_status != MatchStatus.NEEDS_REVIEW:
        return  # already decided (a repeated submission)
    provisional = current.person
    if person.pk == provisional.pk or person.merged_into_id:
        raise ValidationError(_("Choose one of the people listed."), code="candidate")
    try:
        person_merge(request=request, kept=person, merged=provisional, reason=f"triage of referral {current.pk}")
    except ValueError as error:  # e.g. one of the records was merged elsewhere meanwhile
        raise ValidationError(_("These records cannot be merged now. Reload the page and check again.")) from error
    current.refresh_from_db()
    current.match_status = MatchStatus.CONFIRMED
    _reapply_rules(current)
    current.save(update_fields=["match_status", *RULE_FIELDS])
    marac_referrals_from_referrals([current])  # the person's history may have made it a MARAC case
    _sync(referral, current, "person", "match_status", *RULE_FIELDS)
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"same person as person {person.pk}")


@transaction.atomic
def referral_confirm_new_person(*, request: HttpRequest, referral: Referral) -> None:
    """The worker says this is a new person: nobody already known is this person."""
    current = _locked(referral)
    if current.match_status != MatchStatus.NEEDS_REVIEW:
        return
    current.match_status = MatchStatus.NEW_PERSON
    current.save(update_fields=["match_status"])
    _sync(referral, current, "match_status")
    audit_event(action=Action.UPDATE, request=request, obj=current, reason="new person confirmed")


# --- routing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteChoice:
    pathway: Pathway
    provider: Organisation


def route_changes_proposal(chosen: set[int], proposed: set[int]) -> bool:
    return chosen != proposed


@transaction.atomic
def referral_route(
    *,
    request: HttpRequest,
    referral: Referral,
    choices: Sequence[RouteChoice],
    proposed_pathway_ids: set[int],
    override_reason: str = "",
) -> list[WorkItem]:
    """Offer the referral to a provider on each chosen pathway and mark it accepted.

    Choosing other pathways than the rules proposed needs a reason. A repeated submission
    finds the referral already accepted and creates nothing.
    """
    current = _locked(referral)
    if current.status == Status.ACCEPTED:
        _sync(referral, current, "status")
        return []
    _validate_route(choices, proposed_pathway_ids, override_reason)
    chosen_ids = {c.pathway.pk for c in choices}
    override = override_reason.strip() if route_changes_proposal(chosen_ids, proposed_pathway_ids) else ""
    referral_change_status(request=request, referral=current, to_status=Status.ACCEPTED, note=override)
    items = []
    for choice in choices:
        item, created = WorkItem.objects.get_or_create(
            referral=current,
            pathway=choice.pathway,
            defaults={
                "provider": choice.provider,
                "proposed_by_rule": choice.pathway.pk in proposed_pathway_ids,
                "override_reason": override[:255],
                "created_by": _user(request),
            },
        )
        if created:
            audit_event(action=Action.CREATE, request=request, obj=item, reason=f"referral {current.pk}")
            items.append(item)
    _sync(referral, current, "status")
    return items


def _validate_route(choices: Sequence[RouteChoice], proposed: set[int], override_reason: str) -> None:
    if not choices:
        raise ValidationError({"pathways": _("Choose at least one pathway.")})
    errors: dict[str, str] = {}
    for choice in choices:
        if not choice.pathway.is_active:
            errors["pathways"] = _("%(pathway)s is no longer offered.") % {"pathway": choice.pathway.name}
        elif not choice.pathway.providers.filter(pk=choice.provider.pk, is_active=True).exists():
            errors[f"provider_{choice.pathway.code}"] = _("Choose a provider that offers %(pathway)s.") % {
                "pathway": choice.pathway.name
            }
    if route_changes_proposal({c.pathway.pk for c in choices}, proposed) and not override_reason.strip():
        errors["override_reason"] = _("Say why you are choosing different pathways from the ones proposed.")
    if errors:
        raise ValidationError(errors)


# --- providers' decisions ----------------------------------------------------------------


@transaction.atomic
def work_item_decide(*, request: HttpRequest, item: WorkItem, accept: bool, reason: str = "") -> WorkItem:
    """A provider's team manager accepts or declines an offered work item (declining needs a reason)."""
    current = WorkItem.objects.select_for_update().get(pk=item.pk)
    if current.status != WorkItem.Status.OFFERED:
        item.status = current.status
        return current  # already decided: a repeated submission changes nothing
    if accept:
        current.status = WorkItem.Status.ACCEPTED
        why = "accepted"
    else:
        term = _decline_term(reason) if reason else None
        if term is None:
            raise ValidationError({"reason": _("Choose why you cannot take this referral.")})
        current.status = WorkItem.Status.DECLINED
        current.decline_reason = term.code
        why = f"declined: {term.code}"
    current.decided_at = timezone.now()
    current.decided_by = _user(request)
    current.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    item.status = current.status
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=why)
    if accept:
        # Accepting puts the person on the provider's waiting list (or fast-tracks a re-referral).
        case_open_from_work_item(request=request, item=current)
    return current


# --- offering a declined referral again ---------------------------------------------------


@transaction.atomic
def work_item_reoffer(
    *, request: HttpRequest, item: WorkItem, pathway: Pathway, provider: Organisation, reason: str
) -> tuple[WorkItem, bool]:
    """Offer a referral a provider declined to another provider, on the same pathway or another one,
    without triaging it again. Returns the new work item, and whether this call created it.

    The declined item is not changed: its decision (e.g. "no capacity") still counts in the
    returns, and the new item points back to it (`reoffer_of`), so the history reads in rows.
    The referral row is locked first, so re-offers of the same referral are made one after the
    other; a repeated submission finds the re-offer made and creates nothing.
    """
    Referral.objects.select_for_update().only("pk").get(pk=item.referral_id)
    current = WorkItem.objects.select_for_update().get(pk=item.pk)
    already = WorkItem.objects.filter(reoffer_of=current).first()
    if already is not None:
        return already, False
    if current.status != WorkItem.Status.DECLINED:
        raise ValidationError(_("Only a referral a provider has declined can be offered again."), code="not_declined")
    _validate_reoffer(current, pathway, provider, reason)
    new = WorkItem.objects.create(
        referral_id=current.referral_id,
        pathway=pathway,
        provider=provider,
        proposed_by_rule=False,
        override_reason=reason.strip()[:255],
        created_by=_user(request),
        reoffer_of=current,
    )
    audit_event(action=Action.CREATE, request=request, obj=new, reason=f"re-offer of work item {current.pk}")
    return new, True


def _validate_reoffer(declined: WorkItem, pathway: Pathway, provider: Organisation, reason: str) -> None:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why you are offering the referral again.")
    if not pathway.is_active:
        errors["target"] = _("%(pathway)s is no longer offered.") % {"pathway": pathway.name}
    elif not pathway.providers.filter(pk=provider.pk, is_active=True).exists():
        errors["target"] = _("Choose a provider that offers %(pathway)s.") % {"pathway": pathway.name}
    elif pathway.pk == declined.pathway_id and provider.pk == declined.provider_id:
        errors["target"] = _("Choose another provider: this one declined the referral.")
    elif (
        WorkItem.objects.filter(referral_id=declined.referral_id, pathway=pathway)
        .exclude(status=WorkItem.Status.DECLINED)
        .exists()
    ):
        errors["target"] = _("The referral is already with a provider for %(pathway)s.") % {"pathway": pathway.name}
    if errors:
        raise ValidationError(errors)
