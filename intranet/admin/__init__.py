"""Administration of user accounts: roles, board memberships, deactivation, passwords."""

from intranet.admin.routes import bp

__all__ = ["bp"]
