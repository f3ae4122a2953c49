from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange

from intranet.core.numbers import coerce_id
from intranet.core.translation import lazy_gettext as _l
from intranet.web.field_forms import WholeField
from intranet.web.forms import IsoDateField, change_note_field


class OpenRoundForm(FlaskForm):
    # Its choices start with an empty "Välj plan": no plan is opened by default.
    plan_id = SelectField(
        _l("Plan"), coerce=coerce_id, validators=[InputRequired(_l("Välj en plan."))]
    )
    year = WholeField(
        _l("År som ska följas upp"),
        validators=[
            InputRequired(_l("Ange ett år.")),
            NumberRange(1990, 2100, _l("Ange ett år mellan 1990 och 2100.")),
        ],
        invalid=_l("Ange ett år mellan 1990 och 2100."),
    )
    deadline = IsoDateField(
        _l("Sista dag att rapportera"),
        validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))],
    )


class RoundStateForm(FlaskForm):
    note = change_note_field(
        _l("Anledning (sparas i historiken)"), description=None, multiline=True
    )
