from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)

from intranet.core.numbers import coerce_id
from intranet.core.password_policy import MIN_PASSWORD_LENGTH
from intranet.core.translation import lazy_gettext as _l
from intranet.models import ROLES
from intranet.web.forms import CheckboxesField, change_note_field, with_placeholder


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value says so in plain Swedish."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Välj en av rollerna i listan.")) from None


def _role_choices():
    # An empty first choice: a new account gets no role unless one is chosen.
    roles = [SelectChoice(code, str(label)) for code, label in ROLES.items()]
    return with_placeholder(_l("Välj en roll"), roles)


class UserForm(FlaskForm):
    """Shared by the new and edit pages; the username is only set when creating."""

    display_name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Ange personens namn.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    role = ChoiceField(
        _l("Roll"),
        choices=_role_choices(),
        validate_choice=True,
        validators=[InputRequired(_l("Välj en roll."))],
    )
    boards = CheckboxesField(_l("Nämnder"), coerce=coerce_id, validate_choice=True)
    note = change_note_field(_l("Kommentar till ändringen (visas i historiken)"), description=None)

    def __init__(self, *args, board_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()
        self.boards.choices = [SelectChoice(board.id, board.name) for board in board_choices]


class NewUserForm(UserForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[
            DataRequired(_l("Ange ett användarnamn.")),
            Length(max=80, message=_l("Högst 80 tecken.")),
            Regexp(
                r"^[A-Za-z0-9._@-]+$",
                message=_l("Använd bara bokstäverna a–z, siffror och . _ @ -"),
            ),
        ],
        render_kw={"autocomplete": "off"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )

    # No role is preselected: a new account's rights are a deliberate choice, never a
    # default (which used to be the first role, Administratör). The placeholder that makes
    # this is the one _role_choices gives every user form.


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nytt lösenord"),
        validators=[
            DataRequired(_l("Ange ett lösenord.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Lösenordet måste ha %(min)s–%(max)s tecken."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Upprepa lösenordet"),
        validators=[EqualTo("password", _l("Lösenorden är inte lika."))],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(FlaskForm):
    """Deactivate/reactivate: nothing to fill in but the CSRF token."""
