"""Reporting rounds: opening, closing and reopening them, what they lock, how complete they are.

A round collects one year's follow-ups of one plan by a deadline. Closing it locks that
year's follow-ups for officers; reopening is an admin's decision recorded with a note.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from intranet.auth.policies import can_manage_rounds
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import FocusArea, FollowUp, Plan, ReportingRound, SubGoal, User
from intranet.plans.lifecycle import check_round_allowed


def open_round(user: User, plan: Plan, year: int | None, deadline: date | None) -> ReportingRound:
    """Open a round for a plan and year. Admins only; one round per plan and year.

    Raises NotAllowed, or RuleViolation on the plan (a draft or closed plan gets no round,
    see intranet.plans.lifecycle), the year or the deadline."""
    if not can_manage_rounds(user):
        raise NotAllowed()
    check_round_allowed(plan)
    if year is not None and db.session.scalar(
        select(ReportingRound.id).where(
            ReportingRound.plan_id == plan.id, ReportingRound.year == year
        )
    ):
        raise RuleViolation("year", _l("Det finns redan en uppföljningsomgång för det året."))
    reporting_round = ReportingRound(plan=plan, year=year, deadline=deadline, is_open=True)
    db.session.add(reporting_round)
    db.session.flush()
    return reporting_round


def set_round_open(user: User, reporting_round: ReportingRound, is_open: bool, note: str | None):
    """Close a round (locking its follow-ups) or reopen it. Admins only.

    Reopening unlocks reported data, so it must say why: the note goes into the history.
    Raises NotAllowed, or RuleViolation("note") when a reopening has no reason."""
    if not can_manage_rounds(user):
        raise NotAllowed()
    note = (note or "").strip()
    if is_open and not reporting_round.is_open and not note:
        raise RuleViolation("note", _l("Ange varför omgången öppnas igen."))
    if note:
        set_change_note(note)
    reporting_round.is_open = is_open
    db.session.flush()


def plan_sub_goals(plan_id: int) -> list[SubGoal]:
    """The plan's current (not archived) sub-goals, in reading order."""
    return list(
        db.session.scalars(
            select(SubGoal)
            .join(FocusArea)
            .where(
                FocusArea.plan_id == plan_id,
                FocusArea.archived_at.is_(None),
                SubGoal.archived_at.is_(None),
            )
            .order_by(*FocusArea.reading_order(), *SubGoal.reading_order())
        )
    )


def reported_sub_goal_ids(plan_id: int, year: int) -> set[int]:
    """Sub-goals with a follow-up for the year whose status says something has happened."""
    return set(
        db.session.scalars(
            select(FollowUp.sub_goal_id)
            .join(SubGoal)
            .join(FocusArea)
            .where(
                FocusArea.plan_id == plan_id,
                FollowUp.year == year,
                FollowUp.archived_at.is_(None),
                FollowUp.status != "not_started",
            )
        )
    )


@dataclass
class BoardCompleteness:
    board_id: int
    board_name: str
    reported: int
    total: int
    missing: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.total) if self.total else 100


def completeness(reporting_round: ReportingRound) -> list[BoardCompleteness]:
    """Per responsible board: how many of its sub-goals have been reported for the year.

    The main board reports, so a sub-goal counts for its main board only."""
    reported = reported_sub_goal_ids(reporting_round.plan_id, reporting_round.year)
    per_board: dict[int, BoardCompleteness] = {}
    for sub_goal in plan_sub_goals(reporting_round.plan_id):
        for board in sub_goal.boards[:1]:
            entry = per_board.setdefault(
                board.id, BoardCompleteness(board.id, board.name, 0, 0, [])
            )
            entry.total += 1
            if sub_goal.id in reported:
                entry.reported += 1
            else:
                entry.missing.append(sub_goal.code)
    return sorted(per_board.values(), key=lambda entry: entry.board_name)


@dataclass
class PendingRound:
    reporting_round: ReportingRound
    sub_goals: list[SubGoal]


def pending_for(user: User) -> list[PendingRound]:
    """Open rounds with the sub-goals the user's boards report for (as main board) that
    still lack a report."""
    if not user.board_ids:
        return []
    pending = []
    for reporting_round in open_rounds():
        reported = reported_sub_goal_ids(reporting_round.plan_id, reporting_round.year)
        missing = [
            sub_goal
            for sub_goal in plan_sub_goals(reporting_round.plan_id)
            if sub_goal.main_board_ids & user.board_ids and sub_goal.id not in reported
        ]
        if missing:
            pending.append(PendingRound(reporting_round, missing))
    return pending


def open_rounds() -> list[ReportingRound]:
    return list(
        db.session.scalars(
            select(ReportingRound)
            .join(Plan)
            .where(ReportingRound.is_open.is_(True), Plan.archived_at.is_(None))
            .order_by(ReportingRound.deadline, ReportingRound.id)
        )
    )


def all_rounds() -> list[ReportingRound]:
    return list(
        db.session.scalars(
            select(ReportingRound)
            .join(Plan)
            .where(Plan.archived_at.is_(None))
            .order_by(ReportingRound.year.desc(), Plan.title)
        )
    )
