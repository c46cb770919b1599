"""Case vocabularies fixed by the workflow. Councils' own lists (closure reasons, contact
types, health actions) are VocabularyTerm rows, loaded by migration and changed in the app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ALLOCATED = "allocated", _("Allocated")
    ACTIVE = "active", _("Active")
    STEPPING_DOWN = "stepping_down", _("Stepping down")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.WAITING, CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.STEPPING_DOWN)

# Allowed moves. Reopening is closed → allocated (the key worker is kept when there is one)
# or closed → waiting; the history row records it as a reopening.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.WAITING: frozenset({CaseStatus.ALLOCATED, CaseStatus.CLOSED}),
    CaseStatus.ALLOCATED: frozenset({CaseStatus.ACTIVE, CaseStatus.WAITING, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.STEPPING_DOWN, CaseStatus.CLOSED}),
    CaseStatus.STEPPING_DOWN: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.WAITING, CaseStatus.ALLOCATED}),
}


class ContactMode(models.TextChoices):
    """How a contact happened. Each maps to the safe-contact channel it uses (None: in person)."""

    PHONE = "phone", _("Phone")
    FACE_TO_FACE = "face_to_face", _("Face to face")
    VIDEO = "video", _("Video call")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    VOICEMAIL = "voicemail", _("Voicemail")


# The person's safe-contact channel (people.choices.Channel) each mode needs. Face to face and
# video are arranged through a channel already checked, so they need none of their own.
MODE_CHANNEL: dict[str, str | None] = {
    ContactMode.PHONE: "phone",
    ContactMode.VOICEMAIL: "voicemail",
    ContactMode.TEXT: "text",
    ContactMode.LETTER: "letter",
    ContactMode.EMAIL: "email",
    ContactMode.FACE_TO_FACE: None,
    ContactMode.VIDEO: None,
}


class EngagementRule(models.TextChoices):
    """What counts as the first successful contact that makes a case engaged (per pathway)."""

    ANY_CONTACT_MADE = "any_contact_made", _("Any contact made with the person")
    TWO_WAY_CONTACT = "two_way_contact", _("A conversation (phone, video or face to face)")
    FACE_TO_FACE = "face_to_face", _("A face-to-face meeting")


class ReReferralPriority(models.TextChoices):
    SKIP_WAITING_LIST = "skip", _("Skips the waiting list (allocated straight back)")
    TOP_OF_LIST = "top", _("Goes to the top of the waiting list")


class HandoverStatus(models.TextChoices):
    OFFERED = "offered", _("Waiting for the receiving team")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandoverDirection(models.TextChoices):
    STEP_UP = "step_up", _("Step up")
    STEP_DOWN = "step_down", _("Step down")
    SIDEWAYS = "sideways", _("Transfer")
