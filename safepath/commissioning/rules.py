"""Permissions for commissioning."""
