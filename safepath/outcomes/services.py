"""Writes for outcomes: answers at intake, review and exit; health advocacy actions; and the
framework configuration administrators change.

Each function validates, writes in one transaction and audits. Forms that create records
carry a one-time token stored on the rows (with a unique constraint): the same form sent
twice returns what the first one wrote. Recording outcomes does not change the case row
itself, so it does not bump the case version; two workers recording the same moment at once
are serialised by a lock on the case row, and the second is told the questions were answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.once import check_token
from safepath.outcomes import selectors
from safepath.outcomes.choices import HEALTH_TRANSITIONS, OPEN_HEALTH_STATUSES, HealthStatus, Moment
from safepath.outcomes.models import HealthAction, HealthStatusChange, Measure, OutcomeFramework, Recording, Scale
from safepath.referrals.models import Pathway


def answer_field(measure_id: int) -> str:
    """The form field holding the answer to a measure (its skip reason is `<name>_skip`)."""
    return f"m{measure_id}"


def _user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


def _date(day: date) -> str:
    return formats.date_format(day, "j F Y")


# --- recording answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the worker chose for one question: a scale value, or a skip reason."""

    value: int | None = None
    skip_reason: str = ""


def _answer_errors(question: selectors.Question, answer: Answer, reasons: set[str]) -> dict[str, str]:
    name = answer_field(question.measure.pk)
    if answer.value is not None and answer.skip_reason:
        return {name: _("Choose an answer or a reason for skipping it, not both.")}
    if answer.value is None and not answer.skip_reason:
        return {name: _("Choose an answer, or choose why the question was skipped.")}
    if answer.skip_reason and answer.skip_reason not in reasons:
        return {f"{name}_skip": _("Choose a reason from the list.")}
    if answer.value is not None and answer.value not in {p.value for p in question.measure.scale.points.all()}:
        return {name: _("Choose one of the answers given.")}
    return {}


def _questions(case: Case, moment: str, at: datetime) -> dict[int, selectors.Question]:
    facts = selectors.case_facts(case)
    questions = selectors.questions_at(
        case,
        moment,
        frameworks=selectors.frameworks_for_case(case, facts),
        recordings=selectors.recordings_for_case(case),
        today=timezone.localdate(at),
    )
    return {q.measure.pk: q for q in questions}


@transaction.atomic
def outcomes_record(
    *,
    request: HttpRequest | None,
    case: Case,
    moment: str,
    answers: dict[int, Answer],
    token: str,
    ask_again_reason: str = "",
    at: datetime | None = None,
) -> list[Recording]:
    """Record answers (or skips) to the case's questions at one moment, all or nothing.

    Only questions the case's frameworks take at `moment` are accepted. A question that is not
    due (answered already at this moment, or at a review within the pathway's review interval)
    is recorded only with a reason to ask it again. The same form (token) sent twice records
    nothing more.
    """
    check_token(token)
    Case.objects.select_for_update().only("pk").get(pk=case.pk)  # one recording form at a time per case
    done = list(Recording.objects.filter(case=case, token=token))
    if done:
        return done
    if moment not in Moment.values:
        raise ValidationError({"moment": _("Choose when these answers are being recorded.")})
    if not answers:
        raise ValidationError(_("There are no questions to record."), code="empty")
    at = at or timezone.now()
    questions = _questions(case, moment, at)
    if set(answers) - set(questions):
        raise ValidationError(_("Some of these questions are no longer asked. Open the page again."), code="stale")
    reasons = {code for code, _label in selectors.skip_reasons()}
    errors: dict[str, str] = {}
    for measure_id, answer in answers.items():
        errors |= _answer_errors(questions[measure_id], answer, reasons)
    again = ask_again_reason.strip()
    repeated = [measure_id for measure_id in answers if not questions[measure_id].is_due]
    if repeated and not again:
        errors["ask_again_reason"] = _(
            "Some of these questions have already been answered (perhaps while you were working on this page). "
            "Say why you are asking them again, or leave this page without saving."
        )
    if errors:
        raise ValidationError(errors)
    by = _user(request)
    recordings = [
        Recording.objects.create(
            case=case,
            measure_id=measure_id,
            moment=moment,
            value=answer.value,
            skip_reason=answer.skip_reason,
            ask_again_reason=again[:255] if measure_id in repeated else "",
            recorded_at=at,
            recorded_by=by,
            token=token,
        )
        for measure_id, answer in answers.items()
    ]
    reason = f"outcomes at {moment}" + (" (asked again)" if repeated else "")
    audit_many(action=Action.CREATE, request=request, objects=list(recordings), reason=reason)
    return recordings


