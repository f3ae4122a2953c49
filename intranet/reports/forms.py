from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from intranet.core.translation import lazy_gettext as _l
from intranet.web.field_forms import whole_number
from intranet.web.forms import id_prefix_meta


class CommentForm(FlaskForm):
    # The report page holds the report filter form too, with fields of the same names.
    Meta = id_prefix_meta("comment-")

    board_id = HiddenField()
    year = HiddenField()
    # The comment's version when the form was opened (0: none yet), for the optimistic lock.
    lock_version = HiddenField(validators=[whole_number()])
    text = TextAreaField(
        _l("Avslutande kommentarer"),
        validators=[Length(max=20_000, message=_l("Texten får vara högst 20 000 tecken."))],
    )

    @classmethod
    def for_report(cls, report) -> "CommentForm":
        """The form for the report's board and year, holding the stored comments."""
        return cls(
            board_id=report.board_id,
            year=report.year or "",
            text=report.closing_comments,
            lock_version=str(report.closing_comments_lock_version),
        )
