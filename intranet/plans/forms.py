from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from intranet.forms import UploadForm
from intranet.numbers import coerce_id


class PlanImportForm(UploadForm):
    strategy_id = SelectField(_l("Strategi"), coerce=coerce_id, validate_choice=True)
