"""A restore changes only what the user could change through the normal forms, with the
same rules, or is refused as a whole with a message naming the parts that need an admin."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intranet.boards import services as boards
from intranet.core.clock import local_day
from intranet.core.errors import RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.history.restoring import RestoreNotAllowed, restore_version
from intranet.lineage.services import link_sub_goal
from intranet.models import (
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    SubGoal,
    SubGoalLineage,
    Transaction,
)
from intranet.structure import services as structure


def _last_transaction_id() -> int:
    return db.session.scalar(select(func.max(Transaction.id)))


def _transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def _edit_sub_goal(user, sub_goal, boards_=None, **values):
    """Save the sub-goal through its form's service, as `user`."""
    with acting_as(user.id, "ändrat"):
        structure.save_sub_goal(
            user,
            sub_goal.focus_area,
            sub_goal,
            {
                "code": sub_goal.code,
                "title": sub_goal.title,
                "description": sub_goal.description,
                "cross_references": sub_goal.cross_references,
            }
            | values,
            boards_ if boards_ is not None else list(sub_goal.boards),
            {},
            sub_goal.lock_version,
        )
        db.session.commit()


@pytest.fixture
def setup(make):
    """An officer of the main board of a sub-goal in a plan without an owner board (so
    that only admins edit its structure), and an admin."""
    main, other = make.board(name="Socialnämnden"), make.board(name="Kulturnämnden")
    officer = make.user("officer", username="handläggaren", boards=[main])
    admin = make.user("admin", username="chefen")
    sub_goal = make.sub_goal(boards=[main], title="Fler i arbete", code="1.1")
    return dict(main=main, other=other, officer=officer, admin=admin, sub_goal=sub_goal)


def _restore(client, kind, record, transaction_id):
    return client.post_form(
        f"/history/{kind}/{record.id}/restore/{transaction_id}",
        {"lock_version": getattr(record, "lock_version", "")},
    )


def test_an_officer_cannot_undo_an_admins_title_and_involved_boards(client, setup):
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    before_admin = _last_transaction_id()
    both = [setup["main"], setup["other"]]
    _edit_sub_goal(admin, sub_goal, both, title="Fler i egen försörjning")
    count = _transactions()

    client.login("handläggaren")
    response = _restore(client, "sub_goal", sub_goal, before_admin)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert (
        "Återställningen skulle ändra titel och involverade nämnder, som bara en "
        "administratör får ändra."
    ) in page
    db.session.expire_all()
    sub_goal = db.session.get(SubGoal, sub_goal.id)
    assert sub_goal.title == "Fler i egen försörjning"
    assert [board.name for board in sub_goal.boards] == ["Socialnämnden", "Kulturnämnden"]
    assert _transactions() == count


def test_the_refusal_is_shown_in_the_htmx_block_too(client, setup):
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    before_admin = _last_transaction_id()
    _edit_sub_goal(admin, sub_goal, title="Ny titel")
    client.login("handläggaren")
    response = client.post_form(
        f"/history/sub_goal/{sub_goal.id}/restore/{before_admin}",
        {"lock_version": sub_goal.lock_version},
        htmx=True,
    )
    assert response.status_code == 403
    assert "som bara en administratör får ändra" in response.get_data(as_text=True)


def test_the_message_names_the_owner_boards_officers_when_the_plan_has_one(make, setup, app):
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    with acting_as(admin.id):
        sub_goal.plan.owner_board_id = setup["other"].id
        db.session.commit()
    before_admin = _last_transaction_id()
    _edit_sub_goal(admin, sub_goal, title="Ny titel")
    with app.test_request_context(), pytest.raises(RestoreNotAllowed) as refused:
        restore_version(setup["officer"], "sub_goal", sub_goal, before_admin)
    assert refused.value.message == (
        "Återställningen skulle ändra titel, som bara en administratör eller planägarens "
        "tjänstepersoner får ändra."
    )


def _later_goal(make, setup):
    """A sub-goal of a later plan owned by the officer's board (the officer edits its
    structure), continuing the setup's sub-goal."""
    later_plan = make.plan(start_year=2022, end_year=2025, owner_board_id=setup["main"].id)
    area = make.focus_area(plan=later_plan, number="1")
    return make.sub_goal(focus_area=area, boards=[setup["main"]], code="1.1", title="Vidare")


def test_an_owner_board_officer_cannot_undo_a_lineage_link(client, make, setup):
    later = _later_goal(make, setup)
    before_link = _last_transaction_id()
    admin = setup["admin"]
    with acting_as(admin.id, "Kopplat"):
        link_sub_goal(admin, later, setup["sub_goal"])
        db.session.commit()
    count = _transactions()

    client.login("handläggaren")
    response = _restore(client, "sub_goal", later, before_link)
    assert response.status_code == 403
    assert (
        "Återställningen skulle ändra kopplingen till tidigare delmål, som bara en "
        "administratör får ändra."
    ) in response.get_data(as_text=True)
    assert db.session.get(SubGoalLineage, (later.id, setup["sub_goal"].id)) is not None
    assert _transactions() == count


