"""A plan's full content as a spreadsheet (Excel or CSV)."""

from intranet.core.translation import gettext as _
from intranet.models import FOLLOW_UP_FIELDS, Plan
from intranet.plans.columns import (
    ACTIVITIES,
    FOCUS_AREAS,
    LIST_SEPARATOR,
    PLAN,
    SUB_GOALS,
    SheetSpec,
)
from intranet.reading.asof import Moment
from intranet.reading.plan_tree import PlanNode, load_plan
from intranet.reading.snapshot import Snapshot
from intranet.web.filenames import slug
from intranet.web.spreadsheets import Sheet, as_of_note, field_cell, write_csv, write_xlsx


def _plan_loaded(plan_id: int, snapshot: Snapshot | None = None) -> PlanNode:
    """The plan as its page shows it (intranet.reading.plan_tree): visible records only, now or
    at the snapshot."""
    return load_plan(snapshot or Snapshot.current(), plan_id, details=True)


def plan_filename(plan: Plan, moment: Moment | None, file_format: str) -> tuple[str, str | None]:
    """The file's name and the note on its sheets: an export of the past says its moment
    in both (no note for an export of now)."""
    filename = f"plan-{plan.id}-{plan.start_year}-{plan.end_year}"
    if moment is None:
        return f"{filename}.{file_format}", None
    return f"{filename}-per-{slug(moment.text)}.{file_format}", as_of_note(moment.text)


def _boards(sub_goal) -> str:
    """Main board first, as the import reads them back."""
    return f"{LIST_SEPARATOR} ".join(sub_goal.board_names)


def _sub_goal_value(area, sub_goal, name: str):
    if name.startswith("tag:"):
        return f"{LIST_SEPARATOR} ".join(sub_goal.tags(name.removeprefix("tag:")))
    if name == "focus_area":
        return area.number
    if name == "boards":
        return _boards(sub_goal)
    return getattr(sub_goal, name)


def _activity_value(sub_goal, activity, name: str):
    if name == "sub_goal":
        return sub_goal.code
    if name == "status":
        return activity.status_label
    return getattr(activity, name)


def _sheet(spec: SheetSpec, rows, note, extra_headers=(), extra_widths=()) -> Sheet:
    """A sheet with the import's columns (intranet.plans.columns), so the file reads back
    as a new plan; `extra_headers` are columns the import names as ignored."""
    return Sheet(
        str(spec.label),
        [*(str(column.label) for column in spec.columns), *extra_headers],
        rows,
        widths=[*(column.width for column in spec.columns), *extra_widths],
        note=note,
        text_columns=[i for i, column in enumerate(spec.columns) if column.code],
    )


def plan_xlsx(plan_id: int, snapshot: Snapshot | None = None, note: str | None = None) -> bytes:
    """Every sheet carries `note` (an export of the past says so on each sheet). The first
    four sheets are the import's: the file imports as a copy of the plan (a draft; its
    status and follow-ups are not copied)."""
    plan = _plan_loaded(plan_id, snapshot)
    areas = plan.focus_areas
    sub_goals = [(area, sub_goal) for area in areas for sub_goal in area.sub_goals]
    return write_xlsx(
        [
            _sheet(
                PLAN,
                [[*(getattr(plan, c.field) for c in PLAN.columns), plan.status_label]],
                note,
                [_("Status")],
                [12],
            ),
            _sheet(
                FOCUS_AREAS,
                [[getattr(area, c.field) for c in FOCUS_AREAS.columns] for area in areas],
                note,
            ),
            _sheet(
                SUB_GOALS,
                [
                    [_sub_goal_value(area, sub_goal, c.field) for c in SUB_GOALS.columns]
                    for area, sub_goal in sub_goals
                ],
                note,
            ),
            _sheet(
                ACTIVITIES,
                [
                    [_activity_value(sub_goal, activity, c.field) for c in ACTIVITIES.columns]
                    for _area, sub_goal in sub_goals
                    for activity in sub_goal.activities
                ],
                note,
            ),
            Sheet(
                _("Uppföljningar"),
                _follow_up_headers(),
                [
                    _follow_up_row(area, sub_goal, follow_up)
                    for area, sub_goal in sub_goals
                    for follow_up in sub_goal.follow_ups
                ],
                widths=[12, 10, 40, 30, 8, *(field.width for field in FOLLOW_UP_FIELDS)],
                note=note,
                text_columns=FOLLOW_UP_CODE_COLUMNS,
            ),
        ]
    )


# The focus area's number and the sub-goal's code.
FOLLOW_UP_CODE_COLUMNS = (0, 1)


def _follow_up_headers() -> list[str]:
    return [
        _("Fokusområde"),
        _("Delmål"),
        _("Titel"),
        _("Ansvariga nämnder"),
        _("År"),
        *(str(field.heading) for field in FOLLOW_UP_FIELDS),
    ]


def _follow_up_row(area, sub_goal, follow_up) -> list:
    return [
        area.number,
        sub_goal.code,
        sub_goal.title,
        _boards(sub_goal),
        follow_up.year,
        *(field_cell(field, getattr(follow_up, field.name)) for field in FOLLOW_UP_FIELDS),
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
    return write_csv(_follow_up_headers(), rows, note, FOLLOW_UP_CODE_COLUMNS)
