"""Meetings over the goal matrix: started and ended, so the next one shows what changed."""

from intranet.meetings.routes import bp

__all__ = ["bp"]
