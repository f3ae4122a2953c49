from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Regexp

from intranet.fields import CHOOSE_FROM_LIST
from intranet.forms import id_prefix_meta, optional_text
from intranet.numbers import coerce_id


class ReportFilterForm(FlaskForm):
    """Which report: read from the query string, so a report has a shareable address."""

    class Meta:
        csrf = False

    # The report's own address names the plan; the field only serves the choosing page.
    plan_id = SelectField(_l("Plan"), coerce=coerce_id, validate_choice=False)
    board_id = SelectField(_l("Nämnd"), coerce=coerce_id, validate_choice=True)
    year = SelectField(_l("År"), coerce=coerce_id, validate_choice=True)
    # By number ("4"), as the plan names it, so that the address reads as the report does.
    focus_area = SelectField(_l("Fokusområde"), coerce=optional_text, validate_choice=True)
    earlier = BooleanField(
        _l("Visa tidigare år för delmål som fortsätter delmål i tidigare planer")
    )
    # Read, checked and allowed by history.asof.as_of_from_request, like on every page
    # that shows the past; the field only shows the value and its message.
    as_of = StringField(
        _l("Som det såg ut den (valfritt)"),
        description=_l(
            "Lämna tomt för dagens uppgifter. Format ÅÅÅÅ-MM-DD, eventuellt med klockslag TT:MM."
        ),
    )


class CommentForm(FlaskForm):
    # The report page holds the report filter form too, with fields of the same names.
    Meta = id_prefix_meta("comment-")

    board_id = HiddenField()
    year = HiddenField()
    # The comment's version when the form was opened (0: none yet), for the optimistic lock.
    lock_version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=CHOOSE_FROM_LIST)])
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
