"""A new plan from the XLSX template the application offers: every row validated with the
models' own rules, every error with its sheet, row and column, before anything is written.
"""

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from intranet.errors import NotAllowed, RuleViolation
from intranet.extensions import db
from intranet.models import Activity, Board, FocusArea, Plan, Strategy, SubGoal, User
from intranet.reports.imports import ImportProblem, cell_int, cell_text
from intranet.reports.spreadsheets import Sheet, write_xlsx
from intranet.reports.uploads import read_workbook
from intranet.versioning import set_change_note

# sheet key -> (title, [(field, header)])
SHEETS = {
    "plan": (
        "Plan",
        [
            ("title", "Titel"),
            ("start_year", "Startår"),
            ("end_year", "Slutår"),
            ("description", "Beskrivning"),
        ],
    ),
    "focus_areas": ("Fokusområden", [("number", "Nummer"), ("title", "Titel")]),
    "sub_goals": (
        "Delmål",
        [
            ("focus_area", "Fokusområde"),
            ("code", "Delmål"),
            ("title", "Titel"),
            ("description", "Beskrivning"),
            ("boards", "Ansvariga nämnder"),
        ],
    ),
    "activities": (
        "Aktiviteter",
        [
            ("sub_goal", "Delmål"),
            ("title", "Aktivitet"),
            ("description", "Beskrivning"),
            ("planned_from_year", "Från år"),
            ("planned_to_year", "Till år"),
            ("responsible_unit", "Ansvarig enhet"),
        ],
    ),
}


# The columns that hold codes, which must stay text ("5.10", not 5.1).
CODE_FIELDS = ("number", "focus_area", "code", "sub_goal")


def template_xlsx() -> bytes:
    """The empty template, with one example row per sheet that shows the expected form."""
    examples = {
        "plan": [["Handlingsplan för ... 2026–2029", 2026, 2029, "Kort beskrivning"]],
        "focus_areas": [["1", "Rätten till utbildning"]],
        "sub_goals": [["1", "1.1", "Delmålets titel", "", "Utbildningsnämnden, Kulturnämnden"]],
        "activities": [["1.1", "Aktivitetens namn", "", 2026, 2027, "Enhet"]],
    }
    return write_xlsx(
        [
            Sheet(
                title,
                [header for _field, header in columns],
                examples[key],
                widths=[max(14, len(header) + 4) for _field, header in columns],
                text_columns=[i for i, (name, _h) in enumerate(columns) if name in CODE_FIELDS],
            )
            for key, (title, columns) in SHEETS.items()
        ]
    )


