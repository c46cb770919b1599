from django.urls import path

from safepath.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download.<str:fmt>", views.download, name="download"),
]