# --- health advocacy ------------------------------------------------------------------------------


def _check_health_date(case: Case, status: str, on: date, today: date) -> None:
    if on > today and status != HealthStatus.PLANNED:
        raise ValidationError({"on": _("The date cannot be in the future, except for a planned action.")})
    opened = timezone.localdate(case.opened_at)
    if on < opened:
        raise ValidationError(
            {"on": _("The date must be on or after the day the case opened, %(day)s.") % {"day": _date(opened)}}
        )


def _open_duplicate(case: Case, action: str, *, exclude: int | None = None) -> bool:
    others = HealthAction.objects.filter(case=case, action=action, status__in=OPEN_HEALTH_STATUSES)
    return others.exclude(pk=exclude).exists() if exclude else others.exists()


@transaction.atomic
def health_action_add(
    *,
    request: HttpRequest | None,
    case: Case,
    action: str,
    status: str,
    on: date,
    token: str,
    at: datetime | None = None,
) -> HealthAction:
    """Record a health advocacy action (e.g. GP registration) with its first status."""
    check_token(token)
    done = HealthAction.objects.filter(case=case, token=token).first()
    if done is not None:
        return done
    if action not in {code for code, _label in selectors.health_action_kinds()}:
        raise ValidationError({"action": _("Choose a health action from the list.")})
    if status not in HealthStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    at = at or timezone.now()
    _check_health_date(case, status, on, timezone.localdate(at))
    if status in OPEN_HEALTH_STATUSES and _open_duplicate(case, action):
        raise ValidationError({"action": _("This action is already planned or in progress: update it instead.")})
    by = _user(request)
    try:
        with transaction.atomic():
            record = HealthAction.objects.create(
                case=case, action=action, status=status, status_on=on, created_at=at, created_by=by, token=token
            )
    except IntegrityError:  # the same form or the same open action, submitted at the same moment
        done = HealthAction.objects.filter(case=case, token=token).first()
        if done is not None:
            return done
        raise ValidationError(
            {"action": _("This action is already planned or in progress: update it instead.")}
        ) from None
    HealthStatusChange.objects.create(
        action=record, from_status="", to_status=status, on=on, recorded_at=at, recorded_by=by, token=token
    )
    audit_event(action=Action.CREATE, request=request, obj=record, reason=f"health action {status}")
    return record


