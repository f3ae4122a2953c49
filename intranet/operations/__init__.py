"""Operations: backup and restore of the whole database, history included."""

from intranet.operations.cli import init_app

__all__ = ["init_app"]
