"""Owned by the import work; included by referrals/urls.py."""

urlpatterns: list = []
