"""Relance bot layer."""
