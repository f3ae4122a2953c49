from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intranet.boards.services import MEMBERSHIP_CHOICES
from intranet.core.fields import CHOOSE_FROM_LIST
from intranet.core.numbers import parse_id
from intranet.core.translation import lazy_gettext as _l
from intranet.models import BOARD_KINDS
from intranet.web.forms import IsoDateField, change_note_field, choices, no_identity_numbers

KEEP = "keep"


class BoardForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        validators=[DataRequired(_l("Ange nämndens namn.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    kind = RadioField(
        _l("Typ"),
        choices=choices(BOARD_KINDS),
        default="board",
        validators=[InputRequired(_l("Välj nämnd eller bolag."))],
    )
    administration = StringField(
        _l("Förvaltning"),
        validators=[Optional(), Length(max=200), no_identity_numbers],
        render_kw={"autocomplete": "off"},
    )
    note = change_note_field()


class ConfirmForm(FlaskForm):
    """Archive/bring back: nothing to fill in but the CSRF token."""


def _listed_choice(form, field):
    """A posted board must be one of the listed ones, said next to the field: an unknown
    value is not quietly "none" (nor "٣" board 3)."""
    if (field.data or "") not in {choice.value for choice in field.choices}:
        raise ValidationError(CHOOSE_FROM_LIST)


class ReorganisationForm(FlaskForm):
    valid_from = IsoDateField(
        _l("Ansvaret flyttas från och med"),
        validators=[InputRequired(_l("Ange från vilket datum ansvaret flyttas."))],
    )
    target = SelectField(
        _l("Flytta alla delmål till"), validate_choice=False, validators=[_listed_choice]
    )
    memberships = RadioField(_l("Medlemskap"), choices=choices(MEMBERSHIP_CHOICES), default="move")
    archive_source = BooleanField(_l("Arkivera nämnden när ansvaret är flyttat"))
    note = change_note_field(
        label=_l("Beskrivning (krävs)"),
        description=_l("Sparas i historiken, till exempel beslutet om omorganisationen."),
        multiline=True,
    )


def reorganisation_form(source, links, boards, **kwargs) -> ReorganisationForm:
    """The form with one choice per sub-goal (`move_<id>`): as the common choice, stay with
    the source, or a board of its own (a split)."""
    board_choices = [SelectChoice(str(board.id), board.name) for board in boards]

    class Form(ReorganisationForm):
        pass

    for link in links:
        sub_goal = link.sub_goal
        setattr(
            Form,
            f"move_{sub_goal.id}",
            SelectField(
                f"{sub_goal.code} {sub_goal.title}",
                choices=[
                    SelectChoice("", str(_l("Som valet ovan"))),
                    SelectChoice(KEEP, str(_l("Stannar hos %(board)s", board=source.name))),
                    *board_choices,
                ],
                default="",
                validate_choice=False,
                validators=[_listed_choice],
            ),
        )
    form = Form(**kwargs)
    form.target.choices = [SelectChoice("", str(_l("Välj per delmål nedan"))), *board_choices]
    form.moves = [(link, form[f"move_{link.sub_goal_id}"]) for link in links]
    return form


def _listed(value):
    """KEEP, a board id (read by intranet.core.numbers, so "٣" is not board 3), or None."""
    return KEEP if value == KEEP else parse_id(value)


def chosen_moves(form, boards_by_id: dict) -> dict:
    """Sub-goal id -> receiving board, from the common choice and the per sub-goal ones."""
    moves = {}
    for link, field in form.moves:
        choice = _listed(field.data) or _listed(form.target.data)
        if choice in boards_by_id:
            moves[link.sub_goal_id] = boards_by_id[choice]
    return moves
