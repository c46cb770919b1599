"""Group programmes (cohorts, sessions, enrolments and attendance), volunteers' sessions with
the people assigned to them, and interventions for people causing harm, bought order by order.

Records made from a form carry the form's one-time token (`form_token`, unique): a form
submitted twice finds the record the first submission made instead of making another.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.programmes.choices import EnrolmentStatus, OrderStatus, SessionMode


def _token() -> models.CharField:
    return models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)


class Programme(models.Model):
    """A group programme a provider runs (e.g. the Freedom Programme): configuration, no personal data."""

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    pathway = models.ForeignKey(
        "referrals.Pathway", null=True, blank=True, on_delete=models.PROTECT, related_name="programmes"
    )
    sessions_planned = models.PositiveSmallIntegerField(_("number of sessions"))
    sessions_to_complete = models.PositiveSmallIntegerField(_("sessions a person must attend to complete"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    form_token = _token()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="programme_name_unique"),
            models.CheckConstraint(condition=models.Q(sessions_planned__gte=1), name="programme_has_sessions"),
            models.CheckConstraint(
                condition=models.Q(sessions_to_complete__gte=1, sessions_to_complete__lte=models.F("sessions_planned")),
                name="programme_completion_within_sessions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """One run of a programme: a group of people meeting at a venue on a series of dates."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("start date"))
    # A description people can be told (e.g. "community centre, west side"), never a refuge address.
    venue = models.CharField(_("venue"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    facilitators = models.ManyToManyField("accounts.User", blank=True, related_name="facilitated_cohorts")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    form_token = _token()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="cohort_has_places")]

    def __str__(self) -> str:
        return self.name


class ProgrammeSession(models.Model):
    """One meeting of a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="session_number_unique")]

    def __str__(self) -> str:
        return f"Session {self.number}"


class Enrolment(models.Model):
    """A person (through their case at the same provider) taking a place in a cohort."""

    SENSITIVE = True

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    enrolled_at = models.DateTimeField()
    enrolled_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "case"], name="enrolment_once_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(status__in=EnrolmentStatus.values), name="enrolment_status_valid"
            ),
        ]


class Attendance(models.Model):
    """Whether an enrolled person came to one session. One row per person and session."""

    SENSITIVE = True

    session = models.ForeignKey(ProgrammeSession, on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    attended = models.BooleanField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")]


class VolunteerSession(models.Model):
    """A volunteer's session with a person assigned to them. The note is for the key worker."""

    SENSITIVE = True

    assignment = models.ForeignKey("cases.VolunteerAssignment", on_delete=models.PROTECT, related_name="sessions")
    at = models.DateTimeField(_("when"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    mode = models.CharField(_("how"), max_length=16, choices=SessionMode.choices)
    note = models.TextField(_("note for the key worker"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    form_token = _token()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=720), name="volunteer_session_minutes"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=SessionMode.values), name="volunteer_session_mode_valid"
            ),
        ]
        indexes = [models.Index(fields=["assignment", "at"], name="volunteer_session_idx")]


class PerpetratorOrder(models.Model):
    """An intervention for one person causing harm, bought from a provider (spot purchase).

    It is linked to the victim's case so the victim's worker can keep them safe; the
    delivering provider's pages never show anything about the victim.
    """

    SENSITIVE = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="perpetrator_orders")
    victim_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="perpetrator_orders")
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="perpetrator_orders_delivered"
    )
    ordering_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="perpetrator_orders_placed"
    )
    ordered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    ordered_on = models.DateField(_("date ordered"))
    unit_description = models.CharField(_("what one unit is"), max_length=60)
    unit_cost = models.DecimalField(_("cost of one unit (£)"), max_digits=9, decimal_places=2)
    units = models.PositiveSmallIntegerField(_("number of units"))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=OrderStatus.choices, default=OrderStatus.REQUESTED)
    outcome = models.CharField(max_length=64, blank=True)  # VocabularyTerm perpetrator_outcomes
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    form_token = _token()

    class Meta:
        ordering = ["-ordered_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=OrderStatus.values), name="order_status_valid"),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="order_unit_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="order_has_units"),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="order_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["completed", "ended_early"]) | ~models.Q(outcome=""),
                name="order_finished_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="order_provider_status_idx"),
            models.Index(fields=["ordering_organisation", "status"], name="order_orderer_status_idx"),
            models.Index(fields=["ordered_on"], name="order_ordered_on_idx"),
        ]


class PerpetratorOrderChange(models.Model):
    """An immutable row per status change of an order: who, when, what outcome."""

    order = models.ForeignKey(PerpetratorOrder, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    outcome = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
