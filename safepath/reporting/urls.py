from django.urls import path

from safepath.reporting import views, views_papers

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download.<str:fmt>", views.download, name="download"),
    path("papers/", views_papers.paper_list, name="papers"),
    path("papers/subscriptions/<int:pk>/stop", views_papers.paper_unsubscribe, name="paper_unsubscribe"),
    path("papers/<int:pk>/download", views_papers.paper_download, name="paper_download"),
]
