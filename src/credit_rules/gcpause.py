"""Pause Python's cyclic garbage collector while long-lived objects are being built.

Loading the catalogs and rules allocates hundreds of thousands of objects that all survive (models, YAML data,
compiled expressions); each collection the allocations trigger walks them all again and frees nothing.  On this
machine the collector ran 109 times during one ``Engine.load()``, about a sixth of its time, and 75 times during
the imports of a one-case ``credit-rules decide``.  Reference counting still frees everything that is not in a
cycle; the collector's state is restored afterwards, so a caller who turned it off keeps it off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is enabled after it if it was before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class BatchCollector:
    """The cyclic collector of a long batch: the loaded engine frozen, collections at fixed points.

    Why: after ``Engine.load()`` the heap holds the engine's hundreds of thousands of long-lived objects, and a
    batch allocates millions of short-lived ones (parsed lines, cases, results), so the collector runs hundreds of
    times and its older generations walk the engine again and again: about a sixth of ``decide --batch
    --compact`` on this machine (``gc.callbacks``, 4,000 cases: 0.9 s of 5.0 s), freeing next to nothing (a batch
    of 4,000 cases leaves a few dozen objects in cycles).  So the engine is frozen once loaded (CPython's
    ``gc.freeze``: never walked again), automatic collection is off while the batch runs (:func:`gc_paused`),
    and :meth:`tick` collects every *every* cases — whatever cycles a case leaves (an exception's traceback)
    are freed within that many cases, and memory stays flat however long the batch.
    """

    def __init__(self, every: int = 4096) -> None:
        self.every = every
        self._count = 0

    @staticmethod
    def freeze() -> None:
        """Move every object alive now (the loaded engine) out of the collector's reach, for good."""
        gc.freeze()

    def tick(self, cases: int = 1) -> None:
        """*cases* more cases done: a full collection every *every* cases."""
        self._count += cases
        if self._count >= self.every:
            self._count = 0
            gc.collect()
