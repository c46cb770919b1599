"""Outcome pages, mounted under /cases/ (ids only in URLs, never anything about a person)."""

from django.urls import path

from safepath.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<int:pk>/outcomes/", views.case_outcomes, name="case"),
    path("<int:pk>/outcomes/record/", views.record, name="record"),
    path("<int:pk>/health/", views.health, name="health"),
    path("<int:pk>/health/add/", views.health_add, name="health_add"),
    path("<int:pk>/health/<int:action_pk>/", views.health_update, name="health_update"),
    path("outcome-frameworks/", views.frameworks, name="frameworks"),
    path("outcome-frameworks/add/", views.framework_add, name="framework_add"),
    path("outcome-frameworks/<int:pk>/", views.framework_edit, name="framework_edit"),
    path("outcome-frameworks/<int:pk>/questions/add/", views.measure_add, name="measure_add"),
]
