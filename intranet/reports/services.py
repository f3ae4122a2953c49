"""Writes for reports: the board's closing comments and the round import. Change and
flush; the request commits."""

from sqlalchemy import select
from sqlalchemy_continuum import version_class

from intranet.auth.policies import can_write_closing_comments
from intranet.core.errors import EditConflict, NotAllowed
from intranet.db.locking import flush_or_conflict, update_locked
from intranet.extensions import db
from intranet.models import (
    Board,
    Plan,
    ReportComment,
    Transaction,
    User,
)


def find_comment(plan_id: int, board_id: int, year: int | None) -> ReportComment | None:
    return db.session.scalar(
        select(ReportComment).where(
            ReportComment.plan_id == plan_id,
            ReportComment.board_id == board_id,
            ReportComment.year == year if year is not None else ReportComment.year.is_(None),
        )
    )


def save_comment(
    user: User,
    plan: Plan,
    board: Board,
    year: int | None,
    text: str,
    expected_lock_version: int,
) -> ReportComment:
    """Create or update the board's closing comments for the plan and year (None: period).

    `expected_lock_version` is the version the user started from (0 for none yet); if
    someone saved in between, EditConflict is raised instead of overwriting their text.
    Raises NotAllowed (also for officers once the year's round is closed);
    RuleViolation("text") from the model's rules."""
    if not can_write_closing_comments(user, plan.id, board.id, year):
        raise NotAllowed()
    comment = find_comment(plan.id, board.id, year)
    values = {"text": (text or "").strip()}
    if comment is None:
        if expected_lock_version != 0:
            raise EditConflict(None, expected_lock_version)
        comment = ReportComment(plan_id=plan.id, board_id=board.id, year=year, **values)
        db.session.add(comment)
    else:
        update_locked(comment, values, expected_lock_version)
    plan_id, board_id = plan.id, board.id
    flush_or_conflict(lambda: find_comment(plan_id, board_id, year), expected_lock_version)
    return comment


def comment_changed_by(comment: ReportComment | None, lock_version: int) -> list:
    """Who saved `comment` since the user opened it at `lock_version`, and when (UTC)."""
    if comment is None:
        return []
    CommentVersion = version_class(ReportComment)
    return db.session.execute(
        select(User.display_name, Transaction.issued_at)
        .join(CommentVersion, CommentVersion.transaction_id == Transaction.id)
        .outerjoin(User, User.id == Transaction.user_id)
        .where(
            CommentVersion.id == comment.id,
            CommentVersion.lock_version > lock_version,
        )
        .order_by(Transaction.id)
    ).all()
