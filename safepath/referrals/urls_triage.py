"""Owned by the triage work; included by referrals/urls.py."""

urlpatterns: list = []
