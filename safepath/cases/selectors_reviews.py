"""Reads for risk reviews, handovers, the step-down prompt and a re-referral's previous case.

Cases are reached through the page helpers (cases.pages, built on cases_for); handovers a
receiving team decides are reached through `handovers_for`, scoped to the user's provider.
A re-referral's previous case may sit at another provider: `previous_case_view` decides how
much of it the worker may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from safepath.accounts.models import Organisation
from safepath.cases.choices import CaseStatus, HandoverDirection, HandoverStatus
from safepath.cases.models import Case, CaseStatusChange, Handover, PathwaySettings, RiskReview
from safepath.cases.selectors import WORKER_ROLES
from safepath.core.roles import OrganisationType
from safepath.referrals.choices import RiskLevel
from safepath.referrals.models import Pathway, RoutingRule
from safepath.risk.models import RiskAssessment

# The order of risk levels, lowest first.
LEVEL_RANK = {RiskLevel.STANDARD: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}
RISK_CONDITIONS = {
    RoutingRule.Condition.RISK_STANDARD: RiskLevel.STANDARD,
    RoutingRule.Condition.RISK_MEDIUM: RiskLevel.MEDIUM,
    RoutingRule.Condition.RISK_HIGH: RiskLevel.HIGH,
}
# Pathways offered beside the routing rules' own when risk falls to standard: a group
# programme is the usual alternative to outreach (DOMAIN.md, Medway's step-down pathways).
STANDARD_ALTERNATIVES = ("group-programme",)
# Cases a step-down plan is prompted for: only an active case can move to "stepping down".
STEP_DOWN_STATUSES = (CaseStatus.ACTIVE,)


# --- the person's risk trajectory and the case's reviews --------------------------------


def risk_trajectory(person_id: int) -> QuerySet[RiskAssessment]:
    """Every assessment of the person, oldest first, with the review (if any) each belongs to."""
    return (
        RiskAssessment.objects.filter(person_id=person_id)
        .select_related("case_review")
        .order_by("assessed_at", "id")
    )


def latest_review(case: Case) -> RiskReview | None:
    return RiskReview.objects.filter(case=case).order_by("-at", "-id").first()


def review_of(case: Case, pk: int | None) -> RiskReview | None:
    """One of the case's reviews (a handover can say which review prompted it)."""
    return RiskReview.objects.filter(case=case, pk=pk).first() if pk else None


def case_reviews(case: Case) -> QuerySet[RiskReview]:
    return RiskReview.objects.filter(case=case).select_related("by", "assessment").order_by("at", "id")


def handovers_out(case: Case) -> QuerySet[Handover]:
    """Handovers offered from the case, newest first, with what the sending team sees of each."""
    return (
        Handover.objects.filter(from_case=case)
        .select_related("to_pathway", "to_provider", "created_by", "decided_by", "new_case")
        .order_by("-created_at", "-id")
    )


def handover_into(case: Case) -> Handover | None:
    """The handover the case was opened from, if any: its summary was written for this team."""
    return Handover.objects.filter(new_case=case).select_related("from_case__pathway", "from_case__provider").first()


# --- handovers a receiving team decides ---------------------------------------------------


def handovers_for(user: object) -> QuerySet[Handover]:
    """Handovers offered to the user's provider: its caseworkers and managers may open them
    (deciding needs MANAGE_CASES); nobody else any. The sending case itself stays out of reach."""
    membership = getattr(user, "current_membership", None)
    if membership is None or membership.organisation.type != OrganisationType.PROVIDER:  # type: ignore[attr-defined]
        return Handover.objects.none()
    if membership.role not in WORKER_ROLES:  # type: ignore[attr-defined]
        return Handover.objects.none()
    return Handover.objects.filter(to_provider_id=membership.organisation_id).select_related(  # type: ignore[attr-defined]
        "from_case__person", "from_case__pathway", "from_case__provider", "to_pathway", "to_provider", "created_by",
        "decided_by", "review",
    )


