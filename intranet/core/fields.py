"""A model's user-facing fields, declared once beside its columns (name, label, limits,
choices), and what is derived from them: the web form's fields, the values read from a
submitted form or a spreadsheet cell, the model's checks of choices and lengths, the
history's labels and the spreadsheets' columns.

    FOLLOW_UP_FIELDS = (
        UserField("status", _l("Status"), choices=STATUSES, required=True, ...),
        UserField("outcome", _l("Redovisning"), max_length=MAX_TEXT_LENGTH, ...),
    )
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from intranet.core.errors import RuleViolation
from intranet.core.numbers import parse_whole
from intranet.core.translation import lazy_gettext as _l

CHOOSE_FROM_LIST = _l("Välj ett värde i listan.")


# IntegerField's own message, translated by WTForms' catalogues (a constant, so that ours do
# not extract it).
WTFORMS_NOT_AN_INTEGER = "Not a valid integer value."


class WholeField(IntegerField):
    """A whole number typed in a form (a year), read by intranet.core.numbers.parse_whole: ASCII
    digits within the database's integer, so "٣", "²", "3.0", "-1" or 25 digits get
    `invalid` next to the field rather than int()'s reading or a database error. Empty is
    None, for InputRequired or Optional to judge."""

    def __init__(self, label=None, validators=None, invalid=None, **kwargs):
        super().__init__(label, validators, invalid_value_message=invalid, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0]
        if raw is None or not str(raw).strip():
            self.data = None
            return
        self.data = parse_whole(raw)
        if self.data is None:
            raise ValueError(self.invalid_value_message or self.gettext(WTFORMS_NOT_AN_INTEGER))


def whole_number(message=CHOOSE_FROM_LIST, low: int = 0):
    """The validator of a text or hidden field that holds a whole number (a version
    counter, a posted id): parse_whole's reading, so the view reads it with that too."""

    def check(form, field):
        if parse_whole(field.data, low) is None:
            raise ValidationError(message)

    return check


def too_long_text(limit: int):
    return _l("Texten får vara högst %(n)s tecken.", n=limit)


@dataclass(frozen=True)
class UserField:
    """One field as users see it, in forms, history and spreadsheets.

    - `label`: the form's label (and the card's); `column`: a shorter heading for tables,
      the history and spreadsheets (the label when not given).
    - `choices`: code -> label; `empty_choice` names the "none" option of an optional choice.
    - `multiline`: free text over several lines (a textarea; word diffs in the history).
    - `invalid`: the model's (and the imports') message for a value outside the choices;
      a form's select says CHOOSE_FROM_LIST.
    - `default`: the value a record without this field set has (spreadsheets show it).
    - `width`: the spreadsheet column's width.
    - `missing`: the message for a field left empty. With `required` the form refuses an
      empty value with it; the model refuses an empty text with it even without, for a
      field a service fills in when it is left empty (the next free number).
    - `input_limit`: `max_length` is for what people type in the form only; stored texts may
      be longer (imported plans, a next plan's description) and the model does not refuse
      them, so that archiving or moving such a record still works.
    - `integer`: a whole number (a year); `bounds` (lowest, highest) and `out_of_bounds`
      are the form's range check. The model's own rules check years, as they span two
      fields.
    """

    name: str
    label: object
    column: object = None
    choices: Mapping[str, object] | None = None
    empty_choice: object = None
    required: bool = False
    max_length: int | None = None
    multiline: bool = False
    description: object = None
    invalid: object = CHOOSE_FROM_LIST
    default: str | None = None
    width: int = 30
    missing: object = None
    input_limit: bool = False
    integer: bool = False
    bounds: tuple[int, int] | None = None
    out_of_bounds: object = None

    @property
    def heading(self):
        return self.column or self.label

    # The web form

    def form_field(self):
        """The unbound WTForms field for this declaration."""
        if self.choices is not None:
            allowed = list(self.choices) if self.required else ["", *self.choices]
            options = [SelectChoice(code, label) for code, label in self.choices.items()]
            if self.empty_choice is not None:
                options = [SelectChoice("", self.empty_choice), *options]
            return SelectField(
                self.label,
                choices=options,
                validate_choice=False,
                validators=[AnyOf(allowed, message=CHOOSE_FROM_LIST)],
                description=self.description,
            )
        validators = [InputRequired(self.missing) if self.required else Optional()]
        if self.integer:
            if self.bounds is not None:
                validators.append(NumberRange(*self.bounds, message=self.out_of_bounds))
            return WholeField(
                self.label,
                validators=validators,
                invalid=self.out_of_bounds,
                description=self.description,
            )
        if self.max_length is not None:
            validators.append(Length(max=self.max_length, message=too_long_text(self.max_length)))
        field_class = TextAreaField if self.multiline else StringField
        return field_class(self.label, validators=validators, description=self.description)

    def from_form(self, field):
        """The value to store from a validated form field: trimmed text or None."""
        if self.choices is not None:
            return field.data or None
        if self.integer:
            return field.data
        return (field.data or "").strip() or None

    # Spreadsheets

    def to_cell(self, value):
        """What a spreadsheet cell shows for `value` (a choice's label)."""
        if value is None:
            value = self.default
        if self.choices is not None and value is not None:
            return str(self.choices.get(value, value))
        return value

    def from_cell(self, text: str | None, raw_text: str | None):
        """The value to store from a cell (`text` trimmed, `raw_text` as exported); raises
        RuleViolation(name) for a choice that is not in the list (or missing, if required)."""
        if self.choices is None:
            return raw_text
        if not text:
            if self.required:
                raise RuleViolation(self.name, self.invalid)
            return None
        code = _choice_lookup(self.choices).get(text.casefold())
        if code is None:
            raise RuleViolation(self.name, self.invalid)
        return code

    # The model and the history

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


def in_every_language(make):
    """`make()` in each UI language: a file downloaded in English reads back for a Swedish
    user, and the other way round."""
    results = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            results.append(make())
    return results


def _choice_lookup(choices: Mapping[str, object]) -> dict[str, str]:
    """A choice's code by its label in every UI language or by the code itself, either
    case."""
    found = {}
    for translated in in_every_language(
        lambda: {code: str(text) for code, text in choices.items()}
    ):
        for code, label in translated.items():
            found[label.casefold()] = code
            found[code.casefold()] = code
    return found


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


def add_form_fields(fields: tuple[UserField, ...]):
    """A class decorator: the form gets one field per declaration, with its name, after
    the class's own fields (a form that shows its own fields between the declared ones
    takes each with `named(fields, name).form_field()` in its body instead)."""

    def decorate(form_class):
        for field in fields:
            setattr(form_class, field.name, field.form_field())
        return form_class

    return decorate


def form_values(form, fields: tuple[UserField, ...]) -> dict:
    """The values to store from a validated form, by field name."""
    return {field.name: field.from_form(form[field.name]) for field in fields}
