"""Fixed vocabularies for programmes, volunteers and perpetrator interventions. Councils' own
lists (perpetrator outcomes) are VocabularyTerm rows, loaded by migration and changed in the app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PERPETRATOR_OUTCOMES = "perpetrator_outcomes"
PERPETRATOR_PATHWAY = "perpetrator"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Enrolments that take a place in the group (capacity) and appear on the attendance register.
PLACE_TAKING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class SessionMode(models.TextChoices):
    """How a volunteer's session happened. Phone sessions need the phone marked safe."""

    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other (for example, going with them to an appointment)")


# The safe-contact channel each mode uses (people.choices.Channel); None: arranged in person.
SESSION_MODE_CHANNEL: dict[str, str | None] = {
    SessionMode.FACE_TO_FACE: None,
    SessionMode.PHONE: "phone",
    SessionMode.OTHER: None,
}


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")
    DECLINED = "declined", _("Declined")


# Allowed moves of a spot-purchased order. Completed, ended early and declined are final.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.REQUESTED: frozenset({OrderStatus.ACCEPTED, OrderStatus.DECLINED}),
    OrderStatus.ACCEPTED: frozenset({OrderStatus.IN_PROGRESS, OrderStatus.ENDED_EARLY}),
    OrderStatus.IN_PROGRESS: frozenset({OrderStatus.COMPLETED, OrderStatus.ENDED_EARLY}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.ENDED_EARLY: frozenset(),
    OrderStatus.DECLINED: frozenset(),
}

# Orders that commit money: accepted and after (requested and declined orders cost nothing).
SPENDING_STATUSES = (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED, OrderStatus.ENDED_EARLY)
# Statuses that need an outcome, a start date and an end date.
FINISHED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.ENDED_EARLY)
STARTED_STATUSES = (OrderStatus.IN_PROGRESS, *FINISHED_STATUSES)
