"""MARAC: referrals to the meeting, meetings with their attending agencies, agendas, the research
each agency shares, actions, minutes, per-MARAC settings and national reference figures.

A MARAC is an organisation (of type MARAC, or a referring agency that runs one); its area is the
areas that organisation covers (`Organisation.areas`) and their sub-areas.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.marac.choices import FigureUnit, ReferralSource, ReferralStatus


class MaracSettings(models.Model):
    """One MARAC's configuration. A MARAC without a row uses the defaults below."""

    marac = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="marac_settings")
    max_cases_per_meeting = models.PositiveSmallIntegerField(_("most cases on one agenda"), default=25)
    access_hours_after_meeting = models.PositiveSmallIntegerField(
        _("hours representatives keep access after the meeting"), default=72
    )
    repeat_window_months = models.PositiveSmallIntegerField(_("repeat window in months"), default=12)
    idva_service = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("IDVA service (records the victim's voice)"),
    )

    class Meta:
        verbose_name_plural = "MARAC settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_cases_per_meeting__gte=1), name="marac_settings_max_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(repeat_window_months__gte=1), name="marac_settings_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"MARAC settings {self.marac_id}"

    @property
    def access_after(self) -> timedelta:
        return timedelta(hours=self.access_hours_after_meeting)


class MaracReferral(models.Model):
    """A case referred to a MARAC: from a referral meeting the criteria, or by a partner agency.

    Every MARAC referral rests on a Referral (a partner's referral is received like any other), so
    the dataset and the commissioner's report count the same cases. The person and the date
    received are the referral's (never copied: triage may still link the referral to a known person)."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("reason",)

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="marac_referral")
    marac = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="marac_referrals"
    )
    source = models.CharField(max_length=16, choices=ReferralSource.choices)
    referring_agency = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    criteria = models.JSONField(default=list, blank=True)
    is_repeat = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=ReferralSource.values), name="marac_referral_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="marac_referral_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["marac", "status"]),
        ]

    def __str__(self) -> str:
        return f"MARAC referral {self.pk}"


class Meeting(models.Model):
    """One MARAC meeting. Representatives of attending agencies see its cases from the agenda's
    release until the configured time after the meeting (docs/adr/0010-marac-access-window.md)."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("minutes",)

    marac = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="marac_meetings")
    held_at = models.DateTimeField(_("date and time"), db_index=True)
    chair = models.CharField(_("chair"), max_length=200)
    agencies = models.ManyToManyField(
        "accounts.Organisation", through="MeetingAgency", related_name="marac_meetings_attended"
    )
    agenda_released_at = models.DateTimeField(null=True, blank=True)
    # Fixed when the agenda is released, from the MARAC's settings then in force.
    access_until = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["marac", "held_at"])]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class MeetingAgency(models.Model):
    """An agency attending a meeting (its MARAC representatives get the meeting's cases)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    representative = models.CharField(_("representative"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="meeting_agency_unique")]


class AgendaItem(models.Model):
    """A case on a meeting's agenda, with the victim's voice as the IDVA service summarised it."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("idva_summary",)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    marac_referral = models.ForeignKey(MaracReferral, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    idva_summary = models.TextField(_("the victim's voice (IDVA summary)"), blank=True)
    idva_summary_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "marac_referral"], name="agenda_item_unique"),
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"


class Research(models.Model):
    """What one attending agency holds about a case on the agenda, shared before the meeting."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("text",)

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="research")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what your agency holds"))
    no_information = models.BooleanField(_("nothing known to this agency"), default=False)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["item", "organisation"], name="research_one_per_agency")]


class Action(models.Model):
    """An action agreed for a case at a meeting, owned by one agency."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("description",)

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="marac_actions")
    description = models.TextField(_("action"))
    due_on = models.DateField(_("due date"), db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"], condition=models.Q(completed_at__isnull=True), name="marac_action_open_idx"
            )
        ]


class NationalFigure(models.Model):
    """A national benchmark shown beside a MARAC's own figures (configuration, DOMAIN.md)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=16, choices=FigureUnit.choices)
    period = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label
