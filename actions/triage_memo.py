"""The triage of each open invoice of a list, and the lists themselves, remembered by the
process for the day."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from itertools import islice
from typing import Any

from domain.case import InvoiceCase
from domain.diagnosis import Summary, triage
from domain.ladder import Ladder
from domain.rates import RateTable


class TriageMemo:
    """Remembered triages, so that a list built again the same day triages only the
    invoices that changed. Triage is a pure function of what `case_of_row` reads (the
    invoice's row with its client's, the owner's merchant status, the day, the invoice's
    payments, steps, promises and plan) and of the rate table and ladder. The key is the
    row, the merchant status and the day: the row carries the invoice's version, which the
    database changes with any write to the invoice, its client or its related rows
    (migration 0003), so a change to any of them gives a new entry, never a stale answer.
    The oldest entries go first (each day's keys are new ones)."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._items: dict[Hashable, Summary] = {}
        self._table: RateTable | None = None
        self._ladders: dict[Ladder, int] = {}
        self._lock = threading.Lock()

    def _token(self, table: RateTable, ladder: Ladder) -> int:
        if table is not self._table or len(self._ladders) > 64:
            self._items.clear()
            self._ladders.clear()
            self._table = table
        return self._ladders.setdefault(ladder, len(self._ladders))

    def summaries(self, keys: Sequence[tuple[Any, ...]], build: Callable[[int], InvoiceCase],
                  table: RateTable, ladder: Ladder) -> list[Summary]:
        """The triage summary for each key (`build(i)`: the case of the i-th), in order."""
        with self._lock:
            token = self._token(table, ladder)
            get = self._items.get
            keyed = [(token, *key) for key in keys]
            found = [get(key) for key in keyed]
        new: dict[Hashable, Summary] = {}
        for i, hit in enumerate(found):
            if hit is None:
                found[i] = new[keyed[i]] = triage(build(i), table, ladder).summary()
        if new:
            with self._lock:
                if table is self._table:
                    self._items.update(new)
                    for stale in list(islice(self._items, max(0, len(self._items) - self.size))):
                        del self._items[stale]
        return [hit for hit in found if hit is not None]

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


MEMO = TriageMemo()


class ListCache:
    """Whole open-invoice lists, remembered per (owner, ledger version, owner's merchant
    status, day, which list): asking again with nothing written since costs one query. The
    ledger version changes with every write to what a triage reads, by database triggers
    (migration 0003), and is never reused, so a remembered list is never a stale one.
    `latest` gives the newest list of the same owner, day and kind whatever its version: a
    list rebuilt after a write starts from it. The least recently used lists go first once
    `max_rows` invoices are held."""

    def __init__(self, max_rows: int = 60_000) -> None:
        self.max_rows = max_rows
        self._lists: dict[Hashable, tuple[Hashable, Sequence[Any]]] = {}  # key: (base, list)
        self._latest: dict[Hashable, Hashable] = {}  # base: key of its newest list
        self._rows = 0
        self._table: RateTable | None = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, table: RateTable, ladder: Ladder) -> Sequence[Any] | None:
        with self._lock:
            if table is not self._table:
                return None
            found = self._lists.pop((key, ladder), None)
            if found is None:
                return None
            self._lists[(key, ladder)] = found  # the most recent again
            return found[1]

    def latest(self, base: Hashable, table: RateTable, ladder: Ladder) -> Sequence[Any] | None:
        with self._lock:
            key = self._latest.get((base, ladder))
            found = self._lists.get(key) if table is self._table and key is not None else None
            return found[1] if found is not None else None

    def put(self, key: Hashable, base: Hashable, table: RateTable, ladder: Ladder,
            cases: Sequence[Any]) -> None:
        with self._lock:
            if table is not self._table:
                self._lists.clear()
                self._latest.clear()
                self._rows, self._table = 0, table
            self._drop((key, ladder))
            self._lists[(key, ladder)] = ((base, ladder), cases)
            self._latest[(base, ladder)] = (key, ladder)
            self._rows += len(cases)
            while self._rows > self.max_rows and len(self._lists) > 1:
                self._drop(next(iter(self._lists)))

    def _drop(self, key: Hashable) -> None:
        found = self._lists.pop(key, None)
        if found is not None:
            self._rows -= len(found[1])
            if self._latest.get(found[0]) == key:
                del self._latest[found[0]]

    def __len__(self) -> int:
        return len(self._lists)

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()
            self._latest.clear()
            self._rows = 0


LISTS = ListCache()
