"""Reads for outcomes. Case records (answers, health actions, risk assessments) are reached
only through a case the caller already holds from cases_for(user) (cases.pages.case_for_page);
framework configuration is not about anyone and is read directly.

Every function reads a fixed number of queries, whatever the case's history holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from safepath.cases.models import Case
from safepath.cases.selectors import settings_for
from safepath.core.models import VocabularyTerm
from safepath.outcomes import due, summary
from safepath.outcomes.choices import HEALTH_ACTIONS, SKIP_REASONS
from safepath.outcomes.models import (
    HealthAction,
    HealthStatusChange,
    Measure,
    OutcomeFramework,
    Recording,
    Scale,
    ScalePoint,
)
from safepath.referrals.models import Referral
from safepath.risk.models import RiskAssessment

# --- vocabularies ---------------------------------------------------------------------------


def vocabulary(name: str, *, active_only: bool = True) -> list[tuple[str, str]]:
    terms = VocabularyTerm.objects.filter(vocabulary=name)
    if active_only:
        terms = terms.filter(is_active=True)
    return list(terms.order_by("order", "label").values_list("code", "label"))


def skip_reasons(*, active_only: bool = True) -> list[tuple[str, str]]:
    return vocabulary(SKIP_REASONS, active_only=active_only)


def health_action_kinds(*, active_only: bool = True) -> list[tuple[str, str]]:
    return vocabulary(HEALTH_ACTIONS, active_only=active_only)


# --- which questions a case is asked --------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What of the case's referral the outcome pages need (nothing else is read)."""

    abuse_types: frozenset[str]
    since: datetime  # when this episode started: the referral's arrival, else the case's opening


def case_facts(case: Case) -> CaseFacts:
    row = (
        Referral.objects.filter(pk=case.referral_id).values("abuse_types", "received_at").first()
        if case.referral_id
        else None
    )
    if row is None:
        return CaseFacts(frozenset(), case.opened_at)
    return CaseFacts(frozenset(row["abuse_types"] or ()), min(row["received_at"], case.opened_at))


def _measure_queryset() -> QuerySet[Measure]:
    return Measure.objects.select_related("scale").prefetch_related("scale__points").order_by("order", "id")


def frameworks_for_case(case: Case, facts: CaseFacts) -> list[OutcomeFramework]:
    """The active frameworks the case's pathway uses, each with `.asked`: its active measures
    that apply to this case (a per-abuse-type question only when that abuse was recorded)."""
    frameworks = list(
        OutcomeFramework.objects.filter(is_active=True, pathways=case.pathway_id).prefetch_related(
            Prefetch("measures", queryset=_measure_queryset().filter(is_active=True), to_attr="active_measures")
        )
    )
    for framework in frameworks:
        framework.asked = [  # type: ignore[attr-defined]
            m
            for m in framework.active_measures
            if not m.abuse_type or m.abuse_type in facts.abuse_types  # type: ignore[attr-defined]
        ]
    return [f for f in frameworks if f.asked]  # type: ignore[attr-defined]


def recordings_for_case(case: Case) -> list[Recording]:
    """Every answer and skip on the case, oldest first, with its measure and framework."""
    return list(
        Recording.objects.filter(case=case)
        .select_related("measure__framework", "measure__scale", "recorded_by")
        .order_by("recorded_at", "id")
    )


