from intranet.plans.routes import bp

__all__ = ["bp"]
