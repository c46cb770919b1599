"""Outcomes: configurable frameworks of short questions on a scale (configuration), the
answers given on a case at intake, review and exit, and health advocacy actions.

Frameworks, measures and scales are configuration: measures and frameworks are retired
(is_active False), never deleted or reworded in place, so old answers keep their meaning.
Answers and health actions are about a person: SENSITIVE, reached only through the case.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.outcomes.choices import OPEN_HEALTH_STATUSES, HealthStatus, Moment
from safepath.referrals.choices import AbuseType


class Scale(models.Model):
    """The answers a question offers, e.g. 1 "Not at all safe" … 5 "Completely safe"."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScalePoint(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="points")
    value = models.SmallIntegerField()
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_point_value_unique"),
            models.UniqueConstraint(fields=["scale", "label"], name="scale_point_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class OutcomeFramework(models.Model):
    """A set of questions a pathway asks (e.g. the Medway outcomes)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    pathways = models.ManyToManyField("referrals.Pathway", blank=True, related_name="outcome_frameworks")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One question of a framework, on a scale, taken at some of intake, review and exit."""

    framework = models.ForeignKey(OutcomeFramework, on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField(max_length=40)
    question = models.CharField(_("question"), max_length=255)
    hint = models.CharField(_("hint"), max_length=255, blank=True)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="measures")
    at_intake = models.BooleanField(_("asked at intake"), default=True)
    at_review = models.BooleanField(_("asked at reviews"), default=False)
    at_exit = models.BooleanField(_("asked at exit"), default=True)
    higher_is_better = models.BooleanField(_("a higher answer is better"), default=True)
    # Asked only when the case's referral recorded this kind of abuse ("" = always asked).
    abuse_type = models.CharField(_("kind of abuse"), max_length=32, choices=AbuseType.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="measure_code_unique"),
            models.CheckConstraint(
                condition=models.Q(at_intake=True) | models.Q(at_review=True) | models.Q(at_exit=True),
                name="measure_taken_at_a_moment",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def moments(self) -> tuple[str, ...]:
        taken = ((Moment.INTAKE, self.at_intake), (Moment.REVIEW, self.at_review), (Moment.EXIT, self.at_exit))
        return tuple(str(moment) for moment, flag in taken if flag)


class Recording(models.Model):
    """One answer (or a skip, with its reason) to one question on a case at one moment."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("value", "skip_reason", "ask_again_reason")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="outcome_recordings")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="recordings")
    moment = models.CharField(max_length=8, choices=Moment.choices)
    value = models.SmallIntegerField(null=True, blank=True)  # a point of the measure's scale
    skip_reason = models.CharField(max_length=64, blank=True)  # VocabularyTerm outcome_skip_reasons
    # Why a question was asked again before it was due (the worker's words).
    ask_again_reason = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    # The submitted form's one-time token: the same form sent twice records nothing twice.
    token = models.CharField(max_length=32)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(moment__in=Moment.values), name="recording_moment_valid"),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=False) & models.Q(skip_reason=""))
                | (models.Q(value__isnull=True) & ~models.Q(skip_reason="")),
                name="recording_answered_or_skipped",
            ),
            models.UniqueConstraint(fields=["case", "measure", "token"], name="recording_once_per_form"),
        ]
        indexes = [models.Index(fields=["case", "measure", "recorded_at"], name="recording_case_idx")]


class HealthAction(models.Model):
    """A health advocacy action on a case (e.g. GP registration). Its current status is kept
    here for lists; every status it has had is a HealthStatusChange row."""

    SENSITIVE = True

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="health_actions")
    action = models.CharField(max_length=64)  # VocabularyTerm health_actions
    status = models.CharField(max_length=16, choices=HealthStatus.choices)
    status_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=HealthStatus.values), name="health_status_valid"),
            models.UniqueConstraint(fields=["case", "token"], name="health_action_once_per_form"),
            models.UniqueConstraint(
                fields=["case", "action"],
                condition=models.Q(status__in=[str(s) for s in OPEN_HEALTH_STATUSES]),
                name="health_one_open_action",
            ),
        ]


class HealthStatusChange(models.Model):
    """An immutable row per status an action has had: what, on which date, who recorded it."""

    SENSITIVE = True

    action = models.ForeignKey(HealthAction, on_delete=models.PROTECT, related_name="changes")
    from_status = models.CharField(max_length=16, choices=HealthStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=HealthStatus.choices)
    on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "token"], name="health_change_once_per_form"),
        ]
