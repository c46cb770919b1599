"""Recording a risk assessment: score with the area's thresholds in force, keep everything."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safepath.core.audit import Action, audit_event
from safepath.people.models import Person
from safepath.risk import rules
from safepath.risk.models import Instrument, RiskAssessment
from safepath.risk.selectors import thresholds_for


def last_marac_referral(person: Person, before: datetime) -> datetime | None:
    from django.apps import apps

    referral = apps.get_model("referrals", "Referral")
    return (
        referral.objects.filter(person=person, is_marac_case=True, received_at__lt=before)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )


@transaction.atomic
def assessment_record(
    *,
    request: HttpRequest | None,
    person: Person,
    instrument: Instrument,
    answers: dict[str, str],
    assessed_at: datetime,
    judgement: str = "",
    judgement_reason: str = "",
    police_incidents: int = 0,
    narrative: str = "",
    referral: object | None = None,
) -> RiskAssessment:
    """Validate answers against the instrument, apply the rules in force, store and audit."""
    codes = {i.code for i in instrument.indicators.all()}
    unknown = set(answers) - codes
    if unknown:
        raise ValueError(f"Answers for indicators not on this checklist: {sorted(unknown)}")
    answers = {code: rules.Answer(answers.get(code, rules.Answer.NOT_KNOWN)).value for code in sorted(codes)}
    if judgement and not judgement_reason.strip():
        raise ValueError("Professional judgement needs a reason.")
    if judgement and rules.RiskLevel.from_code(judgement) < rules.level_from_score(
        rules.dash_score(answers), thresholds_for(person.area_id, timezone.localdate(assessed_at)).as_rules()
    ):
        raise ValueError("Professional judgement may raise the level the score gives, never lower it.")
    threshold_set = thresholds_for(person.area_id, timezone.localdate(assessed_at))
    thresholds = threshold_set.as_rules()
    score = rules.dash_score(answers)
    outcome = rules.evaluate(
        rules.Assessment(
            score=score,
            judgement=rules.RiskLevel.from_code(judgement) if judgement else None,
            police_incidents=police_incidents,
        ),
        repeat=rules.is_repeat(assessed_at, last_marac_referral(person, assessed_at), thresholds),
        thresholds=thresholds,
    )
    assessment = RiskAssessment.objects.create(
        person=person,
        referral=referral,
        instrument=instrument,
        thresholds=threshold_set if threshold_set.pk else None,
        answers=answers,
        score=score,
        judgement=judgement,
        judgement_reason=judgement_reason.strip(),
        police_incidents=police_incidents,
        narrative=narrative,
        level=outcome.level.code,
        criteria=sorted(c.value for c in outcome.criteria),
        is_repeat=outcome.is_repeat,
        assessed_at=assessed_at,
        assessed_by=request.user if request is not None and request.user.is_authenticated else None,
    )
    audit_event(action=Action.CREATE, request=request, obj=assessment)
    return assessment
