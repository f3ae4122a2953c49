"""The structure editors' forms: strategy, plan, focus area, sub-goal, moving, lifecycle."""

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Optional

from intranet.core.fields import CHOOSE_FROM_LIST, named, without
from intranet.core.numbers import coerce_id
from intranet.core.translation import lazy_gettext as _l
from intranet.models import (
    FOCUS_AREA_FIELDS,
    PLAN_FIELDS,
    STRATEGY_FIELDS,
    SUB_GOAL_FIELDS,
    TAG_KINDS,
)
from intranet.web.field_forms import add_form_fields, form_field, form_values, whole_number
from intranet.web.forms import ChangeNoteMixin, CheckboxesField, change_note_field, too_long

TAG_HINT = _l("Flera skiljs åt med semikolon.")


@add_form_fields(STRATEGY_FIELDS)
class StrategyForm(ChangeNoteMixin, FlaskForm):
    """One field per declared strategy field (STRATEGY_FIELDS)."""

    def values(self) -> dict:
        return form_values(self, STRATEGY_FIELDS)


# The plan's status changes by its lifecycle (PlanStatusForm), not in this form.
PLAN_FORM_FIELDS = without(PLAN_FIELDS, "status")


class PlanForm(ChangeNoteMixin, FlaskForm):
    """The declared plan fields (PLAN_FIELDS) with the strategy and the owner board between
    them, in the order of the page."""

    title = form_field(named(PLAN_FIELDS, "title"))
    strategy_id = SelectField(
        _l("Strategi"),
        coerce=coerce_id,
        validate_choice=True,
        validators=[InputRequired(_l("Välj strategin som planen hör till."))],
    )
    start_year = form_field(named(PLAN_FIELDS, "start_year"))
    end_year = form_field(named(PLAN_FIELDS, "end_year"))
    description = form_field(named(PLAN_FIELDS, "description"))
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
        values = form_values(self, PLAN_FORM_FIELDS)
        for name in ("strategy_id", "owner_board_id"):
            if name in self:
                values[name] = self[name].data
        return values


@add_form_fields(FOCUS_AREA_FIELDS)
class FocusAreaForm(ChangeNoteMixin, FlaskForm):
    """One field per declared focus area field (FOCUS_AREA_FIELDS)."""

    def values(self) -> dict:
        return form_values(self, FOCUS_AREA_FIELDS)


def _tags_field(kind: str):
    return StringField(
        TAG_KINDS[kind], validators=[Optional(), too_long(2000)], description=TAG_HINT
    )


class SubGoalForm(ChangeNoteMixin, FlaskForm):
    """The declared sub-goal fields (SUB_GOAL_FIELDS) first, then its boards and tags."""

    code = form_field(named(SUB_GOAL_FIELDS, "code"))
    title = form_field(named(SUB_GOAL_FIELDS, "title"))
    description = form_field(named(SUB_GOAL_FIELDS, "description"))
    cross_references = form_field(named(SUB_GOAL_FIELDS, "cross_references"))
    main_board_id = SelectField(_l("Ansvarig nämnd"), coerce=coerce_id, validate_choice=True)
    involved_board_ids = CheckboxesField(
        _l("Involverade nämnder"), coerce=coerce_id, validate_choice=True
    )
    tags_target_group = _tags_field("target_group")
    tags_district = _tags_field("district")
    tags_unit = _tags_field("unit")
    tags_partner = _tags_field("partner")
    lock_version = HiddenField(validators=[whole_number()])

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
        return form_values(self, SUB_GOAL_FIELDS)

    def board_ids(self) -> list[int]:
        """Main board first, then the involved ones (the main board not twice)."""
        main = [self.main_board_id.data] if self.main_board_id.data else []
        return main + [i for i in self.involved_board_ids.data or [] if i not in main]


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"], message=CHOOSE_FROM_LIST)])


class PlanStatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired()])
    note = change_note_field(_l("Anledning (sparas i historiken)"), description=None)
