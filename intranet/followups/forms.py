from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField

from intranet.models import FOLLOW_UP_FIELDS
from intranet.models.followups import deviation_problems
from intranet.web.field_forms import add_form_fields, form_values, whole_number
from intranet.web.forms import ChangeNoteMixin


@add_form_fields(FOLLOW_UP_FIELDS)
class FollowUpForm(ChangeNoteMixin, FlaskForm):
    """The follow-up editor: one field per declared follow-up field (FOLLOW_UP_FIELDS)."""

    lock_version = HiddenField(validators=[whole_number()])

    @classmethod
    def for_record(cls, follow_up) -> "FollowUpForm":
        """The posted form, or on GET the stored follow-up (none yet: empty, version 0)."""
        if request.method != "GET":
            return cls()
        form = cls(obj=follow_up)
        form.lock_version.data = str(follow_up.lock_version if follow_up else 0)
        return form

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
        return form_values(self, FOLLOW_UP_FIELDS)
