"""Persistence: the database session's set-up, versioning (SQLAlchemy-Continuum) and the
optimistic locks of concurrent edits."""
