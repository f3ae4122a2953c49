"""Planned activities of a sub-goal."""

from sqlalchemy.orm.exc import StaleDataError

from intranet.errors import EditConflict, RuleViolation
from intranet.extensions import db
from intranet.models import Activity, SubGoal


def save_activity(
    sub_goal: SubGoal, activity: Activity | None, values: dict, expected_lock_version: int
) -> Activity:
    """Create (activity None) or update an activity; the years must lie within the plan.

    Raises EditConflict when someone saved the activity since the user opened it, and
    RuleViolation from the model rules.
    """
    if activity is None:
        activity = Activity(sub_goal=sub_goal, **values)
        db.session.add(activity)
    else:
        if activity.is_archived:
            raise RuleViolation("title", "Aktiviteten är arkiverad och kan inte ändras.")
        if activity.lock_version != expected_lock_version:
            raise EditConflict(activity, expected_lock_version)
        for key, value in values.items():
            setattr(activity, key, value)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(db.session.get(Activity, activity.id), expected_lock_version) from None
    return activity
