from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from safepath.accounts import views as account_views
from safepath.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("glossary/", core_views.glossary, name="glossary"),
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch on public pages (a POST form with a CSRF token; ADR 15).
    path("language/", login_not_required(set_language), name="set_language"),
    # Email addresses are managed by administrators, not changed by their holders:
    # changing one's own address would be an account-takeover route.
    path("account/email/", core_views.not_found, name="account_email_disabled"),
    path("account/", include("allauth.urls")),
    path("settings/", account_views.account_settings, name="account_settings"),
    path("settings/sign-out-everywhere/", account_views.sign_out_everywhere, name="sign_out_everywhere"),
    path("settings/switch-organisation/", account_views.switch_membership, name="switch_membership"),
    path("referrals/", include("safepath.referrals.urls")),
    path("people/", include("safepath.people.urls")),
    path("cases/", include("safepath.cases.urls")),
    path("cases/", include("safepath.casework.urls")),
    path("cases/", include("safepath.outcomes.urls")),
    path("programmes/", include("safepath.programmes.urls")),
    path("marac/", include("safepath.marac.urls")),
    path("accommodation/", include("safepath.accommodation.urls")),
    path("drop-ins/", include("safepath.dropins.urls")),
    path("commissioning/", include("safepath.commissioning.urls")),
    path("reporting/", include("safepath.reporting.urls")),
    path("admin/", include("safepath.accounts.urls")),
    path("admin/areas/", include("safepath.areas.urls")),
    path("admin/audit/", include(([path("", core_views.audit_list, name="list")], "audit"))),
]

handler403 = "safepath.core.views.error_403"
handler404 = "safepath.core.views.error_404"
handler500 = "safepath.core.views.error_500"
handler429 = "safepath.core.views.error_429"
