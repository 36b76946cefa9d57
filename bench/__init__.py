"""Relance benchmarks: `python -m bench [names]` (see bench/README.md). Not part of the test suite."""
