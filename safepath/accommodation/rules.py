"""Permissions for accommodation."""
