from django.urls import path

from safepath.programmes import views_groups, views_orders, views_support

app_name = "programmes"
urlpatterns = [
    # Group programmes
    path("", views_groups.programme_list, name="list"),
    path("new/", views_groups.programme_add, name="programme_add"),
    path("<int:pk>/", views_groups.programme_detail, name="programme"),
    path("<int:pk>/cohorts/new/", views_groups.cohort_add, name="cohort_add"),
    path("cohorts/<int:pk>/", views_groups.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/enrol/", views_groups.enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views_groups.enrolment_withdraw, name="enrolment_withdraw"),
    path("sessions/<int:pk>/attendance/", views_groups.attendance, name="attendance"),
    # A case's groups and volunteers
    path("cases/<int:pk>/", views_support.case_support, name="case_support"),
    path("cases/<int:pk>/volunteers/assign/", views_support.assign_volunteer, name="assign_volunteer"),
    path("volunteer-assignments/<int:pk>/end/", views_support.end_assignment, name="end_assignment"),
    # Volunteers
    path("volunteering/", views_support.volunteer_home, name="volunteer_home"),
    path("volunteering/<int:pk>/sessions/new/", views_support.volunteer_session_add, name="volunteer_session_add"),
    # Perpetrator interventions
    path("perpetrator-orders/", views_orders.perpetrator_orders, name="perpetrator_orders"),
    path("perpetrator-orders/<int:pk>/", views_orders.perpetrator_order, name="perpetrator_order"),
    path("perpetrator-orders/<int:pk>/update/", views_orders.perpetrator_order_update, name="perpetrator_order_update"),
    path("cases/<int:pk>/perpetrator-orders/new/", views_orders.perpetrator_order_add, name="perpetrator_order_add"),
]
