"""Reading a filled-in round workbook back: every change field by field, every error with
its row and column, before anything is written.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models import DEVIATION_REASONS, STATUSES, FollowUp, ReportingRound, SubGoal, User
from intranet.numbers import spreadsheet_whole
from intranet.permissions import can_edit_follow_up_year
from intranet.reports.exports import ROUND_COLUMNS, ROUND_EDITABLE, round_headers
from intranet.reports.spreadsheets import unescape_cell
from intranet.reports.uploads import read_workbook

MAX_ROWS = 2000


@dataclass
class ImportProblem:
    row: int | None
    column: str | None
    message: str

    @property
    def place(self) -> str:
        if self.row is None:
            return ""
        if self.column is None:
            return _("Rad %(row)s", row=self.row)
        return _("Rad %(row)s, kolumn %(column)s", row=self.row, column=self.column)


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


def cell_text(value) -> str | None:
    """A name, code or choice from a cell: trimmed, None when empty."""
    if value is None:
        return None
    text = unescape_cell(str(value).strip()).strip()
    return text or None


def cell_data(value) -> str | None:
    """Free text from a cell exactly as it was exported (see spreadsheets.safe_cell), so an
    unchanged row reads back unchanged; None when the cell is empty or blank."""
    if value is None:
        return None
    text = unescape_cell(str(value))
    return text if text.strip() else None


def _in_every_language(make):
    """`make()` in each UI language: a file downloaded in English reads back for a Swedish
    user, and the other way round."""
    results = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            results.append(make())
    return results


def _lookup(labels: dict) -> dict[str, str]:
    """Code by label, in every UI language, and by the code itself."""
    found = {}
    for translated in _in_every_language(
        lambda: {code: str(text) for code, text in labels.items()}
    ):
        for code, label in translated.items():
            found[label.casefold()] = code
            found[code.casefold()] = code
    return found


def headers_match(row) -> bool:
    """The header row of a round file, in any UI language (one language per column is not
    required: a header a person translated by hand in one column still reads)."""
    cells = [cell_text(value) for value in (row or ())]
    per_language = _in_every_language(round_headers)
    width = len(per_language[0])
    return len(cells) >= width and all(
        cells[i] in {headers[i] for headers in per_language} for i in range(width)
    )


def cell_int(value) -> int | None:
    """A whole number the database can hold, or None (inf, nan, 1e20, 2.5, text)."""
    return spreadsheet_whole(value)


def preview_round_import(
    user: User, reporting_round: ReportingRound, content: bytes
) -> ImportPreview:
    """Compare the workbook with the database. Writes nothing.

    Errors: unreadable file, wrong columns, unknown sub-goals, sub-goals the user may not
    report for, a closed round, rows changed by someone else since the export (lock
    versions), unknown statuses or reasons, and every FollowUp rule (deviation reason,
    lengths, personal identity numbers)."""
    preview = ImportPreview()
    if not reporting_round.is_open:
        preview.errors.append(
            ImportProblem(None, None, _("Omgången är stängd och kan inte ändras."))
        )
        return preview
    workbook = read_workbook(content)
    worksheet = workbook.worksheets[0]
    headers = round_headers()
    letters = {name: get_column_letter(i + 1) for i, name in enumerate(ROUND_COLUMNS)}
    header_names = {name: f"{letters[name]} ({headers[i]})" for i, name in enumerate(ROUND_COLUMNS)}
    rows = worksheet.iter_rows(values_only=True)
    first = next(rows, None)
    if not headers_match(first):
        preview.errors.append(
            ImportProblem(
                1, None, _("Kolumnerna stämmer inte med mallen. Utgå från en nedladdad fil.")
            )
        )
        return preview

    statuses, reasons = _lookup(STATUSES), _lookup(DEVIATION_REASONS)
    seen: set[int] = set()
    for number, raw in enumerate(rows, start=2):
        if number > MAX_ROWS:
            preview.errors.append(ImportProblem(number, None, _("För många rader.")))
            break
        cells = dict(zip(ROUND_COLUMNS, list(raw) + [None] * len(ROUND_COLUMNS), strict=False))
        if all(cell_text(value) is None for value in cells.values()):
            continue

        def error(column, message, number=number):
            preview.errors.append(ImportProblem(number, header_names.get(column), message))

        sub_goal = db.session.get(SubGoal, cell_int(cells["sub_goal_id"]) or 0)
        if sub_goal is None or sub_goal.is_archived or sub_goal.plan.id != reporting_round.plan_id:
            error("code", _("Delmålet finns inte i planen. Ändra inte de dolda kolumnerna."))
            continue
        if sub_goal.id in seen:
            error("code", _("Delmålet förekommer på flera rader."))
            continue
        seen.add(sub_goal.id)
        if cell_int(cells["year"]) != reporting_round.year:
            error("year", _("Året ska vara %(year)s.", year=reporting_round.year))
            continue
        if not can_edit_follow_up_year(user, sub_goal, reporting_round.year):
            error("code", _("Du får inte rapportera för delmål %(code)s.", code=sub_goal.code))
            continue

        follow_up = db.session.scalar(
            select(FollowUp).where(
                FollowUp.sub_goal_id == sub_goal.id, FollowUp.year == reporting_round.year
            )
        )
        exported_version = cell_int(cells["lock_version"])
        if (follow_up is None) != (exported_version is None) or (
            follow_up is not None and follow_up.lock_version != exported_version
        ):
            error(
                "code",
                _(
                    "Delmål %(code)s har ändrats av någon annan efter nedladdningen. "
                    "Ladda ner en ny fil.",
                    code=sub_goal.code,
                ),
            )
            continue

        values = {
            "status": statuses.get((cell_text(cells["status"]) or "").casefold()),
            "outcome": cell_data(cells["outcome"]),
            "deviation_reason": None,
            "deviation_text": cell_data(cells["deviation_text"]),
            "next_steps": cell_data(cells["next_steps"]),
        }
        if values["status"] is None:
            error("status", _("Välj en status i listan."))
            continue
        reason_text = cell_text(cells["deviation_reason"])
        if reason_text:
            values["deviation_reason"] = reasons.get(reason_text.casefold())
            if values["deviation_reason"] is None:
                error("deviation_reason", _("Välj en avvikelseorsak i listan."))
                continue

        # The rules run on a detached probe, so validating never touches the session.
        probe = FollowUp(sub_goal_id=sub_goal.id, year=reporting_round.year, **values)
        try:
            probe.check_rules()
        except RuleViolation as violation:
            error(
                violation.field if violation.field in header_names else "code",
                str(violation.message),
            )
            continue

        current = {
            name: getattr(follow_up, name)
            if follow_up
            else ("not_started" if name == "status" else None)
            for name in ROUND_EDITABLE
        }
        changes = [
            FieldChange(
                name,
                headers[ROUND_COLUMNS.index(name)],
                _display(name, current[name]),
                _display(name, values[name]),
            )
            for name in ROUND_EDITABLE
            if (current[name] or None) != values[name]
        ]
        if changes or follow_up is None and values["status"] != "not_started":
            preview.changes.append(RowChange(number, sub_goal, follow_up, values, changes))
    workbook.close()
    return preview


def _display(name: str, value) -> str:
    if value is None:
        return ""
    if name == "status":
        return str(STATUSES.get(value, value))
    if name == "deviation_reason":
        return str(DEVIATION_REASONS.get(value, value))
    return str(value)
