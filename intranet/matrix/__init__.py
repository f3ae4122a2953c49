from intranet.matrix.routes import bp

__all__ = ["bp"]
