from intranet.followups.routes import bp

__all__ = ["bp"]
