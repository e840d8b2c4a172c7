"""The ``credit-rules`` command line.

Exit codes: 0 decided / clean, 1 a check failed, 2 bad input (with a located
message and never a traceback).  Sub-commands live in
:mod:`credit_rules.commands`, one module each.

This is also the boundary where the environment's failures become exit 2
with a one-line message instead of a traceback: output that cannot be
written (``/dev/full``, a read-only folder), a reader that stopped reading
(``credit-rules decide … | head``), input nested or sized beyond what can be
computed.  Standard output and error are wrapped in
:class:`~credit_rules.terminal.SafeStream`, so terminal control characters
in names and values are shown, not obeyed, and an ASCII-only terminal gets
escapes instead of a UnicodeEncodeError.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import types
from collections.abc import Sequence
from typing import TextIO, cast

from . import __version__, commands
from .errors import InputError, Problem
from .masking import scrub_text, scrubbed_output
from .terminal import SafeStream


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the command they name is imported and registered.

    Importing every command module and building every sub-parser is a noticeable part of a one-case ``decide``.
    The top-level options take no value, so the first argument not starting with ``-`` names the command.
    Without a known command (``--help``, a misspelled name, a command registered by a module of another name
    such as ``rescan-diff``) every command is registered, so the help and the "invalid choice" error list them
    all; after a known command, a usage error (an unknown option) shows that command alone in its usage line.
    """
    p = argparse.ArgumentParser(prog="credit-rules", description="Decide Chinese social-credit questions with reasons and citations.")
    p.add_argument("--version", action="version", version=f"credit-rules {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))
    named = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    for name in [named] if named in names else names:
        importlib.import_module(f"{commands.__name__}.{name}").register(sub)
    return p


def _fail(message: str) -> int:
    try:
        print(scrub_text(message), file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr itself is gone: the exit code is all that is left
        pass
    return 2


def _silence_stdout(real: TextIO) -> None:
    """After a broken pipe, point the stdout descriptor at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


def _run(args: argparse.Namespace) -> int:
    code: int = args.run(args)
    sys.stdout.flush()  # a full disk or closed pipe is reported here, not at interpreter exit
    return code


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_lookup() -> None:
    """With pydantic's plugins off, answer its plugin lookup without importing :mod:`importlib.metadata`.

    pydantic imports ``pydantic.plugin._loader`` when it builds its first model, and that module imports
    importlib.metadata (with email, zipfile, csv …: about 25 ms of a one-case ``decide``) only to read entry
    points which ``PYDANTIC_DISABLE_PLUGINS=__all__`` tells it to ignore.  The stand-in answers "no plugins",
    as the loader itself does under that setting; any other name asked of it loads and hands over the real
    module.  Nothing is replaced if the loader is already imported or plugins are wanted.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__ and the like: a plain module has none
            raise AttributeError(name)
        del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def main(argv: Sequence[str] | None = None) -> int:
    # pydantic looks for third-party plugins through importlib.metadata on first use, a noticeable part of a cold
    # start; the command line uses none (a caller who wants them sets the variable to something else)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_lookup()
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, SafeStream(real_out))
    sys.stderr = cast(TextIO, SafeStream(real_err, keep_cr=True))  # the progress bar redraws with \r
    try:
        return _main(argv, real_out)
    finally:
        sys.stdout, sys.stderr = real_out, real_err


def _main(argv: Sequence[str] | None, real_out: TextIO) -> int:
    with scrubbed_output(stdout=False):  # a usage error repeats the arguments (file names) on stderr
        args = _parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    try:
        # one masking pass over every output channel (reports, JSON, ids, file names);
        # stdout stays in clear only under a disclosure basis the caller named
        with scrubbed_output(stdout=not getattr(args, "disclosure_basis", None)):
            return _run(args)
    except InputError as exc:
        # error messages repeat the rejected value: mask anything shaped like personal data
        return _fail(exc.render())
    except ImportError as exc:
        return _fail(f"credit-rules: {exc}")
    except BrokenPipeError:
        _silence_stdout(real_out)
        return _fail("credit-rules: output closed before it was all written (broken pipe)")
    except OSError as exc:  # output: a full disk (/dev/full), a read-only folder, a vanished directory
        where = str(exc.filename) if exc.filename else "(output)"
        return _fail(Problem(where, None, "(file)", "a writable file or stream", exc.strerror or str(exc)).render())
    except RecursionError:
        return _fail(Problem("(input)", None, "(document)", "input nested less deeply", "nesting too deep to process").render())
    except OverflowError as exc:
        return _fail(Problem("(input)", None, "(value)", "dates by 9999-12-31 and numbers of usable size", f"a value out of range ({exc})").render())
    except ArithmeticError as exc:  # decimal.Overflow, InvalidOperation
        return _fail(Problem("(input)", None, "(value)", "amounts small enough to compute with", type(exc).__name__).render())
    except MemoryError:
        return _fail(Problem("(input)", None, "(document)", "input small enough to hold in memory", "too large").render())


if __name__ == "__main__":
    raise SystemExit(main())
