"""Fact declarations by question family: each module exports ``SPECS: list[FactSpec]``."""
