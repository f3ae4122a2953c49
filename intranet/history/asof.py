"""Reading the data as they stood at a past moment, straight from the version tables.

A moment maps to the last history transaction issued at or before it; a version row is
valid at transaction T when it was written at or before T and not yet superseded at T
(the validity strategy's end_transaction_id), which indexed queries answer directly.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy_continuum import version_class

from intranet.extensions import db
from intranet.models import (
    ACTIVITY_STATUSES,
    PLAN_STATUSES,
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    SubGoal,
    SubGoalBoard,
    SubGoalTag,
    Tag,
    Transaction,
)
from intranet.models.followups import FollowUpLabels
from intranet.naturalsort import natural_key
from intranet.permissions import can_read_past, require

DELETE = 2  # Continuum's operation_type for a deleted row


def transaction_at(moment: datetime) -> int | None:
    """The id of the last transaction issued at or before `moment` (naive UTC), or None."""
    return db.session.scalar(
        select(func.max(Transaction.id)).where(Transaction.issued_at <= moment)
    )


def valid_at(version_class, transaction_id: int) -> ColumnElement[bool]:
    """Filter for the versions of `version_class` that were current at `transaction_id`."""
    return and_(
        version_class.transaction_id <= transaction_id,
        or_(
            version_class.end_transaction_id > transaction_id,
            version_class.end_transaction_id.is_(None),
        ),
        version_class.operation_type != DELETE,
    )


# --- which moment a request asks for ----------------------------------------------------

_AS_OF = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$")
# Nothing the application holds is older; earlier years would also overflow the time-zone
# arithmetic (year 1 in Stockholm is still year 0 in UTC).
EARLIEST_DAY = date(1900, 1, 1)
TOO_EARLY = _l("Ange ett datum från och med %(day)s.", day=EARLIEST_DAY.isoformat())


class BadMoment(ValueError):
    """An as_of value that is not a date (and time) the app can use."""


@dataclass(frozen=True)
class Moment:
    text: str  # as the user gave it, normalised: "2020-12-31" or "2020-12-31 14:30"
    utc: datetime  # naive UTC, inclusive upper bound, never later than now


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def parse_as_of(value: str, now: datetime | None = None) -> Moment:
    """The one reading of `as_of` for every page, export and report.

    `YYYY-MM-DD` means the end of that day, `YYYY-MM-DDTHH:MM` (or with a space) the end of
    that minute, both in Europe/Stockholm. A later day than today (Stockholm) has not
    happened yet and is refused; a moment later today means now (`now`, naive UTC,
    defaults to the clock). Days before 1900 are refused too. Raises BadMoment with a
    message for the user.
    """
    match = _AS_OF.match((value or "").strip())
    if not match:
        raise BadMoment(
            _l("Ange datum som ÅÅÅÅ-MM-DD, eventuellt med klockslag: ÅÅÅÅ-MM-DD TT:MM.")
        )
    day_text, time_text = match.groups()
    try:
        day = date.fromisoformat(day_text)
        clock = time.fromisoformat(time_text) if time_text else None
    except ValueError:
        raise BadMoment(_l("Datumet eller tiden finns inte.")) from None
    now = now or utc_now()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = now.replace(tzinfo=UTC).astimezone(zone).date()
    # Checked before any arithmetic, so that 9999-12-31 plus a day never overflows.
    if day > today:
        raise BadMoment(_l("Datumet kan inte ligga i framtiden."))
    if day < EARLIEST_DAY:
        raise BadMoment(TOO_EARLY)
    if clock is None:
        local_end = datetime.combine(day + timedelta(days=1), time())
    else:
        local_end = datetime.combine(day, clock) + timedelta(minutes=1)
    utc_end = local_end.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    text = day_text if clock is None else f"{day_text} {time_text}"
    return Moment(text, min(utc_end - timedelta(microseconds=1), now))


@dataclass(frozen=True)
class AsOf:
    """What a request asked for with `as_of`: nothing (`value` empty), a moment, or an
    error message for the user."""

    value: str = ""
    moment: Moment | None = None
    error: str | None = None

    @property
    def asked(self) -> bool:
        return bool(self.value)


def as_of_from_request() -> AsOf:
    """The `as_of` of the current request, read by parse_as_of.

    Every view that accepts `as_of` reads it here, so that one permission decides who may
    see the past: asking at all (any value, valid or not) without can_read_past is a 403.
    An empty value asks for nothing.
    """
    value = (request.args.get("as_of") or "").strip()
    if not value:
        return AsOf()
    require(can_read_past(current_user))
    try:
        return AsOf(value, parse_as_of(value))
    except BadMoment as bad:
        return AsOf(value, error=str(bad.args[0]))


# --- the plan and sub-goal pages as they stood -------------------------------------------


@dataclass
class FollowUpAsOf(FollowUpLabels):
    id: int
    year: int
    status: str
    outcome: str | None
    deviation_reason: str | None
    deviation_text: str | None
    next_steps: str | None


@dataclass
class ActivityAsOf:
    id: int
    title: str
    description: str | None
    planned_from_year: int
    planned_to_year: int
    responsible_unit: str | None
    status: str

    @property
    def status_label(self) -> str:
        return str(ACTIVITY_STATUSES.get(self.status, self.status))


@dataclass
class SubGoalAsOf:
    id: int
    code: str
    title: str
    description: str | None
    cross_references: str | None
    focus_area_id: int
    boards: list[str] = field(default_factory=list)
    tags: dict[str, list[str]] = field(default_factory=dict)
    follow_ups: list[FollowUpAsOf] = field(default_factory=list)
    activities: list[ActivityAsOf] = field(default_factory=list)

    @property
    def latest_follow_up(self) -> FollowUpAsOf | None:
        return self.follow_ups[-1] if self.follow_ups else None


@dataclass
class FocusAreaAsOf:
    id: int
    number: str
    title: str
    sub_goals: list[SubGoalAsOf] = field(default_factory=list)


@dataclass
class PlanAsOf:
    id: int
    title: str
    start_year: int
    end_year: int
    status: str
    description: str | None
    focus_areas: list[FocusAreaAsOf] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUSES.get(self.status, self.status))


def _current(model, transaction_id: int, *conditions):
    """Versions of `model` valid at the transaction and not archived at that time."""
    Version = version_class(model)
    query = select(Version).where(valid_at(Version, transaction_id), *conditions)
    if hasattr(Version, "archived_at"):
        query = query.where(Version.archived_at.is_(None))
    return list(db.session.scalars(query))


def _fill_sub_goals(sub_goals: list[SubGoalAsOf], transaction_id: int, details: bool) -> None:
    """Boards, follow-ups (and with `details` tags and activities), a fixed number of
    queries whatever the number of sub-goals."""
    ids = [sub_goal.id for sub_goal in sub_goals]
    by_id = {sub_goal.id: sub_goal for sub_goal in sub_goals}
    BoardLink, BoardVersion = version_class(SubGoalBoard), version_class(Board)
    board_rows = db.session.execute(
        select(BoardLink.sub_goal_id, BoardVersion.name)
        .join(BoardVersion, BoardVersion.id == BoardLink.board_id)
        .where(
            BoardLink.sub_goal_id.in_(ids),
            valid_at(BoardLink, transaction_id),
            valid_at(BoardVersion, transaction_id),
        )
        .order_by(BoardVersion.name)
    )
    for sub_goal_id, name in board_rows:
        by_id[sub_goal_id].boards.append(name)
    FollowUpVersion = version_class(FollowUp)
    for row in sorted(
        _current(FollowUp, transaction_id, FollowUpVersion.sub_goal_id.in_(ids)),
        key=lambda row: row.year,
    ):
        by_id[row.sub_goal_id].follow_ups.append(
            FollowUpAsOf(
                row.id,
                row.year,
                row.status,
                row.outcome,
                row.deviation_reason,
                row.deviation_text,
                row.next_steps,
            )
        )
    if not details:
        return
    TagLink, TagVersion = version_class(SubGoalTag), version_class(Tag)
    tag_rows = db.session.execute(
        select(TagLink.sub_goal_id, TagVersion.kind, TagVersion.name)
        .join(TagVersion, TagVersion.id == TagLink.tag_id)
        .where(
            TagLink.sub_goal_id.in_(ids),
            valid_at(TagLink, transaction_id),
            valid_at(TagVersion, transaction_id),
        )
        .order_by(TagVersion.name)
    )
    for sub_goal_id, kind, name in tag_rows:
        by_id[sub_goal_id].tags.setdefault(kind, []).append(name)
    ActivityVersion = version_class(Activity)
    for row in sorted(
        _current(Activity, transaction_id, ActivityVersion.sub_goal_id.in_(ids)),
        key=lambda row: (row.planned_from_year, row.id),
    ):
        by_id[row.sub_goal_id].activities.append(
            ActivityAsOf(
                row.id,
                row.title,
                row.description,
                row.planned_from_year,
                row.planned_to_year,
                row.responsible_unit,
                row.status,
            )
        )


def _sub_goal(row) -> SubGoalAsOf:
    return SubGoalAsOf(
        row.id, row.code, row.title, row.description, row.cross_references, row.focus_area_id
    )


def plan_as_of(plan_id: int, transaction_id: int) -> PlanAsOf | None:
    """The plan with its focus areas, sub-goals, responsible boards and follow-ups as they
    stood at the transaction; None if the plan did not exist (or was archived) then."""
    PlanVersion = version_class(Plan)
    rows = _current(Plan, transaction_id, PlanVersion.id == plan_id)
    if not rows:
        return None
    row = rows[0]
    plan = PlanAsOf(row.id, row.title, row.start_year, row.end_year, row.status, row.description)
    FocusAreaVersion, SubGoalVersion = version_class(FocusArea), version_class(SubGoal)
    areas = {
        area.id: FocusAreaAsOf(area.id, area.number, area.title)
        for area in sorted(
            _current(FocusArea, transaction_id, FocusAreaVersion.plan_id == plan_id),
            key=lambda area: natural_key(area.number),
        )
    }
    sub_goals = [
        _sub_goal(row)
        for row in sorted(
            _current(SubGoal, transaction_id, SubGoalVersion.focus_area_id.in_(list(areas))),
            key=lambda row: natural_key(row.code),
        )
    ]
    _fill_sub_goals(sub_goals, transaction_id, details=False)
    for sub_goal in sub_goals:
        areas[sub_goal.focus_area_id].sub_goals.append(sub_goal)
    plan.focus_areas = list(areas.values())
    return plan


@dataclass
class SubGoalPageAsOf:
    sub_goal: SubGoalAsOf
    focus_area: FocusAreaAsOf
    plan: PlanAsOf


def sub_goal_as_of(sub_goal_id: int, transaction_id: int) -> SubGoalPageAsOf | None:
    """The sub-goal with its links, follow-ups and activities as they stood at the
    transaction; None if it did not exist (or was archived) then."""
    SubGoalVersion = version_class(SubGoal)
    rows = _current(SubGoal, transaction_id, SubGoalVersion.id == sub_goal_id)
    if not rows:
        return None
    sub_goal = _sub_goal(rows[0])
    _fill_sub_goals([sub_goal], transaction_id, details=True)
    FocusAreaVersion, PlanVersion = version_class(FocusArea), version_class(Plan)
    area_row = db.session.scalar(
        select(FocusAreaVersion).where(
            FocusAreaVersion.id == sub_goal.focus_area_id,
            valid_at(FocusAreaVersion, transaction_id),
        )
    )
    if area_row is None:
        return None
    plan_row = db.session.scalar(
        select(PlanVersion).where(
            PlanVersion.id == area_row.plan_id, valid_at(PlanVersion, transaction_id)
        )
    )
    if plan_row is None:
        return None
    plan = PlanAsOf(
        plan_row.id,
        plan_row.title,
        plan_row.start_year,
        plan_row.end_year,
        plan_row.status,
        plan_row.description,
    )
    area = FocusAreaAsOf(area_row.id, area_row.number, area_row.title)
    return SubGoalPageAsOf(sub_goal, area, plan)
