"""Permissions for marac."""
