"""Who may do what: one place, used by views and templates alike."""

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from intranet.extensions import db
from intranet.models import (
    FocusArea,
    FollowUp,
    Meeting,
    ReportingRound,
    SubGoal,
    SubGoalBoard,
    User,
)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def can_read_past(user: User) -> bool:
    """May the user see data as they stood at an earlier moment (`as_of` on the matrix, its
    exports, the report and its files, the plan and sub-goal pages)? Admins, auditors and
    officers; viewers (the projector account of a meeting) see today only."""
    return user.is_authenticated and user.is_active and user.role in ("admin", "auditor", "officer")


def can_read_record_history(user: User, kind: str, record) -> bool:
    """May the user read the record's history (its versions, who changed it, from where)?

    Admins and auditors: every record. Officers: what their boards own, namely the
    sub-goals one of their boards is responsible for and the follow-ups and activities
    under them, their boards themselves, their own account, and the plans and focus areas
    that hold such a sub-goal (the structure their own work hangs under). Viewers: none.
    """
    if not can_read_past(user):
        return False
    if user.role in ("admin", "auditor"):
        return True
    if user.role != "officer" or record is None:
        return False
    if kind == "sub_goal":
        return bool(user.board_ids & record.board_ids)
    if kind in ("follow_up", "activity"):
        return bool(user.board_ids & record.sub_goal.board_ids)
    if kind == "board":
        return record.id in user.board_ids
    if kind == "user":
        return record.id == user.id
    if kind == "plan":
        return _boards_hold_a_sub_goal(user.board_ids, FocusArea.plan_id == record.id)
    if kind == "focus_area":
        return _boards_hold_a_sub_goal(user.board_ids, SubGoal.focus_area_id == record.id)
    return False


def _boards_hold_a_sub_goal(board_ids: set[int], where) -> bool:
    """Is one of the boards responsible for a sub-goal matching `where` (one query)?"""
    if not board_ids:
        return False
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(SubGoalBoard.sub_goal_id == SubGoal.id)
                .where(SubGoal.focus_area_id == FocusArea.id)
                .where(SubGoalBoard.board_id.in_(board_ids), where)
            )
        )
    )


def can_read_audit_log(user: User) -> bool:
    """The global audit log and its export: administrators and auditors."""
    return user.is_authenticated and user.role in ("admin", "auditor")


def can_verify_history(user: User) -> bool:
    """May the user run the full verification of the history ("verify now")? Admins and
    auditors: it changes no data, and only records that a check ran and what it found."""
    return user.is_authenticated and user.is_active and user.role in ("admin", "auditor")


