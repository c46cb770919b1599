"""Owned by the intake work; included by referrals/urls.py."""

urlpatterns: list = []
