"""Fixed vocabularies for commissioning (the ones that change with law or accounting, not locally)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcurementRoute(models.TextChoices):
    TENDERED = "tendered", _("Tendered")
    QUOTED = "quoted", _("Quoted")
    FRAMEWORK = "framework", _("Call-off from a framework")
    DIRECT_AWARD = "direct_award", _("Direct award")
    GRANT = "grant", _("Grant agreement")


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead provider")
    SUBCONTRACTOR = "subcontractor", _("Sub-contracted partner")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


class ChangeKind(models.TextChoices):
    """What a decision is about; approval rules say which kinds they apply to."""

    EXTENSION = "extension", _("Extension")
    VARIATION = "variation", _("Variation")
    DECOMMISSION = "decommission", _("Decommissioning")


class FunderKind(models.TextChoices):
    COUNCIL_PUBLIC_HEALTH = "council_public_health", _("Council public health")
    COUNCIL_OTHER = "council_other", _("Council (other budget)")
    NHS_ICB = "nhs_icb", _("NHS integrated care board")
    PCC = "pcc", _("Police and crime commissioner")
    GOVERNMENT_GRANT = "government_grant", _("Government grant")
    OTHER = "other", _("Other")


class PreventionLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary: stopping abuse before it starts")
    SECONDARY = "secondary", _("Secondary: early help")
    TERTIARY = "tertiary", _("Tertiary: crisis and recovery")


class TargetKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


class AppraisalDecision(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    PREFERRED = "preferred", _("Preferred option")
    REJECTED = "rejected", _("Rejected")
