"""Teams at a provider (team managers) and pathway settings (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safepath.cases import selectors_caseload as selectors
from safepath.cases import services_config
from safepath.cases.forms import PathwaySettingsForm, TeamEditForm, TeamForm
from safepath.cases.rules import CONFIGURE_PATHWAYS, MANAGE_CASES
from safepath.cases.selectors import settings_for
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.forms import add_errors, posted
from safepath.referrals.forms_triage import ONCE_FIELD, claim_once, once_token
from safepath.referrals.models import Pathway

PAGE_SIZE = 50


# --- teams ---------------------------------------------------------------------------------


def teams(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    page = Paginator(selectors.provider_teams(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/teams.html", {"page": page})


def team_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    org_id = selectors.provider_id(request.user)
    if org_id is None:  # pragma: no cover - MANAGE_CASES is only held at a provider
        raise Http404
    form = TeamForm(posted(request), staff=selectors.team_staff(request.user))
    if request.method == "POST" and form.is_valid():
        if not claim_once(request):
            messages.info(request, _("This team was already saved."))
            return redirect("cases:teams")
        try:
            team = services_config.team_create(
                request=request,
                organisation_id=org_id,
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Team “%(name)s” added.") % {"name": team.name})
            return redirect("cases:teams")
    context = {"form": form, "once": once_token(), "once_field": ONCE_FIELD, "team": None}
    return render(request, "cases/team_form.html", context)


def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    team = get_scoped_or_404(selectors.provider_teams(request.user), pk=pk)
    initial = {"name": team.name, "members": [m.pk for m in team.members.all()], "is_active": team.is_active}
    form = TeamEditForm(posted(request), staff=selectors.team_member_choices(request.user, team), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_config.team_update(
                request=request, team=team, name=data["name"], members=data["members"], is_active=data["is_active"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Team “%(name)s” saved.") % {"name": data["name"]})
            return redirect("cases:teams")
    return render(request, "cases/team_form.html", {"form": form, "team": team})


# --- pathway settings ----------------------------------------------------------------------


def pathway_settings(request: HttpRequest) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    return render(request, "cases/pathway_settings.html", {"rows": selectors.pathways_with_settings()})


def pathway_settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    try:
        pathway = selectors.pathway_for_settings(pk)
    except Pathway.DoesNotExist:
        raise Http404 from None
    settings = settings_for(pathway)
    fields = PathwaySettingsForm.base_fields
    form = PathwaySettingsForm(posted(request), initial={name: getattr(settings, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services_config.pathway_settings_update(request=request, pathway=pathway, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Settings for %(pathway)s saved.") % {"pathway": pathway.name})
            return redirect("cases:pathway_settings")
    return render(request, "cases/pathway_settings_edit.html", {"form": form, "pathway": pathway})
