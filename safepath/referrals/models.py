"""Referrals into the single point of access, their triage history and routing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.people.choices import RelationshipType
from safepath.referrals.choices import Channel, Consent, MatchStatus, RiskLevel, Source, Status


class Referral(models.Model):
    SENSITIVE = True
    PERSONAL_FIELDS = ("reason", "submitted")

    # A reference safe to show a survivor or referrer; says nothing about the person.
    reference = models.CharField(max_length=12, unique=True)
    hub = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="hub_referrals")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    source = models.CharField(max_length=32, choices=Source.choices)
    source_ref = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(db_index=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    match_status = models.CharField(max_length=16, choices=MatchStatus.choices, default=MatchStatus.NEEDS_REVIEW)
    match_score = models.FloatField(null=True, blank=True)
    referrer = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="made_referrals"
    )
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # What the sender told us.
    sent_risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    dash_score = models.PositiveSmallIntegerField(null=True, blank=True)
    professional_judgement_high = models.BooleanField(null=True)
    police_callouts_12m = models.PositiveSmallIntegerField(null=True, blank=True)
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    abuse_types = models.JSONField(default=list, blank=True)
    complex_needs = models.JSONField(default=list, blank=True)
    accommodation_needed = models.BooleanField(default=False)
    perpetrator = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=32, choices=RelationshipType.choices, blank=True)
    consent = models.CharField(max_length=16, choices=Consent.choices, default=Consent.NOT_ASKED)
    person_aware = models.BooleanField(_("the person knows about this referral"), null=True)
    reason = models.TextField(blank=True)
    # The submitted form as received (validated), so nothing the sender wrote is lost.
    submitted = models.JSONField(default=dict, blank=True)

    # What the rules made of it (risk/rules.py), kept as evaluated at the time.
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, db_index=True)
    police_incidents = models.PositiveSmallIntegerField(default=0)
    marac_criteria = models.JSONField(default=list, blank=True)
    is_marac_case = models.BooleanField(default=False, db_index=True)
    is_repeat = models.BooleanField(default=False)

    # Current triage state; the history is in ReferralStatusChange.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    assigned_to = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~models.Q(source_ref=""), name="referral_source_ref_unique"
            ),
            models.CheckConstraint(condition=models.Q(dash_score__lte=24), name="referral_dash_score_range"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="referral_status_valid"),
            models.CheckConstraint(condition=models.Q(risk_level__in=RiskLevel.values), name="referral_risk_valid"),
        ]
        indexes = [
            models.Index(fields=["hub", "status", "received_at"]),
            # The triage queue reads only open referrals: keep its index small as history grows.
            models.Index(
                fields=["hub", "received_at"],
                condition=models.Q(status__in=["received", "in_triage"]),
                name="referral_open_queue_idx",
            ),
            models.Index(fields=["person", "received_at"]),
            # Reporting: an area's referrals in a period, whether the area holds a few or most of them.
            models.Index(fields=["area", "received_at"], name="referral_area_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralStatusChange(models.Model):
    """An immutable row per status change: who, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason_code = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class ContactAttempt(models.Model):
    class Outcome(models.TextChoices):
        MADE = "made", _("Spoke to the person")
        NO_ANSWER = "no_answer", _("No answer")
        MESSAGE_LEFT = "message_left", _("Safe message left")
        NOT_SAFE = "not_safe", _("Not safe to talk")
        WRONG_NUMBER = "wrong_number", _("Wrong or unknown number")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Pathway(models.Model):
    """A kind of support a referral can be routed to (configuration)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    providers = models.ManyToManyField("accounts.Organisation", blank=True, related_name="pathways")
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """When a referral meets the condition, the pathway is proposed (configuration)."""

    class Condition(models.TextChoices):
        RISK_HIGH = "risk_high", _("Risk level is high")
        RISK_MEDIUM = "risk_medium", _("Risk level is medium")
        RISK_STANDARD = "risk_standard", _("Risk level is standard")
        MARAC = "marac", _("Meets a MARAC criterion")
        CHILDREN = "children", _("Children in the household")
        ACCOMMODATION = "accommodation", _("Needs safe accommodation")
        COMPLEX_NEEDS = "complex_needs", _("Has complex needs")

    condition = models.CharField(max_length=32, choices=Condition.choices)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="rules")
    prompt = models.CharField(max_length=255, blank=True, help_text=_("A reminder shown when the rule applies."))
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.get_condition_display()} → {self.pathway}"


class WorkItem(models.Model):
    """A routed referral waiting for a provider on a pathway (the case itself comes later)."""

    SENSITIVE = True

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for the provider")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="work_items")
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="work_items")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OFFERED)
    proposed_by_rule = models.BooleanField(default=True)
    override_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A referral_decline_reasons code (e.g. no_capacity), needed for the statutory return.
    decline_reason = models.CharField(max_length=64, blank=True)
    # The declined item this one offers again, to another provider or on another pathway
    # (triage.work_item_reoffer; the reason is in override_reason). The declined row is kept as
    # it was, so its decision still counts in the returns; one re-offer per declined item.
    reoffer_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reoffer")

    class Meta:
        constraints = [
            # One live offer per pathway; declined items stay beside the offer that replaced them.
            models.UniqueConstraint(
                fields=["referral", "pathway"], condition=~models.Q(status="declined"), name="work_item_unique_live"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""), name="work_item_decline_has_reason"
            ),
        ]
        indexes = [
            # Declined items: the hub's list of items to offer again (and the no-capacity count) read only these.
            models.Index(fields=["decided_at"], condition=models.Q(status="declined"), name="work_item_declined_idx"),
        ]


class TriageSla(models.Model):
    """How many working days the hub has to triage a referral at each risk level (configuration)."""

    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, unique=True)
    working_days = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.get_risk_level_display()}: {self.working_days} working days"


class ImportRun(models.Model):
    """One bulk import: counts and the rejected rows (kept for the importer to download)."""

    SENSITIVE = True

    started_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hub = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejects = models.JSONField(default=list, blank=True)  # [{"line": n, "reason": "...", "row": {...}}]
    unknown_columns = models.JSONField(default=list, blank=True)
