"""The next-plan form (built for the plan it starts from: one checkbox and one number per
focus area and sub-goal) and the link form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from intranet.core.numbers import coerce_id
from intranet.core.translation import lazy_gettext as _l
from intranet.lineage.services import Continued, NextPlan
from intranet.web.field_forms import WholeField
from intranet.web.forms import ChangeNoteMixin, too_long

YEAR_MESSAGE = _l("Ange ett årtal, till exempel 2022.")


class NextPlanForm(ChangeNoteMixin, FlaskForm):
    title = StringField(
        _l("Den nya planens titel"),
        validators=[InputRequired(_l("Ange planens titel.")), Length(max=300)],
    )
    start_year = WholeField(
        _l("Första år"), validators=[InputRequired(YEAR_MESSAGE)], invalid=YEAR_MESSAGE
    )
    end_year = WholeField(
        _l("Sista år"), validators=[InputRequired(YEAR_MESSAGE)], invalid=YEAR_MESSAGE
    )
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), too_long(20_000)])


def current_areas(plan) -> list[tuple]:
    """The plan's focus areas that are not archived, each with its current sub-goals."""
    return [
        (area, [goal for goal in area.sub_goals if not goal.is_archived])
        for area in plan.focus_areas
        if not area.is_archived
    ]


def _choice_fields(form_class, prefix: str, record_id: int, label, number_label) -> None:
    setattr(form_class, f"{prefix}_{record_id}", BooleanField(label, default=True))
    setattr(
        form_class,
        f"{prefix}_{record_id}_number",
        StringField(number_label, validators=[Optional(), Length(max=20)]),
    )


def _next_title(plan, start: int, end: int) -> str:
    for dash in ("–", "-"):
        period = f"{plan.start_year}{dash}{plan.end_year}"
        if period in plan.title:
            return plan.title.replace(period, f"{start}–{end}")
    return ""


def next_plan_form(plan, areas, formdata=None) -> NextPlanForm:
    """The form for starting from `plan`: every focus area and sub-goal in `areas` (its
    current ones) checked and numbered as now, the years following on, unless posted."""

    class Form(NextPlanForm):
        pass

    for area, goals in areas:
        _choice_fields(
            Form,
            "area",
            area.id,
            _l("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title),
            _l("Nummer i nya planen (fokusområde %(n)s)", n=area.number),
        )
        for goal in goals:
            _choice_fields(
                Form,
                "goal",
                goal.id,
                f"{goal.code} {goal.title}",
                _l("Nummer i nya planen (delmål %(code)s)", code=goal.code),
            )
    length = plan.end_year - plan.start_year
    start = plan.end_year + 1
    last = plan.strategy.end_year if plan.strategy is not None else start + length
    end = min(start + length, last)
    defaults = {
        # A title that names its period gets the next one ("… 2018–2021" -> "… 2022–2025").
        "title": _next_title(plan, start, end),
        "start_year": start,
        "end_year": end,
        "description": plan.description,
    }
    defaults |= {f"area_{area.id}_number": area.number for area, _ in areas}
    defaults |= {f"goal_{goal.id}_number": goal.code for _, goals in areas for goal in goals}
    return Form(formdata=formdata, data=defaults) if formdata is None else Form(formdata=formdata)


def wanted_plan(form: NextPlanForm, areas) -> NextPlan:
    def chosen(prefix, records):
        return [
            Continued(record.id, (form[f"{prefix}_{record.id}_number"].data or "").strip())
            for record in records
            if form[f"{prefix}_{record.id}"].data
        ]

    return NextPlan(
        title=(form.title.data or "").strip(),
        start_year=form.start_year.data,
        end_year=form.end_year.data,
        focus_areas=chosen("area", [area for area, _ in areas]),
        sub_goals=chosen("goal", [goal for _, goals in areas for goal in goals]),
        description=(form.description.data or "").strip() or None,
    )


class LinkForm(ChangeNoteMixin, FlaskForm):
    continues_id = SelectField(
        _l("Delmålet fortsätter"),
        coerce=coerce_id,
        validate_choice=False,
        validators=[InputRequired(_l("Välj ett delmål i listan."))],
    )


class UnlinkForm(FlaskForm):
    continues_id = HiddenField(validators=[InputRequired()])
