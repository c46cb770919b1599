"""Person pages and risk assessments."""

from django.urls import path

from safepath.people import rules_risk  # noqa: F401 - registers the risk.* permissions (see the module)
from safepath.people.views import edit, merge, person, risk

app_name = "people"
urlpatterns = [
    path("<int:pk>/", person.person_detail, name="detail"),
    path("<int:pk>/edit/", edit.person_edit, name="edit"),
    path("<int:pk>/safe-contact/", edit.safe_contact_edit, name="edit_contact"),
    path("<int:pk>/other-names/add/", edit.other_name_add_view, name="other_name_add"),
    path("<int:pk>/other-names/<int:name_pk>/remove/", edit.other_name_remove_view, name="other_name_remove"),
    path("<int:pk>/children/add/", edit.child_add_view, name="child_add"),
    path("<int:pk>/people-causing-harm/add/", edit.harm_add_view, name="harm_add"),
    path("<int:pk>/risk-assessment/", risk.assess, name="assess"),
    path("<int:pk>/merge/", merge.merge, name="merge"),
    path("<int:pk>/merge/<int:other_pk>/", merge.merge_confirm, name="merge_confirm"),
    path("<int:pk>/merges/<int:merge_pk>/undo/", merge.unmerge, name="unmerge"),
    path("risk-thresholds/", risk.thresholds, name="thresholds"),
    path("risk-thresholds/add/", risk.threshold_add, name="thresholds_add"),
]
