"""Writes for reports: the board's closing comments and the round import. Change and
flush; the request commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from intranet.errors import NotAllowed
from intranet.extensions import db
from intranet.models import Board, FollowUp, Plan, ReportComment, ReportingRound, User
from intranet.reports.imports import ImportPreview, preview_round_import
from intranet.versioning import set_change_note


def can_write_comment(user: User, board_id: int | None) -> bool:
    """Officers of the board and admins write a board's closing comments."""
    if board_id is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role == "admin" or (user.role == "officer" and board_id in user.board_ids)


def save_comment(
    user: User, plan: Plan, board: Board, year: int | None, text: str
) -> ReportComment:
    """Create or update the board's closing comments for the plan and year (None: period).

    Raises NotAllowed; RuleViolation("text") from the model's rules."""
    if not can_write_comment(user, board.id):
        raise NotAllowed()
    comment = db.session.scalar(
        select(ReportComment).where(
            ReportComment.plan_id == plan.id,
            ReportComment.board_id == board.id,
            ReportComment.year == year if year is not None else ReportComment.year.is_(None),
        )
    )
    if comment is None:
        comment = ReportComment(plan_id=plan.id, board_id=board.id, year=year, text="")
        db.session.add(comment)
    comment.text = (text or "").strip()
    db.session.flush()
    return comment


def import_round(user: User, reporting_round: ReportingRound, content: bytes) -> ImportPreview:
    """Write every change of a previewed round workbook, or nothing when any row has an error.

    All changes go into the caller's one transaction, so they form one history entry."""
    preview = preview_round_import(user, reporting_round, content)
    if not preview.ok:
        return preview
    set_change_note(_("Import från Excel: uppföljning %(year)s", year=reporting_round.year))
    for change in preview.changes:
        follow_up = change.follow_up
        if follow_up is None:
            follow_up = FollowUp(sub_goal=change.sub_goal, year=reporting_round.year)
            db.session.add(follow_up)
        for name, value in change.values.items():
            setattr(follow_up, name, value)
    db.session.flush()
    return preview