@dataclass
class PlanPreview:
    plan: Plan | None = None
    focus_areas: list[FocusArea] = field(default_factory=list)
    sub_goals: list[SubGoal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    already_imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and self.plan is not None


def _rows(workbook, key, preview):
    title, columns = SHEETS[key]
    if title not in workbook.sheetnames:
        preview.errors.append(ImportProblem(None, None, _("Bladet %(sheet)s saknas.", sheet=title)))
        return []
    rows = workbook[title].iter_rows(values_only=True)
    headers = [cell_text(value) for value in (next(rows, None) or ())][: len(columns)]
    if headers != [header for _field, header in columns]:
        preview.errors.append(
            ImportProblem(1, None, _("%(sheet)s: kolumnerna stämmer inte med mallen.", sheet=title))
        )
        return []
    found = []
    for number, raw in enumerate(rows, start=2):
        values = dict(
            zip([f for f, _h in columns], list(raw) + [None] * len(columns), strict=False)
        )
        if any(cell_text(value) is not None for value in values.values()):
            found.append((number, values))
    return found


def preview_plan_import(user: User, content: bytes, strategy_id: int | None) -> PlanPreview:
    """Build the plan in memory (nothing is added to the session) and check every rule.

    Raises NotAllowed for non-admins and uploads.UnreadableFile for files we cannot read."""
    if user.role != "admin":
        raise NotAllowed()
    preview = PlanPreview()
    workbook = read_workbook(content)
    sheets = {key: _rows(workbook, key, preview) for key in SHEETS}
    workbook.close()
    if preview.errors:
        return preview

    def error(key, number, column, message):
        title, columns = SHEETS[key]
        fields = [f for f, _h in columns]
        place = None
        if column in fields:
            index = fields.index(column)
            place = f"{get_column_letter(index + 1)} ({columns[index][1]})"
        preview.errors.append(ImportProblem(number, place, f"{title}: {message}"))

    def checked(key, number, obj, fallback_column):
        try:
            obj.check_rules()
        except RuleViolation as violation:
            column = (
                violation.field
                if violation.field in [f for f, _h in SHEETS[key][1]]
                else fallback_column
            )
            error(key, number, column, str(violation.message))
            return False
        return True

    plan_rows = sheets["plan"]
    if len(plan_rows) != 1:
        error("plan", 2, "title", _("Fyll i exakt en rad med planens uppgifter."))
        return preview
    number, values = plan_rows[0]
    plan = Plan(
        title=cell_text(values["title"]),
        start_year=cell_int(values["start_year"]),
        end_year=cell_int(values["end_year"]),
        description=cell_text(values["description"]),
        status="draft",
        strategy_id=strategy_id,
    )
    if not checked("plan", number, plan, "title"):
        return preview
    preview.plan = plan

    areas: dict[str, FocusArea] = {}
    for number, values in sheets["focus_areas"]:
        # Linked in memory only: nothing here is in the session until the import is confirmed.
        area = FocusArea(
            number=cell_text(values["number"]), title=cell_text(values["title"]), plan=plan
        )
        if not checked("focus_areas", number, area, "number"):
            plan.focus_areas.remove(area)
            continue
        if area.number in areas:
            error("focus_areas", number, "number", _("Numret %(n)s finns redan.", n=area.number))
            plan.focus_areas.remove(area)
            continue
        areas[area.number] = area
        preview.focus_areas.append(area)

    boards = {
        board.name.casefold(): board
        for board in db.session.scalars(select(Board).where(Board.archived_at.is_(None)))
    }
    codes: dict[str, SubGoal] = {}
    for number, values in sheets["sub_goals"]:
        area = areas.get(cell_text(values["focus_area"]) or "")
        if area is None:
            error(
                "sub_goals",
                number,
                "focus_area",
                _("Fokusområdet finns inte på bladet Fokusområden."),
            )
            continue
        sub_goal = SubGoal(
            code=cell_text(values["code"]),
            title=cell_text(values["title"]),
            description=cell_text(values["description"]),
            focus_area=area,
        )
        if not checked("sub_goals", number, sub_goal, "code") or sub_goal.code in codes:
            if sub_goal.code in codes:
                error(
                    "sub_goals",
                    number,
                    "code",
                    _("Delmålet %(code)s finns redan.", code=sub_goal.code),
                )
            area.sub_goals.remove(sub_goal)
            continue
        names = [
            name.strip() for name in (cell_text(values["boards"]) or "").split(",") if name.strip()
        ]
        unknown = [name for name in names if name.casefold() not in boards]
        if not names or unknown:
            area.sub_goals.remove(sub_goal)
            error(
                "sub_goals",
                number,
                "boards",
                _("Okänd nämnd: %(names)s.", names=", ".join(unknown))
                if unknown
                else _("Ange minst en ansvarig nämnd."),
            )
            continue
        codes[sub_goal.code] = sub_goal
        sub_goal.set_boards([boards[name.casefold()] for name in names])
        preview.sub_goals.append(sub_goal)

    for number, values in sheets["activities"]:
        sub_goal = codes.get(cell_text(values["sub_goal"]) or "")
        if sub_goal is None:
            error("activities", number, "sub_goal", _("Delmålet finns inte på bladet Delmål."))
            continue
        activity = Activity(
            title=cell_text(values["title"]),
            description=cell_text(values["description"]),
            planned_from_year=cell_int(values["planned_from_year"]),
            planned_to_year=cell_int(values["planned_to_year"]),
            responsible_unit=cell_text(values["responsible_unit"]),
            status="planned",
        )
        activity.sub_goal = sub_goal
        if not checked("activities", number, activity, "title"):
            sub_goal.activities.remove(activity)
            continue
        preview.activities.append(activity)
    return preview


def import_digest(content: bytes, strategy_id: int | None) -> str:
    """What makes two confirmations the same import: the file and the strategy it goes to."""
    return hashlib.sha256(f"{strategy_id or ''}\n".encode() + content).hexdigest()


def imported_plan(digest: str) -> Plan | None:
    """The plan already imported from this file for this strategy, if any."""
    return db.session.scalar(select(Plan).where(Plan.import_digest == digest))


def import_plan(user: User, content: bytes, strategy_id: int | None) -> PlanPreview:
    """Write the previewed plan, or nothing when any row has an error. One transaction.

    The plan carries the file's digest, which is unique: when the same file is confirmed
    again, nothing is written and `preview.already_imported` is the plan made the first
    time. Two confirmations at the same moment meet at the unique index: the second flush
    raises IntegrityError, and the caller rolls back and asks `imported_plan`."""
    digest = import_digest(content, strategy_id)
    existing = imported_plan(digest)
    if existing is not None:
        return PlanPreview(plan=existing, already_imported=True)
    preview = preview_plan_import(user, content, strategy_id)
    if not preview.ok:
        return preview
    set_change_note(_("Ny plan inläst från Excel"))
    preview.plan.import_digest = digest
    db.session.add(preview.plan)
    db.session.flush()
    return preview


def strategy_choices() -> list[tuple[int, str]]:
    strategies = db.session.scalars(select(Strategy).where(Strategy.archived_at.is_(None)))
    return [(s.id, f"{s.title} ({s.start_year}–{s.end_year})") for s in strategies]
