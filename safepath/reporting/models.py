"""Reporting configuration (reference rates that reach is measured against) and the quarterly
papers commissioners subscribe to (PaperSubscription, QuarterlyPaper; built by reporting.papers).

Rates are data, not code (STYLE.md point 7): administrators change them when a new Crime Survey
year is published; the defaults (DOMAIN.md) are loaded by a data migration.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceRate(models.Model):
    """The share of a population group expected to experience domestic abuse in a year."""

    class SexGroup(models.TextChoices):
        ALL = "all", _("Everyone")
        FEMALE = "female", _("Women")
        MALE = "male", _("Men")

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(_("group"), max_length=120)
    sex = models.CharField(_("sex"), max_length=8, choices=SexGroup.choices, default=SexGroup.ALL)
    age_from = models.PositiveSmallIntegerField(_("from age"), default=16)
    age_to = models.PositiveSmallIntegerField(_("to age (blank: no upper limit)"), null=True, blank=True)
    percent = models.DecimalField(_("per cent experiencing domestic abuse in a year"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="reference_rate_percent"),
            models.CheckConstraint(
                condition=models.Q(age_to__isnull=True) | models.Q(age_to__gte=models.F("age_from")),
                name="reference_rate_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class PaperSubscription(models.Model):
    """A commissioner's standing order for the quarterly committee paper.

    `membership` is the role and organisation the user subscribed in: the task worker has no
    session, so it acts in that membership, and checks again when each paper is built that it
    still may report on the area (reporting.selectors). No area means all the areas it serves.
    """

    class Format(models.TextChoices):
        DOCX = "docx", _("Word document (committee paper)")
        HTML = "html", _("Web page (printable)")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="paper_subscriptions")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.DOCX)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "area__name", "format", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(format__in=["docx", "html"]), name="paper_subscription_format"),
            # One subscription per user, area (or all areas) and format: a second request reuses it.
            models.UniqueConstraint(
                fields=["user", "area", "format"],
                condition=models.Q(area__isnull=False),
                name="paper_subscription_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "format"], condition=models.Q(area__isnull=True), name="paper_subscription_unique_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()}: {self.area or _('all your areas')}"


class QuarterlyPaper(models.Model):
    """One quarter's paper for one subscription, built once by the task worker.

    The file is kept in the database (a paper is tens of kilobytes of aggregate, suppressed
    figures) so it is served only through the access-checked, audited download view, never as
    a public file. A failed build keeps its reason in `error` (no file) and is tried again.
    """

    subscription = models.ForeignKey(PaperSubscription, on_delete=models.CASCADE, related_name="papers")
    period_first = models.DateField(_("from"))
    period_last = models.DateField(_("to"))
    content = models.BinaryField(default=b"", editable=False)
    error = models.CharField(_("why it could not be produced"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_first", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_first"], name="quarterly_paper_once"),
            models.CheckConstraint(condition=models.Q(period_last__gte=models.F("period_first")), name="paper_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period_first} to {self.period_last}"

    @property
    def ready(self) -> bool:
        return not self.error and bool(self.content)
