"""Planned activities of a sub-goal."""

from intranet.auth.policies import can_edit_sub_goal
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.locking import flush_or_conflict, update_locked
from intranet.extensions import db
from intranet.models import Activity, SubGoal, User


def save_activity(
    user: User,
    sub_goal: SubGoal,
    activity: Activity | None,
    values: dict,
    expected_lock_version: int,
) -> Activity:
    """Create (activity None) or update an activity; the model checks its years (none, or
    starting within the plan and ending within the strategy).

    Raises NotAllowed unless the user may edit the sub-goal's activities
    (can_edit_sub_goal), EditConflict when someone saved the activity since the user opened it, and
    RuleViolation from the model rules.
    """
    if not can_edit_sub_goal(user, sub_goal):
        raise NotAllowed()
    if activity is None:
        activity = Activity(sub_goal=sub_goal, **values)
        db.session.add(activity)
    else:
        if activity.is_archived:
            raise RuleViolation("title", _l("Aktiviteten är arkiverad och kan inte ändras."))
        update_locked(activity, values, expected_lock_version)
    flush_or_conflict(lambda: db.session.get(Activity, activity.id), expected_lock_version)
    return activity
