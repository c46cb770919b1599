"""Triage, routing and providers' work items; included by referrals/urls.py (namespace "referrals")."""

from django.urls import path

from safepath.referrals import views_triage as views

urlpatterns: list = [
    path("triage/", views.triage_queue, name="triage_queue"),
    path("triage/<int:pk>/", views.triage_detail, name="triage_detail"),
    path("triage/<int:pk>/assign/", views.triage_assign, name="triage_assign"),
    path("triage/<int:pk>/start/", views.triage_start, name="triage_start"),
    path("triage/<int:pk>/contact/", views.triage_contact, name="triage_contact"),
    path("triage/<int:pk>/decline/", views.triage_decline, name="triage_decline"),
    path("triage/<int:pk>/signpost/", views.triage_signpost, name="triage_signpost"),
    path("triage/<int:pk>/withdraw/", views.triage_withdraw, name="triage_withdraw"),
    path("triage/<int:pk>/known-person/", views.triage_match, name="triage_match"),
    path("triage/<int:pk>/route/", views.route, name="route"),
    path("triage/declined/", views.triage_declined, name="triage_declined"),
    path("triage/declined/<int:pk>/offer-again/", views.work_item_reoffer, name="work_item_reoffer"),
    path("routed/", views.work_items, name="work_items"),
    path("routed/<int:pk>/", views.work_item_detail, name="work_item_detail"),
    path("routed/<int:pk>/decide/", views.work_item_decide, name="work_item_decide"),
]
