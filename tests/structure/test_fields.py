"""The fields of strategies, plans, focus areas, sub-goals and activities are declared once
(intranet.models.plans); their forms, the models' checks, the history's labels and the plan
workbook's columns all come from the declarations."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired, Length, NumberRange

from intranet.activities.forms import ActivityForm
from intranet.core.errors import RuleViolation
from intranet.core.fields import named
from intranet.history.records import KINDS
from intranet.models import (
    ACTIVITY_FIELDS,
    FOCUS_AREA_FIELDS,
    PLAN_FIELDS,
    STRATEGY_FIELDS,
    SUB_GOAL_FIELDS,
    Activity,
)
from intranet.plans.columns import ACTIVITIES, FOCUS_AREAS, PLAN, SUB_GOALS
from intranet.structure.forms import FocusAreaForm, PlanForm, StrategyForm, SubGoalForm

DECLARED = (
    (STRATEGY_FIELDS, StrategyForm, "strategy", None),
    (PLAN_FIELDS, PlanForm, "plan", PLAN),
    (FOCUS_AREA_FIELDS, FocusAreaForm, "focus_area", FOCUS_AREAS),
    (SUB_GOAL_FIELDS, SubGoalForm, "sub_goal", SUB_GOALS),
    (ACTIVITY_FIELDS, ActivityForm, "activity", ACTIVITIES),
)


# Workbook columns headed as the templates in use have them, not as the field is labelled.
OWN_HEADERS = {"code", "cross_references", "planned_from_year", "planned_to_year"}


def _validator(field, kind):
    return next((v for v in field.validators if isinstance(v, kind)), None)


@pytest.mark.parametrize(("fields", "form_class", "kind", "sheet"), DECLARED)
def test_each_declared_field_reaches_the_form_the_history_and_the_workbook(
    app, fields, form_class, kind, sheet
):
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        history = {field.name: field for field in KINDS[kind].fields}
        columns = {column.field: column for column in (sheet.columns if sheet else ())}
        for declared in fields:
            assert str(history[declared.name].label) == str(declared.heading)
            assert history[declared.name].choices == declared.choices
            if declared.name in columns and declared.name not in OWN_HEADERS:
                assert str(columns[declared.name].label) == str(declared.heading)
            if kind == "plan" and declared.name == "status":
                assert "status" not in form  # the lifecycle changes it
                continue
            field = form[declared.name]
            assert field.label.text == str(declared.label)
            if declared.max_length is not None:
                assert _validator(field, Length).max == declared.max_length
            if declared.required:
                assert _validator(field, InputRequired) is not None or declared.choices
        assert [name for name in history if name in {f.name for f in fields}] == [
            f.name for f in fields
        ]


def test_a_declared_label_limit_and_message_reach_the_form_the_history_and_the_model(app):
    """The sub-goal's cross reference and the activity's title, end to end."""
    with app.test_request_context():
        cross_references = named(SUB_GOAL_FIELDS, "cross_references")
        form = SubGoalForm(
            meta={"csrf": False}, formdata=MultiDict({"cross_references": "x" * 301})
        )
        form.cross_references.validate(form)
        assert form.cross_references.label.text == "Hänvisning"
        assert form.cross_references.errors == ["Texten får vara högst 300 tecken."]
        assert form.cross_references.description == cross_references.description
        history = {field.name: field for field in KINDS["sub_goal"].fields}
        assert str(history["cross_references"].label) == "Hänvisning"
        with pytest.raises(RuleViolation) as refused:
            cross_references.check("x" * 301)
        assert refused.value.field == "cross_references"

        posted = MultiDict({"title": "", "status": "planned"})
        form = ActivityForm(meta={"csrf": False}, formdata=posted)
        form.validate()
        assert form.title.errors == ["Ange aktivitetens namn."]
        assert str(KINDS["activity"].fields[0].label) == "Aktivitet"
        for values, message in (
            ({"title": " ", "status": "planned"}, "Ange aktivitetens namn."),
            ({"title": "Läger", "status": "finished"}, "Okänd status."),
        ):
            with pytest.raises(RuleViolation) as refused:
                Activity(**values).check_rules()
            assert str(refused.value.message) == message


def test_years_are_whole_numbers_in_range_in_the_form(app):
    with app.test_request_context():
        posted = MultiDict({"title": "S", "start_year": "1800", "end_year": ""})
        form = StrategyForm(meta={"csrf": False}, formdata=posted)
        form.validate()
        assert form.start_year.errors == ["Ange ett år mellan 1990 och 2100."]
        assert form.end_year.errors == ["Ange ett årtal, till exempel 2024."]
        bounds = _validator(form.start_year, NumberRange)
        assert (bounds.min, bounds.max) == named(STRATEGY_FIELDS, "start_year").bounds


def test_a_limit_for_typed_text_does_not_refuse_stored_text():
    """A description longer than the form allows (an imported plan's) stays storable, so
    that archiving or moving its record still works."""
    description = named(PLAN_FIELDS, "description")
    assert description.input_limit
    description.check("x" * (description.max_length + 1))
