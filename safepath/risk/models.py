"""Risk instruments (versioned configuration), per-area thresholds and every assessment made."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.risk.rules import Thresholds


class Instrument(models.Model):
    """A versioned checklist, e.g. the adult Dash or a young people's version."""

    code = models.SlugField(max_length=40)
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    effective_from = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Indicator(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    text = models.CharField(max_length=255)
    hint = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="indicator_number_unique"),
            models.UniqueConstraint(fields=["instrument", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class ThresholdSet(models.Model):
    """Risk bands and MARAC criteria for an area (or the default when area is empty), from a date."""

    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    high_score = models.PositiveSmallIntegerField(default=14)
    medium_score = models.PositiveSmallIntegerField(default=10)
    escalation_incidents = models.PositiveSmallIntegerField(default=3)
    escalation_window_months = models.PositiveSmallIntegerField(default=12)
    repeat_window_months = models.PositiveSmallIntegerField(default=12)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["area", "effective_from"], name="threshold_set_unique"),
            models.CheckConstraint(
                condition=models.Q(medium_score__gt=0, medium_score__lte=models.F("high_score")),
                name="threshold_bands_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(escalation_incidents__gte=1, escalation_window_months__gte=1, repeat_window_months__gte=1),
                name="threshold_windows_positive",
            ),
        ]

    def as_rules(self) -> Thresholds:
        return Thresholds(
            high_score=self.high_score,
            medium_score=self.medium_score,
            escalation_incidents=self.escalation_incidents,
            escalation_window_months=self.escalation_window_months,
            repeat_window_months=self.repeat_window_months,
        )


class RiskAssessment(models.Model):
    """One completed checklist. Every assessment is kept: the person's risk history."""

    SENSITIVE = True

    class Level(models.TextChoices):
        STANDARD = "standard", _("Standard")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="risk_assessments")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    thresholds = models.ForeignKey(ThresholdSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)  # {indicator code: yes|no|not_known|declined}
    score = models.PositiveSmallIntegerField()
    judgement = models.CharField(max_length=16, choices=Level.choices, blank=True)
    judgement_reason = models.TextField(blank=True)
    police_incidents = models.PositiveSmallIntegerField(default=0)
    narrative = models.TextField(blank=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    criteria = models.JSONField(default=list)
    is_repeat = models.BooleanField(default=False)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=50), name="assessment_score_range"),
            models.CheckConstraint(
                condition=models.Q(judgement="") | ~models.Q(judgement_reason=""), name="assessment_judgement_has_reason"
            ),
        ]
