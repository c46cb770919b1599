"""Cross-cutting middleware: no-store caching and auditing of refused requests."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from safepath.core.audit import Action, audit_event


class TrustedProxyMiddleware:
    """Behind N trusted proxies, the client's address is the Nth from the right of X-Forwarded-For.

    Rate limits and the audit log's "from where" need the survivor's or worker's own address,
    not the proxy's. With SAFEPATH_TRUSTED_PROXIES = 0 (default) the header is ignored, so a
    client cannot spoof its address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        hops = settings.SAFEPATH_TRUSTED_PROXIES
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if hops and forwarded:
            addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
            if len(addresses) >= hops:
                request.META["REMOTE_ADDR"] = addresses[-hops]
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages may carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class AuditPermissionDeniedMiddleware:
    """Every refusal (403) leaves an audit row, whatever view raised it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        audit_event(action=Action.PERMISSION_DENIED, request=request)
        if _commissioner_asking_for_a_record(request):
            return _not_found(request)
        return None


# URL namespaces whose pages with an id are about a person: a person, referral, case, its
# casework, outcomes, groups, MARAC cases, placements.
PERSONAL_NAMESPACES = frozenset(
    {"people", "referrals", "cases", "casework", "outcomes", "programmes", "marac", "accommodation"}
)


def _commissioner_asking_for_a_record(request: HttpRequest) -> bool:
    """Commissioners see figures, never a person: a record's page answers them "not found", as if it
    did not exist, rather than "forbidden", which would confirm that it does (issue 7)."""
    from safepath.core.roles import Role

    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    return bool(
        membership is not None
        and membership.role == Role.COMMISSIONER
        and match is not None
        and (match.kwargs or match.args)
        and PERSONAL_NAMESPACES.intersection(match.namespaces)
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    from django.http import Http404
    from django.urls import get_resolver

    return get_resolver().resolve_error_handler(404)(request, Http404())
