"""Glossator: a static site generator for annotated reading."""

__version__ = "0.1.0"
