"""Reporting configuration: reference rates that reach is measured against.

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
