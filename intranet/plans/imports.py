"""A new plan from a workbook: the template the application offers, or a plan's own export
(intranet.plans.exports), which reads back as a copy. Every row is validated with the
models' own rules, every error named with its sheet, row and column, before anything is
written; every column and sheet the import does not read is named in the preview.
"""

import hashlib
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from sqlalchemy import select

from intranet.auth.policies import can_create_plans
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import (
    ACTIVITY_STATUSES,
    TAG_KINDS,
    Activity,
    Board,
    FocusArea,
    Plan,
    Strategy,
    SubGoal,
    Tag,
    User,
)
from intranet.plans.codes import next_code
from intranet.plans.columns import (
    ACTIVITIES,
    FOCUS_AREAS,
    LIST_SEPARATOR,
    PLAN,
    PLAN_SHEETS,
    SUB_GOALS,
    SheetSpec,
)
from intranet.web.spreadsheets import Sheet, choice_lookup, write_xlsx
from intranet.web.uploads import (
    ImportProblem,
    UploadedSheet,
    cell_data,
    cell_int,
    cell_text,
    read_workbook,
)

# The example rows of the template, which import as they are (the boards are created when
# the administrator confirms them).
EXAMPLES = {
    "plan": [{"title": "Handlingsplan för ... 2026–2029", "start_year": 2026, "end_year": 2029}],
    "focus_areas": [{"number": "1", "title": "Rätten till utbildning"}],
    "sub_goals": [
        {
            "focus_area": "1",
            "code": "1.1",
            "title": "Delmålets titel",
            "boards": "Utbildningsnämnden; Kulturnämnden",
            "tag:target_group": "Barn och unga; Föräldrar",
        }
    ],
    "activities": [
        {
            "sub_goal": "1.1",
            "title": "Aktivitetens namn",
            "planned_from_year": 2026,
            "planned_to_year": 2027,
            "responsible_unit": "Enhet",
        }
    ],
}
_BOARD_SEPARATORS = re.compile(r"[;,]")


def template_xlsx() -> bytes:
    """The template, in Swedish, with one example row per sheet that shows the expected form
    and imports as it is."""
    return write_xlsx(
        [
            Sheet(
                spec.swedish(),
                [column.swedish() for column in spec.columns],
                [[row.get(column.field) for column in spec.columns] for row in EXAMPLES[spec.key]],
                widths=[max(column.width, len(column.swedish()) + 4) for column in spec.columns],
                text_columns=[i for i, column in enumerate(spec.columns) if column.code],
            )
            for spec in PLAN_SHEETS
        ]
    )


