"""Permissions for reporting."""
