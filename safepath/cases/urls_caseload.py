"""Caseloads, waiting lists, the case overview, status changes, teams and pathway settings;
included by cases/urls.py (namespace "cases")."""

from django.urls import path

from safepath.cases import views_case, views_caseload, views_teams, views_waiting

urlpatterns: list = [
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("team/", views_caseload.team, name="team"),
    path("team/<int:worker_id>/", views_caseload.worker_caseload, name="worker_caseload"),
    path("waiting/", views_waiting.waiting_lists, name="waiting_lists"),
    path("<int:pk>/", views_case.detail, name="detail"),
    path("<int:pk>/allocate/", views_waiting.allocate, name="allocate"),
    path("<int:pk>/status/", views_case.change_status, name="change_status"),
    path("teams/", views_teams.teams, name="teams"),
    path("teams/add/", views_teams.team_add, name="team_add"),
    path("teams/<int:pk>/", views_teams.team_edit, name="team_edit"),
    path("pathways/", views_teams.pathway_settings, name="pathway_settings"),
    path("pathways/<int:pk>/", views_teams.pathway_settings_edit, name="pathway_settings_edit"),
]
