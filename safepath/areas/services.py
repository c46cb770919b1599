"""Writes for areas (configuration, so audited like everything else)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safepath.areas.models import Area
from safepath.core.audit import Action, audit_event

AREA_FIELDS = ("name", "code", "parent", "rural_urban_class", "adult_women", "adult_men", "postcode_districts", "is_active")


def _normalise_districts(value: str) -> str:
    return " ".join(sorted({d.strip().upper() for d in value.replace(",", " ").split() if d.strip()}))


@transaction.atomic
def area_save(*, request: HttpRequest | None, area: Area | None, **fields: Any) -> Area:
    creating = area is None
    area = area or Area()
    if Area.objects.filter(name__iexact=fields["name"].strip()).exclude(pk=area.pk).exists():
        raise ValidationError({"name": _("An area with this name already exists.")})
    parent = fields.get("parent")
    while parent is not None:
        if area.pk and parent.pk == area.pk:
            raise ValidationError({"parent": _("An area cannot be part of itself.")})
        parent = parent.parent
    fields["name"] = fields["name"].strip()
    fields["postcode_districts"] = _normalise_districts(fields.get("postcode_districts", ""))
    for key in AREA_FIELDS:
        if key in fields:
            setattr(area, key, fields[key])
    area.save()
    audit_event(action=Action.CREATE if creating else Action.UPDATE, request=request, obj=area)
    return area
