"""Fixtures for the whole suite."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _heap_unfrozen() -> Iterator[None]:
    """The long-running commands freeze their heap out of the garbage collector's sight, at
    start-up and after the morning preparation (bot.services); a test that ran either
    leaves the test process's collector as it found it."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
