"""The garbage collector's policy of the long-running commands (`bot.services.settle_heap`)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.services import YOUNG_GENERATION_THRESHOLD, resettle_heap, settle_heap


@pytest.fixture
def settled() -> Iterator[None]:
    thresholds = gc.get_threshold()
    settle_heap()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("settled")
def test_start_up_objects_are_out_of_the_collectors_sight() -> None:
    assert gc.get_freeze_count() > 10_000  # the modules, classes and functions loaded
    kept = {"a long-lived": ["object"]}
    gc.collect()
    assert any(o is kept for o in gc.get_objects(2))  # made since: still collected as usual


@pytest.mark.usefixtures("settled")
def test_objects_of_updates_in_flight_are_not_promoted() -> None:
    """A burst of objects alive for a moment (the updates in flight under load) runs no young
    collection, so none of them reaches an older generation, whose collections scan the
    whole long-lived heap. With CPython's default (700) the same burst ran seven."""
    gc.collect()
    assert gc.get_count()[1] == 0
    in_flight: list[list[int]] = [[] for _ in range(YOUNG_GENERATION_THRESHOLD // 4)]
    assert gc.get_count()[1] == 0, "a young collection ran during the burst"
    assert len(in_flight) == YOUNG_GENERATION_THRESHOLD // 4


def test_the_default_would_promote_the_same_burst() -> None:
    """The test above means something: under the default threshold, the burst promotes."""
    thresholds = gc.get_threshold()
    gc.set_threshold(700, *thresholds[1:])
    try:
        gc.collect()
        in_flight: list[list[int]] = [[] for _ in range(YOUNG_GENERATION_THRESHOLD // 4)]
        assert gc.get_count()[1] >= 5
        assert in_flight
    finally:
        gc.set_threshold(*thresholds)


class _Node:
    """A cyclic structure (it refers to itself), with a weak reference to see it go."""

    def __init__(self) -> None:
        self.me = self


def test_the_nightly_resettle_frees_what_became_cyclic_garbage_since() -> None:
    """What is frozen and becomes cyclic garbage stays until the next night's resettle,
    then goes: the leak freezing could make is bounded by a day."""
    thresholds = gc.get_threshold()
    try:
        node = _Node()
        alive = weakref.ref(node)
        resettle_heap()
        assert not gc.get_objects(2)  # everything alive is frozen
        del node
        gc.collect()
        assert alive() is not None  # frozen: the collector does not see it
        resettle_heap()
        assert alive() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
