"""Relance domain layer."""
