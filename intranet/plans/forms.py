from wtforms import BooleanField, SelectField

from intranet.forms import ConfirmImportForm, UploadForm
from intranet.numbers import coerce_id
from intranet.translation import lazy_gettext as _l


class PlanImportForm(UploadForm):
    strategy_id = SelectField(_l("Strategi"), coerce=coerce_id, validate_choice=True)


class PlanConfirmForm(ConfirmImportForm):
    """The preview's confirmation; when the file names boards that do not exist yet, they
    are created only with `create_boards` ticked."""

    create_boards = BooleanField(_l("Skapa de nya nämnderna när planen sparas"))
