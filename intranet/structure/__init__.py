from intranet.structure.routes import bp

__all__ = ["bp"]
