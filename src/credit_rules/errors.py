"""Errors that name where bad input is.

Government users feed the engine files written by hand.  A traceback tells them
nothing; a message that names the file, the line, the field and what was
expected tells them what to fix.  Every loader in the package therefore raises
:class:`InputError` (or collects several into :class:`InputErrors`), and the CLI
turns either into exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int | None
    field: str
    expected: str
    got: str | None = None

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: field '{self.field}': expected {self.expected}"
        if self.got is not None:
            text += f", got {self.got}"
        return text


@dataclass
class InputError(Exception):
    """Bad input: a case, catalog or rule file that cannot be used.

    Carries one or more :class:`Problem` entries, each with its location, each once: the same problem can be
    found by two paths (``lint`` checks the catalogs, then loads the rules, which load the same catalogs and run
    the same cross-checks; a cross-check can meet one entry through two layers), and a reader should see it once.
    Order is kept (the first finding wins).
    """

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = list(dict.fromkeys(self.problems))
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)

    def __str__(self) -> str:
        return self.render()

    @classmethod
    def one(
        cls,
        file: str,
        line: int | None,
        field: str,
        expected: str,
        got: str | None = None,
    ) -> InputError:
        return cls([Problem(file, line, field, expected, got)])


class CreditRulesError(Exception):
    """An internal inconsistency (a bug), never caused by user input."""
