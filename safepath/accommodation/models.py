"""Safe accommodation (Domestic Abuse Act 2021, Part 4): services and their bedspaces, each
bedspace's vacancy state, and placements of households from a person's case.

A service's address is secret: only its sealed (encrypted) form is stored (`address_sealed`,
see crypto.py), and only the service's own staff are shown it (selectors.address_for).

Occupancy can never exceed bedspaces: a household in support occupies one bedspace, and the
database allows at most one household in support per bedspace (`one_household_per_bedspace`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safepath.accommodation.choices import (
    BedspaceState,
    OutOfAreaReason,
    PlacementKind,
    PlacementStatus,
    ServiceType,
)


def _token() -> models.CharField:
    return models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)


class Service(models.Model):
    """One safe-accommodation service a provider runs in an area. No personal data, but the
    address is secret: it is never listed, searched, exported or reported."""

    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="accommodation_services"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="accommodation_services")
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=32, choices=ServiceType.choices)
    # Fernet token of the address (crypto.seal). Never put the address anywhere else.
    address_sealed = models.TextField(blank=True, editable=False)
    languages = models.CharField(
        _("languages staff speak"), max_length=200, blank=True, help_text=_("Separated by commas.")
    )
    by_and_for = models.CharField(
        _("by and for"),
        max_length=120,
        blank=True,
        help_text=_("The community a by-and-for service is run by and for, for example Black and minoritised women."),
    )
    lgbt = models.BooleanField(_("specialist LGBT+ service"), default=False)
    complex_needs = models.BooleanField(_("supports complex needs"), default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="accommodation_service_name_unique"),
            models.CheckConstraint(condition=Q(type__in=ServiceType.values), name="accommodation_service_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sanctuary(self) -> bool:
        return self.type == ServiceType.SANCTUARY

    def language_list(self) -> list[str]:
        return [item.strip() for item in self.languages.split(",") if item.strip()]


class Bedspace(models.Model):
    """A space for one household (a room, flat or house), with what it can take, and its
    vacancy state, kept current by the service's staff."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bedspaces")
    label = models.CharField(_("name"), max_length=60, help_text=_("For example, Room 3. Never the address."))
    accessible = models.BooleanField(_("accessible to a wheelchair user"), default=False)
    accepts_men = models.BooleanField(_("takes men"), default=False)
    max_children = models.PositiveSmallIntegerField(_("most children it takes"), default=0)
    # None: boys of any age under 18 (when it takes children at all).
    max_boy_age = models.PositiveSmallIntegerField(_("oldest boy it takes"), null=True, blank=True)
    accepts_pets = models.BooleanField(_("takes pets"), default=False)
    state = models.CharField(max_length=16, choices=BedspaceState.choices, default=BedspaceState.VACANT)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service", "label"]
        constraints = [
            models.UniqueConstraint(fields=["service", "label"], name="bedspace_label_unique"),
            models.CheckConstraint(condition=Q(state__in=BedspaceState.values), name="bedspace_state_valid"),
            models.CheckConstraint(
                condition=Q(max_boy_age__isnull=True) | Q(max_boy_age__lte=17), name="bedspace_boy_age_valid"
            ),
            models.CheckConstraint(condition=Q(max_children__lte=12), name="bedspace_children_valid"),
        ]
        indexes = [models.Index(fields=["state", "service"], name="bedspace_state_idx")]

    def __str__(self) -> str:
        return self.label


class Placement(models.Model):
    """A household referred from a person's case to a service: accepted or declined (with a
    reason), moved in (or, for a sanctuary scheme, measures fitted at their own home), moved
    on (with the reason and destination). The referring side never sees the service's address."""

    SENSITIVE = True
    PERSONAL_FIELDS = ("children", "measures")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="placements")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(max_length=16, choices=PlacementKind.choices)
    status = models.CharField(max_length=16, choices=PlacementStatus.choices, default=PlacementStatus.REFERRED)
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="accommodation_referrals"
    )
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    # The household: adults (including the person), children as [{"age": 7, "sex": "girl"}, ...].
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.JSONField(default=list, blank=True)
    children_count = models.PositiveSmallIntegerField(default=0)
    pets = models.BooleanField(default=False)
    out_of_area = models.BooleanField(default=False)
    out_of_area_reason = models.CharField(max_length=32, choices=OutOfAreaReason.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=64, blank=True)  # VocabularyTerm accommodation_decline_reasons
    bedspace = models.ForeignKey(Bedspace, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    moved_in_on = models.DateField(null=True, blank=True)
    measures = models.TextField(blank=True)  # sanctuary: what was fitted
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=64, blank=True)  # VocabularyTerm accommodation_end_reasons
    destination = models.CharField(max_length=64, blank=True)  # VocabularyTerm accommodation_destinations
    updated_at = models.DateTimeField(auto_now=True)
    form_token = _token()

    class Meta:
        ordering = ["-referred_at", "-id"]
        constraints = [
            # At most one household in support per bedspace: occupancy never exceeds bedspaces.
            models.UniqueConstraint(
                fields=["bedspace"],
                condition=Q(status=PlacementStatus.IN_SUPPORT),
                name="one_household_per_bedspace",
            ),
            models.CheckConstraint(condition=Q(status__in=PlacementStatus.values), name="placement_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=PlacementKind.values), name="placement_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=PlacementKind.SANCTUARY) | Q(bedspace__isnull=True),
                name="sanctuary_has_no_bedspace",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PlacementKind.BEDSPACE, status=PlacementStatus.IN_SUPPORT)
                | Q(bedspace__isnull=False),
                name="placement_in_support_has_bedspace",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PlacementStatus.IN_SUPPORT, PlacementStatus.ENDED])
                | Q(moved_in_on__isnull=False),
                name="placement_supported_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlacementStatus.ENDED)
                | (Q(ended_on__isnull=False) & ~Q(end_reason="") & Q(ended_on__gte=models.F("moved_in_on"))),
                name="placement_ended_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlacementStatus.DECLINED) | ~Q(decline_reason=""),
                name="placement_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(out_of_area=False) | Q(out_of_area_reason__in=OutOfAreaReason.values),
                name="placement_out_of_area_has_reason",
            ),
            models.CheckConstraint(condition=Q(adults__gte=1, adults__lte=6), name="placement_adults_valid"),
        ]
        indexes = [
            models.Index(fields=["service", "status"], name="placement_service_status_idx"),
            models.Index(fields=["referring_organisation", "status"], name="placement_referrer_idx"),
        ]

    def __str__(self) -> str:
        return f"Placement {self.pk}"


class PlacementChange(models.Model):
    """An immutable row per status change: who, when, and the reason code (never free text)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=PlacementStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PlacementStatus.choices)
    reason = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class UnmetNeed(models.Model):
    """A household that could not be supported and why, recorded from the case when no referral
    could be made (for example no suitable space free anywhere). Declined referrals count as
    not supported by themselves; this records the households that never reached a service."""

    SENSITIVE = True
    PERSONAL_FIELDS = ()

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="unmet_accommodation")
    # Where support was sought (the return counts it for this area's council).
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=64)  # VocabularyTerm accommodation_decline_reasons
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    form_token = _token()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="unmet_need_has_reason")]
