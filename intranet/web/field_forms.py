"""The web form of a model's declared fields (intranet.core.fields.UserField): the WTForms
field each declaration gets, and the value to store read back from a submitted form."""

from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from intranet.core.fields import CHOOSE_FROM_LIST, UserField, too_long_text
from intranet.core.numbers import parse_whole

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


def form_field(field: UserField):
    """The unbound WTForms field for a declaration."""
    if field.choices is not None:
        allowed = list(field.choices) if field.required else ["", *field.choices]
        options = [SelectChoice(code, label) for code, label in field.choices.items()]
        if field.empty_choice is not None:
            options = [SelectChoice("", field.empty_choice), *options]
        return SelectField(
            field.label,
            choices=options,
            validate_choice=False,
            validators=[AnyOf(allowed, message=CHOOSE_FROM_LIST)],
            description=field.description,
        )
    validators = [InputRequired(field.missing) if field.required else Optional()]
    if field.integer:
        if field.bounds is not None:
            validators.append(NumberRange(*field.bounds, message=field.out_of_bounds))
        return WholeField(
            field.label,
            validators=validators,
            invalid=field.out_of_bounds,
            description=field.description,
        )
    if field.max_length is not None:
        validators.append(Length(max=field.max_length, message=too_long_text(field.max_length)))
    field_class = TextAreaField if field.multiline else StringField
    return field_class(field.label, validators=validators, description=field.description)


def form_value(field: UserField, bound):
    """The value to store from a validated form field: trimmed text or None."""
    if field.choices is not None:
        return bound.data or None
    if field.integer:
        return bound.data
    return (bound.data or "").strip() or None


def add_form_fields(fields: tuple[UserField, ...]):
    """A class decorator: the form gets one field per declaration, with its name, after
    the class's own fields (a form that shows its own fields between the declared ones
    takes each with `form_field(named(fields, name))` in its body instead)."""

    def decorate(form_class):
        for field in fields:
            setattr(form_class, field.name, form_field(field))
        return form_class

    return decorate


def form_values(form, fields: tuple[UserField, ...]) -> dict:
    """The values to store from a validated form, by field name."""
    return {field.name: form_value(field, form[field.name]) for field in fields}
