"""A plan's full content as a spreadsheet (Excel or CSV)."""

from flask_babel import gettext as _

from intranet.filenames import slug
from intranet.history.asof import Moment
from intranet.models import FOLLOW_UP_FIELDS, TAG_KINDS, Plan
from intranet.plan_tree import PlanNode, load_plan
from intranet.snapshot import Snapshot
from intranet.spreadsheets import Sheet, as_of_note, write_csv, write_xlsx


def _plan_loaded(plan_id: int, snapshot: Snapshot | None = None) -> PlanNode:
    """The plan as its page shows it (intranet.plan_tree): visible records only, now or
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
    return ", ".join(sub_goal.board_names)


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
                widths=[12, 10, 40, 30, 8, *(field.width for field in FOLLOW_UP_FIELDS)],
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
        *(str(field.heading) for field in FOLLOW_UP_FIELDS),
    ]


def _follow_up_row(area, sub_goal, follow_up) -> list:
    return [
        area.number,
        sub_goal.code,
        sub_goal.title,
        _boards(sub_goal),
        follow_up.year,
        *(field.to_cell(getattr(follow_up, field.name)) for field in FOLLOW_UP_FIELDS),
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