@transaction.atomic
def health_action_update(
    *,
    request: HttpRequest | None,
    action: HealthAction,
    status: str,
    on: date,
    token: str,
    seen_status: str,
    at: datetime | None = None,
) -> HealthStatusChange:
    """Move a health action to a new status. The old status stays as a history row.

    `seen_status` is the status the worker saw: when a colleague changed it meanwhile the
    change is refused and the worker told, rather than overwriting theirs.
    """
    check_token(token)
    current = HealthAction.objects.select_for_update().select_related("case").get(pk=action.pk)
    done = current.changes.filter(token=token).first()
    if done is not None:
        return done
    if current.status != seen_status:
        raise ValidationError(
            _("Someone else changed this action while you were working on it. Check it as it is now, then try again."),
            code="stale",
        )
    if status not in HealthStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status not in HEALTH_TRANSITIONS[current.status]:
        raise ValidationError(
            {
                "status": _("An action that is “%(current)s” cannot be changed to “%(new)s”.")
                % {"current": HealthStatus(current.status).label, "new": HealthStatus(status).label}
            }
        )
    at = at or timezone.now()
    _check_health_date(current.case, status, on, timezone.localdate(at))
    if status in OPEN_HEALTH_STATUSES and _open_duplicate(current.case, current.action, exclude=current.pk):
        raise ValidationError({"status": _("Another action of this kind is already planned or in progress.")})
    change = HealthStatusChange.objects.create(
        action=current,
        from_status=current.status,
        to_status=status,
        on=on,
        recorded_at=at,
        recorded_by=_user(request),
        token=token,
    )
    HealthAction.objects.filter(pk=current.pk).update(status=status, status_on=on)
    action.status, action.status_on = status, on
    audit_event(
        action=Action.UPDATE, request=request, obj=current, reason=f"health action {change.from_status} to {status}"
    )
    return change


# --- framework configuration -------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSetting:
    measure: Measure
    order: int
    is_active: bool


@transaction.atomic
def framework_update(
    *,
    request: HttpRequest | None,
    framework: OutcomeFramework,
    name: str,
    description: str,
    is_active: bool,
    pathways: list[Pathway],
    measures: list[MeasureSetting],
) -> OutcomeFramework:
    """Change a framework's wording, use, pathways and its measures' order and use."""
    if not name.strip():
        raise ValidationError({"name": _("Enter a name for the framework.")})
    if any(s.measure.framework_id != framework.pk for s in measures):
        raise ValidationError(_("A question of another framework was sent. Open the page again."))
    framework.name, framework.description, framework.is_active = name.strip(), description.strip(), is_active
    framework.save(update_fields=["name", "description", "is_active"])
    framework.pathways.set(pathways)
    for setting in measures:
        if (setting.measure.order, setting.measure.is_active) != (setting.order, setting.is_active):
            Measure.objects.filter(pk=setting.measure.pk).update(order=setting.order, is_active=setting.is_active)
    audit_event(action=Action.UPDATE, request=request, obj=framework, reason="framework configuration")
    return framework


@transaction.atomic
def framework_add(
    *, request: HttpRequest | None, code: str, name: str, description: str, pathways: list[Pathway]
) -> OutcomeFramework:
    if OutcomeFramework.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A framework with this code already exists. Choose another code.")})
    last = OutcomeFramework.objects.order_by("-order").values_list("order", flat=True).first() or 0
    framework = OutcomeFramework.objects.create(
        code=code, name=name.strip(), description=description.strip(), order=last + 1
    )
    framework.pathways.set(pathways)
    audit_event(action=Action.CREATE, request=request, obj=framework, reason="framework added")
    return framework


@transaction.atomic
def measure_add(
    *,
    request: HttpRequest | None,
    framework: OutcomeFramework,
    code: str,
    question: str,
    scale: Scale,
    moments: list[str],
    hint: str = "",
    higher_is_better: bool = True,
    abuse_type: str = "",
) -> Measure:
    """Add a question to a framework, at the end of its order."""
    if not set(moments) & set(Moment.values):
        raise ValidationError({"moments": _("Choose when the question is asked.")})
    if framework.measures.filter(code=code).exists():
        raise ValidationError({"code": _("This framework already has a question with this code. Choose another code.")})
    last = framework.measures.order_by("-order").values_list("order", flat=True).first() or 0
    measure = Measure.objects.create(
        framework=framework,
        code=code,
        question=question.strip(),
        hint=hint.strip(),
        scale=scale,
        at_intake=Moment.INTAKE in moments,
        at_review=Moment.REVIEW in moments,
        at_exit=Moment.EXIT in moments,
        higher_is_better=higher_is_better,
        abuse_type=abuse_type,
        order=last + 1,
    )
    audit_event(action=Action.UPDATE, request=request, obj=framework, reason=f"question {measure.pk} added")
    return measure
