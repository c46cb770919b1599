from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safepath.areas import rules as perms
from safepath.areas.forms import AreaForm
from safepath.areas.selectors import areas_for
from safepath.areas.services import AREA_FIELDS, area_save
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.forms import add_errors, posted


def area_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_AREAS)
    return render(request, "areas/area_list.html", {"areas": areas_for(request.user), "can_manage": request.user.has_perm(perms.MANAGE_AREAS)})


def area_form_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, perms.VIEW_AREAS)
    area = get_scoped_or_404(areas_for(request.user), pk=pk) if pk else None
    require_perm(request, perms.MANAGE_AREAS)
    initial = {field: getattr(area, field) for field in AREA_FIELDS} if area else {"is_active": True}
    form = AreaForm(posted(request), initial=initial)
    form.fields["parent"].queryset = areas_for(request.user).exclude(pk=area.pk if area else None)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            area_save(request=request, area=area, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Area saved."))
            return redirect("areas:list")
    return render(request, "areas/area_form.html", {"form": form, "area": area})
