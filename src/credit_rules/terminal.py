"""Output streams that cannot be used against the reader: control characters shown, unencodable text escaped.

A case's name, a fixture's file name or a rejected value is printed back to
the user.  Written raw, ``\\x1b]0;…`` retitles their terminal, ``\\x1b[2J``
clears it and U+202E reverses the text that follows; so every C0 and C1
control character (except tab and newline, and carriage return on the
progress stream), DEL and the bidirectional overrides and isolates are
written as the visible escape ``\\uXXXX``.  In JSON output that is the same
string (JSON reads ``\\u009b`` as the character), so machine-readable
output keeps its meaning.

A stream whose encoding cannot show a character (``PYTHONIOENCODING=ascii``)
gets it as a backslash escape instead of a UnicodeEncodeError half-way
through a report.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, TextIO

_NEUTRAL = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE = {code: f"\\u{code:04x}" for code in _NEUTRAL}
_TABLE_NO_CR = {**_TABLE, 0x0D: "\\u000d"}
_ANY = re.compile("[" + "".join(re.escape(chr(c)) for c in _NEUTRAL) + "]")
_ANY_OR_CR = re.compile("[\r" + "".join(re.escape(chr(c)) for c in _NEUTRAL) + "]")


def neutralise(text: str, keep_cr: bool = False) -> str:
    """*text* with terminal control characters written as visible ``\\uXXXX`` escapes."""
    if (_ANY if keep_cr else _ANY_OR_CR).search(text) is None:  # the usual case: a scan, no copy
        return text
    return text.translate(_TABLE if keep_cr else _TABLE_NO_CR)


class SafeStream:
    """Wraps a text stream: :func:`neutralise` on every write, and backslash escapes for what the encoding lacks."""

    def __init__(self, inner: TextIO, keep_cr: bool = False) -> None:
        self.inner = inner
        self.keep_cr = keep_cr

    def write(self, text: str) -> int:
        safe = neutralise(text, self.keep_cr)
        try:
            self.inner.write(safe)
        except UnicodeEncodeError:  # the stream encodes the whole text before writing any of it
            encoding = getattr(self.inner, "encoding", None) or "utf-8"
            try:
                codecs.lookup(encoding)
            except LookupError:
                encoding = "ascii"
            self.inner.write(safe.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


__all__ = ["SafeStream", "neutralise"]
