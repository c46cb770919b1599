"""Writes for risk reviews, warm handovers between teams and the managed step-down.

Each function validates, writes in one transaction and audits. Forms that create something
carry a one-time token, written into the audit row of the case (an identifier, never personal
data) and looked up under a lock on the case before writing, so a form submitted twice creates
nothing twice. Changes a worker makes from a form carry the case `version` they saw; a stale
one raises CaseChanged (cases.services).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation, User
from safepath.cases.choices import OPEN_STATUSES, CaseStatus, HandoverDirection, HandoverStatus
from safepath.cases.models import Case, Handover, RiskReview
from safepath.cases.selectors import settings_for
from safepath.cases.selectors_reviews import handover_direction
from safepath.cases.services import CaseChanged, case_change_status, case_open, case_set_dates
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token, done_with_token
from safepath.core.roles import OrganisationType
from safepath.people.services_records import risk_assessment_add
from safepath.referrals.models import Pathway
from safepath.risk.models import Instrument

TRANSFERRED = "transferred"  # case_closure_reasons code for a case closed by an accepted handover


def _user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)


def _sync(target: Case, source: Case) -> None:
    for field in Case._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _refuse_closed(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed. Reopen it first."), code="closed")


# --- risk reviews -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """A re-run of the risk checklist, as the people app's assessment form gives it."""

    instrument: Instrument
    answers: dict[str, str]
    judgement: str = ""
    judgement_reason: str = ""
    police_incidents: int = 0
    narrative: str = ""


@transaction.atomic
def review_record(
    *,
    request: HttpRequest | None,
    case: Case,
    version: int,
    token: str,
    assessment: Answers,
    note: str = "",
    at: datetime | None = None,
) -> RiskReview:
    """Re-run the risk assessment on a case: record the assessment and the review, set the
    case's risk level and its next review date (today + the pathway's review interval)."""
    check_token(token)
    current = _locked(case)
    done = done_with_token(current, token)
    if done is not None:
        _sync(case, current)
        return RiskReview.objects.get(pk=done)
    if current.version != version:
        raise CaseChanged()
    _refuse_closed(current)
    at = at or timezone.now()
    recorded = risk_assessment_add(
        request=request,
        person=current.person,
        token=token,
        instrument=assessment.instrument,
        answers=assessment.answers,
        judgement=assessment.judgement,
        judgement_reason=assessment.judgement_reason,
        police_incidents=assessment.police_incidents,
        narrative=assessment.narrative,
        assessed_at=at,
    )
    review = RiskReview.objects.create(
        case=current,
        assessment=recorded,
        previous_level=current.risk_level,
        new_level=recorded.level,
        at=at,
        by=_user(request),
        note=note.strip(),
    )
    current.risk_level = recorded.level
    current.version += 1
    current.save(update_fields=["risk_level", "version", "updated_at"])
    interval = settings_for(current.pathway_id).review_interval_days
    case_set_dates(current, review_due_on=timezone.localdate(at) + timedelta(days=interval))
    audit_event(action=Action.CREATE, request=request, obj=review)
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"risk review {review.pk}; form {token}")
    _sync(case, current)
    return review


# --- handovers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a handover goes, and what the receiving team needs to know."""

    pathway: Pathway
    provider: Organisation
    summary: str
    close_from_case: bool = True


def _check_target(case: Case, target: Target) -> None:
    errors: dict[str, str] = {}
    provider = target.provider
    if (
        not target.pathway.is_active
        or not provider.is_active
        or provider.type != OrganisationType.PROVIDER
        or not target.pathway.providers.filter(pk=provider.pk).exists()
    ):
        errors["destination"] = _("Choose a pathway and a provider that delivers it.")
    elif target.pathway.pk == case.pathway_id and provider.pk == case.provider_id:
        errors["destination"] = _("The case is already on this pathway with this provider. Choose another.")
    if not target.summary.strip():
        errors["summary"] = _("Write what the receiving team needs to know.")
    if errors:
        raise ValidationError(errors)


def _offer(request: HttpRequest | None, case: Case, target: Target, *, review: RiskReview | None,
           at: datetime) -> Handover:
    """Offer the handover (case locked by the caller)."""
    _check_target(case, target)
    if review is not None and review.case_id != case.pk:
        raise ValidationError(_("That review belongs to another case."))
    if Handover.objects.filter(
        from_case=case, to_pathway=target.pathway, to_provider=target.provider, status=HandoverStatus.OFFERED
    ).exists():
        raise ValidationError(
            {"destination": _("A handover to this team is already waiting for their decision.")}, code="duplicate"
        )
    handover = Handover.objects.create(
        from_case=case,
        direction=handover_direction(case.pathway_id, target.pathway.pk),
        to_pathway=target.pathway,
        to_provider=target.provider,
        review=review,
        summary=target.summary.strip(),
        close_from_case=target.close_from_case,
        created_at=at,
        created_by=_user(request),
    )
    audit_event(action=Action.CREATE, request=request, obj=handover, reason=f"{handover.direction}")
    return handover


