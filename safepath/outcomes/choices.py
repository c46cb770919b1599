"""Fixed lists for outcomes: the moments a measure is taken at, health action statuses and
which status may follow which. Lists a council may change (skip reasons, health actions) are
vocabularies (core.VocabularyTerm), named here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SKIP_REASONS = "outcome_skip_reasons"
HEALTH_ACTIONS = "health_actions"


class Moment(models.TextChoices):
    INTAKE = "intake", _("Intake")
    REVIEW = "review", _("Review")
    EXIT = "exit", _("Exit")


class HealthStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DECLINED = "declined", _("Declined by the person")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


OPEN_HEALTH_STATUSES = (HealthStatus.PLANNED, HealthStatus.IN_PROGRESS)

# Which status may follow which (STYLE.md point 5). Achieved is final; a person who declined
# may change their mind, and an action not achieved may be tried again.
HEALTH_TRANSITIONS: dict[str, frozenset[str]] = {
    HealthStatus.PLANNED: frozenset(
        {HealthStatus.IN_PROGRESS, HealthStatus.ACHIEVED, HealthStatus.DECLINED, HealthStatus.NOT_ACHIEVED}
    ),
    HealthStatus.IN_PROGRESS: frozenset({HealthStatus.ACHIEVED, HealthStatus.DECLINED, HealthStatus.NOT_ACHIEVED}),
    HealthStatus.ACHIEVED: frozenset(),
    HealthStatus.DECLINED: frozenset({HealthStatus.PLANNED, HealthStatus.IN_PROGRESS}),
    HealthStatus.NOT_ACHIEVED: frozenset({HealthStatus.PLANNED, HealthStatus.IN_PROGRESS}),
}
