from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.core.models import AuditEvent


class AuditSearchForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, help_text=_("Email address or user number."))
    object_type = forms.CharField(label=_("Record type"), required=False, help_text=_("For example accounts.user."))
    object_id = forms.CharField(label=_("Record number"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action"))] + AuditEvent.Action.choices
    )
    date_from = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    date_to = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data
