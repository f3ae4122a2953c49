from intranet.activities.routes import bp

__all__ = ["bp"]
