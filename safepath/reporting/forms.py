"""The dashboard's period and area form (GET: the page's address says what it shows)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.areas.models import Area
from safepath.people.forms import DatePartsMixin
from safepath.reporting.periods import Period

MAX_YEARS = 10


def _part(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=4, strip=True)


class DashboardForm(DatePartsMixin, forms.Form):
    DATES = {"from": ("date_from", True, _("Start date")), "to": ("date_to", True, _("End date"))}

    from_day, from_month, from_year = _part(_("Day")), _part(_("Month")), _part(_("Year"))
    to_day, to_month, to_year = _part(_("Day")), _part(_("Month")), _part(_("Year"))
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, areas: list[Area], everything: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = _("All areas") if everything else _("All your organisation's areas")
        self.fields["area"].choices = [("", blank)] + [(str(a.pk), a.name) for a in areas]
        self.fields["area"].error_messages["invalid_choice"] = _(
            "Choose an area your organisation serves from the list."
        )
        self._areas = {str(a.pk): a for a in areas}

    @staticmethod
    def initial_for(period: Period) -> dict[str, str]:
        first, last = period.first, period.last
        return {
            "from_day": str(first.day),
            "from_month": str(first.month),
            "from_year": str(first.year),
            "to_day": str(last.day),
            "to_month": str(last.month),
            "to_year": str(last.year),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last:
            if first > last:
                self.add_error("to_day", _("End date must be the same as or after the start date."))
            elif last.year - first.year > MAX_YEARS:
                self.add_error("to_day", _("Choose a period of %(n)s years or less.") % {"n": MAX_YEARS})
            elif first > date.today():
                self.add_error("from_day", _("Start date must be today or in the past."))
        cleaned["area_obj"] = self._areas.get(cleaned.get("area") or "")
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["date_from"], self.cleaned_data["date_to"])
