"""Who may do what: one place, used by views and templates alike."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from intranet.extensions import db
from intranet.models import (
    FocusArea,
    FollowUp,
    Meeting,
    Plan,
    RecordKind,
    ReportingRound,
    SubGoal,
    SubGoalBoard,
    User,
)
from intranet.reading.responsibility import responsible_today


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def can_read_past(user: User) -> bool:
    """May the user see data as they stood at an earlier moment (`as_of` on the matrix, its
    exports, the report and its files, the plan and sub-goal pages)? Admins, auditors and
    officers; viewers (the projector account of a meeting) see today only."""
    return user.is_authenticated and user.is_active and user.role in ("admin", "auditor", "officer")


def can_read_record_history(user: User, kind: RecordKind | str, record) -> bool:
    """May the user read the record's history (its versions, who changed it, from where)?

    Admins and auditors: every record. Officers: what their boards own, namely the
    sub-goals one of their boards is responsible for today, as main or as involved board
    (involved boards read and comment, see can_edit_for_boards), and the follow-ups and activities
    under them, their boards themselves, their own account, and the plans and focus areas
    that hold such a sub-goal (the structure their own work hangs under). Viewers: none.
    """
    policy = _policy(kind)
    if policy is None or not can_read_past(user):
        return False
    if user.role in ("admin", "auditor"):
        return True
    if user.role != "officer" or record is None:
        return False
    return policy.officer_reads(user, record)


def _boards_hold_a_sub_goal(board_ids: set[int], where) -> bool:
    """Is one of the boards responsible today (main or involved) for a sub-goal matching
    `where` (one query)?"""
    if not board_ids:
        return False
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(SubGoalBoard.sub_goal_id == SubGoal.id)
                .where(SubGoal.focus_area_id == FocusArea.id)
                .where(SubGoalBoard.board_id.in_(board_ids), responsible_today(), where)
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


def can_restore(user: User, kind: RecordKind | str, record) -> bool:
    """Admins restore any record but accounts (those change through account administration);
    officers the sub-goals they may edit and the follow-ups (as long as the year's round is
    open) and activities under them.

    This decides who may ask for a restore. What a restore changes is then held to the
    predicates of the forms that change each part (intranet.history.restoring): a version that
    would change a part the user may not change is refused as a whole."""
    return _kind_action_allowed(user, kind, record, "restore")


def can_archive(user: User, kind: RecordKind | str, record) -> bool:
    """Admins archive strategies, plans, focus areas, sub-goals, activities and follow-ups;
    a plan's owners its focus areas and sub-goals (see can_edit_structure); officers the
    follow-ups (of open rounds' years) and activities of the sub-goals they may edit."""
    return _kind_action_allowed(user, kind, record, "archive")


def can_manage_users(user: User) -> bool:
    """Accounts, their roles and board memberships: administrators."""
    return is_admin(user)


def can_manage_boards(user: User) -> bool:
    """Creating, renaming and archiving boards and companies: administrators."""
    return is_admin(user)


def can_enter_boards(user: User) -> bool:
    """The board pages at all: whoever may manage or reorganise boards."""
    return can_manage_boards(user) or can_reorganise_boards(user)


def can_reorganise_boards(user: User) -> bool:
    """Merging and splitting boards (moving responsibility and memberships from a day):
    administrators."""
    return is_admin(user)


def can_manage_rounds(user: User) -> bool:
    """Opening, closing and reopening reporting rounds: administrators."""
    return is_admin(user)


def can_create_plans(user: User) -> bool:
    """Creating a plan (from the Excel template or the form) or a strategy, and editing a
    strategy: administrators."""
    return is_admin(user)


def is_closed(plan) -> bool:
    """A closed plan (a Plan or a plan_tree node) is read-only but for admins' corrections."""
    return plan is not None and plan.status == "closed"


def can_edit_structure(user: User, plan) -> bool:
    """May the user edit the plan (its title, years, owner board) and create, edit, reorder
    and archive its focus areas and sub-goals?

    Admins: always, a closed plan included (corrections). Officers of the plan's owner
    board (a plan may name one; most do not): while the plan is not closed. Ask it of
    the Plan record: a plan_tree node carries no owner, so for a node only admins qualify."""
    if not user.is_authenticated or not user.is_active or plan is None:
        return False
    if user.role == "admin":
        return True
    owner = getattr(plan, "owner_board_id", None)
    return user.role == "officer" and owner in user.board_ids and not is_closed(plan)


def can_change_plan_status(user: User, plan, status: str | None = None) -> bool:
    """Moving a plan through its lifecycle (intranet.plans.lifecycle) to `status`, or with
    None to any status it may move to: administrators, along an allowed transition
    (draft → active → closed; closed → active reopens)."""
    if not is_admin(user) or plan is None:
        return False
    targets = [target for target, _label in plan.status_actions]
    return bool(targets) if status is None else status in targets


def can_start_next_plan(user: User, plan) -> bool:
    """Starting the next period's plan from this one: administrators, from a plan that is
    active or closed (a draft has not yet been the plan of any period)."""
    return is_admin(user) and plan is not None and plan.status in ("active", "closed")


def can_edit_lineage(user: User, sub_goal) -> bool:
    """Linking a sub-goal to the earlier one it continues, or unlinking it: administrators
    (it changes how every plan's history is read, not one board's work)."""
    return is_admin(user) and sub_goal is not None


def can_import_round(user: User, reporting_round: ReportingRound) -> bool:
    """May the user read a filled-in round workbook back? Admins and officers of the main
    board of at least one of the round's current sub-goals (those report). A closed round
    is not a permission matter: the preview says that it is closed."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return _plan_has_sub_goal(reporting_round.plan_id, None)
    if user.role != "officer" or not user.board_ids:
        return False
    if not _plan_has_sub_goal(reporting_round.plan_id, user.board_ids):
        return False
    # Responsible, but maybe only as an involved board: which board is main is decided by
    # the ordered links (SubGoal.main_board_ids), not by one SQL condition.
    sub_goals = db.session.scalars(
        select(SubGoal)
        .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
        .join(SubGoalBoard, SubGoalBoard.sub_goal_id == SubGoal.id)
        .where(
            FocusArea.plan_id == reporting_round.plan_id,
            FocusArea.archived_at.is_(None),
            SubGoal.archived_at.is_(None),
            SubGoalBoard.board_id.in_(user.board_ids),
            responsible_today(),
        )
    )
    return any(sub_goal.main_board_ids & user.board_ids for sub_goal in sub_goals)


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
            SubGoalBoard.board_id.in_(board_ids), responsible_today()
        )
    return db.session.scalar(select(exists(query))) or False


def sees_own_boards_only(user: User) -> bool:
    """Officers' round workbooks hold the sub-goals their boards report for; everyone
    else's the whole plan."""
    return user.role == "officer"


def can_edit_for_boards(user: User, board_ids: set[int]) -> bool:
    """Admins edit everything; officers what one of their boards reports for. Callers pass
    the sub-goal's main board (`main_board_ids`): the main board reports (follow-ups and
    activities); involved boards read the sub-goal and its history and comment on it in
    their own closing comments (can_write_closing_comments), but do not report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return True
    return user.role == "officer" and bool(user.board_ids & board_ids)


def can_edit_sub_goal(user: User, sub_goal: SubGoal) -> bool:
    """The sub-goal's activities and follow-ups: admins and its main board's officers;
    once its plan is closed, admins only."""
    if is_closed(sub_goal.plan) and not is_admin(user):
        return False
    return can_edit_for_boards(user, sub_goal.main_board_ids)


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
        sub_goal.main_board_ids,
        ReportingRound.locks(sub_goal.plan.id, year) if locked is None else locked,
    )


def can_edit_year_for_boards(user: User, board_ids: set[int], locked: bool) -> bool:
    return can_edit_for_boards(user, board_ids) and (not locked or user.role == "admin")


def can_write_closing_comments(user: User, plan_id: int, board_id: int | None, year) -> bool:
    """A board's closing comments: its officers and admins; once the year's reporting round
    is closed, admins only, as for that year's follow-ups. The whole period's comments (no
    year) are not locked by a round. This is how an involved board comments: its closing
    comments cover every sub-goal it is main or involved board for (the board's report)."""
    if board_id is None:
        return False
    if year is None:
        locked = db.session.scalar(select(Plan.status).where(Plan.id == plan_id)) == "closed"
    else:
        locked = ReportingRound.locks(plan_id, year)
    return can_edit_year_for_boards(user, {board_id}, locked)


def can_start_meeting(user: User) -> bool:
    """Starting a meeting over the matrix: whoever takes part in one (admins, officers and
    the meeting's viewer account). Auditors read and never write."""
    return user.is_authenticated and user.is_active and user.role in ("admin", "officer", "viewer")


def can_end_meeting(user: User, meeting: Meeting) -> bool:
    """Ending a meeting: who started it, or an admin (when the chair has left). Anyone
    else ending it would cut every participant's "since the last meeting" short. That an
    ended meeting stays ended is a rule of the service, not a permission."""
    return can_start_meeting(user) and (user.role == "admin" or meeting.started_by_id == user.id)


def _nobody(user: User, record) -> bool:
    return False


@dataclass(frozen=True)
class KindPolicy:
    """Who besides admins and auditors may act on a record of one kind, each predicate
    asked with (user, record): `officer_reads` its history (officers), `restore` and
    `archive` it (anyone but admins, who always may); None: the action does not exist for
    the kind, not even for admins."""

    officer_reads: Callable[[User, object], bool]
    restore: Callable[[User, object], bool] | None
    archive: Callable[[User, object], bool] | None


KIND_POLICIES: dict[RecordKind, KindPolicy] = {
    RecordKind.STRATEGY: KindPolicy(_nobody, restore=_nobody, archive=_nobody),
    RecordKind.PLAN: KindPolicy(
        lambda user, plan: _boards_hold_a_sub_goal(user.board_ids, FocusArea.plan_id == plan.id),
        restore=_nobody,
        archive=_nobody,
    ),
    RecordKind.FOCUS_AREA: KindPolicy(
        lambda user, area: _boards_hold_a_sub_goal(
            user.board_ids, SubGoal.focus_area_id == area.id
        ),
        restore=_nobody,
        archive=lambda user, area: can_edit_structure(user, area.plan),
    ),
    RecordKind.SUB_GOAL: KindPolicy(
        lambda user, sub_goal: bool(user.board_ids & sub_goal.board_ids),
        restore=lambda user, sub_goal: can_edit_sub_goal(user, sub_goal),
        archive=lambda user, sub_goal: can_edit_structure(user, sub_goal.focus_area.plan),
    ),
    RecordKind.FOLLOW_UP: KindPolicy(
        lambda user, follow_up: bool(user.board_ids & follow_up.sub_goal.board_ids),
        restore=lambda user, follow_up: can_edit_follow_up(user, follow_up),
        archive=lambda user, follow_up: can_edit_follow_up(user, follow_up),
    ),
    RecordKind.ACTIVITY: KindPolicy(
        lambda user, activity: bool(user.board_ids & activity.sub_goal.board_ids),
        restore=lambda user, activity: can_edit_sub_goal(user, activity.sub_goal),
        archive=lambda user, activity: can_edit_sub_goal(user, activity.sub_goal),
    ),
    RecordKind.BOARD: KindPolicy(
        lambda user, board: board.id in user.board_ids, restore=_nobody, archive=None
    ),
    # Accounts change through account administration only.
    RecordKind.USER: KindPolicy(
        lambda user, account: account.id == user.id, restore=None, archive=None
    ),
}


def _kind_action_allowed(user: User, kind, record, action: str) -> bool:
    """An active user may restore or archive (`action`) a record of a kind that has the
    action: admins always, others as the kind's policy says."""
    rule = getattr(_policy(kind), action, None)
    if rule is None or record is None or not (user.is_authenticated and user.is_active):
        return False
    return user.role == "admin" or rule(user, record)


def _policy(kind) -> KindPolicy | None:
    found = RecordKind.parse(kind)
    return KIND_POLICIES[found] if found is not None else None


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
            can_change_plan_status,
            can_create_plans,
            can_edit_structure,
            can_edit_follow_up,
            can_edit_follow_up_year,
            can_edit_for_boards,
            can_edit_lineage,
            can_edit_sub_goal,
            can_edit_year_for_boards,
            can_end_meeting,
            can_import_round,
            can_manage_boards,
            can_manage_rounds,
            can_manage_users,
            can_read_audit_log,
            can_read_past,
            can_read_record_history,
            can_reorganise_boards,
            can_restore,
            can_start_next_plan,
            can_start_meeting,
        )
    }


def _for_current_user(predicate):
    @wraps(predicate)
    def asked_for_current_user(*args, **kwargs):
        return predicate(current_user, *args, **kwargs)

    return asked_for_current_user
