from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.core.roles import OrganisationType, Role


class UserCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose an organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role"))] + Role.choices)

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class UserUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    is_active = forms.BooleanField(label=_("Account is active"), required=False, help_text=_("Untick to stop this person signing in. Their sessions end at once."))


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose an organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role"))] + Role.choices)

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Choose a type"))] + OrganisationType.choices)
    areas = forms.ModelMultipleChoiceField(label=_("Areas served"), queryset=Area.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Organisation is active"), required=False, initial=True)


class SwitchMembershipForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
