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
from intranet.permissions import can_create_plans
from intranet.spreadsheets import Sheet, write_xlsx
from intranet.uploads import ImportProblem, cell_int, cell_text, read_workbook
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
    """Build the plan in memory (nothing is added to the session) and check every rule,
    sheet by sheet (`_PlanReader`).

    Raises NotAllowed for non-admins and uploads.UnreadableFile for files we cannot read."""
    if not can_create_plans(user):
        raise NotAllowed()
    preview = PlanPreview()
    workbook = read_workbook(content)
    sheets = {key: _rows(workbook, key, preview) for key in SHEETS}
    workbook.close()
    if preview.errors:
        return preview
    reader = _PlanReader(preview)
    if reader.read_plan(sheets["plan"], strategy_id):
        areas = reader.read_focus_areas(sheets["focus_areas"])
        codes = reader.read_sub_goals(sheets["sub_goals"], areas)
        reader.read_activities(sheets["activities"], codes)
    return preview


class _PlanReader:
    """The rows of each sheet, checked and linked in memory into the previewed plan. A row
    with an error is left out of the plan and named in `preview.errors`."""

    def __init__(self, preview: PlanPreview):
        self.preview = preview

    def error(self, key, number, column, message) -> None:
        title, columns = SHEETS[key]
        fields = [f for f, _h in columns]
        place = None
        if column in fields:
            index = fields.index(column)
            place = f"{get_column_letter(index + 1)} ({columns[index][1]})"
        self.preview.errors.append(ImportProblem(number, place, f"{title}: {message}"))

    def checked(self, key, number, obj, fallback_column) -> bool:
        """Do the model's rules hold for `obj`? If not, the error is named by its column."""
        try:
            obj.check_rules()
        except RuleViolation as violation:
            fields = [f for f, _h in SHEETS[key][1]]
            column = violation.field if violation.field in fields else fallback_column
            self.error(key, number, column, str(violation.message))
            return False
        return True

    def read_plan(self, rows, strategy_id: int | None) -> bool:
        if len(rows) != 1:
            self.error("plan", 2, "title", _("Fyll i exakt en rad med planens uppgifter."))
            return False
        number, values = rows[0]
        plan = Plan(
            title=cell_text(values["title"]),
            start_year=cell_int(values["start_year"]),
            end_year=cell_int(values["end_year"]),
            description=cell_text(values["description"]),
            status="draft",
            strategy_id=strategy_id,
        )
        if not self.checked("plan", number, plan, "title"):
            return False
        self.preview.plan = plan
        return True

    def read_focus_areas(self, rows) -> dict[str, FocusArea]:
        plan, areas = self.preview.plan, {}
        for number, values in rows:
            # Linked in memory only: nothing here is in the session until it is confirmed.
            area = FocusArea(
                number=cell_text(values["number"]), title=cell_text(values["title"]), plan=plan
            )
            if not self.checked("focus_areas", number, area, "number"):
                plan.focus_areas.remove(area)
                continue
            if area.number in areas:
                message = _("Numret %(n)s finns redan.", n=area.number)
                self.error("focus_areas", number, "number", message)
                plan.focus_areas.remove(area)
                continue
            areas[area.number] = area
            self.preview.focus_areas.append(area)
        return areas

    def read_sub_goals(self, rows, areas: dict[str, FocusArea]) -> dict[str, SubGoal]:
        boards = {
            board.name.casefold(): board
            for board in db.session.scalars(select(Board).where(Board.archived_at.is_(None)))
        }
        codes: dict[str, SubGoal] = {}
        for number, values in rows:
            sub_goal = self._sub_goal(number, values, areas, codes)
            if sub_goal is None:
                continue
            names = [
                name.strip()
                for name in (cell_text(values["boards"]) or "").split(",")
                if name.strip()
            ]
            unknown = [name for name in names if name.casefold() not in boards]
            if not names or unknown:
                sub_goal.focus_area.sub_goals.remove(sub_goal)
                message = (
                    _("Okänd nämnd: %(names)s.", names=", ".join(unknown))
                    if unknown
                    else _("Ange minst en ansvarig nämnd.")
                )
                self.error("sub_goals", number, "boards", message)
                continue
            codes[sub_goal.code] = sub_goal
            sub_goal.set_boards([boards[name.casefold()] for name in names])
            self.preview.sub_goals.append(sub_goal)
        return codes

    def _sub_goal(self, number, values, areas, codes) -> SubGoal | None:
        """The row's sub-goal in its focus area, or None (with the error) if refused."""
        area = areas.get(cell_text(values["focus_area"]) or "")
        if area is None:
            message = _("Fokusområdet finns inte på bladet Fokusområden.")
            self.error("sub_goals", number, "focus_area", message)
            return None
        sub_goal = SubGoal(
            code=cell_text(values["code"]),
            title=cell_text(values["title"]),
            description=cell_text(values["description"]),
            focus_area=area,
        )
        if not self.checked("sub_goals", number, sub_goal, "code") or sub_goal.code in codes:
            if sub_goal.code in codes:
                message = _("Delmålet %(code)s finns redan.", code=sub_goal.code)
                self.error("sub_goals", number, "code", message)
            area.sub_goals.remove(sub_goal)
            return None
        return sub_goal

    def read_activities(self, rows, codes: dict[str, SubGoal]) -> None:
        for number, values in rows:
            sub_goal = codes.get(cell_text(values["sub_goal"]) or "")
            if sub_goal is None:
                message = _("Delmålet finns inte på bladet Delmål.")
                self.error("activities", number, "sub_goal", message)
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
            if not self.checked("activities", number, activity, "title"):
                sub_goal.activities.remove(activity)
                continue
            self.preview.activities.append(activity)


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
