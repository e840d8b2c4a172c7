"""One module per ``credit-rules`` sub-command.

Each public module here defines ``register(subparsers)``, which adds its
parser and sets ``run`` (a function of the parsed arguments returning the exit
code).  The CLI discovers them, so adding a command never edits a shared file.
"""
