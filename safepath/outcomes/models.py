"""Outcomes models."""