def can_restore(user: User, kind: str, record) -> bool:
    """Admins restore any record but accounts (those change through account administration);
    officers the sub-goals they may edit and the follow-ups (as long as the year's round is
    open) and activities under them."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return kind != "user"
    if kind == "sub_goal":
        return can_edit_sub_goal(user, record)
    if kind == "follow_up":
        return can_edit_follow_up(user, record)
    if kind == "activity":
        return can_edit_sub_goal(user, record.sub_goal)
    return False


def can_archive(user: User, kind: str, record) -> bool:
    """Admins archive plans, focus areas, sub-goals, activities and follow-ups; officers the
    follow-ups (of open rounds' years) and activities of the sub-goals they may edit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return kind in ("plan", "focus_area", "sub_goal", "activity", "follow_up")
    if kind == "follow_up":
        return can_edit_follow_up(user, record)
    if kind == "activity":
        return can_edit_sub_goal(user, record.sub_goal)
    return False


def can_manage_users(user: User) -> bool:
    """Accounts, their roles and board memberships: administrators."""
    return is_admin(user)


def can_manage_rounds(user: User) -> bool:
    """Opening, closing and reopening reporting rounds: administrators."""
    return is_admin(user)


def can_create_plans(user: User) -> bool:
    """Creating a plan (from the Excel template): administrators."""
    return is_admin(user)


def can_import_round(user: User, reporting_round: ReportingRound) -> bool:
    """May the user read a filled-in round workbook back? Admins and officers responsible
    for at least one of the round's current sub-goals. A closed round is not a permission
    matter: the preview says that it is closed."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return _plan_has_sub_goal(reporting_round.plan_id, None)
    if user.role != "officer" or not user.board_ids:
        return False
    return _plan_has_sub_goal(reporting_round.plan_id, user.board_ids)


def _plan_has_sub_goal(plan_id: int, board_ids: set[int] | None) -> bool:
    """Has the plan a current sub-goal (one of `board_ids` is responsible for, unless None)?"""
    query = (
        select(SubGoal.id)
        .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
        .where(
            FocusArea.plan_id == plan_id,
            FocusArea.archived_at.is_(None),
            SubGoal.archived_at.is_(None),
        )
    )
    if board_ids is not None:
        query = query.join(SubGoalBoard, SubGoalBoard.sub_goal_id == SubGoal.id).where(
            SubGoalBoard.board_id.in_(board_ids)
        )
    return db.session.scalar(select(exists(query))) or False


def sees_own_boards_only(user: User) -> bool:
    """Officers' round workbooks hold their boards' sub-goals; everyone else's the whole
    plan."""
    return user.role == "officer"


def can_edit_for_boards(user: User, board_ids: set[int]) -> bool:
    """Admins edit everything; officers what one of their boards is responsible for."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return True
    return user.role == "officer" and bool(user.board_ids & board_ids)


def can_edit_sub_goal(user: User, sub_goal: SubGoal) -> bool:
    return can_edit_for_boards(user, sub_goal.board_ids)


def can_edit_follow_up(user: User, follow_up: FollowUp) -> bool:
    """As for the sub-goal; once the year's reporting round is closed, admins only."""
    return can_edit_follow_up_year(user, follow_up.sub_goal, follow_up.year)


def can_edit_follow_up_year(
    user: User, sub_goal: SubGoal, year: int, locked: bool | None = None
) -> bool:
    """May the user write the sub-goal's follow-up for the year, existing or not yet?

    The board rule, and the round lock: once the year's reporting round is closed, only
    admins may still correct it. `locked` may be passed by pages that know it already.
    """
    return can_edit_year_for_boards(
        user,
        sub_goal.board_ids,
        ReportingRound.locks(sub_goal.plan.id, year) if locked is None else locked,
    )


def can_edit_year_for_boards(user: User, board_ids: set[int], locked: bool) -> bool:
    return can_edit_for_boards(user, board_ids) and (not locked or user.role == "admin")


def can_write_closing_comments(user: User, plan_id: int, board_id: int | None, year) -> bool:
    """A board's closing comments: its officers and admins; once the year's reporting round
    is closed, admins only, as for that year's follow-ups. The whole period's comments (no
    year) are not locked by a round."""
    if board_id is None:
        return False
    locked = year is not None and ReportingRound.locks(plan_id, year)
    return can_edit_year_for_boards(user, {board_id}, locked)


def can_start_meeting(user: User) -> bool:
    """Starting a meeting over the matrix: whoever takes part in one (admins, officers and
    the meeting's viewer account). Auditors read and never write."""
    return user.is_authenticated and user.is_active and user.role in ("admin", "officer", "viewer")


def can_end_meeting(user: User, meeting: Meeting) -> bool:
    """Ending a meeting: anyone who may start one, not only who started it (the chair may
    have left). That an ended meeting stays ended is a rule of the service, not a
    permission."""
    return can_start_meeting(user)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def template_helpers() -> dict:
    """The predicates for templates, asked for the signed-in user: the same functions the
    routes and services call, so a button is shown exactly when its action is allowed."""
    return {
        predicate.__name__: _for_current_user(predicate)
        for predicate in (
            can_archive,
            can_create_plans,
            can_edit_follow_up,
            can_edit_follow_up_year,
            can_edit_for_boards,
            can_edit_sub_goal,
            can_edit_year_for_boards,
            can_end_meeting,
            can_import_round,
            can_manage_rounds,
            can_manage_users,
            can_read_audit_log,
            can_read_past,
            can_read_record_history,
            can_restore,
            can_start_meeting,
        )
    }


def _for_current_user(predicate):
    @wraps(predicate)
    def asked_for_current_user(*args, **kwargs):
        return predicate(current_user, *args, **kwargs)

    return asked_for_current_user
