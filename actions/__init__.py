"""Relance actions layer."""
