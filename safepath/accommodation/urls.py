from django.urls import path

from safepath.accommodation import views_placements, views_return, views_services

app_name = "accommodation"
urlpatterns = [
    path("search/", views_services.search, name="search"),
    path("services/", views_services.service_list, name="services"),
    path("services/new/", views_services.service_add, name="service_add"),
    path("services/<int:pk>/", views_services.service_detail, name="service"),
    path("services/<int:pk>/spaces/new/", views_services.bedspace_add, name="bedspace_add"),
    path("services/<int:pk>/address/", views_services.service_address, name="service_address"),
    path("vacancies/", views_services.vacancies, name="vacancies"),
    path("bedspaces/<int:pk>/state/", views_services.bedspace_state, name="bedspace_state"),
    path("placements/", views_placements.placements, name="placements"),
    path("placements/<int:pk>/", views_placements.placement_detail, name="placement"),
    path("placements/<int:pk>/decide/", views_placements.placement_decide, name="placement_decide"),
    path("placements/<int:pk>/move-in/", views_placements.placement_move_in, name="placement_move_in"),
    path("placements/<int:pk>/end/", views_placements.placement_end, name="placement_end"),
    path("placements/<int:pk>/withdraw/", views_placements.placement_withdraw, name="placement_withdraw"),
    path("cases/<int:pk>/", views_placements.case_placements, name="case_placements"),
    path("cases/<int:pk>/refer/<int:service_pk>/", views_placements.placement_refer, name="refer"),
    path("cases/<int:pk>/not-supported/", views_placements.unmet_need_add, name="unmet_need_add"),
    path("return/", views_return.part4_return_view, name="part4_return"),
]
