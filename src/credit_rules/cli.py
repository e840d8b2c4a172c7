"""The ``credit-rules`` command line.

Exit codes: 0 decided / clean, 1 a check failed, 2 bad input (with a located
message and never a traceback).  Sub-commands live in
:mod:`credit_rules.commands`, one module each.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import __version__, commands
from .errors import InputError
from .masking import scrub_text, scrubbed_output


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="credit-rules", description="Decide Chinese social-credit questions with reasons and citations.")
    p.add_argument("--version", action="version", version=f"credit-rules {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    with scrubbed_output(stdout=False):  # a usage error repeats the arguments (file names) on stderr
        args = _parser().parse_args(argv)
    try:
        # one masking pass over every output channel (reports, JSON, ids, file names);
        # stdout stays in clear only under a disclosure basis the caller named
        with scrubbed_output(stdout=not getattr(args, "disclosure_basis", None)):
            code: int = args.run(args)
        return code
    except InputError as exc:
        # error messages repeat the rejected value: mask anything shaped like personal data
        print(scrub_text(exc.render()), file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"credit-rules: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
