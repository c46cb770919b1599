"""MARAC vocabularies fixed by the workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralSource(models.TextChoices):
    CRITERIA = "criteria", _("Met the MARAC criteria at the single point of access")
    PARTNER = "partner", _("Referred by a partner agency")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a meeting")
    LISTED = "listed", _("On an agenda")
    HEARD = "heard", _("Heard at a meeting")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FigureUnit(models.TextChoices):
    COUNT = "count", _("Number")
    PERCENT = "percent", _("Per cent")
    RATE = "per_10000", _("Per 10,000 adult women")
