from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from intranet.core.translation import lazy_gettext as _l


class LoginForm(FlaskForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[DataRequired(_l("Ange ditt användarnamn.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[DataRequired(_l("Ange ditt lösenord.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
