from __future__ import annotations

from datetime import date

from safepath.risk.models import Instrument, ThresholdSet


def thresholds_for(area_id: int | None, on: date) -> ThresholdSet:
    """The rule set in force on `on`: the area's own if it has one, else the default."""
    in_force = ThresholdSet.objects.filter(effective_from__lte=on).order_by("-effective_from")
    if area_id is not None:
        own = in_force.filter(area_id=area_id).first()
        if own:
            return own
    return in_force.filter(area__isnull=True).first() or ThresholdSet(effective_from=on)


def current_instrument(code: str = "dash-adult") -> Instrument | None:
    return Instrument.objects.filter(code=code, is_active=True).prefetch_related("indicators").order_by("-version").first()
