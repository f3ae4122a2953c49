"""Form pieces every domain shares: the change note that goes into the history, choice
and length helpers, ISO dates, and the upload and confirmation forms of both imports."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from intranet.core.errors import RuleViolation
from intranet.core.fields import too_long_text
from intranet.core.stored_text import refuse_identity_numbers, too_long_message
from intranet.core.translation import lazy_gettext as _l

NOTE_MAX_LENGTH = 500
NOTE_LABEL = _l("Ändringsanteckning (valfri)")
NOTE_DESCRIPTION = _l("Sparas i historiken: varför ändringen görs.")


def no_identity_numbers(form, field):
    """The model layer refuses the same; checking in the form shows it by the field at once."""
    try:
        refuse_identity_numbers(field.name, field.data)
    except RuleViolation as violation:
        raise ValidationError(violation.message) from None


def change_note_field(label=NOTE_LABEL, description=NOTE_DESCRIPTION, multiline: bool = False):
    """The change note of every form. It is stored on the history transaction, which the
    hash chain makes permanent, so it is checked here, by the field, before anything is
    written; versioning.stored_note checks it again when the transaction row is made."""
    field_class = TextAreaField if multiline else StringField
    return field_class(
        label,
        validators=[
            Optional(),
            Length(max=NOTE_MAX_LENGTH, message=too_long_message(NOTE_MAX_LENGTH)),
            no_identity_numbers,
        ],
        description=description,
    )


def with_placeholder(placeholder, choices) -> list[SelectChoice]:
    """A select's choices behind exactly one empty placeholder option: any empty choice
    already in `choices` is dropped, so a list that brings its own and a caller that adds
    one can never show two (the new-user role select once did)."""
    options = [
        choice if isinstance(choice, SelectChoice) else SelectChoice(*choice) for choice in choices
    ]
    return [
        SelectChoice("", str(placeholder)),
        *(option for option in options if option.value not in ("", None)),
    ]


def id_prefix_meta(prefix: str) -> type:
    """A form `Meta` that starts every field's id with `prefix` and leaves its name alone:
    for a form that shares a page with another form whose fields have the same names. Ids
    must be unique in the page, while the names are the query string or the posted data
    that links and views rely on."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_id = f"{prefix}{options.get('prefix', '')}{options['name']}"
            return unbound_field.bind(form=form, id=field_id, **options)

    return Meta


class ChangeNoteMixin:
    note = change_note_field()


def choices(mapping: dict, empty_label=None) -> list[SelectChoice]:
    """Select options from a code -> label mapping, optionally led by an empty choice."""
    options = [SelectChoice(code, label) for code, label in mapping.items()]
    return [SelectChoice("", empty_label), *options] if empty_label else options


def too_long(limit: int):
    return Length(max=limit, message=too_long_text(limit))


class UploadForm(FlaskForm):
    file = FileField(
        _l("Ifylld Excelfil (.xlsx)"), validators=[FileRequired(_l("Välj en fil att läsa in."))]
    )


class ConfirmImportForm(FlaskForm):
    # Shown under the upload form, which has a CSRF token of its own: ids unique in the page.
    Meta = id_prefix_meta("confirm-")

    payload = HiddenField(validators=[InputRequired()])


class IsoDateField(DateField):
    """A date field whose parse error is in the UI language, whatever WTForms ships."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2027-02-15.")) from error


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArchiveForm(FlaskForm):
    """Archive a record or bring it back, with an optional note for the history."""

    note = change_note_field(_l("Kommentar (valfri)"), description=None)
