"""The officer's start page, never empty: their boards' sub-goals in the plans being followed
up (the active ones, or else the latest), with the latest status,
the deviations on them, and what others changed on them since the officer's last visit."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from intranet.core.clock import utc_now
from intranet.extensions import db
from intranet.matrix.changes import Change, changes_since
from intranet.models import (
    DEVIATION_REASONS,
    DEVIATION_STATUSES,
    STATUSES,
    FocusArea,
    FollowUp,
    Plan,
    StartPageVisit,
    SubGoal,
    SubGoalBoard,
)
from intranet.reading.asof import transaction_at
from intranet.reading.responsibility import responsible_boards, responsible_today
from intranet.reading.snapshot import Snapshot


@dataclass
class BoardSubGoal:
    id: int
    code: str
    title: str
    plan_title: str
    year: int | None = None
    status: str | None = None
    deviation_reason: str | None = None
    # Do the user's boards report for it (main board), or are they involved?
    main: bool = False

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, "")) if self.status else ""

    @property
    def deviation_label(self) -> str | None:
        if self.status not in DEVIATION_STATUSES or not self.deviation_reason:
            return None
        return str(DEVIATION_REASONS.get(self.deviation_reason, self.deviation_reason))


@dataclass
class BoardOverview:
    sub_goals: list[BoardSubGoal]
    last_visit: datetime | None
    changes: list[Change] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def deviations(self) -> list[BoardSubGoal]:
        return [sub_goal for sub_goal in self.sub_goals if sub_goal.deviation_label]


def board_overview(user) -> BoardOverview:
    """The visible sub-goals of the user's boards (plan order), each with its latest
    reported year, and the follow-up changes others made on them since `last_visit`."""
    visible = Snapshot.current().visible
    board_ids = sorted(user.board_ids)
    visit = db.session.get(StartPageVisit, user.id)
    last_visit = visit.visited_at if visit else None
    if not board_ids:
        return BoardOverview([], last_visit)
    plans = db.session.execute(
        select(Plan.id, Plan.status).where(visible(Plan)).order_by(Plan.start_year, Plan.id)
    ).all()
    # The plans being followed up: the active ones, or else the latest (as the matrix).
    current = [plan.id for plan in plans if plan.status == "active"] or [
        plan.id for plan in plans[-1:]
    ]
    records = db.session.execute(
        select(SubGoal.id, SubGoal.code, SubGoal.title, Plan.title.label("plan_title"))
        .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
        .join(Plan, Plan.id == FocusArea.plan_id)
        .where(visible(SubGoal), visible(FocusArea), Plan.id.in_(current))
        .where(
            select(SubGoalBoard.sub_goal_id)
            .where(
                SubGoalBoard.sub_goal_id == SubGoal.id,
                SubGoalBoard.board_id.in_(board_ids),
                responsible_today(),
            )
            .exists()
        )
        .order_by(
            Plan.start_year.desc(),
            Plan.id,
            *FocusArea.reading_order(),
            *SubGoal.reading_order(),
        )
    ).all()
    sub_goals = {r.id: BoardSubGoal(r.id, r.code, r.title, r.plan_title) for r in records}
    for sub_goal_id, boards in responsible_boards(Snapshot.current(), sub_goals).items():
        sub_goals[sub_goal_id].main = bool(boards) and boards[0].id in user.board_ids
    years = set()
    for follow_up in db.session.execute(
        select(FollowUp.sub_goal_id, FollowUp.year, FollowUp.status, FollowUp.deviation_reason)
        .where(FollowUp.sub_goal_id.in_(sub_goals), visible(FollowUp))
        .order_by(FollowUp.year)
    ):
        latest = sub_goals[follow_up.sub_goal_id]
        latest.year, latest.status = follow_up.year, follow_up.status
        latest.deviation_reason = follow_up.deviation_reason
        years.add(follow_up.year)
    overview = BoardOverview(list(sub_goals.values()), last_visit)
    overview.codes = {sub_goal.id: sub_goal.code for sub_goal in overview.sub_goals}
    if last_visit is not None and years:
        found = changes_since(
            transaction_at(last_visit) or 0,
            list(sub_goals),
            range(min(years), max(years) + 1),
            user,
        )
        overview.changes = sorted(
            (change for change in found.values() if change.changed_by_id != user.id),
            key=lambda change: change.changed_at or datetime.min,
            reverse=True,
        )
    return overview


def record_visit(user) -> None:
    """Remember this visit (flushes; the request commits)."""
    visit = db.session.get(StartPageVisit, user.id)
    if visit is None:
        db.session.add(StartPageVisit(user_id=user.id, visited_at=utc_now()))
    else:
        visit.visited_at = utc_now()
    db.session.flush()
