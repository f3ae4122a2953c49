"""Every service that changes data asks the acting user's permission itself: called
directly (not through a route) by a user without it, it raises NotAllowed and writes
nothing. The route asks the same predicate; this holds the service to it on its own."""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from sqlalchemy import func, select

import intranet
from intranet.accounts import services as accounts
from intranet.activities import services as activities
from intranet.admin import services as admin
from intranet.boards import services as boards
from intranet.core.errors import NotAllowed
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.followups import services as followups
from intranet.history import restoring
from intranet.history import services as history
from intranet.lineage import services as lineage
from intranet.lineage.services import NextPlan
from intranet.meetings import services as meetings
from intranet.models import RecordKind, Transaction
from intranet.plans import imports as plan_imports
from intranet.plans import lifecycle
from intranet.reports import services as reports
from intranet.rounds import imports as round_imports
from intranet.rounds import services as rounds
from intranet.structure import services as structure


@pytest.fixture
def world(make):
    board, other = make.board(), make.board()
    sub_goal = make.sub_goal(boards=[board])
    earlier = make.sub_goal(boards=[board])
    plan = sub_goal.plan
    return {
        "board": board,
        "other": other,
        "plan": plan,
        "area": sub_goal.focus_area,
        "sub_goal": sub_goal,
        "earlier": earlier,
        "follow_up": make.follow_up(sub_goal=sub_goal),
        "activity": make.activity(sub_goal=sub_goal),
        "round": make.reporting_round(plan=plan),
        "meeting": make.meeting(),
        "account": make.user("viewer"),
        "strategy": plan.strategy,
    }


# (name, call(actor, world), refused to officers of an unrelated board too). The values are
# valid: only the permission stands between each call and a write.
CALLS = {
    "accounts.create_user": (
        lambda a, w: accounts.create_user(a, "ny", "Ny", "viewer", "ett långt lösenord 12"),
        True,
    ),
    "admin.create_account": (
        lambda a, w: admin.create_account(a, "ny", "Ny", "viewer", "ett långt lösenord 12", []),
        True,
    ),
    "admin.update_account": (
        lambda a, w: admin.update_account(a, w["account"], "Nytt namn", "viewer", []),
        True,
    ),
    "admin.deactivate_account": (lambda a, w: admin.deactivate_account(a, w["account"]), True),
    "admin.reactivate_account": (lambda a, w: admin.reactivate_account(a, w["account"]), True),
    "admin.reset_password": (
        lambda a, w: admin.reset_password(a, w["account"], "ett annat långt lösenord"),
        True,
    ),
    "boards.create_board": (lambda a, w: boards.create_board(a, "Ny nämnd", None, "board"), True),
    "boards.update_board": (
        lambda a, w: boards.update_board(a, w["other"], "Nytt namn", None, "board"),
        True,
    ),
    "boards.archive_board": (lambda a, w: boards.archive_board(a, w["other"]), True),
    "boards.unarchive_board": (lambda a, w: boards.unarchive_board(a, w["other"]), True),
    "boards.reorganise": (
        lambda a, w: boards.reorganise(
            a, w["board"], {w["sub_goal"].id: w["other"]}, date(2030, 1, 1), "none", note="KF"
        ),
        True,
    ),
    "followups.record_follow_up": (
        lambda a, w: followups.record_follow_up(
            a, w["sub_goal"], w["plan"].start_year + 1, {"status": "ongoing"}, 0
        ),
        True,
    ),
    "activities.save_activity": (
        lambda a, w: activities.save_activity(
            a,
            w["sub_goal"],
            None,
            {"title": "Ny", "planned_from_year": None, "planned_to_year": None},
            0,
        ),
        True,
    ),
    "history.archive_record": (
        lambda a, w: history.archive_record(a, RecordKind.ACTIVITY, w["activity"]),
        True,
    ),
    "history.unarchive_record": (
        lambda a, w: history.unarchive_record(a, RecordKind.FOLLOW_UP, w["follow_up"]),
        True,
    ),
    "restoring.restore_version": (
        lambda a, w: restoring.restore_version(
            a, RecordKind.FOLLOW_UP, w["follow_up"], _first_transaction()
        ),
        True,
    ),
    "structure.save_strategy": (
        lambda a, w: structure.save_strategy(a, w["strategy"], {"title": "Ny titel"}),
        True,
    ),
    "structure.save_plan": (
        lambda a, w: structure.save_plan(a, w["plan"], {"title": "Ny titel"}),
        True,
    ),
    "structure.save_focus_area": (
        lambda a, w: structure.save_focus_area(a, w["plan"], None, {"title": "Nytt område"}),
        True,
    ),
    "structure.save_sub_goal": (
        lambda a, w: structure.save_sub_goal(
            a, w["area"], None, {"title": "Nytt delmål"}, [w["board"]], {}, 0
        ),
        True,
    ),
    "structure.move": (lambda a, w: structure.move(a, w["sub_goal"], 1), True),
    "rounds.open_round": (
        lambda a, w: rounds.open_round(a, w["plan"], w["plan"].start_year + 1, None),
        True,
    ),
    "rounds.set_round_open": (
        lambda a, w: rounds.set_round_open(a, w["round"], False, None),
        True,
    ),
    "round_imports.import_round": (
        lambda a, w: round_imports.import_round(a, w["round"], b""),
        True,
    ),
    "lifecycle.change_status": (
        lambda a, w: lifecycle.change_status(a, w["plan"], "closed", None),
        True,
    ),
    "plan_imports.import_plan": (
        lambda a, w: plan_imports.import_plan(a, b"", w["strategy"].id),
        True,
    ),
    "lineage.start_next_plan": (
        lambda a, w: lineage.start_next_plan(a, w["plan"], NextPlan("Nästa", 2022, 2025, [], [])),
        True,
    ),
    "lineage.link_sub_goal": (
        lambda a, w: lineage.link_sub_goal(a, w["sub_goal"], w["earlier"]),
        True,
    ),
    "lineage.unlink_sub_goal": (
        lambda a, w: lineage.unlink_sub_goal(a, w["sub_goal"], w["earlier"].id),
        True,
    ),
    # Officers start meetings; auditors read and never write.
    "meetings.start_meeting": (lambda a, w: meetings.start_meeting(a, w["plan"]), False),
    "meetings.end_meeting": (lambda a, w: meetings.end_meeting(a, w["meeting"]), True),
    "reports.save_comment": (
        lambda a, w: reports.save_comment(a, w["plan"], w["board"], None, "Kommentar", 0),
        True,
    ),
}

