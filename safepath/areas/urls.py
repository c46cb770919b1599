from django.urls import path

from safepath.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("new/", views.area_form_view, name="create"),
    path("<int:pk>/edit/", views.area_form_view, name="update"),
]