def test_an_owner_board_officer_restores_what_the_form_lets_them_change(client, make, setup):
    later = _later_goal(make, setup)
    before = _last_transaction_id()
    _edit_sub_goal(setup["officer"], later, [setup["main"], setup["other"]], title="Ändrad")
    client.login("handläggaren")
    assert _restore(client, "sub_goal", later, before).status_code == 302
    db.session.expire_all()
    later = db.session.get(SubGoal, later.id)
    assert later.title == "Vidare"
    assert [board.name for board in later.boards] == ["Socialnämnden"]
    transaction = db.session.get(Transaction, _last_transaction_id())
    assert transaction.user_id == setup["officer"].id


def test_an_officer_cannot_undo_a_future_dated_reorganisation(client, make, setup):
    later = _later_goal(make, setup)
    before = _last_transaction_id()
    admin, target = setup["admin"], make.board(name="Arbetsmarknadsnämnden")
    day = local_day() + timedelta(days=30)
    with acting_as(admin.id, "Beslut KF §12"):
        boards.reorganise(
            admin, setup["main"], {later.id: target}, day, "none", note="Beslut KF §12"
        )
        db.session.commit()
    db.session.expire_all()
    links = {(link.board_id, link.valid_from, link.valid_to) for link in later.board_links}
    count = _transactions()

    client.login("handläggaren")
    response = _restore(client, "sub_goal", later, before)
    assert response.status_code == 403
    assert "ansvar med datum (omorganisation)" in response.get_data(as_text=True)
    db.session.expire_all()
    later = db.session.get(SubGoal, later.id)
    assert {(link.board_id, link.valid_from, link.valid_to) for link in later.board_links} == links
    assert _transactions() == count


def test_the_sub_goal_form_would_not_bring_back_an_archived_board(app, make, setup):
    sub_goal, admin, other = setup["sub_goal"], setup["admin"], setup["other"]
    _edit_sub_goal(admin, sub_goal, [setup["main"], other])
    with_other = _last_transaction_id()
    _edit_sub_goal(admin, sub_goal, [setup["main"]])
    with acting_as(admin.id):
        boards.archive_board(admin, other)
        db.session.commit()
    with app.test_request_context(), acting_as(admin.id), pytest.raises(RuleViolation) as refused:
        restore_version(admin, "sub_goal", sub_goal, with_other)
    assert "Kulturnämnden" in refused.value.message
    db.session.rollback()


def test_a_restore_that_would_duplicate_a_code_is_refused(client, make, setup):
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    as_1_1 = _last_transaction_id()
    _edit_sub_goal(admin, sub_goal, code="1.5")
    make.sub_goal(focus_area=sub_goal.focus_area, code="1.1", boards=[setup["main"]])
    count = _transactions()

    client.login("chefen")
    response = _restore(client, "sub_goal", sub_goal, as_1_1)
    assert response.status_code == 422
    assert "Fokusområdet har redan ett delmål med det numret." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SubGoal, sub_goal.id).code == "1.5"
    assert _transactions() == count


def test_a_restore_that_would_duplicate_a_focus_area_number_is_refused(client, make, setup):
    area, admin = setup["sub_goal"].focus_area, setup["admin"]
    old_number = area.number
    as_old = _last_transaction_id()
    with acting_as(admin.id):
        structure.save_focus_area(admin, area.plan, area, {"number": "9", "title": area.title})
        structure.save_focus_area(admin, area.plan, None, {"number": old_number, "title": "Ny"})
        db.session.commit()
    client.login("chefen")
    response = _restore(client, "focus_area", area, as_old)
    assert response.status_code == 422
    assert "Planen har redan ett fokusområde med det numret." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FocusArea, area.id).number == "9"


def test_a_restore_that_would_duplicate_a_board_name_is_refused(client, make, setup):
    admin, other = setup["admin"], setup["other"]
    as_before = _last_transaction_id()
    with acting_as(admin.id):
        boards.update_board(admin, other, "Fritidsnämnden", None, "board")
        db.session.commit()
        boards.create_board(admin, "Kulturnämnden", None, "board")
        db.session.commit()
    client.login("chefen")
    response = _restore(client, "board", other, as_before)
    assert response.status_code == 422
    assert "Det finns redan en nämnd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Board, other.id).name == "Fritidsnämnden"


