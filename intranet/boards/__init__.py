"""Boards and municipal companies: their administration and reorganisations."""

from intranet.boards.routes import bp

__all__ = ["bp"]