@dataclass
class PlanPreview:
    plan: Plan | None = None
    focus_areas: list[FocusArea] = field(default_factory=list)
    sub_goals: list[SubGoal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    # "Delmål: kolumn K (Kommentar)", "Bladet Uppföljningar": what the file holds that the
    # import does not read.
    ignored: list[str] = field(default_factory=list)
    # Boards named in the file that do not exist: created only when the admin confirms.
    new_boards: list[Board] = field(default_factory=list)
    new_tags: list[Tag] = field(default_factory=list)
    # Codes the import proposed for sub-goals whose code was blank.
    proposed_codes: set[str] = field(default_factory=set)
    # Set when the confirmation did not confirm the new boards: nothing is written.
    board_error: str | None = None
    already_imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and self.plan is not None and self.board_error is None

    @property
    def new_board_names(self) -> list[str]:
        return [board.name for board in self.new_boards]


@dataclass
class _Rows:
    """One sheet's data rows (row number, {field: value}) and where each field's column is."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)


def _find_sheet(workbook: list[UploadedSheet], spec: SheetSpec) -> UploadedSheet | None:
    names = spec.names()
    return next((sheet for sheet in workbook if sheet.title.casefold() in names), None)


def _header_row(rows: list[tuple], spec: SheetSpec) -> int | None:
    """The header row's index: the first row, or the second below an export's note."""
    for index, row in enumerate(rows[:2]):
        headers = {(cell_text(value) or "").casefold() for value in row}
        if all(column.names() & headers for column in spec.columns if column.required):
            return index
    return None


def _read_sheet(workbook: list[UploadedSheet], spec: SheetSpec, preview: PlanPreview) -> _Rows:
    sheet = _find_sheet(workbook, spec)
    if sheet is None:
        message = _("Bladet %(sheet)s saknas.", sheet=spec.swedish())
        preview.errors.append(ImportProblem(None, None, message))
        return _Rows()
    rows = sheet.rows
    header_index = _header_row(rows, spec)
    if header_index is None:
        missing = ", ".join(column.swedish() for column in spec.columns if column.required)
        message = _(
            "%(sheet)s: kolumnerna stämmer inte med mallen (de här måste finnas: %(names)s).",
            sheet=spec.swedish(),
            names=missing,
        )
        preview.errors.append(ImportProblem(1, None, message))
        return _Rows()
    found, positions = _Rows(), {}
    for index, value in enumerate(rows[header_index]):
        header = cell_text(value)
        if header is None:
            continue
        # A second column with the same header is ignored, not read over the first.
        column = next(
            (
                c
                for c in spec.columns
                if header.casefold() in c.names() and c.field not in found.places
            ),
            None,
        )
        place = f"{get_column_letter(index + 1)} ({header})"
        if column is None:
            preview.ignored.append(_("%(sheet)s: kolumn %(place)s", sheet=sheet.title, place=place))
            continue
        positions[column.field] = index
        found.places[column.field] = place
    for number, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {name: raw[i] if i < len(raw) else None for name, i in positions.items()}
        if any(cell_text(value) is not None for value in values.values()):
            found.rows.append((number, values))
    return found


def _ignored_sheets(workbook: list[UploadedSheet], preview: PlanPreview) -> None:
    known = set().union(*(spec.names() for spec in PLAN_SHEETS))
    for sheet in workbook:
        if sheet.title.casefold() not in known and sheet.sheet_state == "visible":
            preview.ignored.append(_("Bladet %(sheet)s", sheet=sheet.title))


def preview_plan_import(user: User, content: bytes, strategy_id: int | None) -> PlanPreview:
    """Build the plan in memory (nothing is added to the session) and check every rule,
    sheet by sheet (`_PlanReader`). Boards the file names that do not exist are new
    (`preview.new_boards`), not errors: the confirmation decides.

    Raises NotAllowed for non-admins and uploads.UnreadableFile for files we cannot read."""
    if not can_create_plans(user):
        raise NotAllowed()
    preview = PlanPreview()
    workbook = read_workbook(content)
    sheets = {spec.key: _read_sheet(workbook, spec, preview) for spec in PLAN_SHEETS}
    _ignored_sheets(workbook, preview)
    if preview.errors:
        return preview
    reader = _PlanReader(preview, sheets)
    if reader.read_plan(strategy_id):
        areas = reader.read_focus_areas()
        sub_goals = reader.read_sub_goals(areas)
        reader.read_activities(sub_goals)
    return preview


def _split(cell, separators) -> list[str]:
    """The names in a cell, each once (the first spelling), in their order."""
    names: dict[str, str] = {}
    for name in separators.split(cell_text(cell) or ""):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


class _PlanReader:
    """The rows of each sheet, checked and linked in memory into the previewed plan. A row
    with an error is left out of the plan and named in `preview.errors`."""

    def __init__(self, preview: PlanPreview, sheets: dict[str, _Rows]):
        self.preview = preview
        self.sheets = sheets
        self.boards = {board.name.casefold(): board for board in db.session.scalars(select(Board))}
        self.tags = {
            (tag.kind, tag.name.casefold()): tag for tag in db.session.scalars(select(Tag))
        }

    def error(self, spec: SheetSpec, number, column, message) -> None:
        place = self.sheets[spec.key].places.get(column)
        self.preview.errors.append(ImportProblem(number, place, f"{spec.swedish()}: {message}"))

    def checked(self, spec: SheetSpec, number, obj, fallback_column, column_of=None) -> bool:
        """Do the model's rules hold for `obj`? If not, the error is named by its column."""
        try:
            obj.check_all_rules()
        except RuleViolation as violation:
            column = (column_of or {}).get(violation.field, violation.field)
            if column not in {c.field for c in spec.columns}:
                column = fallback_column
            self.error(spec, number, column, str(violation.message))
            return False
        return True

    def read_plan(self, strategy_id: int | None) -> bool:
        rows = self.sheets["plan"].rows
        if len(rows) != 1:
            self.error(PLAN, 2, "title", _("Fyll i exakt en rad med planens uppgifter."))
            return False
        number, values = rows[0]
        try:
            start = self._year(PLAN, number, values, "start_year")
            end = self._year(PLAN, number, values, "end_year")
        except _RowRefused:
            return False
        plan = Plan(
            title=cell_text(values.get("title")),
            start_year=start,
            end_year=end,
            description=cell_data(values.get("description")),
            status="draft",
            strategy_id=strategy_id,
        )
        if not self.checked(PLAN, number, plan, "title"):
            return False
        self.preview.plan = plan
        return True

    def _year(self, spec, number, values, column) -> int | None:
        """The cell's whole number; None when it is empty, or (with the error) not a year."""
        value = values.get(column)
        year = cell_int(value)
        if year is None and cell_text(value) is not None:
            self.error(spec, number, column, _("Ange ett årtal, till exempel 2020."))
            raise _RowRefused()
        return year

    def read_focus_areas(self) -> dict[str, FocusArea]:
        plan, areas = self.preview.plan, {}
        for number, values in self.sheets["focus_areas"].rows:
            # Linked in memory only: nothing here is in the session until it is confirmed.
            area = FocusArea(
                number=cell_text(values.get("number")),
                title=cell_text(values.get("title")),
                description=cell_data(values.get("description")),
                plan=plan,
            )
            if not self.checked(FOCUS_AREAS, number, area, "number"):
                plan.focus_areas.remove(area)
                continue
            if area.number in areas:
                message = _("Numret %(n)s finns redan.", n=area.number)
                self.error(FOCUS_AREAS, number, "number", message)
                plan.focus_areas.remove(area)
                continue
            areas[area.number] = area
            self.preview.focus_areas.append(area)
        return areas

    def read_sub_goals(self, areas: dict[str, FocusArea]) -> dict[str, SubGoal]:
        """The sub-goals by code. A blank code gets the next free one in its focus area,
        after every code the file gives (so a proposal never takes a code given later)."""
        rows = self.sheets["sub_goals"].rows
        area_codes: dict[str, list[str]] = {number: [] for number in areas}
        for _number, values in rows:
            code = cell_text(values.get("code"))
            if code and (cell_text(values.get("focus_area")) or "") in area_codes:
                area_codes[cell_text(values.get("focus_area"))].append(code)
        codes: dict[str, SubGoal] = {}
        for number, values in rows:
            area = areas.get(cell_text(values.get("focus_area")) or "")
            if area is None:
                message = _("Fokusområdet finns inte på bladet Fokusområden.")
                self.error(SUB_GOALS, number, "focus_area", message)
                continue
            code = cell_text(values.get("code"))
            if code is None:
                code = next_code(area_codes[area.number], area.number)
                area_codes[area.number].append(code)
                self.preview.proposed_codes.add(code)
            sub_goal = self._sub_goal(number, values, area, code, codes)
            if sub_goal is not None:
                codes[sub_goal.code] = sub_goal
                self.preview.sub_goals.append(sub_goal)
        return codes

    def _sub_goal(self, number, values, area, code, codes) -> SubGoal | None:
        """The row's sub-goal in its focus area with its boards and tags, or None (with the
        error) if refused."""
        sub_goal = SubGoal(
            code=code,
            title=cell_text(values.get("title")),
            description=cell_data(values.get("description")),
            cross_references=cell_text(values.get("cross_references")),
            focus_area=area,
        )
        refused = not self.checked(SUB_GOALS, number, sub_goal, "code")
        if not refused and sub_goal.code in codes:
            message = _("Delmålet %(code)s finns redan.", code=sub_goal.code)
            self.error(SUB_GOALS, number, "code", message)
            refused = True
        if refused or not self._link_boards(number, values, sub_goal):
            area.sub_goals.remove(sub_goal)
            return None
        if not self._link_tags(number, values, sub_goal):
            area.sub_goals.remove(sub_goal)
            return None
        return sub_goal

    def _link_boards(self, number, values, sub_goal) -> bool:
        """The boards in the order given, the first the main responsible one. A name that
        is no board is a new board (one per name, shared by the rows that name it)."""
        names = _split(values.get("boards"), _BOARD_SEPARATORS)
        if not names:
            self.error(SUB_GOALS, number, "boards", _("Ange minst en ansvarig nämnd."))
            return False
        boards = []
        for name in names:
            board = self.boards.get(name.casefold())
            if board is None:
                board = Board(name=name)
                if not self.checked(SUB_GOALS, number, board, "boards"):
                    return False
                self.boards[name.casefold()] = board
                self.preview.new_boards.append(board)
            elif board.is_archived:
                message = _("Nämnden %(name)s är arkiverad.", name=board.name)
                self.error(SUB_GOALS, number, "boards", message)
                return False
            boards.append(board)
        sub_goal.set_boards(boards)
        return True

    def _link_tags(self, number, values, sub_goal) -> bool:
        for kind in TAG_KINDS:
            column = f"tag:{kind}"
            tags = []
            for name in _split(values.get(column), re.compile(re.escape(LIST_SEPARATOR))):
                tag = self.tags.get((kind, name.casefold()))
                if tag is None:
                    tag = Tag(kind=kind, name=name)
                    if not self.checked(SUB_GOALS, number, tag, column, {"name": column}):
                        return False
                    self.tags[(kind, name.casefold())] = tag
                    self.preview.new_tags.append(tag)
                elif tag.is_archived:
                    message = _("Etiketten %(name)s är arkiverad.", name=tag.name)
                    self.error(SUB_GOALS, number, column, message)
                    return False
                tags.append(tag)
            sub_goal.set_tags(kind, tags)
        return True

    def read_activities(self, codes: dict[str, SubGoal]) -> None:
        by_title: dict[str, list[SubGoal]] = {}
        for sub_goal in codes.values():
            by_title.setdefault(sub_goal.title.casefold(), []).append(sub_goal)
        statuses = choice_lookup(ACTIVITY_STATUSES)
        for number, values in self.sheets["activities"].rows:
            # A sub-goal is named by its code or, when it had none, by its exact title.
            reference = cell_text(values.get("sub_goal")) or ""
            titled = by_title.get(reference.casefold(), [])
            sub_goal = codes.get(reference) or (titled[0] if len(titled) == 1 else None)
            if sub_goal is None:
                message = _("Delmålet finns inte på bladet Delmål.")
                self.error(ACTIVITIES, number, "sub_goal", message)
                continue
            status_text = cell_text(values.get("status"))
            status = statuses.get(status_text.casefold()) if status_text else "planned"
            if status is None:
                message = _(
                    "Okänd status. Välj en av: %(names)s.",
                    names=", ".join(str(label) for label in ACTIVITY_STATUSES.values()),
                )
                self.error(ACTIVITIES, number, "status", message)
                continue
            try:
                start = self._year(ACTIVITIES, number, values, "planned_from_year")
                end = self._year(ACTIVITIES, number, values, "planned_to_year")
            except _RowRefused:
                continue
            activity = Activity(
                title=cell_text(values.get("title")),
                description=cell_data(values.get("description")),
                planned_from_year=start,
                # One year given: an activity of that year; none: an undated activity.
                planned_to_year=start if end is None else end,
                responsible_unit=cell_text(values.get("responsible_unit")),
                status=status,
            )
            activity.sub_goal = sub_goal
            if not self.checked(ACTIVITIES, number, activity, "title"):
                sub_goal.activities.remove(activity)
                continue
            self.preview.activities.append(activity)


class _RowRefused(Exception):
    """A cell of the row is unusable; its error is already recorded."""


def import_digest(content: bytes, strategy_id: int | None) -> str:
    """What makes two confirmations the same import: the file and the strategy it goes to."""
    return hashlib.sha256(f"{strategy_id or ''}\n".encode() + content).hexdigest()


def imported_plan(digest: str) -> Plan | None:
    """The plan already imported from this file for this strategy, if any."""
    return db.session.scalar(select(Plan).where(Plan.import_digest == digest))


def import_plan(
    user: User, content: bytes, strategy_id: int | None, create_boards: bool = False
) -> PlanPreview:
    """Write the previewed plan, or nothing when any row has an error. One transaction.
    New boards are created with it only when `create_boards` confirms them; otherwise
    nothing is written and `preview.board_error` says why.

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
    if preview.new_boards and not create_boards:
        preview.board_error = _(
            "Okänd nämnd: %(names)s. Kryssa i rutan för att skapa de nya nämnderna, eller "
            "rätta namnen i filen och läs in den igen.",
            names=", ".join(preview.new_board_names),
        )
        return preview
    set_change_note(_("Ny plan inläst från Excel"))
    preview.plan.import_digest = digest
    db.session.add(preview.plan)
    db.session.flush()
    return preview


def strategy_choices() -> list[tuple[int, str]]:
    strategies = db.session.scalars(select(Strategy).where(Strategy.archived_at.is_(None)))
    return [(s.id, f"{s.title} ({s.start_year}–{s.end_year})") for s in strategies]
