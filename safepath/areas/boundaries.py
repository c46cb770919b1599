"""Area boundaries: GeoJSON geometry kept on `Area.boundary`, drawn as the coverage map.

A boundary is a GeoJSON Polygon or MultiPolygon in any planar coordinates (British National
Grid eastings and northings, or longitude and latitude). It is only drawn, never used to place
a referral in an area (postcode districts do that), so coarse, simplified shapes are enough and
the number of points is capped: a full-resolution boundary would make every report heavier for
no gain on a map a few centimetres wide.

`boundaries_load` matches the features of a FeatureCollection to areas by ONS code, else by
name, and saves them all or none.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

# Points in one area's boundary, all rings together. Generalised ONS boundaries ("BGC", 20 m)
# for a local authority have a few hundred to a few thousand points.
MAX_POINTS = 5000

DEMO_BOUNDARIES = Path(__file__).resolve().parent / "data" / "demo_boundaries.geojson"

_ONS_CODE_KEY = re.compile(r"^[A-Z]+\d{2}CD$", re.I)  # e.g. LAD24CD, CTYUA23CD
_ONS_NAME_KEY = re.compile(r"^[A-Z]+\d{2}NM$", re.I)  # e.g. LAD24NM


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring_problem(ring: Any, polygon: int, index: int) -> str | None:
    where = _("ring %(ring)s of polygon %(polygon)s") % {"ring": index + 1, "polygon": polygon + 1}
    if not isinstance(ring, list) or len(ring) < 4:
        return _(
            "The boundary is not a polygon: %(where)s needs at least 4 points (3 corners and the first again)."
        ) % {"where": where}
    for point in ring:
        if not isinstance(point, list) or len(point) < 2 or not all(_is_number(c) for c in point[:2]):
            return _("The boundary is not a polygon: %(where)s has a point that is not a pair of numbers.") % {
                "where": where
            }
    if ring[0][:2] != ring[-1][:2]:
        return _("The boundary's %(where)s is not closed: its last point must be the same as its first.") % {
            "where": where
        }
    return None


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The geometry's polygons (each a list of rings), Polygon or MultiPolygon alike."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def validate_boundary(value: Any) -> None:
    """Raise ValidationError (plain words) unless `value` is a GeoJSON Polygon or MultiPolygon
    with closed rings of number pairs and at most MAX_POINTS points."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        found = value.get("type") if isinstance(value, dict) else None
        raise ValidationError(
            _("The boundary is not a polygon: it must be a GeoJSON Polygon or MultiPolygon, not %(found)s.")
            % {"found": found or _("something else")},
            code="not_polygon",
        )
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The boundary is not a polygon: it has no coordinates."), code="not_polygon")
    shapes = [coordinates] if value["type"] == "Polygon" else coordinates
    points = 0
    for p, rings in enumerate(shapes):
        if not isinstance(rings, list) or not rings:
            raise ValidationError(
                _("The boundary is not a polygon: polygon %(polygon)s has no rings.") % {"polygon": p + 1},
                code="not_polygon",
            )
        for r, ring in enumerate(rings):
            problem = _ring_problem(ring, p, r)
            if problem:
                raise ValidationError(problem, code="not_closed" if "closed" in problem else "not_polygon")
            points += len(ring)
    if points > MAX_POINTS:
        raise ValidationError(
            _(
                "The boundary has too many points (%(points)s; at most %(max)s). "
                "Use a generalised (simplified) boundary file."
            )
            % {"points": f"{points:,}", "max": f"{MAX_POINTS:,}"},
            code="too_many_points",
        )


@dataclass
class LoadResult:
    matched: list[str] = field(default_factory=list)  # area names given a boundary
    unmatched: list[str] = field(default_factory=list)  # how each unmatched feature names itself


class BoundaryFileError(Exception):
    """The file cannot be loaded; nothing was saved. The message is for the person loading it."""


def _feature_keys(properties: dict[str, Any]) -> tuple[str, str]:
    """(code, name) from a feature's properties: `code`/`name`, or ONS-style LAD24CD/LAD24NM."""
    code = properties.get("code") or next((v for k, v in properties.items() if _ONS_CODE_KEY.match(str(k)) and v), "")
    name = properties.get("name") or next((v for k, v in properties.items() if _ONS_NAME_KEY.match(str(k)) and v), "")
    return str(code).strip(), str(name).strip()


def read_feature_collection(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BoundaryFileError(_("The file is not JSON: %(error)s.") % {"error": error}) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryFileError(_("The file is not a GeoJSON FeatureCollection."))
    features = data["features"]
    if not all(isinstance(f, dict) for f in features):
        raise BoundaryFileError(_("Every item in the file's features must be a GeoJSON Feature."))
    return features


@transaction.atomic
def boundaries_load(features: Iterable[dict[str, Any]]) -> LoadResult:
    """Give each area its feature's geometry, matched by ONS code (when the area has one), else
    by name (ignoring case). All or nothing: an invalid geometry, or two features for one area,
    raises BoundaryFileError and saves nothing. Features matching no area are reported."""
    from safepath.areas.models import Area
    from safepath.core.audit import Action, audit_event

    areas = list(Area.objects.all())
    by_code = {a.code.strip().upper(): a for a in areas if a.code.strip()}
    by_name = {a.name.casefold(): a for a in areas}
    result = LoadResult()
    chosen: dict[int, tuple[Any, dict[str, Any]]] = {}
    for number, feature in enumerate(features, start=1):
        code, name = _feature_keys(feature.get("properties") or {})
        area = by_code.get(code.upper()) if code else None
        area = area or (by_name.get(name.casefold()) if name else None)
        label = " ".join(x for x in (code, name) if x) or _("feature %(n)s (no code or name)") % {"n": number}
        if area is None:
            result.unmatched.append(label)
            continue
        geometry = feature.get("geometry")
        try:
            validate_boundary(geometry)
        except ValidationError as error:
            raise BoundaryFileError(f"{label}: {' '.join(error.messages)}") from None
        if geometry is None:
            raise BoundaryFileError(_("%(label)s: the feature has no geometry.") % {"label": label})
        if area.pk in chosen:
            raise BoundaryFileError(
                _("Two features are for the same area, %(area)s: %(first)s and %(second)s.")
                % {"area": area.name, "first": chosen[area.pk][0], "second": label}
            )
        chosen[area.pk] = (label, geometry)
    for area in areas:
        if area.pk in chosen:
            area.boundary = chosen[area.pk][1]
            area.save(update_fields=["boundary"])
            audit_event(action=Action.UPDATE, obj=area, reason="boundary loaded from a file")
            result.matched.append(area.name)
    return result


def demo_boundaries_load() -> LoadResult:
    """The shipped schematic boundaries for the demo scenarios' areas (not Ordnance Survey data)."""
    return boundaries_load(read_feature_collection(DEMO_BOUNDARIES.read_text(encoding="utf-8")))
