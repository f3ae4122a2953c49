"""Lineage across plan periods: starting the next plan from this one, and the links from a
sub-goal to the earlier one it continues."""

from intranet.lineage.routes import bp

__all__ = ["bp"]
