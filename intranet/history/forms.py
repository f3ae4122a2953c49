from flask_wtf import FlaskForm

from intranet.forms import change_note_field
from intranet.translation import lazy_gettext as _l


class ArchiveForm(FlaskForm):
    """Archive a record or bring it back, with an optional note for the history."""

    note = change_note_field(_l("Kommentar (valfri)"), description=None)
