"""The structure editors' forms: strategy, plan, focus area, sub-goal, moving, lifecycle."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional, Regexp

from intranet.admin.forms import CheckboxesField
from intranet.fields import CHOOSE_FROM_LIST
from intranet.forms import ChangeNoteMixin, change_note_field, too_long
from intranet.models import TAG_KINDS
from intranet.models.plans import FIRST_YEAR, LAST_YEAR
from intranet.numbers import coerce_id

YEAR_MESSAGE = _l("Ange ett årtal, till exempel 2024.")
TAG_HINT = _l("Flera skiljs åt med semikolon.")


def _year(label):
    return IntegerField(
        label,
        validators=[
            InputRequired(YEAR_MESSAGE),
            NumberRange(
                FIRST_YEAR,
                LAST_YEAR,
                _l("Ange ett år mellan %(a)s och %(b)s.", a=FIRST_YEAR, b=LAST_YEAR),
            ),
        ],
    )


def _text(value) -> str | None:
    return (value or "").strip() or None


class StrategyForm(ChangeNoteMixin, FlaskForm):
    title = StringField(
        _l("Titel"), validators=[InputRequired(_l("Ange strategins titel.")), too_long(300)]
    )
    start_year = _year(_l("Startår"))
    end_year = _year(_l("Slutår"))
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(5000)])

    def values(self) -> dict:
        return {
            "title": _text(self.title.data),
            "start_year": self.start_year.data,
            "end_year": self.end_year.data,
            "description": _text(self.description.data),
        }


class PlanForm(ChangeNoteMixin, FlaskForm):
    title = StringField(
        _l("Titel"), validators=[InputRequired(_l("Ange planens titel.")), too_long(300)]
    )
    strategy_id = SelectField(
        _l("Strategi"),
        coerce=coerce_id,
        validate_choice=True,
        validators=[InputRequired(_l("Välj strategin som planen hör till."))],
    )
    start_year = _year(_l("Startår"))
    end_year = _year(_l("Slutår"))
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(5000)])
    owner_board_id = SelectField(
        _l("Planägare"),
        coerce=coerce_id,
        validate_choice=True,
        description=_l(
            "Nämndens tjänstepersoner får redigera planens struktur. Utan planägare: "
            "bara administratörer."
        ),
    )

    def values(self) -> dict:
        """The posted values; without the strategy and the owner board when the form has
        them removed (only admins set those)."""
        values = {
            "title": _text(self.title.data),
            "start_year": self.start_year.data,
            "end_year": self.end_year.data,
            "description": _text(self.description.data),
        }
        for name in ("strategy_id", "owner_board_id"):
            if name in self:
                values[name] = self[name].data
        return values


class FocusAreaForm(ChangeNoteMixin, FlaskForm):
    number = StringField(_l("Nummer"), validators=[Optional(), too_long(20)])
    title = StringField(
        _l("Titel"), validators=[InputRequired(_l("Ange fokusområdets titel.")), too_long(300)]
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(5000)])

    def values(self) -> dict:
        return {
            "number": _text(self.number.data),
            "title": _text(self.title.data),
            "description": _text(self.description.data),
        }


class SubGoalForm(ChangeNoteMixin, FlaskForm):
    code = StringField(_l("Nummer"), validators=[Optional(), too_long(20)])
    title = TextAreaField(
        _l("Titel"), validators=[InputRequired(_l("Ange delmålets titel.")), too_long(500)]
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(10000)])
    cross_references = StringField(
        _l("Hänvisning"),
        validators=[Optional(), too_long(300)],
        description=_l("Till exempel ”se punkt 2.4”."),
    )
    main_board_id = SelectField(_l("Ansvarig nämnd"), coerce=coerce_id, validate_choice=True)
    involved_board_ids = CheckboxesField(
        _l("Involverade nämnder"), coerce=coerce_id, validate_choice=True
    )
    tags_target_group = StringField(
        TAG_KINDS["target_group"], validators=[Optional(), too_long(2000)], description=TAG_HINT
    )
    tags_district = StringField(
        TAG_KINDS["district"], validators=[Optional(), too_long(2000)], description=TAG_HINT
    )
    tags_unit = StringField(
        TAG_KINDS["unit"], validators=[Optional(), too_long(2000)], description=TAG_HINT
    )
    tags_partner = StringField(
        TAG_KINDS["partner"], validators=[Optional(), too_long(2000)], description=TAG_HINT
    )
    lock_version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=CHOOSE_FROM_LIST)])

    def fill(self, sub_goal) -> None:
        """On GET, the stored sub-goal (a new one: nothing, lock version 0)."""
        if request.method != "GET":
            return
        self.lock_version.data = str(sub_goal.lock_version if sub_goal else 0)
        if sub_goal is None:
            return
        boards = sub_goal.boards
        self.main_board_id.data = boards[0].id if boards else None
        self.involved_board_ids.data = [board.id for board in boards[1:]]
        for kind in TAG_KINDS:
            self[f"tags_{kind}"].data = "; ".join(tag.name for tag in sub_goal.tags(kind))

    def values(self) -> dict:
        return {
            "code": _text(self.code.data),
            "title": _text(self.title.data),
            "description": _text(self.description.data),
            "cross_references": _text(self.cross_references.data),
        }

    def board_ids(self) -> list[int]:
        """Main board first, then the involved ones (the main board not twice)."""
        main = [self.main_board_id.data] if self.main_board_id.data else []
        return main + [i for i in self.involved_board_ids.data or [] if i not in main]


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"], message=CHOOSE_FROM_LIST)])


class PlanStatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired()])
    note = change_note_field(_l("Anledning (sparas i historiken)"), description=None)
