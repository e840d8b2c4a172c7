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
