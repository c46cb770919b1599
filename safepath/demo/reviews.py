"""Risk reviews, warm handovers and how each case ends.

A review's assessment goes through risk.services.assessment_record (score, level and MARAC
criteria by the risk rules in force); the RiskReview row and the case's new risk level and
review date are what cases.services_reviews.review_record writes. A step-down plan moves the
case to "stepping down" with the plan as the status row's note and offers a handover
(step_down_plan); a rise in risk offers a step up (handover_offer). The receiving provider's
manager accepts - a new case opens on their waiting list and the sending case closes as
transferred (handover_decide) - or declines with a reason, or has not decided yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from safepath.accounts.models import User
from safepath.cases.choices import CaseStatus, HandoverStatus
from safepath.cases.models import Handover, RiskReview
from safepath.cases.selectors_reviews import direction_between
from safepath.demo.timing import working
from safepath.risk.selectors import current_instrument
from safepath.risk.services import assessment_record

if TYPE_CHECKING:
    from safepath.demo.cases import Episode, World

# Closures planned with the person: a step-down period comes first.
PLANNED_ENDINGS = ("support_complete", "risk_reduced")
TRANSFERRED = "transferred"
# Share of IDVA cases reviewed, and where a first review takes the risk level.
REVIEWED_SHARE = 0.55
AFTER_REVIEW = [("medium", 55), ("standard", 30), ("high", 15)]
MISSED_REVIEW = 0.3  # after a review, the next is not held while the case stays open
STEP_DOWN_SHARE = 0.7  # of reviews that reduced the risk, while support goes on
STEP_UP_SHARE = 0.03  # of outreach cases, whose risk rises to high at a review
REFUGE_SHARE = 0.03  # of outreach cases, where the person needs to leave home: a sideways handover
DECLINE_REASONS = [
    "We cannot take new people for the next four weeks. Please offer again then.",
    "The person told us they would rather stay with their current worker for now.",
]
STEP_DOWN_PLAN = (
    "Risk has reduced at the last review. Fortnightly check-ins while the outreach team picks up; "
    "the safety plan stays in place."
)
STEP_DOWN_SUMMARY = (
    "Risk reduced at review. Safety plan in place and working; the person wants to keep some support "
    "while things settle. Best contacted on the safe number, mornings."
)
STEP_UP_SUMMARY = (
    "Risk has risen to high at today's review after a new incident. Needs an IDVA urgently; MARAC "
    "referral being made. Safe contact by phone only."
)
REFUGE_SUMMARY = (
    "Needs to leave home for safety and is asking for a refuge place or other safe accommodation. "
    "We will keep supporting them meanwhile."
)
# kind: (summary, the status change the offer comes with, whether the sending case closes on acceptance,
# days the receiving team takes to decide)
KINDS = {
    "step_down": (STEP_DOWN_SUMMARY, CaseStatus.STEPPING_DOWN, True, (2, 28)),
    "step_up": (STEP_UP_SUMMARY, None, True, (0.5, 7)),
    "refuge": (REFUGE_SUMMARY, None, False, (2, 14)),
}


class Reviews:
    """The risk checklist, read once."""

    def __init__(self, world: World) -> None:
        self.world = world
        instrument = current_instrument()
        self.instrument = instrument
        self.codes = sorted(i.code for i in instrument.indicators.all()) if instrument else []

    def assess(self, episode: Episode, level: str, at: datetime) -> RiskReview | None:
        """Re-run the checklist with answers giving about `level`; the review row for the case."""
        if self.instrument is None:
            return None
        rng = self.world.rng
        yes = {"high": rng.randint(14, 18), "medium": rng.randint(10, 13)}.get(level, rng.randint(2, 9))
        chosen = set(rng.sample(self.codes, min(yes, len(self.codes))))
        answers = {code: "yes" if code in chosen else rng.choice(["no"] * 8 + ["not_known"]) for code in self.codes}
        assessment = assessment_record(
            request=None, person=episode.facts.person, instrument=self.instrument, answers=answers, assessed_at=at
        )
        case = episode.case
        review = RiskReview(
            case=case, assessment=assessment, previous_level=case.risk_level, new_level=assessment.level, at=at,
            by=case.key_worker,
        )
        self.world.rows.add(review)
        interval = episode.settings.review_interval_days
        episode.reviewed(assessment.level, timezone.localdate(at) + timedelta(days=interval))
        return review


@dataclass
class Ending:
    """The status changes that end a case (or start its ending), in time order."""

    closes: datetime | None  # None: still open at the end of the scenario
    reason: str
    steps: list[tuple[datetime, str, User | None, str, str]] = field(default_factory=list)

    def apply(self, episode: Episode) -> None:
        for at, to_status, by, reason, note in self.steps:
            episode.move(to_status, at, by, reason, note)


def planned(world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str) -> Ending:
    """The usual ending: a step-down period before a planned closure, then the closure (each
    only when it falls before the end of the scenario)."""
    manager = world.manager(episode.case.provider_id)
    steps = []
    if closes is not None and reason in PLANNED_ENDINGS:
        step_down = max(first + timedelta(days=1), closes - timedelta(days=world.rng.randint(14, 35)))
        if step_down < world.end and step_down < closes:
            steps.append((step_down, CaseStatus.STEPPING_DOWN, episode.case.key_worker, "", ""))
    ended = closes is not None and closes < world.end
    if ended:
        steps.append((closes, CaseStatus.CLOSED, manager, reason, ""))
    return Ending(closes if ended else None, reason, steps)


def review_and_hand_over(
    world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str
) -> Ending:
    """Reviews for a share of IDVA cases (risk mostly reduced, some stepping down to outreach)
    and, rarely, outreach cases whose risk rises (stepping up to IDVA); otherwise `planned`."""
    rng, code = world.rng, episode.code
    if episode.depth == 0 and code == "idva" and rng.random() < REVIEWED_SHARE:
        return _idva_reviews(world, episode, first, closes, reason)
    if episode.depth == 0 and code == "outreach":
        roll = rng.random()
        if roll < STEP_UP_SHARE:
            return _step_up(world, episode, first, closes, reason)
        if roll < STEP_UP_SHARE + REFUGE_SHARE:
            return _refuge(world, episode, first, closes, reason)
    return planned(world, episode, first, closes, reason)


def _idva_reviews(world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str) -> Ending:
    rng = world.rng
    until = episode.until(closes)
    at = working(rng, first + timedelta(days=rng.randint(28, 75)))
    reviews: list[RiskReview] = []
    while at < until:
        level = rng.choices([lvl for lvl, _ in AFTER_REVIEW], weights=[w for _, w in AFTER_REVIEW])[0]
        review = world.risk.assess(episode, level if not reviews else rng.choice(["medium", "standard"]), at)
        if review is None:
            break
        reviews.append(review)
        if rng.random() < MISSED_REVIEW:
            break  # the next review is overdue
        interval = episode.settings.review_interval_days
        at = working(rng, at + timedelta(days=interval + rng.randint(-10, 30)))
    reduced = [r for r in reviews if r.new_level != "high"]
    if reduced and rng.random() < STEP_DOWN_SHARE:
        step_down = working(rng, reduced[0].at + timedelta(days=rng.randint(5, 25)))
        if step_down < until:
            ending = _hand_over(world, episode, "outreach", step_down, closes, reduced[0], "step_down")
            if ending is not None:
                return ending
    return planned(world, episode, first, closes, "risk_reduced" if reduced and reason in PLANNED_ENDINGS else reason)


def _step_up(world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str) -> Ending:
    rng = world.rng
    at = working(rng, first + timedelta(days=rng.randint(20, 70)))
    if at < episode.until(closes):
        review = world.risk.assess(episode, "high", at)
        if review is not None and review.new_level == "high":
            ending = _hand_over(world, episode, "idva", at + timedelta(hours=2), closes, review, "step_up")
            if ending is not None:
                return ending
    return planned(world, episode, first, closes, reason)


def _refuge(world: World, episode: Episode, first: datetime, closes: datetime | None, reason: str) -> Ending:
    """A sideways handover to safe accommodation; the outreach case carries on alongside."""
    rng = world.rng
    at = working(rng, first + timedelta(days=rng.randint(14, 90)))
    if at < episode.until(closes):
        ending = _hand_over(world, episode, "safe-accommodation", at, closes, None, "refuge")
        if ending is not None:
            return ending
    return planned(world, episode, first, closes, reason)


def _hand_over(
    world: World, episode: Episode, to_code: str, at: datetime, closes: datetime | None, review: RiskReview | None,
    kind: str,
) -> Ending | None:
    """Offer a handover at `at` and let the receiving team decide; None when there is nowhere to
    hand over to, or the person already has (or will have) a case there."""
    from safepath.demo.cases import Facts, open_case

    rng, case = world.rng, episode.case
    pathway = world.pathways.get(to_code)
    provider_id = world.provider_for(pathway, case.provider_id) if pathway else None
    if pathway is None or provider_id is None:
        return None
    key = (case.person_id, pathway.pk, provider_id)
    if key in world.referred or any(e.case.closed_at is None or e.case.closed_at > at for e in world.open_handovers[key]):
        return None
    summary, status, closes_sender, (low, high) = KINDS[kind]
    handover = Handover(
        from_case=case, direction=direction_between(world.ranks.get(case.pathway_id), world.ranks.get(pathway.pk)),
        to_pathway=pathway, to_provider_id=provider_id, review=review, summary=summary, close_from_case=closes_sender,
        created_at=at, created_by=case.key_worker,
    )
    world.rows.add(handover)
    steps = [(at, status, case.key_worker, "", STEP_DOWN_PLAN)] if status else []
    decided = working(rng, at + timedelta(days=rng.uniform(low, high)))
    if decided >= world.end:
        return Ending(None, "", steps)  # waiting in the receiving team's inbox
    manager = world.manager(provider_id)
    handover.decided_at, handover.decided_by = decided, manager
    if rng.random() < 0.1:
        handover.status, handover.decline_reason = HandoverStatus.DECLINED, rng.choice(DECLINE_REASONS)
        later = closes if closes is not None and closes > decided else working(rng, decided + timedelta(days=14))
        ending = planned(world, episode, at, later, "risk_reduced" if kind == "step_down" else "support_complete")
        ending.steps = [*steps, *[s for s in ending.steps if s[1] != status]]
        return ending
    handover.status = HandoverStatus.ACCEPTED
    facts = Facts(person=episode.facts.person, risk=case.risk_level, children=episode.facts.children)
    new = open_case(world, facts=facts, pathway=pathway, provider_id=provider_id, at=decided, handover=True,
                    depth=episode.depth + 1)
    handover.new_case = new.case
    if not closes_sender:
        later = closes if closes is not None and closes > decided else working(rng, decided + timedelta(days=14))
        return planned(world, episode, at, later, "support_complete")
    note = "Handover accepted by the receiving team."
    return Ending(decided, TRANSFERRED, [*steps, (decided, CaseStatus.CLOSED, manager, TRANSFERRED, note)])