def handover_inbox(user: object, *, decided: bool = False) -> QuerySet[Handover]:
    """Offers waiting for a decision (oldest first), or those already decided (newest first)."""
    handovers = handovers_for(user)
    if decided:
        return handovers.exclude(status=HandoverStatus.OFFERED).order_by("-decided_at", "-id")
    return handovers.filter(status=HandoverStatus.OFFERED).order_by("created_at", "id")


# --- where a case can go -----------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    pathway: Pathway
    provider: Organisation

    @property
    def value(self) -> str:
        return f"{self.pathway.pk}:{self.provider.pk}"

    @property
    def label(self) -> str:
        return f"{self.pathway.name} – {self.provider.name}"


def destinations() -> list[Destination]:
    """Every active pathway with each active provider that delivers it."""
    through = Pathway.providers.through
    rows = (
        through.objects.filter(
            pathway__is_active=True, organisation__is_active=True, organisation__type=OrganisationType.PROVIDER
        )
        .select_related("pathway", "organisation")
        .order_by("pathway__order", "pathway__name", "organisation__name")
    )
    return [Destination(row.pathway, row.organisation) for row in rows]


def _risk_rules() -> list[tuple[int, str]]:
    """The active risk routing rules to active pathways, as (pathway id, condition)."""
    return list(
        RoutingRule.objects.filter(is_active=True, condition__in=list(RISK_CONDITIONS), pathway__is_active=True)
        .order_by("pk")
        .values_list("pathway_id", "condition")
    )


def _alternatives() -> list[int]:
    return list(Pathway.objects.filter(code__in=STANDARD_ALTERNATIVES, is_active=True).values_list("pk", flat=True))


def ranks_from(rules: list[tuple[int, str]], alternatives: list[int]) -> dict[int, int]:
    """How intensive each pathway is: the highest risk level the routing rules send to it
    (IDVA: high). Pathways offered as standard-risk alternatives rank as standard. Pathways no
    risk rule names (children's worker, health advocacy) have no rank."""
    ranks: dict[int, int] = {}
    for pathway_id, condition in rules:
        ranks[pathway_id] = max(ranks.get(pathway_id, 0), LEVEL_RANK[RISK_CONDITIONS[condition]])
    for pathway_id in alternatives:
        ranks.setdefault(pathway_id, LEVEL_RANK[RiskLevel.STANDARD])
    return ranks


def pathway_ranks() -> dict[int, int]:
    return ranks_from(_risk_rules(), _alternatives())


def direction_between(from_rank: int | None, to_rank: int | None) -> str:
    """Step up to a more intensive pathway, step down to a less intensive one, otherwise a
    transfer (the same level, or a pathway that is not about risk level)."""
    if from_rank is None or to_rank is None or from_rank == to_rank:
        return HandoverDirection.SIDEWAYS
    return HandoverDirection.STEP_UP if to_rank > from_rank else HandoverDirection.STEP_DOWN


def handover_direction(from_pathway_id: int, to_pathway_id: int) -> str:
    ranks = pathway_ranks()
    return direction_between(ranks.get(from_pathway_id), ranks.get(to_pathway_id))


def step_down_destinations(case: Case) -> list[Destination]:
    """Where a stepping-down case may be handed over: anywhere but a more intensive pathway
    or the case's own team."""
    ranks = pathway_ranks()
    own = ranks.get(case.pathway_id)
    return [
        d
        for d in destinations()
        if not (d.pathway.pk == case.pathway_id and d.provider.pk == case.provider_id)
        and direction_between(own, ranks.get(d.pathway.pk)) != HandoverDirection.STEP_UP
    ]


# --- proposals after a review ------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    pathway: Pathway
    direction: str
    alternative: bool = False  # offered beside the routing rule's own pathway
    offered: bool = False  # an offer to this pathway is already waiting for a decision


