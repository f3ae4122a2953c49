from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField

from intranet.models import ACTIVITY_FIELDS
from intranet.web.field_forms import add_form_fields, form_values, whole_number
from intranet.web.forms import ChangeNoteMixin


@add_form_fields(ACTIVITY_FIELDS)
class ActivityForm(ChangeNoteMixin, FlaskForm):
    """The activity editor: one field per declared activity field (ACTIVITY_FIELDS)."""

    lock_version = HiddenField(validators=[whole_number()])

    @classmethod
    def for_record(cls, activity, plan) -> "ActivityForm":
        """The posted form, or on GET the stored activity (a new one: the plan's years)."""
        if request.method != "GET":
            return cls()
        form = cls(obj=activity)
        form.lock_version.data = str(activity.lock_version if activity else 0)
        if activity is None:
            form.planned_from_year.data = form.planned_from_year.data or plan.start_year
            form.planned_to_year.data = form.planned_to_year.data or plan.end_year
        return form

    def values(self) -> dict:
        values = form_values(self, ACTIVITY_FIELDS)
        # One year given: an activity of that year.
        if values["planned_to_year"] is None:
            values["planned_to_year"] = values["planned_from_year"]
        return values
