"""Areas: the localities a service covers, configured by administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.areas.boundaries import validate_boundary


class RuralUrbanClass(models.TextChoices):
    """The ONS rural-urban classification, collapsed to the classes councils report on."""

    URBAN_CONURBATION = "urban_conurbation", _("Urban: major or minor conurbation")
    URBAN_CITY_TOWN = "urban_city_town", _("Urban: city and town")
    RURAL_TOWN_FRINGE = "rural_town_fringe", _("Rural: town and fringe")
    RURAL_VILLAGE_DISPERSED = "rural_village_dispersed", _("Rural: village and dispersed")


class AreaManager(models.Manager["Area"]):
    def get_queryset(self) -> models.QuerySet[Area]:
        # A boundary can be tens of kilobytes and only the coverage map reads it (by values()):
        # every other read of areas (form choices, scopes, coverage) leaves it in the database.
        return super().get_queryset().defer("boundary")


class Area(models.Model):
    """A locality. `parent` groups localities into a council or MARAC area."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("ONS code"), max_length=16, blank=True, help_text=_("For example E06000035."))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("part of")
    )
    rural_urban_class = models.CharField(_("rural or urban"), max_length=32, choices=RuralUrbanClass.choices)
    adult_women = models.PositiveIntegerField(_("women aged 16 and over"), default=0)
    adult_men = models.PositiveIntegerField(_("men aged 16 and over"), default=0)
    postcode_districts = models.CharField(
        _("postcode districts"),
        max_length=500,
        blank=True,
        help_text=_("Outward codes in this area, separated by spaces, for example ME1 ME2 ME4."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Drawn on the coverage map only (areas.boundaries); loaded with `safepath import_boundaries`.
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_("A GeoJSON Polygon or MultiPolygon, simplified, in any planar coordinates."),
    )

    objects = AreaManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rural_urban_class__in=RuralUrbanClass.values), name="area_rural_urban_valid"
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="area_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def adult_population(self) -> int:
        return self.adult_women + self.adult_men

    def district_list(self) -> list[str]:
        return self.postcode_districts.upper().split()
