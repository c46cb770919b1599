"""Owned by the intake work; included by referrals/urls.py.

The public self-referral pages carry no personal data in their paths: answers travel in
POST bodies and the session only.
"""

from django.urls import path

from safepath.referrals import views_intake

urlpatterns: list = [
    path("new/", views_intake.referral_new, name="new"),
    path("new/<int:pk>/sent/", views_intake.referral_sent, name="new_done"),
    path("mine/", views_intake.mine, name="mine"),
    path("mine/<int:pk>/", views_intake.mine_detail, name="mine_detail"),
    path("get-help/", views_intake.self_start, name="self_start"),
    path("get-help/check/", views_intake.self_check, name="self_check"),
    path("get-help/sent/", views_intake.self_done, name="self_done"),
    path("get-help/<slug:step>/", views_intake.self_step, name="self_step"),
]
