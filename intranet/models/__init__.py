"""All models, in one place. Versioning is set up before the first model is defined."""

from intranet.db.versioning import setup_versioning

setup_versioning()

import sqlalchemy as sa  # noqa: E402

from intranet.models.accounts import (  # noqa: E402
    BOARD_KINDS,
    ROLES,
    Board,
    LoginFailures,
    Membership,
    User,
)
from intranet.models.followups import (  # noqa: E402
    DEVIATION_REASONS,
    DEVIATION_STATUSES,
    FOLLOW_UP_FIELDS,
    STATUSES,
    FollowUp,
    ReportingRound,
)
from intranet.models.history import IntegrityCheck, IntegrityLease, Transaction  # noqa: E402
from intranet.models.kinds import LOGGED_ONLY, RecordKind  # noqa: E402
from intranet.models.lineage import SubGoalLineage  # noqa: E402
from intranet.models.meetings import Meeting, MeetingAttendance  # noqa: E402
from intranet.models.plans import (  # noqa: E402
    ACTIVITY_FIELDS,
    ACTIVITY_STATUSES,
    FOCUS_AREA_FIELDS,
    PLAN_FIELDS,
    PLAN_STATUSES,
    PLAN_TRANSITIONS,
    STRATEGY_FIELDS,
    SUB_GOAL_FIELDS,
    TAG_KINDS,
    Activity,
    FocusArea,
    Plan,
    Strategy,
    SubGoal,
    SubGoalBoard,
    SubGoalTag,
    Tag,
)
from intranet.models.preferences import UserPreference, WriteCount  # noqa: E402
from intranet.models.reports import ReportComment  # noqa: E402
from intranet.models.visits import StartPageVisit  # noqa: E402

# Continuum builds the version classes when mappers are configured; without this the
# version tables are missing from the metadata (and Alembic would propose dropping them).
sa.orm.configure_mappers()

__all__ = [
    "LOGGED_ONLY",
    "RecordKind",
    "ACTIVITY_FIELDS",
    "ACTIVITY_STATUSES",
    "FOCUS_AREA_FIELDS",
    "FOLLOW_UP_FIELDS",
    "PLAN_FIELDS",
    "STRATEGY_FIELDS",
    "SUB_GOAL_FIELDS",
    "DEVIATION_REASONS",
    "DEVIATION_STATUSES",
    "PLAN_STATUSES",
    "BOARD_KINDS",
    "PLAN_TRANSITIONS",
    "ROLES",
    "STATUSES",
    "StartPageVisit",
    "TAG_KINDS",
    "Activity",
    "Board",
    "FocusArea",
    "FollowUp",
    "IntegrityCheck",
    "IntegrityLease",
    "LoginFailures",
    "Meeting",
    "MeetingAttendance",
    "Membership",
    "Plan",
    "ReportComment",
    "ReportingRound",
    "Strategy",
    "SubGoal",
    "SubGoalBoard",
    "SubGoalLineage",
    "SubGoalTag",
    "Tag",
    "Transaction",
    "User",
    "UserPreference",
    "WriteCount",
]
