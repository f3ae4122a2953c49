"""Every id and whole number posted in a form goes through intranet.core.numbers: "²", "٣", 25
digits, 2^63, "-1", "3.0" get a 4xx (a message by the field, or the 400/404 page) and
change nothing; never a 500, never "٣" read as 3.

The list of cases is checked for completeness against the forms themselves: every field of
every form that is not free text must be listed, either with a case or as not a number."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy_continuum import version_class
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField

import intranet
from intranet.core import clock
from intranet.core.fields import CHOOSE_FROM_LIST
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Activity, Meeting, SubGoalLineage, Transaction
from intranet.web.field_forms import WholeField, whole_number
from tests.followups.test_routes import FIELDS

REFUSED = ["²", "٣", "1" + "0" * 24, str(2**63), "-1", "3.0"]
# " 3" is 3 (the parser allows surrounding spaces) and "" is "none" where a field is
# optional: neither may be a 500.
TOLERATED = [" 3", ""]

FREE_TEXT = (StringField, TextAreaField, PasswordField, BooleanField, FileField)
# Fields with a fixed set of text codes, not numbers (checked against their choices).
NOT_NUMBERS = {
    ("ActivityForm", "status"),
    ("FollowUpForm", "status"),
    ("FollowUpForm", "deviation_reason"),
    ("UserForm", "role"),
    ("NewUserForm", "role"),
    ("BoardForm", "kind"),
    ("ReorganisationForm", "memberships"),
    ("MoveForm", "direction"),
    ("PlanStatusForm", "status"),
    ("MeetingForm", "next"),
    ("ConfirmImportForm", "payload"),
    ("PlanConfirmForm", "payload"),
    ("IsoDateField", None),
}


def _world(make):
    board, other = make.board(name="Gamla nämnden"), make.board(name="Nya nämnden")
    strategy = make.strategy()
    earlier_plan = make.plan(strategy=strategy, start_year=2014, end_year=2017)
    earlier = make.sub_goal(focus_area=make.focus_area(plan=earlier_plan), boards=[board])
    plan = make.plan(strategy=strategy, start_year=2018, end_year=2021)
    sub_goal = make.sub_goal(focus_area=make.focus_area(plan=plan), boards=[board])
    with acting_as(None, "test data"):
        db.session.add(SubGoalLineage(sub_goal=sub_goal, continues=earlier))
        db.session.commit()
    return {
        "board": board,
        "other": other,
        "strategy": strategy,
        "earlier": earlier,
        "plan": plan,
        "sub_goal": sub_goal,
        "activity": make.activity(sub_goal=sub_goal),
        "user": make.user("officer", boards=[board]),
    }


YEAR = FIELDS | {"lock_version": "0"}
ACTIVITY = {"title": "Aktivitet", "planned_from_year": "2019", "planned_to_year": "2020"}
ACTIVITY |= {"status": "planned", "lock_version": "0"}
PLAN = {"title": "Plan", "start_year": "2018", "end_year": "2021"}
SUB_GOAL = {"code": "9.1", "title": "Delmål", "lock_version": "0"}

# (form, field) -> (url, valid data), built from the world.
CASES = {
    ("ActivityForm", "lock_version"): lambda w: (
        f"/activities/{w['activity'].id}/edit",
        ACTIVITY | {"lock_version": str(w["activity"].lock_version)},
    ),
    ("ActivityForm", "planned_from_year"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/activities/new",
        ACTIVITY,
    ),
    ("ActivityForm", "planned_to_year"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/activities/new",
        ACTIVITY,
    ),
    ("FollowUpForm", "lock_version"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/follow-ups/2019/edit",
        YEAR,
    ),
    ("NewUserForm", "boards"): lambda w: (
        "/admin/users/new",
        {
            "username": "nyanvandare",
            "display_name": "Ny",
            "role": "officer",
            "boards": str(w["board"].id),
            "password": "ett-bra-losenord-langt",
            "password_again": "ett-bra-losenord-langt",
        },
    ),
    ("UserForm", "boards"): lambda w: (
        f"/admin/users/{w['user'].id}/edit",
        {"display_name": "Ny", "role": "officer", "boards": str(w["board"].id)},
    ),
    ("ReorganisationForm", "target"): lambda w: (
        f"/boards/{w['board'].id}/reorganise",
        {
            "valid_from": clock.today().isoformat(),
            "target": str(w["other"].id),
            "memberships": "move",
            "note": "Beslut",
        },
    ),
    ("ReorganisationForm", "move_N"): lambda w: (
        f"/boards/{w['board'].id}/reorganise",
        {
            "valid_from": clock.today().isoformat(),
            f"move_{w['sub_goal'].id}": str(w["other"].id),
            "memberships": "move",
            "note": "Beslut",
        },
    ),
    ("LinkForm", "continues_id"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/lineage",
        {"continues_id": str(_unlinked_earlier(w).id)},
    ),
    ("UnlinkForm", "continues_id"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/lineage/unlink",
        {"continues_id": str(w["earlier"].id)},
    ),
    ("NextPlanForm", "start_year"): lambda w: (
        f"/plans/{w['plan'].id}/next",
        {"title": "Nästa", "start_year": "2022", "end_year": "2025"},
    ),
    ("NextPlanForm", "end_year"): lambda w: (
        f"/plans/{w['plan'].id}/next",
        {"title": "Nästa", "start_year": "2022", "end_year": "2025"},
    ),
    ("MeetingForm", "plan"): lambda w: ("/meetings/start", {"plan": str(w["plan"].id)}),
    ("PlanImportForm", "strategy_id"): None,  # tests/security/test_edge_values.py
    ("CommentForm", "board_id"): lambda w: (
        f"/plans/{w['plan'].id}/report/comments",
        {"board_id": str(w["board"].id), "year": "2019", "lock_version": "0", "text": "K"},
    ),
    ("CommentForm", "year"): lambda w: (
        f"/plans/{w['plan'].id}/report/comments",
        {"board_id": str(w["board"].id), "year": "2019", "lock_version": "0", "text": "K"},
    ),
    ("CommentForm", "lock_version"): lambda w: (
        f"/plans/{w['plan'].id}/report/comments",
        {"board_id": str(w["board"].id), "year": "2019", "lock_version": "0", "text": "K"},
    ),
    ("OpenRoundForm", "plan_id"): lambda w: (
        "/rounds",
        {"plan_id": str(w["plan"].id), "year": "2019", "deadline": "2030-01-31"},
    ),
    ("OpenRoundForm", "year"): lambda w: (
        "/rounds",
        {"plan_id": str(w["plan"].id), "year": "2019", "deadline": "2030-01-31"},
    ),
    ("PlanForm", "start_year"): lambda w: (
        f"/plans/{w['plan'].id}/edit",
        PLAN | {"strategy_id": str(w["strategy"].id)},
    ),
    ("PlanForm", "end_year"): lambda w: (
        f"/plans/{w['plan'].id}/edit",
        PLAN | {"strategy_id": str(w["strategy"].id)},
    ),
    ("PlanForm", "strategy_id"): lambda w: (
        "/plans/new",
        PLAN | {"strategy_id": str(w["strategy"].id)},
    ),
    ("PlanForm", "owner_board_id"): lambda w: (
        "/plans/new",
        PLAN | {"strategy_id": str(w["strategy"].id), "owner_board_id": str(w["board"].id)},
    ),
    ("StrategyForm", "start_year"): lambda w: (
        f"/strategies/{w['strategy'].id}/edit",
        {"title": "Strategi", "start_year": "2012", "end_year": "2032"},
    ),
    ("StrategyForm", "end_year"): lambda w: (
        "/strategies/new",
        {"title": "Strategi", "start_year": "2012", "end_year": "2032"},
    ),
    ("SubGoalForm", "main_board_id"): lambda w: (
        f"/focus-areas/{w['sub_goal'].focus_area.id}/sub-goals/new",
        SUB_GOAL | {"main_board_id": str(w["board"].id)},
    ),
    ("SubGoalForm", "involved_board_ids"): lambda w: (
        f"/focus-areas/{w['sub_goal'].focus_area.id}/sub-goals/new",
        SUB_GOAL | {"involved_board_ids": str(w["other"].id)},
    ),
    ("SubGoalForm", "lock_version"): lambda w: (
        f"/sub-goals/{w['sub_goal'].id}/edit",
        SUB_GOAL
        | {"main_board_id": str(w["board"].id), "lock_version": str(w["sub_goal"].lock_version)},
    ),
    # Read by hand from request.form, not through a form class.
    ("restore", "lock_version"): lambda w: (
        _restore_url(w),
        {"lock_version": str(w["activity"].lock_version)},
    ),
}


def _unlinked_earlier(world):
    if "unlinked" not in world:
        plan = world["earlier"].plan
        world["unlinked"] = world["make"].sub_goal(focus_area=world["earlier"].focus_area)
        assert world["unlinked"].plan.id == plan.id
    return world["unlinked"]


def _restore_url(world):
    activity = world["activity"]
    versions = version_class(Activity)
    first = db.session.scalar(
        select(func.min(versions.transaction_id)).where(versions.id == activity.id)
    )
    return f"/history/activity/{activity.id}/restore/{first}"


def _forms():
    for module in pkgutil.walk_packages(intranet.__path__, "intranet."):
        importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {form for form in below(FlaskForm) if form.__module__.startswith("intranet.")}


def test_every_number_field_of_every_form_has_a_case():
    found = set()
    for form in _forms():
        for name in dir(form):
            field = getattr(form, name, None)
            if not isinstance(field, UnboundField):
                continue
            # A hidden field is a StringField too, and carries ids.
            hidden = issubclass(field.field_class, HiddenField)
            if issubclass(field.field_class, FREE_TEXT) and not hidden:
                continue
            if field.field_class.__name__ == "IsoDateField":
                continue
            found.add((form.__qualname__, name))
    # The forms made per record (one field per sub-goal) and the hand-read ones.
    found |= {("ReorganisationForm", "move_N"), ("restore", "lock_version")}
    assert found - NOT_NUMBERS == set(CASES)


SOURCE = Path(intranet.__file__).parent
HAND_READ = re.compile(
    r"request\.(form|values)\b|\.isdigit\(\)|\.isdecimal\(\)|\bint\((form|field|request|raw)"
)


def test_no_view_reads_a_number_from_request_data_by_hand():
    """Posted data is read through a form, or with intranet.core.numbers (reviewed here)."""
    reviewed = {
        ("history/routes.py", 'posted = request.form.get("lock_version")'),
        ("web/security.py", "request.form.values()"),
        ("accounts/routes.py", 'request.form.get("language", "")'),
        ("accounts/routes.py", 'request.form.get("next")'),
        ("followups/routes.py", 'request.values.get("next")'),
        ("lineage/routes.py", "request.form)"),
        ("core/naturalsort.py", "piece.isdigit()"),
        ("core/numbers.py", "text.isascii() and text.isdigit()"),
        # The identity-number guard reads stored text, any script's digits on purpose.
        ("core/stored_text.py", "while begin > 0 and read[begin - 1].isdigit():"),
        ("core/stored_text.py", "while stop < len(read) and read[stop].isdigit():"),
    }
    found = set()
    for path in SOURCE.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if HAND_READ.search(line):
                name = path.relative_to(SOURCE).as_posix()
                match = [snippet for file, snippet in reviewed if file == name and snippet in line]
                found.add((name, match[0] if match else line.strip()))
    assert found <= reviewed


def _transactions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Transaction.id)))


@pytest.mark.parametrize("case", sorted(key for key, build in CASES.items() if build), ids="-".join)
def test_bad_numbers_in_every_form_field_are_refused(client, make, case):
    world = _world(make) | {"make": make}
    client.login(make.user("admin").username)
    url, valid = CASES[case](world)
    field = case[1]
    if field == "move_N":
        field = f"move_{world['sub_goal'].id}"
    for value in REFUSED:
        before = _transactions()
        meetings = db.session.scalar(select(func.count(Meeting.id)))
        response = client.post_form(url, valid | {field: value})
        assert 400 <= response.status_code < 500, (value, response.status_code)
        # Said in Swedish by the field, not WTForms' own English.
        assert "Not a valid" not in response.get_data(as_text=True), value
        assert _transactions() == before, value
        assert db.session.scalar(select(func.count(Meeting.id))) == meetings
    # The same post with a good value is carried out: the refusals above were the value's.
    response = client.post_form(url, valid)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 302), re.findall(r"-error\"[^>]*>\s*([^<]*)", page)
    for value in TOLERATED:
        response = client.post_form(url, valid | {field: value})
        assert response.status_code < 500, (value, response.status_code)


@pytest.mark.parametrize("value", REFUSED)
def test_the_number_fields_read_through_the_one_parser(app, value):
    class Form(FlaskForm):
        year = WholeField(invalid="Ange ett år.")
        lock_version = HiddenField(validators=[whole_number()])

    with app.test_request_context(method="POST", data={"year": value, "lock_version": value}):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert form.year.data is None
        assert form.errors == {"year": ["Ange ett år."], "lock_version": [CHOOSE_FROM_LIST]}


def test_ids_in_the_path_are_ascii_digits(client, make):
    client.login(make.user("admin").username)
    plan_id = str(make.plan().id)
    assert client.get(f"/plans/{plan_id}").status_code == 200
    # The same id in Arabic-Indic, fullwidth and superscript digits.
    for zero in ("\u0660", "\uff10"):
        other = "".join(chr(ord(zero) + int(digit)) for digit in plan_id)
        assert client.get(f"/plans/{other}").status_code == 404
    superscript = plan_id.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert client.get(f"/plans/{superscript}").status_code == 404