def test_an_admin_restore_brings_back_title_boards_and_lineage(app, make, setup):
    later = _later_goal(make, setup)
    admin = setup["admin"]
    before = _last_transaction_id()
    with acting_as(admin.id, "Kopplat"):
        link_sub_goal(admin, later, setup["sub_goal"])
        db.session.commit()
    _edit_sub_goal(admin, later, [setup["other"]], title="Annan")
    with app.test_request_context(), acting_as(admin.id, "Återställd"):
        assert restore_version(admin, "sub_goal", later, before)
        db.session.commit()
    db.session.expire_all()
    later = db.session.get(SubGoal, later.id)
    assert later.title == "Vidare"
    assert [board.name for board in later.boards] == ["Socialnämnden"]
    assert db.session.get(SubGoalLineage, (later.id, setup["sub_goal"].id)) is None


def test_an_activity_restore_keeps_to_the_plans_years(client, make, setup):
    admin, sub_goal = setup["admin"], setup["sub_goal"]
    activity = make.activity(sub_goal=sub_goal)
    in_2018 = _last_transaction_id()
    plan = sub_goal.plan
    with acting_as(admin.id):
        activity.planned_from_year = activity.planned_to_year = 2019
        db.session.commit()
        structure.save_plan(
            admin,
            plan,
            {
                "title": plan.title,
                "start_year": 2019,
                "end_year": plan.end_year,
                "description": plan.description,
            },
        )
        db.session.commit()
    client.login("handläggaren")
    response = _restore(client, "activity", activity, in_2018)
    assert response.status_code == 422
    assert "Åren måste ligga inom planens period" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).planned_from_year == 2019


def test_an_officer_restores_their_boards_follow_up(client, make, setup):
    follow_up = make.follow_up(sub_goal=setup["sub_goal"], outcome="Först")
    first = _last_transaction_id()
    with acting_as(setup["admin"].id):
        follow_up.outcome = "Sedan"
        follow_up.status = "done"
        db.session.commit()
    client.login("handläggaren")
    assert _restore(client, "follow_up", follow_up, first).status_code == 302
    db.session.expire_all()
    restored = db.session.get(FollowUp, follow_up.id)
    assert (restored.outcome, restored.status) == ("Först", "ongoing")
    assert db.session.get(Transaction, _last_transaction_id()).user_id == setup["officer"].id


def test_an_archived_record_is_brought_back_before_it_is_restored(client, make, setup):
    area, admin = setup["sub_goal"].focus_area, setup["admin"]
    first = _last_transaction_id()
    with acting_as(admin.id):
        area.title = "Annan titel"
        db.session.commit()
        area.archive()
        db.session.commit()
    client.login("chefen")
    response = _restore(client, "focus_area", area, first)
    assert response.status_code == 422
    assert "Ta tillbaka den från arkivet först." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FocusArea, area.id).title == "Annan titel"


def test_an_archived_follow_up_is_brought_back_before_it_is_restored(app, make, setup):
    follow_up = make.follow_up(sub_goal=setup["sub_goal"], outcome="Först")
    first = _last_transaction_id()
    with acting_as(setup["admin"].id):
        follow_up.outcome = "Sedan"
        db.session.commit()
        follow_up.archive()
        db.session.commit()
    with app.test_request_context(), pytest.raises(RuleViolation):
        restore_version(setup["officer"], "follow_up", follow_up, first)
    db.session.rollback()


def test_a_plan_restore_leaves_its_status_to_the_lifecycle(app, make, setup):
    admin = setup["admin"]
    plan = make.plan(title="Gammal titel", status="draft")
    draft = _last_transaction_id()
    with acting_as(admin.id):
        plan.status = "active"
        plan.title = "Ny titel"
        db.session.commit()
    with app.test_request_context(), acting_as(admin.id):
        assert restore_version(admin, "plan", plan, draft)
        db.session.commit()
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert (plan.title, plan.status) == ("Gammal titel", "active")


def test_the_refusal_reads_in_english_in_the_english_ui(client, setup):
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    before_admin = _last_transaction_id()
    _edit_sub_goal(admin, sub_goal, [setup["main"], setup["other"]], title="Ny titel")
    client.login("handläggaren")
    client.post_form("/language", {"language": "en", "next": "/plans"})
    page = _restore(client, "sub_goal", sub_goal, before_admin).get_data(as_text=True)
    assert (
        "The restore would change title and involved boards, which only an administrator "
        "may change."
    ) in page


def test_a_version_in_another_focus_area_cannot_be_restored(app, make, setup):
    """No form moves a sub-goal to another focus area, so no restore does either."""
    sub_goal, admin = setup["sub_goal"], setup["admin"]
    before = _last_transaction_id()
    with acting_as(admin.id, "datarättelse"):
        sub_goal.focus_area = make.focus_area(plan=sub_goal.plan, number="7")
        db.session.commit()
    with app.test_request_context(), pytest.raises(RestoreNotAllowed) as refused:
        restore_version(admin, "sub_goal", sub_goal, before)
    assert refused.value.message == (
        "Återställningen skulle ändra fokusområde, som inte går att ändra."
    )
