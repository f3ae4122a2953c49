"""A plan's full content and a reporting round's follow-ups, as spreadsheets."""

from flask_babel import gettext as _

from intranet.models import (
    DEVIATION_REASONS,
    STATUSES,
    TAG_KINDS,
    ReportingRound,
    SubGoal,
    User,
)
from intranet.plans.tree import PlanNode, load_plan
from intranet.reports.spreadsheets import Sheet, write_csv, write_xlsx
from intranet.rounds.services import plan_sub_goals
from intranet.snapshot import Snapshot


def _plan_loaded(plan_id: int, snapshot: Snapshot | None = None) -> PlanNode:
    """The plan as its page shows it (intranet.plans.tree): visible records only, now or
    at the snapshot."""
    return load_plan(snapshot or Snapshot.current(), plan_id, details=True)


def _boards(sub_goal) -> str:
    return ", ".join(sub_goal.board_names)


def _reason(follow_up) -> str:
    return (
        str(DEVIATION_REASONS.get(follow_up.deviation_reason, ""))
        if follow_up.deviation_reason
        else ""
    )


def plan_xlsx(plan_id: int, snapshot: Snapshot | None = None, note: str | None = None) -> bytes:
    """Every sheet carries `note` (an export of the past says so on each sheet)."""
    plan = _plan_loaded(plan_id, snapshot)
    areas = plan.focus_areas
    sub_goals = [(area, sub_goal) for area in areas for sub_goal in area.sub_goals]
    return write_xlsx(
        [
            Sheet(
                _("Plan"),
                [_("Titel"), _("Startår"), _("Slutår"), _("Status"), _("Beskrivning")],
                [[plan.title, plan.start_year, plan.end_year, plan.status_label, plan.description]],
                widths=[50, 10, 10, 12, 60],
                note=note,
            ),
            Sheet(
                _("Fokusområden"),
                [_("Nummer"), _("Titel")],
                [[area.number, area.title] for area in areas],
                widths=[10, 60],
                note=note,
                text_columns=[0],
            ),
            Sheet(
                _("Delmål"),
                [
                    _("Fokusområde"),
                    _("Delmål"),
                    _("Titel"),
                    _("Beskrivning"),
                    _("Ansvariga nämnder"),
                    *(str(label) for label in TAG_KINDS.values()),
                    _("Hänvisningar"),
                ],
                [
                    [
                        area.number,
                        sub_goal.code,
                        sub_goal.title,
                        sub_goal.description,
                        _boards(sub_goal),
                        *(", ".join(sub_goal.tags(kind)) for kind in TAG_KINDS),
                        sub_goal.cross_references,
                    ]
                    for area, sub_goal in sub_goals
                ],
                widths=[12, 10, 50, 50, 30, 25, 25, 25, 25, 20],
                note=note,
                text_columns=[0, 1],
            ),
            Sheet(
                _("Aktiviteter"),
                [
                    _("Delmål"),
                    _("Aktivitet"),
                    _("Beskrivning"),
                    _("Från år"),
                    _("Till år"),
                    _("Ansvarig enhet"),
                    _("Status"),
                ],
                [
                    [
                        sub_goal.code,
                        activity.title,
                        activity.description,
                        activity.planned_from_year,
                        activity.planned_to_year,
                        activity.responsible_unit,
                        activity.status_label,
                    ]
                    for _area, sub_goal in sub_goals
                    for activity in sub_goal.activities
                ],
                widths=[10, 40, 50, 10, 10, 25, 12],
                note=note,
                text_columns=[0],
            ),
            Sheet(
                _("Uppföljningar"),
                _follow_up_headers(),
                [
                    _follow_up_row(area, sub_goal, follow_up)
                    for area, sub_goal in sub_goals
                    for follow_up in sub_goal.follow_ups
                ],
                widths=[12, 10, 40, 30, 8, 20, 60, 30, 50, 50],
                note=note,
                text_columns=[0, 1],
            ),
        ]
    )


