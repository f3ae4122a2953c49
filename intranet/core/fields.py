"""A model's user-facing fields, declared once beside its columns: plain data (name, label,
limits, choices) and the pure checks the model runs on them.

What each layer makes of a declaration lives with that layer, so that the models need no
form or web library:

- the web form's fields and the values read from a submitted form:
  intranet.web.field_forms (`form_field`, `add_form_fields`, `form_values`);
- the spreadsheets' cells, in every UI language: intranet.web.spreadsheets (`field_cell`,
  `field_from_cell`) and the plan workbook's columns, intranet.plans.columns (`Column.of`);
- the history's labels: intranet.history.records (`declared`).

To add a field:

1. its column in the model (intranet.models);
2. one `UserField(...)` line in the model's tuple of fields (FOLLOW_UP_FIELDS, PLAN_FIELDS …):
   its form field, the model's checks, its history label and, for a follow-up, the round
   workbook's and the plan export's columns follow from it;
3. the migration (flask db migrate).

Then its label's English in the catalogue (README, "How to add a field"). Only a page that
places its form's fields one by one (the follow-up editor) needs a line in its template
too, and the plan workbook a `Column.of` line if the field is to be in it.

    FOLLOW_UP_FIELDS = (
        UserField("status", _l("Status"), choices=STATUSES, required=True, ...),
        UserField("outcome", _l("Redovisning"), max_length=MAX_TEXT_LENGTH, ...),
    )

Nothing here imports Flask, WTForms or SQLAlchemy (pyproject's import-linter contract
"core-is-pure").
"""

from collections.abc import Mapping
from dataclasses import dataclass

from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l

CHOOSE_FROM_LIST = _l("Välj ett värde i listan.")


def too_long_text(limit: int):
    return _l("Texten får vara högst %(n)s tecken.", n=limit)


@dataclass(frozen=True)
class UserField:
    """One field as users see it, in forms, history and spreadsheets.

    What it is:
    - `label`: the form's label (and the card's); `column`: a shorter heading for tables,
      the history and spreadsheets (the label when not given).
    - `choices`: code -> label; `integer`: a whole number (a year); else text.

    What the model and the form accept:
    - `required`: the form refuses an empty value (with `missing`), and a choice must be
      given.
    - `missing`: the message for a field left empty. The model refuses an empty text with
      it even without `required`, for a field a service fills in when it is left empty
      (the next free number).
    - `invalid`: the model's (and the imports') message for a value outside the choices;
      a form's select says CHOOSE_FROM_LIST.
    - `max_length`: the longest text; with `input_limit` it is for what people type in the
      form only: stored texts may be longer (imported plans, a next plan's description)
      and the model does not refuse them, so that archiving or moving such a record still
      works.
    - `bounds` (lowest, highest) and `out_of_bounds`: the form's range check of a whole
      number. The model's own rules check years, as they span two fields.

    How it is shown:
    - `multiline`: free text over several lines (a textarea; word diffs in the history).
    - `description`: the form's hint under the field.
    - `empty_choice`: names the "none" option of an optional choice.
    - `default`: the value a record without this field set has (spreadsheets show it).
    - `width`: the spreadsheet column's width.
    """

    name: str
    label: object
    column: object = None
    choices: Mapping[str, object] | None = None
    integer: bool = False
    required: bool = False
    missing: object = None
    invalid: object = CHOOSE_FROM_LIST
    max_length: int | None = None
    input_limit: bool = False
    bounds: tuple[int, int] | None = None
    out_of_bounds: object = None
    multiline: bool = False
    description: object = None
    empty_choice: object = None
    default: str | None = None
    width: int = 30

    @property
    def heading(self):
        """The field's name in tables, the history and spreadsheets."""
        return self.column or self.label

    def check(self, value) -> None:
        """The model's rule for the value: one of the choices, given when `missing` says
        so, not longer than the limit."""
        if self.choices is not None:
            if (value is not None or self.required) and value not in self.choices:
                raise RuleViolation(self.name, self.invalid)
        elif self.integer:
            return
        elif self.missing is not None and not (value or "").strip():
            raise RuleViolation(self.name, self.missing)
        elif (
            self.max_length is not None
            and not self.input_limit
            and len(value or "") > self.max_length
        ):
            raise RuleViolation(self.name, too_long_text(self.max_length))

    def display(self, value) -> str:
        """The value as text for people: a choice's label, "" for nothing."""
        if value is None:
            return ""
        if self.choices is not None:
            return str(self.choices.get(value, value))
        return str(value)


def names(fields: tuple[UserField, ...]) -> tuple[str, ...]:
    return tuple(field.name for field in fields)


def named(fields: tuple[UserField, ...], name: str) -> UserField:
    return next(field for field in fields if field.name == name)


def without(fields: tuple[UserField, ...], *left_out: str) -> tuple[UserField, ...]:
    return tuple(field for field in fields if field.name not in left_out)


def check_fields(record, fields: tuple[UserField, ...]) -> None:
    """The model's checks of every declared field (UserField.check), in their order."""
    for field in fields:
        field.check(getattr(record, field.name))
