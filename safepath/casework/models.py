"""Casework: the records a provider keeps while it works with a person on a case — contacts,
notes, safety plans, tasks, consent to share and the record of what was shared.

Every row belongs to one case, so it is reached only through the case's scope
(cases.selectors.cases_for). Safety plans and sharing decisions are history: a revised plan is
a new version row, never an edit of the old one.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safepath.cases.choices import ContactMode
from safepath.casework.sharing import FULL_CASE  # noqa: F401 - the scope that covers every other

CONTACT_TYPES = "contact_types"  # VocabularyTerm vocabulary
SHARING_SCOPES = "sharing_scopes"  # VocabularyTerm vocabulary


class WithWhom(models.TextChoices):
    PERSON = "person", _("The person")
    AGENCY = "agency", _("Another agency, about the person")


class Contact(models.Model):
    """One contact made or attempted on a case: type, mode, when, how long, with whom, by whom."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("agency_name", "note")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="contacts")
    contact_type = models.CharField(_("type of contact"), max_length=64)  # VocabularyTerm contact_types
    mode = models.CharField(_("how"), max_length=16, choices=ContactMode.choices)
    made = models.BooleanField(_("contact made"), help_text=_("False: attempted, not made."))
    at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), null=True, blank=True)
    with_whom = models.CharField(_("with whom"), max_length=16, choices=WithWhom.choices, default=WithWhom.PERSON)
    agency_name = models.CharField(_("agency"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ContactMode.values), name="contact_mode_valid"),
            models.CheckConstraint(
                condition=(Q(with_whom=WithWhom.PERSON) & Q(agency_name=""))
                | (Q(with_whom=WithWhom.AGENCY) & ~Q(agency_name="")),
                name="contact_agency_named",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60), name="contact_duration"
            ),
        ]
        indexes = [models.Index(fields=["case", "-at", "-id"], name="contact_case_at_idx")]


class CaseNote(models.Model):
    """A note on a case. Only the case's provider reads it, unless it is marked shared: then the
    consortium partners working with the same person may read it while the person's consent to
    share the full case with the consortium is in force."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("text",)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"))
    shared = models.BooleanField(_("shared with the consortium"), default=False)
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["case", "-at", "-id"], name="note_case_at_idx"),
            models.Index(fields=["shared", "case"], name="note_shared_idx"),
        ]


class SafetyPlan(models.Model):
    """One version of a case's safety plan. Revising adds a version; the old ones are kept as
    they were. Exactly one version per case is current."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("summary",)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="safety_plans")
    number = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(default=True)
    summary = models.TextField(_("the plan"), blank=True)
    review_on = models.DateField(_("review date"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="safety_plan_version_unique"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_current=True), name="safety_plan_one_current"),
            models.CheckConstraint(condition=Q(number__gte=1), name="safety_plan_number_positive"),
        ]


class SafetyPlanAction(models.Model):
    """An action in one version of a safety plan (copied forward when the plan is revised)."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("text", "who")

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("action"), max_length=500)
    who = models.CharField(_("who does it"), max_length=120)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="safety_plan_action_position")]


class Task(models.Model):
    """Something to do on a case, by a date, by someone at the provider."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("title",)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due date"))
    assigned_to = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="casework_tasks")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True) | Q(done_at__isnull=False),
                name="task_done_consistent",
            )
        ]
        indexes = [
            models.Index(fields=["case", "done_at", "due_on"], name="task_case_open_idx"),
            models.Index(fields=["assigned_to", "done_at", "due_on"], name="task_assignee_idx"),
        ]


class Consent(models.Model):
    """The person's consent to share information from the case with one recipient: an
    organisation in safepath, a named agency outside it, or every partner in the consortium."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("agency_name",)

    class Recipient(models.TextChoices):
        ORGANISATION = "organisation", _("An organisation that uses safepath")
        AGENCY = "agency", _("Another agency")
        CONSORTIUM = "consortium", _("Every partner service in the consortium")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    recipient = models.CharField(max_length=16, choices=Recipient.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_name = models.CharField(_("agency"), max_length=200, blank=True)
    scopes = models.ManyToManyField(
        "core.VocabularyTerm", related_name="+", limit_choices_to={"vocabulary": SHARING_SCOPES}
    )
    given_on = models.DateField(_("date consent was given"))
    withdrawn_on = models.DateField(_("date consent was withdrawn"), null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    withdrawal_recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient="organisation") & Q(organisation__isnull=False) & Q(agency_name=""))
                | (Q(recipient="agency") & Q(organisation__isnull=True) & ~Q(agency_name=""))
                | (Q(recipient="consortium") & Q(organisation__isnull=True) & Q(agency_name="")),
                name="consent_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["case", "withdrawn_on"], name="consent_case_idx")]


class SharingRecord(models.Model):
    """Information shared from a case (or a request to share it): what, with whom, when, and
    the lawful basis. Without consent, a safeguarding reason is recorded; outside the
    consortium a team manager must approve before anything is shared."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("agency_name", "what", "safeguarding_reason", "refusal_reason")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("The person's consent")
        SAFEGUARDING = "safeguarding", _("Without consent, to keep someone safe (safeguarding)")

    class Status(models.TextChoices):
        SHARED = "shared", _("Shared")
        PENDING = "pending", _("Waiting for a team manager's approval")
        APPROVED = "approved", _("Approved by a team manager")
        REFUSED = "refused", _("Refused by a team manager")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sharing_records")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_name = models.CharField(_("agency"), max_length=200, blank=True)
    scope = models.CharField(_("what kind of information"), max_length=64)  # VocabularyTerm sharing_scopes
    what = models.TextField(_("what was shared"))
    basis = models.CharField(max_length=16, choices=Basis.choices)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    safeguarding_reason = models.TextField(_("safeguarding reason"), blank=True)
    within_consortium = models.BooleanField()
    status = models.CharField(max_length=16, choices=Status.choices)
    shared_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refusal_reason = models.TextField(_("why the request was refused"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(agency_name=""))
                | (Q(organisation__isnull=True) & ~Q(agency_name="")),
                name="sharing_one_recipient",
            ),
            models.CheckConstraint(
                condition=(Q(basis="consent") & Q(consent__isnull=False))
                | (Q(basis="safeguarding") & Q(consent__isnull=True) & ~Q(safeguarding_reason="")),
                name="sharing_basis_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["pending", "approved", "refused"])
                | (Q(basis="safeguarding") & Q(within_consortium=False)),
                name="sharing_approval_only_outside",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_by__isnull=False),
                name="sharing_decision_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="sharing_refusal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-requested_at"], name="sharing_case_idx"),
            models.Index(fields=["status", "requested_at"], name="sharing_status_idx"),
        ]