def proposed_pathway_ids(previous_level: str, new_level: str, rules: list[tuple[int, str]],
                         alternatives: list[int], own_pathway_id: int) -> list[tuple[int, bool]]:
    """The pathways a change of risk level proposes, as (pathway id, is an alternative):
    the pathways the routing rules give for the new level, plus the standard-risk alternatives
    when risk fell to standard. None when the level did not change; never the case's own pathway.
    `rules` are the active (pathway id, condition) risk routing rules."""
    if previous_level == new_level or new_level not in LEVEL_RANK or previous_level not in LEVEL_RANK:
        return []
    wanted = [(pid, False) for pid, condition in rules if RISK_CONDITIONS.get(condition) == new_level]
    if new_level == RiskLevel.STANDARD and LEVEL_RANK[new_level] < LEVEL_RANK[previous_level]:
        wanted += [(pid, True) for pid in alternatives]
    seen: set[int] = set()
    proposed = []
    for pathway_id, alternative in wanted:
        if pathway_id != own_pathway_id and pathway_id not in seen:
            seen.add(pathway_id)
            proposed.append((pathway_id, alternative))
    return proposed


def proposals_for(case: Case, review: RiskReview | None, open_offers: set[int]) -> list[Proposal]:
    """Moves proposed by the case's latest review when it changed the risk level. A raised
    level proposes a step up (high: IDVA), a reduced one a step down (outreach, or a group
    programme for standard risk). `open_offers` are pathway ids already offered."""
    if review is None or not case.is_open:
        return []
    rules, alternatives = _risk_rules(), _alternatives()
    wanted = proposed_pathway_ids(review.previous_level, review.new_level, rules, alternatives, case.pathway_id)
    if not wanted:
        return []
    pathways = Pathway.objects.in_bulk([pid for pid, _alt in wanted])
    ranks = ranks_from(rules, alternatives)
    own = ranks.get(case.pathway_id)
    return [
        Proposal(pathways[pid], direction_between(own, ranks.get(pid)), alternative, pid in open_offers)
        for pid, alternative in wanted
        if pid in pathways
    ]


# --- the step-down prompt ----------------------------------------------------------------


def step_down_window_opens(support_ends_on: date, prompt_days: int) -> date:
    return support_ends_on - timedelta(days=prompt_days)


def step_down_due(case: Case, settings: PathwaySettings, today: date) -> bool:
    """Prompt a step-down plan from `step_down_prompt_days` before support ends, and after it
    has ended, while the case is active."""
    if case.support_ends_on is None or case.status not in STEP_DOWN_STATUSES:
        return False
    return today >= step_down_window_opens(case.support_ends_on, settings.step_down_prompt_days)


# --- a re-referral's previous case ---------------------------------------------------------


@dataclass
class PreviousCaseView:
    """What a worker may see of a re-referral's previous case. `full` when it was at the same
    provider (its history is their own organisation's record); otherwise only dates, pathway
    and closure reason."""

    case: Case
    full: bool
    status_changes: list[CaseStatusChange] = field(default_factory=list)
    reviews: list[RiskReview] = field(default_factory=list)


def previous_case_of(case: Case) -> Case | None:
    """The previous case a re-referral links to (at any provider)."""
    if case.previous_case_id is None:
        return None
    return Case.objects.select_related("pathway", "provider", "key_worker", "team").filter(pk=case.previous_case_id).first()


def previous_case_view(case: Case, *, limit: int = 100) -> PreviousCaseView | None:
    previous = previous_case_of(case)
    if previous is None:
        return None
    if previous.provider_id != case.provider_id:
        return PreviousCaseView(previous, full=False)
    changes = list(
        CaseStatusChange.objects.filter(case=previous).select_related("by").order_by("at", "id")[:limit]
    )
    reviews = list(case_reviews(previous)[:limit])
    return PreviousCaseView(previous, full=True, status_changes=changes, reviews=reviews)


def closure_labels() -> dict[str, str]:
    from safepath.core.models import VocabularyTerm

    return dict(VocabularyTerm.objects.filter(vocabulary="case_closure_reasons").values_list("code", "label"))


def open_offer_pathways(case: Case) -> set[int]:
    """Pathways the case has an offer waiting on."""
    return set(
        Handover.objects.filter(from_case=case, status=HandoverStatus.OFFERED).values_list("to_pathway_id", flat=True)
    )


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
