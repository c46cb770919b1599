"""Cases: episodes of support by one provider on one pathway, and the records that decide
who may see them (teams, volunteer assignments, handovers between teams).

A case's current state is denormalised on the row (status, risk level, last contact, next
action due) so caseloads and waiting lists read one table; the history is kept in
immutable rows (CaseStatusChange, RiskReview, Handover).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    EngagementRule,
    HandoverDirection,
    HandoverStatus,
    ReReferralPriority,
)
from safepath.referrals.choices import RiskLevel


class Team(models.Model):
    """A team inside a provider (e.g. the IDVA team). Managers see their organisation's teams."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField("accounts.User", blank=True, related_name="teams")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name


class PathwaySettings(models.Model):
    """How a council runs a pathway (configuration, edited by administrators)."""

    pathway = models.OneToOneField("referrals.Pathway", on_delete=models.CASCADE, related_name="settings")
    support_months = models.PositiveSmallIntegerField(_("support period in months"), default=12)
    step_down_prompt_days = models.PositiveSmallIntegerField(
        _("days before the end of support to prompt a step-down plan"), default=28
    )
    rereferral_window_months = models.PositiveSmallIntegerField(
        _("months after closure in which a new referral is fast-tracked"), default=12
    )
    rereferral_priority = models.CharField(
        max_length=8, choices=ReReferralPriority.choices, default=ReReferralPriority.TOP_OF_LIST
    )
    engagement_rule = models.CharField(
        max_length=32, choices=EngagementRule.choices, default=EngagementRule.TWO_WAY_CONTACT
    )
    review_interval_days = models.PositiveSmallIntegerField(_("days between risk reviews"), default=90)
    caseload_low = models.PositiveSmallIntegerField(_("caseload benchmark: low"), default=60)
    caseload_high = models.PositiveSmallIntegerField(_("caseload benchmark: high"), default=80)

    class Meta:
        verbose_name_plural = "pathway settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(caseload_low__lte=models.F("caseload_high")), name="caseload_range")
        ]

    def __str__(self) -> str:
        return f"Settings for {self.pathway}"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    """One episode of support on one pathway by one provider."""

    SENSITIVE = True
    PERSONAL_FIELDS = ()

    reference = models.CharField(max_length=12, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    pathway = models.ForeignKey("referrals.Pathway", on_delete=models.PROTECT, related_name="cases")
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    key_worker = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="key_cases"
    )
    # Where it came from: a routed referral, or a handover from another case.
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    work_item = models.OneToOneField(
        "referrals.WorkItem", null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    previous_case = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="later_cases"
    )

    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.WAITING)
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    is_rereferral = models.BooleanField(
        default=False, help_text=_("Re-referred within the pathway's window after a closed case: fast-tracked.")
    )

    opened_at = models.DateTimeField()
    waiting_since = models.DateTimeField()
    allocated_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    engaged_at = models.DateTimeField(null=True, blank=True)
    support_ends_on = models.DateField(null=True, blank=True)
    step_down_planned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=64, blank=True)  # VocabularyTerm case_closure_reasons

    # Denormalised for caseloads (kept current by the services that change them).
    last_contact_at = models.DateTimeField(null=True, blank=True)
    next_action_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)

    # Optimistic locking: every change bumps it; a stale form is refused, not overwritten.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=models.Q(risk_level__in=RiskLevel.values), name="case_risk_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | ~models.Q(closure_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # Caseloads: a worker's open cases; waiting lists: a provider's waiting cases by pathway.
            models.Index(fields=["key_worker", "status"], name="case_worker_status_idx"),
            models.Index(fields=["provider", "status", "pathway"], name="case_provider_status_idx"),
            models.Index(fields=["person", "pathway", "closed_at"], name="case_person_pathway_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStatusChange(models.Model):
    """An immutable row per status change: who, when, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason_code = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        # Waiting-list throughput counts recent moves from waiting to allocated.
        indexes = [models.Index(fields=["from_status", "to_status", "at"], name="case_status_move_idx")]

    @property
    def is_reopening(self) -> bool:
        return self.from_status == CaseStatus.CLOSED


class RiskReview(models.Model):
    """A re-run of the risk assessment on a case; the person's trajectory is these rows."""

    SENSITIVE = True

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_reviews")
    assessment = models.OneToOneField(
        "risk.RiskAssessment", on_delete=models.PROTECT, related_name="case_review"
    )
    previous_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    new_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Handover(models.Model):
    """A proposed move of a person to another pathway or team (step up, step down, transfer),
    with a warm-handover summary; the receiving provider accepts or declines."""

    SENSITIVE = True

    from_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers_out")
    direction = models.CharField(max_length=16, choices=HandoverDirection.choices)
    to_pathway = models.ForeignKey("referrals.Pathway", on_delete=models.PROTECT, related_name="+")
    to_provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="handovers_in")
    review = models.ForeignKey(RiskReview, null=True, blank=True, on_delete=models.PROTECT, related_name="handovers")
    summary = models.TextField(_("handover summary"))
    close_from_case = models.BooleanField(
        _("close this case when the handover is accepted"), default=True
    )
    status = models.CharField(max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.OFFERED)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.CharField(max_length=255, blank=True)
    new_case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="handover_in")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_case", "to_pathway", "to_provider"],
                condition=models.Q(status="offered"),
                name="handover_one_open_offer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""), name="handover_decline_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["to_provider", "status"], name="handover_inbox_idx")]


class VolunteerAssignment(models.Model):
    """A volunteer assigned to support the person on a case. Volunteers see only these people."""

    SENSITIVE = True

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="volunteer_assignments")
    volunteer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="volunteer_assignments")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "volunteer"], condition=models.Q(ended_on__isnull=True), name="volunteer_one_current"
            )
        ]
        indexes = [models.Index(fields=["volunteer", "ended_on"], name="volunteer_current_idx")]