def _follow_up_headers() -> list[str]:
    return [
        _("Fokusområde"),
        _("Delmål"),
        _("Titel"),
        _("Ansvariga nämnder"),
        _("År"),
        _("Status"),
        _("Redovisning"),
        _("Avvikelseorsak"),
        _("Beskrivning av avvikelse"),
        _("Nästa steg"),
    ]


def _follow_up_row(area, sub_goal, follow_up) -> list:
    return [
        area.number,
        sub_goal.code,
        sub_goal.title,
        _boards(sub_goal),
        follow_up.year,
        follow_up.status_label,
        follow_up.outcome,
        _reason(follow_up),
        follow_up.deviation_text,
        follow_up.next_steps,
    ]


def plan_csv(plan_id: int, snapshot: Snapshot | None = None, note: str | None = None) -> bytes:
    """One row per sub-goal and reported year; sub-goals without follow-ups get one row."""
    plan = _plan_loaded(plan_id, snapshot)
    rows = []
    for area in plan.focus_areas:
        for sub_goal in area.sub_goals:
            follow_ups = sub_goal.follow_ups
            if not follow_ups:
                rows.append([area.number, sub_goal.code, sub_goal.title, _boards(sub_goal)])
            rows.extend(_follow_up_row(area, sub_goal, follow_up) for follow_up in follow_ups)
    return write_csv(_follow_up_headers(), rows, note)


# The round sheet: visible columns first, then the hidden ids that make the import safe.
ROUND_COLUMNS = (
    "code",
    "title",
    "boards",
    "year",
    "status",
    "outcome",
    "deviation_reason",
    "deviation_text",
    "next_steps",
    "sub_goal_id",
    "follow_up_id",
    "lock_version",
)
ROUND_EDITABLE = ("status", "outcome", "deviation_reason", "deviation_text", "next_steps")


def round_headers() -> list[str]:
    return [
        _("Delmål"),
        _("Titel"),
        _("Ansvarig nämnd"),
        _("År"),
        _("Status"),
        _("Redovisning"),
        _("Avvikelseorsak"),
        _("Beskrivning av avvikelse"),
        _("Nästa steg"),
        "sub_goal_id",
        "follow_up_id",
        "lock_version",
    ]


def round_sub_goals(user: User, reporting_round: ReportingRound) -> list[SubGoal]:
    """Officers get their boards' sub-goals; everyone else the whole plan."""
    sub_goals = plan_sub_goals(reporting_round.plan_id)
    if user.role == "officer":
        sub_goals = [s for s in sub_goals if s.board_ids & user.board_ids]
    return sub_goals


def round_xlsx(user: User, reporting_round: ReportingRound) -> bytes:
    rows = []
    for sub_goal in round_sub_goals(user, reporting_round):
        follow_up = next(
            (
                f
                for f in sub_goal.follow_ups
                if f.year == reporting_round.year and not f.is_archived
            ),
            None,
        )
        rows.append(
            [
                sub_goal.code,
                sub_goal.title,
                ", ".join(board.name for board in sub_goal.boards),
                reporting_round.year,
                follow_up.status_label if follow_up else str(STATUSES["not_started"]),
                follow_up.outcome if follow_up else None,
                _reason(follow_up) if follow_up else None,
                follow_up.deviation_text if follow_up else None,
                follow_up.next_steps if follow_up else None,
                sub_goal.id,
                follow_up.id if follow_up else None,
                follow_up.lock_version if follow_up else None,
            ]
        )
    return write_xlsx(
        [
            Sheet(
                _("Uppföljning %(year)s", year=reporting_round.year),
                round_headers(),
                rows,
                widths=[8, 40, 25, 6, 20, 60, 30, 50, 50, 8, 8, 8],
                choices={
                    4: [str(label) for label in STATUSES.values()],
                    6: [str(label) for label in DEVIATION_REASONS.values()],
                },
                hidden_columns=(9, 10, 11),
                text_columns=[0],
            )
        ]
    )
