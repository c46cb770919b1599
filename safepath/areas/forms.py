from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.areas.models import Area, RuralUrbanClass


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(label=_("ONS code"), max_length=16, required=False, help_text=_("For example E06000035. Leave blank if none."))
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Area.objects.all(), required=False, empty_label=_("Not part of another area"))
    rural_urban_class = forms.ChoiceField(label=_("Rural or urban"), choices=[("", _("Choose a class"))] + RuralUrbanClass.choices)
    adult_women = forms.IntegerField(label=_("Women aged 16 and over"), min_value=0, help_text=_("From the latest mid-year population estimate."))
    adult_men = forms.IntegerField(label=_("Men aged 16 and over"), min_value=0)
    postcode_districts = forms.CharField(label=_("Postcode districts"), required=False, max_length=500, help_text=_("Outward codes separated by spaces, for example ME1 ME2 ME4."))
    is_active = forms.BooleanField(label=_("Area is active"), required=False, initial=True)

    def clean_postcode_districts(self) -> str:
        value = self.cleaned_data["postcode_districts"]
        import re

        bad = [d for d in value.replace(",", " ").split() if not re.fullmatch(r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]?", d)]
        if bad:
            raise forms.ValidationError(_("These are not postcode districts: %(bad)s. Use the first part of a postcode, like ME1.") % {"bad": ", ".join(bad[:5])})
        return value
