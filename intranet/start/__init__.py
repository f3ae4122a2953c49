"""The start page, where every signed-in user lands."""

from intranet.start.routes import bp

__all__ = ["bp"]
