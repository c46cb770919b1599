"""Programmes models."""
