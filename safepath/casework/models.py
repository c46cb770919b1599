"""Casework models."""
