"""The sheets and columns of a plan workbook: what the import template offers, what the plan
export writes and what the import reads, one list for all three, so that an exported plan
reads back as a new one.

Headers are matched by name in any UI language (a file downloaded in English reads back
for a Swedish user), in any order; a column the import does not know is named in the
preview as ignored."""

from dataclasses import dataclass

from flask_babel import force_locale

from intranet.core.fields import UserField, named
from intranet.core.translation import lazy_gettext as _l
from intranet.models import (
    ACTIVITY_FIELDS,
    FOCUS_AREA_FIELDS,
    PLAN_FIELDS,
    SUB_GOAL_FIELDS,
    TAG_KINDS,
)
from intranet.web.spreadsheets import in_every_language


@dataclass(frozen=True)
class Column:
    field: str
    label: object  # a lazy string: the header in the UI language
    required: bool = False
    # Codes ("5.10") stay text in the workbook, not the number 5.1.
    code: bool = False
    width: int = 14

    def swedish(self) -> str:
        with force_locale("sv"):
            return str(self.label)

    def names(self) -> set[str]:
        """Every header that means this column, case-folded."""
        return {name.casefold() for name in in_every_language(lambda: str(self.label))}

    @classmethod
    def of(cls, fields: tuple[UserField, ...], name: str, **options) -> "Column":
        """The column of a declared field (intranet.models), headed as the history heads it."""
        return cls(name, named(fields, name).heading, **options)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: object
    columns: tuple[Column, ...]

    def swedish(self) -> str:
        with force_locale("sv"):
            return str(self.label)

    def names(self) -> set[str]:
        return {name.casefold() for name in in_every_language(lambda: str(self.label))}


# The separator between several boards or tags in one cell. (A comma also separates boards,
# as older templates did; tag names may contain commas.)
LIST_SEPARATOR = ";"

PLAN = SheetSpec(
    "plan",
    _l("Plan"),
    (
        Column.of(PLAN_FIELDS, "title", required=True, width=50),
        Column.of(PLAN_FIELDS, "start_year", required=True, width=10),
        Column.of(PLAN_FIELDS, "end_year", required=True, width=10),
        Column.of(PLAN_FIELDS, "description", width=60),
    ),
)
FOCUS_AREAS = SheetSpec(
    "focus_areas",
    _l("Fokusområden"),
    (
        Column.of(FOCUS_AREA_FIELDS, "number", required=True, code=True, width=10),
        Column.of(FOCUS_AREA_FIELDS, "title", required=True, width=50),
        Column.of(FOCUS_AREA_FIELDS, "description", width=50),
    ),
)
SUB_GOALS = SheetSpec(
    "sub_goals",
    _l("Delmål"),
    (
        Column("focus_area", _l("Fokusområde"), required=True, code=True, width=12),
        # Headed as templates in use have them, not as the form labels the field.
        Column("code", _l("Delmål"), code=True, width=10),
        Column.of(SUB_GOAL_FIELDS, "title", required=True, width=50),
        Column.of(SUB_GOAL_FIELDS, "description", width=50),
        Column("boards", _l("Ansvariga nämnder"), required=True, width=40),
        *(Column(f"tag:{kind}", label, width=25) for kind, label in TAG_KINDS.items()),
        # As the templates in use head it (the form says "Hänvisning").
        Column("cross_references", _l("Hänvisningar"), width=20),
    ),
)
ACTIVITIES = SheetSpec(
    "activities",
    _l("Aktiviteter"),
    (
        Column("sub_goal", _l("Delmål"), required=True, code=True, width=10),
        Column.of(ACTIVITY_FIELDS, "title", required=True, width=40),
        Column.of(ACTIVITY_FIELDS, "description", width=50),
        # Shorter than the form's labels, as templates in use have them.
        Column("planned_from_year", _l("Från år"), width=10),
        Column("planned_to_year", _l("Till år"), width=10),
        Column.of(ACTIVITY_FIELDS, "responsible_unit", width=25),
        Column.of(ACTIVITY_FIELDS, "status", width=12),
    ),
)
PLAN_SHEETS = (PLAN, FOCUS_AREAS, SUB_GOALS, ACTIVITIES)
