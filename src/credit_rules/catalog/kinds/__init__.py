"""Catalog kinds beyond the built-in ones, one module each (see ``catalog.registry``)."""
