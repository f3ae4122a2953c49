from intranet.rounds.routes import bp

__all__ = ["bp"]
