from django.urls import path

from safepath.marac import views_dataset, views_meetings, views_referrals

app_name = "marac"
urlpatterns = [
    path("", views_meetings.meetings, name="meetings"),
    path("meetings/new/", views_meetings.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views_meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda/build/", views_meetings.agenda_build, name="agenda_build"),
    path("meetings/<int:pk>/agenda/release/", views_meetings.agenda_release, name="agenda_release"),
    path("meetings/<int:pk>/minutes/", views_meetings.minutes, name="minutes"),
    path("items/<int:pk>/", views_meetings.item, name="item"),
    path("items/<int:pk>/research/", views_meetings.research, name="research"),
    path("items/<int:pk>/actions/new/", views_meetings.action_add, name="action_add"),
    path("actions/", views_meetings.actions, name="actions"),
    path("actions/<int:pk>/done/", views_meetings.action_complete, name="action_complete"),
    path("referrals/", views_referrals.referrals, name="referrals"),
    path("referrals/<int:pk>/history/", views_referrals.history, name="history"),
    path("refer/", views_referrals.refer, name="refer"),
    path("dataset/", views_dataset.dataset, name="dataset"),
    path("settings/", views_meetings.marac_settings, name="settings"),
]
