from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safepath.core import rules as perms
from safepath.core.access import require_perm
from safepath.core.audit_forms import AuditSearchForm
from safepath.core.home import ROLE_SUMMARY, actions_for
from safepath.core.selectors import audit_events_for


def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    role = membership.role if membership else None
    context = {
        "summary": ROLE_SUMMARY.get(role) if role else None,
        "actions": actions_for(request.user, role),
        "scenario": _demo_scenario(),
        "memberships": request.user.memberships.filter(is_active=True, organisation__is_active=True).select_related(
            "organisation"
        ),  # type: ignore[union-attr]
    }
    return render(request, "core/home.html", context)


def _demo_scenario() -> object | None:
    """On a demo database, the scenario it holds (the home page introduces it); None otherwise."""
    from safepath.demo.selectors import loaded_scenario

    return loaded_scenario()


@lru_cache(maxsize=1)
def glossary_terms() -> list[dict[str, str]]:
    path = Path(__file__).with_name("glossary.toml")
    return tomllib.loads(path.read_text())["term"]


@login_not_required
def glossary(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/glossary.html", {"terms": glossary_terms(), "public_page": not request.user.is_authenticated}
    )


def audit_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_AUDIT)
    form = AuditSearchForm(request.GET or None)
    events = audit_events_for(request.user, **(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(events, settings.SAFEPATH_AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_429(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    public = not (user is not None and user.is_authenticated)
    return render(request, "errors/429.html", {"public_page": public}, status=429)


@login_not_required
def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


def error_500(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # the page must not fail while reporting a failure
        return HttpResponseServerError(
            "Sorry, there is a problem with the service. Try again later.", content_type="text/plain"
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
