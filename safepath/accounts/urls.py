from django.urls import include, path

from safepath.accounts import views

user_patterns = (
    [
        path("", views.user_list, name="list"),
        path("new/", views.user_create_view, name="create"),
        path("<int:pk>/", views.user_detail, name="detail"),
        path("<int:pk>/edit/", views.user_update_view, name="update"),
        path("<int:pk>/roles/new/", views.membership_add_view, name="membership_add"),
        path("<int:pk>/roles/<int:membership_pk>/end/", views.membership_end_view, name="membership_end"),
        path("<int:pk>/password-link/", views.user_password_link_view, name="password_link"),
    ],
    "users",
)
organisation_patterns = (
    [
        path("", views.organisation_list, name="list"),
        path("new/", views.organisation_form_view, name="create"),
        path("<int:pk>/edit/", views.organisation_form_view, name="update"),
    ],
    "organisations",
)

urlpatterns = [
    path("users/", include(user_patterns)),
    path("organisations/", include(organisation_patterns)),
]
