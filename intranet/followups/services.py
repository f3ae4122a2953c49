"""Recording a sub-goal's yearly follow-up: the rules and the optimistic lock."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy_continuum import version_class

from intranet.auth.policies import can_edit_follow_up_year
from intranet.core.errors import EditConflict, NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.locking import flush_or_conflict, update_locked
from intranet.extensions import db
from intranet.models import FollowUp, SubGoal, Transaction, User
from intranet.models.followups import FOLLOW_UP_FIELD_NAMES


def find_follow_up(sub_goal: SubGoal, year: int) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == sub_goal.id, FollowUp.year == year)
    )


def record_follow_up(
    user: User, sub_goal: SubGoal, year: int, values: dict, expected_lock_version: int
) -> FollowUp:
    """Create or update the follow-up of `sub_goal` for `year`, as `user`.

    Raises NotAllowed unless the user may write the year's follow-up
    (can_edit_follow_up_year: the sub-goal's main board, and the round's lock).

    `expected_lock_version` is the version the user started from (0 for a new follow-up);
    if someone saved in between, EditConflict is raised instead of overwriting their work.
    The model rules (deviation reason, years, lengths, personal data) raise RuleViolation.
    """
    if not can_edit_follow_up_year(user, sub_goal, year):
        raise NotAllowed()
    plan = sub_goal.plan
    if not plan.start_year <= year <= plan.end_year:
        raise RuleViolation("year", _l("Året ligger utanför planens period."))
    follow_up = find_follow_up(sub_goal, year)
    if follow_up is None:
        if expected_lock_version != 0:
            raise EditConflict(None, expected_lock_version)
        follow_up = FollowUp(sub_goal=sub_goal, year=year, **values)
        db.session.add(follow_up)
    else:
        if follow_up.is_archived:
            raise RuleViolation("status", _l("Uppföljningen är arkiverad och kan inte ändras."))
        update_locked(follow_up, values, expected_lock_version)
    flush_or_conflict(lambda: find_follow_up(sub_goal, year), expected_lock_version)
    return follow_up


@dataclass
class ChangedMeanwhile:
    field: str
    before: str | None
    now: str | None


@dataclass
class ConflictReport:
    changes: list[ChangedMeanwhile]
    by: list[tuple[str, datetime]]  # who saved since, and when (UTC)


def changes_since(follow_up: FollowUp | None, lock_version: int) -> ConflictReport:
    """What others changed in `follow_up` since the user opened it at `lock_version`."""
    if follow_up is None:
        return ConflictReport([], [])
    FollowUpVersion = version_class(FollowUp)
    base = db.session.scalar(
        select(FollowUpVersion).where(
            FollowUpVersion.id == follow_up.id, FollowUpVersion.lock_version == lock_version
        )
    )
    changes = [
        ChangedMeanwhile(
            field, getattr(base, field, None) if base else None, getattr(follow_up, field)
        )
        for field in FOLLOW_UP_FIELD_NAMES
        if base is None or getattr(base, field) != getattr(follow_up, field)
    ]
    since = base.transaction_id if base is not None else 0
    authors = db.session.execute(
        select(User.display_name, Transaction.issued_at)
        .join(FollowUpVersion, FollowUpVersion.transaction_id == Transaction.id)
        .outerjoin(User, User.id == Transaction.user_id)
        .where(FollowUpVersion.id == follow_up.id, Transaction.id > since)
        .order_by(Transaction.id)
    ).all()
    return ConflictReport(changes, [(name or "–", issued_at) for name, issued_at in authors])