def scale_labels(scale_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    points = ScalePoint.objects.filter(scale_id__in=set(scale_ids)).values_list("scale_id", "value", "label")
    return {(scale_id, value): label for scale_id, value, label in points}


def asked_before(recordings: Iterable[Recording]) -> dict[int, list[due.Asked]]:
    """Per measure id, what was asked before (for due.is_due)."""
    asked: dict[int, list[due.Asked]] = {}
    for recording in recordings:
        asked.setdefault(recording.measure_id, []).append(
            due.Asked(recording.moment, timezone.localdate(recording.recorded_at), recording.skip_reason)
        )
    return asked


@dataclass(frozen=True)
class Question:
    """A question that could be asked at a moment: whether it is due and when it was last asked."""

    measure: Measure
    framework: OutcomeFramework
    is_due: bool
    last_asked_on: date | None


def questions_at(
    case: Case,
    moment: str,
    *,
    frameworks: list[OutcomeFramework],
    recordings: list[Recording],
    today: date,
    interval: int | None = None,
) -> list[Question]:
    """Every active measure the case's frameworks take at `moment`, with whether it is due.
    `interval`: the pathway's review interval in days (read from its settings when not given)."""
    if interval is None:
        interval = settings_for(case.pathway_id).review_interval_days
    asked = asked_before(recordings)
    questions = []
    for framework in frameworks:
        for measure in framework.asked:  # type: ignore[attr-defined]
            if moment not in measure.moments:
                continue
            before = asked.get(measure.pk, [])
            is_due = due.is_due(
                moment, taken_at=measure.moments, asked=before, today=today, review_interval_days=interval
            )
            last = max((a.on for a in before if a.moment == moment), default=None)
            questions.append(Question(measure, framework, is_due, last))
    return questions


def due_counts(
    case: Case, *, frameworks: list[OutcomeFramework], recordings: list[Recording], today: date
) -> dict[str, int]:
    """How many questions are due at each moment today."""
    interval = settings_for(case.pathway_id).review_interval_days
    counts = {}
    for moment in due.MOMENTS:
        questions = questions_at(
            case, moment, frameworks=frameworks, recordings=recordings, today=today, interval=interval
        )
        counts[moment] = sum(q.is_due for q in questions)
    return counts


# --- risk level change -------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskChange:
    first: RiskAssessment
    latest: RiskAssessment


def risk_change(case: Case, facts: CaseFacts) -> RiskChange | None:
    """The person's first and latest risk assessments during this episode of support (from the
    referral's arrival to closure); None when there are none."""
    assessments = RiskAssessment.objects.filter(person_id=case.person_id, assessed_at__gte=facts.since)
    if case.closed_at is not None:
        assessments = assessments.filter(assessed_at__lte=case.closed_at)
    first = assessments.order_by("assessed_at", "id").only("level", "score", "assessed_at").first()
    if first is None:
        return None
    latest = assessments.order_by("-assessed_at", "-id").only("level", "score", "assessed_at").first()
    return RiskChange(first, latest or first)


# --- health advocacy ---------------------------------------------------------------------------


def health_actions_for(case: Case) -> QuerySet[HealthAction]:
    return HealthAction.objects.filter(case=case).order_by("-created_at", "-id")


def health_action_for(case: Case, pk: int) -> HealthAction:
    """One of the case's health actions (raises DoesNotExist otherwise: a 404 for the view)."""
    return HealthAction.objects.select_related("created_by").get(case=case, pk=pk)


def health_history(action: HealthAction) -> list[HealthStatusChange]:
    return list(action.changes.select_related("recorded_by").order_by("recorded_at", "id"))


# --- framework configuration -------------------------------------------------------------------


def frameworks() -> QuerySet[OutcomeFramework]:
    return (
        OutcomeFramework.objects.annotate(
            measure_count=Count("measures", filter=Q(measures__is_active=True), distinct=True)
        )
        .prefetch_related("pathways")
        .order_by("order", "name", "pk")
    )


def frameworks_with_measures() -> QuerySet[OutcomeFramework]:
    """For the edit page: each framework with its pathways and all its measures (`.all_measures`)."""
    return OutcomeFramework.objects.prefetch_related(
        "pathways", Prefetch("measures", queryset=_measure_queryset(), to_attr="all_measures")
    )


def scales() -> QuerySet[Scale]:
    return Scale.objects.prefetch_related("points").order_by("name")


# --- for reporting (anonymous: case ids and values only) ------------------------------------


def framework_answers(framework: OutcomeFramework, cases: QuerySet[Case]) -> Iterator[summary.Answer]:
    """Every answer to the framework's questions on `cases` (a scoped or reporting queryset), as
    summary.Answer rows keyed by case id: nothing about the person."""
    rows = (
        Recording.objects.filter(measure__framework=framework, case__in=cases)
        .order_by()
        .values_list("case_id", "measure__code", "moment", "recorded_at", "value")
    )
    for case_id, code, moment, at, value in rows.iterator(chunk_size=2000):
        yield summary.Answer(case_id, code, moment, at, value)


def higher_is_better(framework: OutcomeFramework) -> dict[str, bool]:
    return dict(framework.measures.values_list("code", "higher_is_better"))
