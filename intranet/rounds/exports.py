"""A reporting round's follow-ups as a workbook to fill in offline and read back.

The editable columns are the follow-up's declared fields (FOLLOW_UP_FIELDS), between the
sub-goal's columns and the hidden ids that make the import safe."""

from intranet.auth.policies import sees_own_boards_only
from intranet.core.translation import gettext as _
from intranet.models import FOLLOW_UP_FIELDS, ReportingRound, SubGoal, User
from intranet.models.followups import FOLLOW_UP_FIELD_NAMES
from intranet.rounds.services import plan_sub_goals
from intranet.web.spreadsheets import Sheet, field_cell, write_xlsx

LEADING_COLUMNS = ("code", "title", "boards", "year")
HIDDEN_COLUMNS = ("sub_goal_id", "follow_up_id", "lock_version")
ROUND_COLUMNS = (*LEADING_COLUMNS, *FOLLOW_UP_FIELD_NAMES, *HIDDEN_COLUMNS)
ROUND_EDITABLE = FOLLOW_UP_FIELD_NAMES


def round_headers() -> list[str]:
    return [
        _("Delmål"),
        _("Titel"),
        _("Ansvarig nämnd"),
        _("År"),
        *(str(field.heading) for field in FOLLOW_UP_FIELDS),
        *HIDDEN_COLUMNS,
    ]


def round_sub_goals(user: User, reporting_round: ReportingRound) -> list[SubGoal]:
    """Officers get the sub-goals their boards report for (as main board); everyone else
    the whole plan."""
    sub_goals = plan_sub_goals(reporting_round.plan_id)
    if sees_own_boards_only(user):
        sub_goals = [s for s in sub_goals if s.main_board_ids & user.board_ids]
    return sub_goals


def _row(sub_goal: SubGoal, year: int) -> list:
    follow_up = next(
        (f for f in sub_goal.follow_ups if f.year == year and not f.is_archived),
        None,
    )
    return [
        sub_goal.code,
        sub_goal.title,
        ", ".join(board.name for board in sub_goal.boards),  # main board first
        year,
        *(field_cell(field, getattr(follow_up, field.name, None)) for field in FOLLOW_UP_FIELDS),
        sub_goal.id,
        follow_up.id if follow_up else None,
        follow_up.lock_version if follow_up else None,
    ]


def round_xlsx(user: User, reporting_round: ReportingRound) -> bytes:
    first = len(LEADING_COLUMNS)
    hidden = tuple(range(first + len(FOLLOW_UP_FIELDS), len(ROUND_COLUMNS)))
    sheet = Sheet(
        _("Uppföljning %(year)s", year=reporting_round.year),
        round_headers(),
        [
            _row(sub_goal, reporting_round.year)
            for sub_goal in round_sub_goals(user, reporting_round)
        ],
        widths=[8, 40, 25, 6, *(field.width for field in FOLLOW_UP_FIELDS), 8, 8, 8],
        choices={
            first + i: [str(label) for label in field.choices.values()]
            for i, field in enumerate(FOLLOW_UP_FIELDS)
            if field.choices is not None
        },
        hidden_columns=hidden,
        text_columns=[0],
    )
    return write_xlsx([sheet])