# Functions that take the user first but are no action needing a permission: reads and
# previews, the user's own presence at a meeting (not history), and the digest of the
# signing-in user's own credential, put into the history once at sign-in.
NOT_WRITES = {
    "intranet.accounts.services.record_credential",
    "intranet.history.restoring.refusal",
    "intranet.meetings.services.take_part",
    "intranet.plans.imports.preview_plan_import",
    "intranet.rounds.imports.preview_round_import",
    "intranet.rounds.services.pending_for",
}
MODULES = ("imports", "lifecycle", "restoring", "services")


def _first_transaction() -> int:
    return db.session.scalar(select(func.min(Transaction.id)))


def _transaction_count() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def _refused(app, actor, world, name):
    call, _ = CALLS[name]
    before = _transaction_count()
    with app.test_request_context(), acting_as(actor.id, "test"):
        with pytest.raises(NotAllowed):
            call(actor, world)
        db.session.rollback()
    assert _transaction_count() == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_auditor_is_refused_by_the_service_itself(app, make, world, name):
    _refused(app, make.user("auditor"), world, name)


@pytest.mark.parametrize("name", sorted(name for name, (_, officer) in CALLS.items() if officer))
def test_an_officer_of_another_board_is_refused_by_the_service_itself(app, make, world, name):
    _refused(app, make.user("officer", boards=[world["other"]]), world, name)


def test_every_service_that_takes_the_user_first_is_held_to_its_permission():
    """A new service taking the acting user must join CALLS (or say why it changes nothing
    the history holds), so that it cannot skip its predicate unnoticed."""
    tested = {name.rsplit(".", 1)[1] for name in CALLS}
    untested = []
    for module_info in pkgutil.walk_packages(intranet.__path__, "intranet."):
        if module_info.name.rsplit(".", 1)[1] not in MODULES:
            continue
        module = importlib.import_module(module_info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = list(inspect.signature(function).parameters)
            qualified = f"{module.__name__}.{name}"
            takes_the_user = parameters[:1] in (["user"], ["actor"])
            if takes_the_user and qualified not in NOT_WRITES and name not in tested:
                untested.append(qualified)
    assert untested == []
