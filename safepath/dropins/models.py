"""One-stop-shop and drop-in visits (issue 7: Medway's commissioners count them).

A drop-in visit is a light record: many visitors have no case and give no name, so a visit holds
no name and no free text, only where and when it happened, whether the visitor was new or
returning, and what happened (a configurable vocabulary). It may be linked to one of the
provider's own cases when the visitor already has one.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

OUTCOMES = "dropin_outcomes"  # VocabularyTerm vocabulary: what happened at a visit


class Venue(models.Model):
    """A place where a provider runs a one-stop shop or drop-in. Its area is the area the visits
    there are reported under. Venues are retired (is_active False), never deleted, so old visits
    keep their place."""

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="dropin_venues")
    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    is_active = models.BooleanField(_("open for drop-ins"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="dropin_venue_name_unique")]

    def __str__(self) -> str:
        return self.name


class Visitor(models.TextChoices):
    NEW = "new", _("New: their first visit to us")
    RETURNING = "returning", _("Returning: they have visited before")


class Visit(models.Model):
    """One person's visit to a drop-in on a day. No name: `case` links it to one of the
    provider's cases when the visitor has one (and then it is about a person)."""

    SENSITIVE = True  # may point at a case: views reach visits through selectors.visits_for
    PERSONAL_FIELDS = ()

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="dropin_visits")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="visits")
    on = models.DateField(_("date of the visit"))
    visitor = models.CharField(_("new or returning"), max_length=16, choices=Visitor.choices)
    outcomes = models.JSONField(default=list, blank=True)  # VocabularyTerm codes (dropin_outcomes)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="dropin_visits"
    )
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # The one-time token of the form that recorded it: a second submission finds this row.
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(visitor__in=Visitor.values), name="dropin_visit_visitor_valid"),
        ]
        indexes = [
            models.Index(fields=["on", "venue"], name="dropin_visit_on_idx"),
            models.Index(fields=["provider", "on"], name="dropin_visit_provider_idx"),
        ]
