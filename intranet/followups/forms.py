from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, Regexp

from intranet.forms import ChangeNoteMixin
from intranet.models import DEVIATION_REASONS, STATUSES
from intranet.models.followups import (
    MAX_DEVIATION_TEXT_LENGTH,
    MAX_TEXT_LENGTH,
    deviation_problems,
)

CHOOSE_FROM_LIST = _l("Välj ett värde i listan.")


def choices(mapping: dict, empty_label=None) -> list[SelectChoice]:
    """Select options from a code -> label mapping, optionally led by an empty choice."""
    options = [SelectChoice(code, label) for code, label in mapping.items()]
    return [SelectChoice("", empty_label), *options] if empty_label else options


def too_long(limit: int):
    return Length(max=limit, message=_l("Texten får vara högst %(n)s tecken.", n=limit))


class FollowUpForm(ChangeNoteMixin, FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices(STATUSES),
        validate_choice=False,
        validators=[AnyOf(list(STATUSES), message=CHOOSE_FROM_LIST)],
    )
    outcome = TextAreaField(
        _l("Redovisning"),
        validators=[Optional(), too_long(MAX_TEXT_LENGTH)],
        description=_l("Vad har gjorts under året och med vilket resultat?"),
    )
    deviation_reason = SelectField(
        _l("Orsak till avvikelse"),
        choices=choices(DEVIATION_REASONS, _l("– Ingen avvikelse –")),
        validate_choice=False,
        validators=[AnyOf(["", *DEVIATION_REASONS], message=CHOOSE_FROM_LIST)],
        description=_l("Krävs när status är Delvis genomförd, Ej genomförd eller Avbruten."),
    )
    deviation_text = TextAreaField(
        _l("Beskrivning av avvikelsen"),
        validators=[Optional(), too_long(MAX_DEVIATION_TEXT_LENGTH)],
    )
    next_steps = TextAreaField(_l("Nästa steg"), validators=[Optional(), too_long(MAX_TEXT_LENGTH)])
    lock_version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=CHOOSE_FROM_LIST)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The model enforces the same rule; checking here shows both fields' messages at once.
        values = self.values()
        for field, message in deviation_problems(
            values["status"], values["deviation_reason"], values["deviation_text"]
        ).items():
            self[field].errors = [*self[field].errors, message]
            valid = False
        return valid

    def values(self) -> dict:
        def text(field):
            return (field.data or "").strip() or None

        return {
            "status": self.status.data,
            "outcome": text(self.outcome),
            "deviation_reason": self.deviation_reason.data or None,
            "deviation_text": text(self.deviation_text),
            "next_steps": text(self.next_steps),
        }