@transaction.atomic
def handover_offer(
    *,
    request: HttpRequest | None,
    case: Case,
    target: Target,
    token: str,
    version: int | None = None,
    review: RiskReview | None = None,
    at: datetime | None = None,
) -> Handover:
    """Offer a warm handover to another team (another pathway, or the same pathway at another
    provider). One open offer per target. The receiving team's managers accept or decline."""
    check_token(token)
    current = _locked(case)
    done = done_with_token(current, token)
    if done is not None:
        return Handover.objects.get(pk=done)
    if version is not None and current.version != version:
        raise CaseChanged()
    _refuse_closed(current)
    handover = _offer(request, current, target, review=review, at=at or timezone.now())
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"handover {handover.pk}; form {token}")
    return handover


def _check_decider(request: HttpRequest | None, handover: Handover) -> None:
    membership = getattr(_user(request), "current_membership", None)
    if request is not None and (membership is None or membership.organisation_id != handover.to_provider_id):
        raise ValidationError(_("Only the receiving team can decide on this handover."), code="forbidden")


@transaction.atomic
def handover_decide(
    *,
    request: HttpRequest | None,
    handover: Handover,
    accept: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Handover:
    """The receiving team accepts (a new case opens on their waiting list and, when asked,
    the sending case closes as transferred) or declines with a reason. A repeated decision
    changes nothing; a different one after a decision is refused."""
    current = Handover.objects.select_for_update().get(pk=handover.pk)
    _check_decider(request, current)
    wanted = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    if current.status == wanted:
        return current
    if current.status != HandoverStatus.OFFERED:
        raise ValidationError(
            _("This handover is no longer waiting for a decision: it is “%(status)s”.")
            % {"status": HandoverStatus(current.status).label},
            code="decided",
        )
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why you are declining the handover.")})
    at = at or timezone.now()
    if accept:
        _accept(request, current, at)
    else:
        current.decline_reason = reason.strip()[:255]
    current.status = wanted
    current.decided_at = at
    current.decided_by = _user(request)
    current.save()
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"handover {wanted}")
    return current


def _accept(request: HttpRequest | None, handover: Handover, at: datetime) -> None:
    from_case = _locked(handover.from_case)
    person = from_case.person.merged_into or from_case.person
    if Case.objects.filter(
        person=person, pathway=handover.to_pathway, provider_id=handover.to_provider_id, status__in=OPEN_STATUSES
    ).exists():
        # Checked here, not when offering: the receiving team may know, the sending one may not.
        raise ValidationError(
            _("This person already has an open case with you on this pathway. Decline the handover, saying so."),
            code="duplicate",
        )
    handover.new_case = case_open(
        request=request,
        person=person,
        pathway=handover.to_pathway,
        provider_id=handover.to_provider_id,
        risk_level=from_case.risk_level,
        at=at,
        note=_("Warm handover accepted."),
        handover=True,
    )
    if handover.close_from_case and from_case.is_open:
        case_change_status(
            request=request,
            case=from_case,
            to_status=CaseStatus.CLOSED,
            reason_code=TRANSFERRED,
            note=_("Handover accepted by the receiving team."),
            at=at,
        )


# --- managed step-down ---------------------------------------------------------------------


@transaction.atomic
def step_down_plan(
    *,
    request: HttpRequest | None,
    case: Case,
    version: int,
    token: str,
    plan: str,
    target: Target | None = None,
    at: datetime | None = None,
) -> Case:
    """Record the step-down plan: the case moves to "stepping down" with the plan as the status
    change's note; an optional handover to a lower pathway is offered at the same time."""
    check_token(token)
    current = _locked(case)
    if done_with_token(current, token) is not None:
        _sync(case, current)
        return case
    if not plan.strip():
        raise ValidationError({"plan": _("Write the step-down plan.")})
    at = at or timezone.now()
    change = case_change_status(
        request=request, case=current, to_status=CaseStatus.STEPPING_DOWN, version=version, note=plan.strip(), at=at
    )
    if change is None:
        raise ValidationError(_("This case is already stepping down."), code="transition")
    if target is not None:
        if handover_direction(current.pathway_id, target.pathway.pk) == HandoverDirection.STEP_UP:
            raise ValidationError(
                {"destination": _("A step-down cannot hand over to a more intensive pathway. Choose another, or none.")}
            )
        _offer(request, current, target, review=None, at=at)
    audit_event(
        action=Action.UPDATE, request=request, obj=current, reason=f"step-down plan {change.pk}; form {token}"
    )
    _sync(case, current)
    return case
