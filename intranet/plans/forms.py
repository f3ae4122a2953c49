from wtforms import BooleanField, SelectField

from intranet.core.numbers import coerce_id
from intranet.core.translation import lazy_gettext as _l
from intranet.web.forms import ConfirmImportForm, UploadForm


class PlanImportForm(UploadForm):
    strategy_id = SelectField(_l("Strategi"), coerce=coerce_id, validate_choice=True)


class PlanConfirmForm(ConfirmImportForm):
    """The preview's confirmation; when the file names boards that do not exist yet, they
    are created only with `create_boards` ticked."""

    create_boards = BooleanField(_l("Skapa de nya nämnderna när planen sparas"))
