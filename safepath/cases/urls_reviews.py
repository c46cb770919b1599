"""Risk reviews, handovers, step-down plans and a re-referral's previous case (ids only in URLs)."""

from django.urls import path

from safepath.cases import views_reviews as views

urlpatterns = [
    path("<int:pk>/reviews/", views.reviews, name="reviews"),
    path("<int:pk>/reviews/add/", views.review_add, name="review_add"),
    path("<int:pk>/handover/", views.handover_add, name="handover_add"),
    path("<int:pk>/step-down/", views.step_down, name="step_down"),
    path("<int:pk>/previous/", views.previous, name="previous"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:pk>/", views.handover_decide, name="handover_decide"),
]
