from django.urls import path

from safepath.casework.views import consent, contacts, notes, plans, tasks

app_name = "casework"
urlpatterns = [
    path("<int:pk>/contacts/", contacts.contacts, name="contacts"),
    path("<int:pk>/notes/", notes.notes, name="notes"),
    path("<int:pk>/safety-plan/", plans.safety_plan, name="safety_plan"),
    path("<int:pk>/safety-plan/revise/", plans.safety_plan_revise, name="safety_plan_revise"),
    path("<int:pk>/tasks/", tasks.tasks, name="tasks"),
    path("<int:pk>/tasks/<int:task_pk>/done/", tasks.task_mark_done, name="task_done"),
    path("<int:pk>/consent/", consent.consent, name="consent"),
    path("<int:pk>/consent/add/", consent.consent_add, name="consent_add"),
    path("<int:pk>/consent/<int:consent_pk>/withdraw/", consent.consent_withdraw_view, name="consent_withdraw"),
    path("<int:pk>/sharing/add/", consent.sharing_add, name="sharing_add"),
    path("sharing/requests/", consent.sharing_requests, name="sharing_requests"),
    path("sharing/requests/<int:pk>/", consent.sharing_approve, name="sharing_approve"),
]
