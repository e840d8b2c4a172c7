"""The one-line progress bar of the long commands (``decide --batch``, ``test``, ``diff``, ``rescan`` …).

A module of its own, so a command that only needs the bar does not import the fixture runner
(:mod:`credit_rules.regression.runner` imports the fixtures, information and lifecycle modules: about 85 ms
of a ``decide --batch`` start on this machine).
"""

from __future__ import annotations

import os
from typing import TextIO


class Progress:
    """A one-line progress bar on a terminal stream; silent unless enabled."""

    def __init__(self, stream: TextIO, total: int, enabled: bool, width: int = 30) -> None:
        self.stream, self.total, self.enabled, self.width = stream, total, enabled, width

    @staticmethod
    def wanted(stream: TextIO, forced: bool) -> bool:
        """On when asked for, or when *stream* is a terminal."""
        return forced or (hasattr(stream, "isatty") and stream.isatty())

    def update(self, done: int, label: str = "") -> None:
        if not self.enabled or self.total == 0:
            return
        filled = self.width * done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 100
        line = f"[{bar}] {done}/{self.total} {label}"
        self.stream.write("\r" + line[: max(columns - 1, 20)].ljust(max(columns - 1, 20)))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\n")
            self.stream.flush()


__all__ = ["Progress"]
