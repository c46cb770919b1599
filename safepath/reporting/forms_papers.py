"""The quarterly paper subscription form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.areas.models import Area
from safepath.reporting.models import PaperSubscription


class PaperSubscriptionForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=PaperSubscription.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a format"), "invalid_choice": _("Choose a format from the list")},
    )

    def __init__(self, *args: Any, areas: list[Area], everything: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = _("All areas") if everything else _("All your organisation's areas")
        self.fields["area"].choices = [("", blank)] + [(str(a.pk), a.name) for a in areas]
        self.fields["area"].error_messages["invalid_choice"] = _(
            "Choose an area your organisation serves from the list."
        )
        self._areas = {str(a.pk): a for a in areas}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["area_obj"] = self._areas.get(cleaned.get("area") or "")
        return cleaned
