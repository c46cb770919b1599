"""Fixed vocabularies for safe accommodation. Councils' own lists (why a referral was declined,
why support ended, where people moved on to) are VocabularyTerm rows, loaded by migration and
changed in the app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DECLINE_REASONS = "accommodation_decline_reasons"
END_REASONS = "accommodation_end_reasons"
DESTINATIONS = "accommodation_destinations"
NO_CAPACITY = "no_capacity"  # the decline reason the return lists first (DOMAIN.md: the largest reason)


class ServiceType(models.TextChoices):
    """The six kinds of safe accommodation in SI 2021/991 (bed and breakfast does not count)."""

    REFUGE = "refuge", _("Refuge")
    SPECIALIST = "specialist", _("Specialist safe accommodation")
    DISPERSED = "dispersed", _("Dispersed accommodation")
    SECOND_STAGE = "second_stage", _("Second-stage accommodation")
    OTHER_EMERGENCY = "other_emergency", _("Other designated domestic abuse emergency accommodation")
    SANCTUARY = "sanctuary", _("Sanctuary scheme")


class Specialism(models.TextChoices):
    BY_AND_FOR = "by_and_for", _("By and for (run by and for the community it serves)")
    LGBT = "lgbt", _("LGBT+")
    COMPLEX_NEEDS = "complex_needs", _("Complex needs (mental health, substance use)")


class BedspaceState(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    RESERVED = "reserved", _("Reserved")
    OCCUPIED = "occupied", _("Occupied")
    OUT_OF_USE = "out_of_use", _("Out of use")


# States staff set by hand; "occupied" comes only from a move-in, "vacant" again from a move-on.
STAFF_STATES = (BedspaceState.VACANT, BedspaceState.RESERVED, BedspaceState.OUT_OF_USE)


class PlacementKind(models.TextChoices):
    BEDSPACE = "bedspace", _("A place in accommodation")
    SANCTUARY = "sanctuary", _("Sanctuary scheme (security at the person's own home)")


class PlacementStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_SUPPORT = "in_support", _("Moved in or measures fitted")
    ENDED = "ended", _("Moved on or support ended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PLACEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PlacementStatus.REFERRED: frozenset(
        {PlacementStatus.ACCEPTED, PlacementStatus.DECLINED, PlacementStatus.WITHDRAWN}
    ),
    PlacementStatus.ACCEPTED: frozenset({PlacementStatus.IN_SUPPORT, PlacementStatus.WITHDRAWN}),
    PlacementStatus.IN_SUPPORT: frozenset({PlacementStatus.ENDED}),
    PlacementStatus.DECLINED: frozenset(),
    PlacementStatus.ENDED: frozenset(),
    PlacementStatus.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = (PlacementStatus.REFERRED, PlacementStatus.ACCEPTED, PlacementStatus.IN_SUPPORT)
SUPPORTED_STATUSES = (PlacementStatus.IN_SUPPORT, PlacementStatus.ENDED)


class OutOfAreaReason(models.TextChoices):
    NO_LOCAL_SPACE = "no_local_space", _("No suitable space free locally")
    SAFETY = "safety", _("Safety: the person needs to be away from the area")
    HOUSEHOLD_CHOICE = "household_choice", _("The household asked to move to this area")
    SPECIALIST = "specialist", _("A specialist service not available locally")
