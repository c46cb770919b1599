"""Owned by the import work; included by referrals/urls.py."""

from django.urls import path

from safepath.referrals import views_import

urlpatterns: list = [
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:pk>/", views_import.import_run, name="import_run"),
    path("import/<int:pk>/rejects.csv", views_import.import_rejects, name="import_rejects"),
]
