"""Reading a filled-in round workbook back: every change field by field, every error with
its row and column, before anything is written.
"""

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from sqlalchemy import select

from intranet.auth.policies import can_edit_follow_up_year, can_import_round
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import FOLLOW_UP_FIELDS, FollowUp, ReportingRound, SubGoal, User
from intranet.rounds.exports import ROUND_COLUMNS, round_headers
from intranet.web.spreadsheets import field_from_cell, in_every_language
from intranet.web.uploads import ImportProblem, cell_data, cell_int, cell_text, read_workbook

MAX_ROWS = 2000


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    row: int
    sub_goal: SubGoal
    follow_up: FollowUp | None
    values: dict
    changes: list[FieldChange]


@dataclass
class ImportPreview:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def preview_round_import(
    user: User, reporting_round: ReportingRound, content: bytes
) -> ImportPreview:
    """Compare the workbook with the database. Writes nothing.

    Errors: unreadable file, wrong columns, a closed round, and per row what
    `_read_row` refuses."""
    preview = ImportPreview()
    if not reporting_round.is_open:
        preview.errors.append(
            ImportProblem(None, None, _("Omgången är stängd och kan inte ändras."))
        )
        return preview
    sheets = read_workbook(content)
    # A workbook of chart sheets only has no rows, so its headers do not match.
    rows = iter(sheets[0].rows if sheets else ())
    if not headers_match(next(rows, None)):
        preview.errors.append(
            ImportProblem(
                1, None, _("Kolumnerna stämmer inte med mallen. Utgå från en nedladdad fil.")
            )
        )
        return preview
    _read_rows(user, reporting_round, rows, preview)
    return preview


def headers_match(row) -> bool:
    """The header row of a round file, in any UI language (one language per column is not
    required: a header a person translated by hand in one column still reads)."""
    cells = [cell_text(value) for value in (row or ())]
    per_language = in_every_language(round_headers)
    width = len(per_language[0])
    return len(cells) >= width and all(
        cells[i] in {headers[i] for headers in per_language} for i in range(width)
    )


def _column_names() -> dict[str, str]:
    """Each column's letter and heading, as messages name it: "E (Status)"."""
    headers = round_headers()
    return {
        name: f"{get_column_letter(i + 1)} ({headers[i]})" for i, name in enumerate(ROUND_COLUMNS)
    }


def _read_rows(user, reporting_round, rows, preview: ImportPreview) -> None:
    column_names, seen = _column_names(), set()
    for number, raw in enumerate(rows, start=2):
        if number > MAX_ROWS:
            preview.errors.append(ImportProblem(number, None, _("För många rader.")))
            break
        cells = dict(zip(ROUND_COLUMNS, list(raw) + [None] * len(ROUND_COLUMNS), strict=False))
        if all(cell_text(value) is None for value in cells.values()):
            continue
        try:
            change = _read_row(user, reporting_round, number, cells, seen)
        except RuleViolation as problem:
            column = problem.field if problem.field in column_names else "code"
            preview.errors.append(ImportProblem(number, column_names[column], str(problem.message)))
        else:
            if change is not None:
                preview.changes.append(change)


def _read_row(user, reporting_round, number: int, cells: dict, seen: set) -> RowChange | None:
    """One row: the change it makes (None: none), or RuleViolation(column) for what is
    wrong with it: an unknown or repeated sub-goal, the wrong year, a sub-goal the user may
    not report for, a row changed by someone else since the export (lock versions), a
    value outside a field's choices, and every FollowUp rule (deviation reason, lengths,
    personal identity numbers)."""
    sub_goal = _row_sub_goal(user, reporting_round, cells, seen)
    follow_up = _unchanged_since_export(sub_goal, reporting_round.year, cells)
    values = {
        field.name: field_from_cell(
            field, cell_text(cells[field.name]), cell_data(cells[field.name])
        )
        for field in FOLLOW_UP_FIELDS
    }
    # The rules run on a detached probe, so validating never touches the session.
    FollowUp(sub_goal_id=sub_goal.id, year=reporting_round.year, **values).check_all_rules()
    current = {
        field.name: getattr(follow_up, field.name) if follow_up else field.default
        for field in FOLLOW_UP_FIELDS
    }
    changes = [
        FieldChange(
            field.name,
            str(field.heading),
            field.display(current[field.name]),
            field.display(values[field.name]),
        )
        for field in FOLLOW_UP_FIELDS
        if (current[field.name] or None) != values[field.name]
    ]
    if changes or follow_up is None and values["status"] != "not_started":
        return RowChange(number, sub_goal, follow_up, values, changes)
    return None


def _row_sub_goal(user, reporting_round, cells: dict, seen: set) -> SubGoal:
    sub_goal = db.session.get(SubGoal, cell_int(cells["sub_goal_id"]) or 0)
    if sub_goal is None or sub_goal.is_archived or sub_goal.plan.id != reporting_round.plan_id:
        raise RuleViolation(
            "code", _("Delmålet finns inte i planen. Ändra inte de dolda kolumnerna.")
        )
    if sub_goal.id in seen:
        raise RuleViolation("code", _("Delmålet förekommer på flera rader."))
    seen.add(sub_goal.id)
    if cell_int(cells["year"]) != reporting_round.year:
        raise RuleViolation("year", _("Året ska vara %(year)s.", year=reporting_round.year))
    if not can_edit_follow_up_year(user, sub_goal, reporting_round.year):
        raise RuleViolation(
            "code", _("Du får inte rapportera för delmål %(code)s.", code=sub_goal.code)
        )
    return sub_goal


def _unchanged_since_export(sub_goal: SubGoal, year: int, cells: dict) -> FollowUp | None:
    """The stored follow-up, if the row was exported from its current version."""
    follow_up = db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == sub_goal.id, FollowUp.year == year)
    )
    exported_version = cell_int(cells["lock_version"])
    if (follow_up is None) != (exported_version is None) or (
        follow_up is not None and follow_up.lock_version != exported_version
    ):
        raise RuleViolation(
            "code",
            _(
                "Delmål %(code)s har ändrats av någon annan efter nedladdningen. "
                "Ladda ner en ny fil.",
                code=sub_goal.code,
            ),
        )
    return follow_up


def import_round(user: User, reporting_round: ReportingRound, content: bytes) -> ImportPreview:
    """Write every change of a previewed round workbook, or nothing when any row has an error.

    All changes go into the caller's one transaction, so they form one history entry.
    Raises NotAllowed (can_import_round); each row is held to can_edit_follow_up_year."""
    if not can_import_round(user, reporting_round):
        raise NotAllowed()
    preview = preview_round_import(user, reporting_round, content)
    if not preview.ok:
        return preview
    set_change_note(_("Import från Excel: uppföljning %(year)s", year=reporting_round.year))
    for change in preview.changes:
        follow_up = change.follow_up
        if follow_up is None:
            follow_up = FollowUp(sub_goal=change.sub_goal, year=reporting_round.year)
            db.session.add(follow_up)
        for name, value in change.values.items():
            setattr(follow_up, name, value)
    db.session.flush()
    return preview
