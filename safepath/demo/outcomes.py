"""Outcome answers at intake and exit, and health advocacy actions, as outcomes.services
would record them (outcomes_record, health_action_add / health_action_update): bulk-inserted
Recording, HealthAction and HealthStatusChange rows with one token per form, minus audit rows.

Which questions a case is asked follows outcomes.selectors: the active measures of the active
frameworks on the case's pathway, a per-abuse-type question only when the referral recorded
that kind of abuse. Answers are a little better at exit for most people who engaged; a few
questions are skipped, with a reason from the outcome_skip_reasons vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from safepath.core.models import VocabularyTerm
from safepath.demo.timing import token, working
from safepath.outcomes.choices import HEALTH_ACTIONS, SKIP_REASONS, HealthStatus, Moment
from safepath.outcomes.models import HealthAction, HealthStatusChange, Measure, OutcomeFramework, Recording

if TYPE_CHECKING:
    from safepath.demo.cases import Episode, World

# Where people start (0: worst answer, 1: best) by risk level.
START = {"high": 0.15, "medium": 0.3, "standard": 0.4}
# Closures after which the exit questions are asked (not after someone stopped answering).
EXIT_AFTER = ("support_complete", "risk_reduced", "transferred", "moved_away")
CHILD_MEASURES = ("caregiver-wellbeing", "child-wellbeing")
SKIPS = [("chose_not_to_answer", 60), ("not_right_time", 25), ("other", 15)]
HEALTH_WEIGHTS = {
    "gp_registration": 25, "dental_registration": 20, "mental_health_referral": 20, "sexual_health": 10,
    "screening": 8, "substance_misuse": 7, "immunisations": 5, "maternity": 5,
}
HEALTH_SHARE = {"health-advocacy": 1.0, "idva": 0.12, "outreach": 0.12, "safe-accommodation": 0.2}


class Questions:
    """The outcome frameworks and skip reasons, read once."""

    def __init__(self) -> None:
        measures = Prefetch("measures", queryset=Measure.objects.filter(is_active=True).prefetch_related("scale__points"))
        self.by_pathway: dict[int, list[Measure]] = defaultdict(list)
        for framework in OutcomeFramework.objects.filter(is_active=True).prefetch_related("pathways", measures):
            for pathway in framework.pathways.all():
                self.by_pathway[pathway.pk] += sorted(framework.measures.all(), key=lambda m: (m.order, m.pk))
        self.points = {m.pk: sorted(p.value for p in m.scale.points.all()) for ms in self.by_pathway.values() for m in ms}
        active = VocabularyTerm.objects.filter(is_active=True)
        self.skips = set(active.filter(vocabulary=SKIP_REASONS).values_list("code", flat=True))
        self.health = [c for c in active.filter(vocabulary=HEALTH_ACTIONS).values_list("code", flat=True)]

    def asked(self, pathway_id: int, moment: str, abuse_types: frozenset[str]) -> list[Measure]:
        return [
            m for m in self.by_pathway.get(pathway_id, [])
            if moment in m.moments and (not m.abuse_type or m.abuse_type in abuse_types)
        ]


def _answer(world: World, measure: Measure, level: float) -> int:
    points = world.questions.points[measure.pk]
    index = round(max(0.0, min(1.0, level)) * (len(points) - 1))
    return points[index if measure.higher_is_better else len(points) - 1 - index]


def _skip(world: World, episode: Episode, measure: Measure) -> str:
    rng, skips = world.rng, world.questions.skips
    if measure.code in CHILD_MEASURES and not episode.facts.children and "not_relevant" in skips:
        return "not_relevant"
    if rng.random() < 0.05:
        reason = rng.choices([r for r, _ in SKIPS], weights=[w for _, w in SKIPS])[0]
        return reason if reason in skips else ""
    return ""


def _recordings(world: World, episode: Episode, moment: str, at: datetime, level: float) -> None:
    form = token(world.rng)
    for measure in world.questions.asked(episode.case.pathway_id, moment, episode.facts.abuse_types):
        skipped = _skip(world, episode, measure)
        value = None if skipped else _answer(world, measure, level + world.rng.uniform(-0.15, 0.15))
        world.rows.insert(
            Recording, case=episode.case, measure=measure, moment=moment, value=value, skip_reason=skipped,
            recorded_at=at, recorded_by=episode.case.key_worker, token=form,
        )


def record(world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str) -> None:
    """Intake answers at a meeting soon after the first contact; exit answers when a case closes
    with the person still in touch. Then health actions where the pathway calls for them."""
    rng = world.rng
    until = episode.until(closes)
    start = START.get(episode.facts.risk, 0.3) + rng.uniform(-0.1, 0.1)
    intake = working(rng, first + timedelta(days=rng.uniform(0, 10)))
    if intake < until and rng.random() < 0.92:
        _recordings(world, episode, Moment.INTAKE, intake, start)
    if closes is not None and reason in EXIT_AFTER:
        change = rng.choices([rng.uniform(0.2, 0.55), rng.uniform(-0.05, 0.1), -0.2], weights=[80, 15, 5])[0]
        _recordings(world, episode, Moment.EXIT, closes - timedelta(minutes=30), start + change)
    if rng.random() < HEALTH_SHARE.get(episode.code, 0):
        _health_actions(world, episode, first, until)


def _health_actions(world: World, episode: Episode, first: datetime, until: datetime) -> None:
    """GP registration, dental, a mental health referral… planned, under way, then (mostly) achieved."""
    rng, kinds = world.rng, [k for k in world.questions.health if k in HEALTH_WEIGHTS]
    count = rng.randint(1, 3) if episode.code == "health-advocacy" else rng.randint(1, 2)
    chosen: list[str] = []
    while kinds and len(chosen) < count:
        kind = rng.choices(kinds, weights=[HEALTH_WEIGHTS[k] for k in kinds])[0]
        kinds.remove(kind)
        chosen.append(kind)
    for kind in chosen:
        created = working(rng, first + timedelta(days=rng.randint(2, 30)))
        if created >= until:
            continue
        steps = [(HealthStatus.PLANNED, created)]
        at = working(rng, created + timedelta(days=rng.randint(5, 20)))
        if rng.random() < 0.6 and at < until:
            steps.append((HealthStatus.IN_PROGRESS, at))
        done = working(rng, at + timedelta(days=rng.randint(10, 45)))
        if done < until:
            final = rng.choices([HealthStatus.ACHIEVED, HealthStatus.NOT_ACHIEVED, HealthStatus.DECLINED], [70, 12, 18])
            steps.append((final[0], done))
        _health_rows(world, episode, kind, steps)


def _health_rows(world: World, episode: Episode, kind: str, steps: list[tuple[str, datetime]]) -> None:
    worker = episode.case.key_worker
    first_token = token(world.rng)
    last_status, last_at = steps[-1]
    action = world.rows.add(
        HealthAction(
            case=episode.case, action=kind, status=last_status, status_on=timezone.localdate(last_at),
            created_at=steps[0][1], created_by=worker, token=first_token,
        )
    )
    previous = ""
    for i, (status, at) in enumerate(steps):
        world.rows.insert(
            HealthStatusChange, action=action, from_status=previous, to_status=status, on=timezone.localdate(at),
            recorded_at=at, recorded_by=worker, token=first_token if i == 0 else token(world.rng),
        )
        previous = status
