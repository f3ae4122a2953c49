import pytest
from sqlalchemy import select

from intranet.core.errors import RuleViolation
from intranet.core.naturalsort import natural_key
from intranet.core.stored_text import contains_identity_number
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FollowUp, Plan, SubGoal


def _flush_rejects(obj, field):
    with acting_as(None), pytest.raises(RuleViolation) as raised:
        db.session.add(obj)
        db.session.flush()
    db.session.rollback()
    assert raised.value.field == field
    return raised.value


@pytest.mark.parametrize("status", ["partly_done", "not_done", "cancelled"])
def test_deviation_needs_reason_and_text(make, status):
    sub_goal = make.sub_goal()
    error = _flush_rejects(
        FollowUp(sub_goal=sub_goal, year=2018, status=status), "deviation_reason"
    )
    assert "orsak" in str(error.message)
    _flush_rejects(
        FollowUp(sub_goal=sub_goal, year=2018, status=status, deviation_reason="external"),
        "deviation_text",
    )


def test_deviation_with_reason_is_accepted(make):
    follow_up = make.follow_up(
        status="cancelled", deviation_reason="external", deviation_text="Pandemin."
    )
    assert follow_up.deviation_label.startswith("Yttre")


@pytest.mark.parametrize("status", ["not_started", "ongoing", "done"])
def test_no_deviation_reason_needed_when_on_track(make, status):
    assert make.follow_up(status=status).id


def test_rule_holds_on_update_too(make):
    follow_up = make.follow_up(status="ongoing")
    follow_up.status = "not_done"
    with acting_as(None), pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()


def test_follow_up_year_within_plan(make):
    sub_goal = make.sub_goal()
    _flush_rejects(FollowUp(sub_goal=sub_goal, year=2022, status="ongoing"), "year")


def test_unknown_status_refused(make):
    _flush_rejects(FollowUp(sub_goal=make.sub_goal(), year=2018, status="finished"), "status")


def test_plan_within_strategy(make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    _flush_rejects(
        Plan(title="P", start_year=2030, end_year=2033, status="draft", strategy=strategy),
        "start_year",
    )


def test_activity_within_plan(make):
    from intranet.models import Activity

    sub_goal = make.sub_goal()
    _flush_rejects(
        Activity(sub_goal=sub_goal, title="A", planned_from_year=2017, planned_to_year=2018),
        "planned_from_year",
    )


def test_codes_sort_naturally_in_python_and_sql(make):
    area = make.focus_area()
    for code in ["5.11", "5.2", "5.9", "5.1", "5.10a", "10.1"]:
        make.sub_goal(focus_area=area, code=code)
    ordered = db.session.scalars(
        select(SubGoal.code).where(SubGoal.focus_area_id == area.id).order_by(SubGoal.sort_key)
    ).all()
    assert ordered == ["5.1", "5.2", "5.9", "5.10a", "5.11", "10.1"]
    assert sorted(["5.11", "5.9"], key=natural_key) == ["5.9", "5.11"]


@pytest.mark.parametrize(
    "text",
    [
        "Kontakt med 811228-9874 gjord",
        "personnr 19811228-9874",
        "198112289874",
        "samordningsnummer 701063-2391",
    ],
)
def test_identity_numbers_are_found(text):
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    ["811228-9875", "Telefon 013-20 60 00", "Diarienummer 2021-00123", "år 2018-2021", None],
)
def test_other_numbers_are_not_identity_numbers(text):
    assert not contains_identity_number(text)


def test_identity_number_refused_in_model_layer(make):
    sub_goal = make.sub_goal()
    error = _flush_rejects(
        FollowUp(sub_goal=sub_goal, year=2018, status="done", outcome="Stöd till 811228-9874"),
        "outcome",
    )
    assert "personnummer" in str(error.message) or "samordningsnummer" in str(error.message)
