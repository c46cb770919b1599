from django.urls import path

from safepath.dropins import views

app_name = "dropins"
urlpatterns = [
    path("", views.visits, name="visits"),
    path("record/", views.visit_add, name="visit_add"),
    path("venues/", views.venues, name="venues"),
    path("venues/<int:pk>/open/", views.venue_active, name="venue_active"),
]
