"""The kinds of record that have a history of their own: one registry.

A kind is named in URLs (`/history/<kind>/<id>`), in the audit log's filter and in the
permission predicates. Everything that differs per kind is looked up by a `RecordKind`
member in a table keyed by it, never by comparing names: here the model, the label and
where a record sits in the structure; the permission per kind in intranet.auth.policies
(KIND_POLICIES); how its history is read and shown in intranet.history.records (KINDS).
tests/history/test_kinds.py holds every such table to cover every kind, and no module to
compare kind names.

Names come in as strings at the edge (a URL segment, a query argument, a template) and are
converted once with `RecordKind.parse`; an unknown name is None (a 404 to the route).
"""

from collections.abc import Callable
from enum import StrEnum

from intranet.core.translation import lazy_gettext as _l
from intranet.models.accounts import Board, User
from intranet.models.followups import FollowUp, ReportingRound
from intranet.models.meetings import Meeting
from intranet.models.plans import Activity, FocusArea, Plan, Strategy, SubGoal, Tag


class RecordKind(StrEnum):
    STRATEGY = "strategy"
    PLAN = "plan"
    FOCUS_AREA = "focus_area"
    SUB_GOAL = "sub_goal"
    FOLLOW_UP = "follow_up"
    ACTIVITY = "activity"
    BOARD = "board"
    USER = "user"

    @classmethod
    def parse(cls, name) -> "RecordKind | None":
        """The kind named `name` (a member or its string), None for anything else."""
        if isinstance(name, cls):
            return name
        try:
            return cls(name)
        except ValueError:
            return None

    @property
    def model(self) -> type:
        return _FACTS[self].model

    @property
    def label(self):
        return _FACTS[self].label

    @property
    def archivable(self) -> bool:
        """Archived and brought back through the history's archive action."""
        return _FACTS[self].archivable

    @property
    def in_plan(self) -> bool:
        """Part of a plan's structure: shown only while it and its parents are not archived
        (the archived rule of intranet.reading.snapshot)."""
        return _FACTS[self].plan_of is not None

    def plan_of(self, record):
        """The plan the record belongs to (itself for a plan); None for kinds outside plans."""
        plan_of = _FACTS[self].plan_of
        return plan_of(record) if plan_of is not None else None

    def sub_goal_of(self, record):
        """The sub-goal the record belongs to (itself for a sub-goal); None above and outside."""
        sub_goal_of = _FACTS[self].sub_goal_of
        return sub_goal_of(record) if sub_goal_of is not None else None


class _Facts:
    __slots__ = ("model", "label", "archivable", "plan_of", "sub_goal_of")

    def __init__(
        self,
        model: type,
        label,
        archivable: bool,
        plan_of: Callable | None = None,
        sub_goal_of: Callable | None = None,
    ):
        self.model, self.label, self.archivable = model, label, archivable
        self.plan_of, self.sub_goal_of = plan_of, sub_goal_of


_FACTS: dict[RecordKind, _Facts] = {
    RecordKind.STRATEGY: _Facts(Strategy, _l("Strategi"), True),
    RecordKind.PLAN: _Facts(Plan, _l("Handlingsplan"), True, lambda plan: plan),
    RecordKind.FOCUS_AREA: _Facts(FocusArea, _l("Fokusområde"), True, lambda area: area.plan),
    RecordKind.SUB_GOAL: _Facts(
        SubGoal, _l("Delmål"), True, lambda sub_goal: sub_goal.plan, lambda sub_goal: sub_goal
    ),
    RecordKind.FOLLOW_UP: _Facts(
        FollowUp,
        _l("Uppföljning"),
        True,
        lambda follow_up: follow_up.sub_goal.plan,
        lambda follow_up: follow_up.sub_goal,
    ),
    RecordKind.ACTIVITY: _Facts(
        Activity,
        _l("Aktivitet"),
        True,
        lambda activity: activity.sub_goal.plan,
        lambda activity: activity.sub_goal,
    ),
    RecordKind.BOARD: _Facts(Board, _l("Nämnd"), False),
    RecordKind.USER: _Facts(User, _l("Användare"), False),
}

# Records the audit log names but that have no history page of their own.
LOGGED_ONLY: dict[type, object] = {
    Tag: _l("Etikett"),
    ReportingRound: _l("Uppföljningsomgång"),
    Meeting: _l("Möte"),
}
