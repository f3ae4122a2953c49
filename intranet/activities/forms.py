from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp

from intranet.fields import CHOOSE_FROM_LIST
from intranet.forms import ChangeNoteMixin, choices, too_long
from intranet.models import ACTIVITY_STATUSES


class ActivityForm(ChangeNoteMixin, FlaskForm):
    title = StringField(
        _l("Aktivitet"),
        validators=[InputRequired(_l("Ange aktivitetens namn.")), Length(max=300)],
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(5000)])
    planned_from_year = IntegerField(
        _l("Planerad från år"),
        validators=[Optional()],
        description=_l("Lämna båda åren tomma för en aktivitet utan år (ej daterad)."),
    )
    planned_to_year = IntegerField(
        _l("Planerad till år"),
        validators=[Optional()],
        description=_l("Tomt: samma år som från-året. Får gå förbi planens slut, inom strategin."),
    )
    responsible_unit = StringField(_l("Ansvarig enhet"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        choices=choices(ACTIVITY_STATUSES),
        validate_choice=False,
        validators=[AnyOf(list(ACTIVITY_STATUSES), message=CHOOSE_FROM_LIST)],
    )
    lock_version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=CHOOSE_FROM_LIST)])

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
        start, end = self.planned_from_year.data, self.planned_to_year.data
        return {
            "title": (self.title.data or "").strip(),
            "description": (self.description.data or "").strip() or None,
            "planned_from_year": start,
            # One year given: an activity of that year.
            "planned_to_year": start if end is None else end,
            "responsible_unit": (self.responsible_unit.data or "").strip() or None,
            "status": self.status.data,
        }
