"""Restore an earlier version (a new, noted transaction) and archive instead of delete."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from intranet.auth.policies import can_archive, can_restore
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.history import services
from intranet.history.restoring import restore_version
from intranet.models import Activity, FollowUp, Plan, SubGoal, Transaction


def _last_transaction() -> Transaction:
    return db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()


def test_restore_creates_a_noted_transaction_and_bumps_the_lock(client, make):
    board = make.board()
    officer = make.user("officer", username="handläggaren", boards=[board])
    follow_up = make.follow_up(sub_goal=make.sub_goal(boards=[board]), outcome="Först")
    original = _last_transaction()
    follow_up.status = "not_done"
    follow_up.deviation_reason = "resources"
    follow_up.deviation_text = "Brist på personal"
    follow_up.outcome = "Sedan"
    db.session.commit()
    lock = follow_up.lock_version

    client.login("handläggaren")
    response = client.post_form(
        f"/history/follow_up/{follow_up.id}/restore/{original.id}", {"lock_version": lock}
    )
    assert response.status_code == 302
    db.session.expire_all()
    restored = db.session.get(FollowUp, follow_up.id)
    assert (restored.status, restored.outcome) == ("ongoing", "Först")
    assert restored.deviation_reason is None
    assert restored.lock_version == lock + 1
    transaction = _last_transaction()
    assert transaction.user_id == officer.id
    when = client.get(f"/history/follow_up/{follow_up.id}").get_data(as_text=True)
    assert transaction.note.startswith("Återställd till version från ")
    assert transaction.note.endswith(f"(transaktion {original.id})")
    assert transaction.note in when


def test_restore_note_names_the_version_in_stockholm_time(app, make):
    board = make.board()
    with acting_as(None, "delrapport", issued_at=datetime(2020, 6, 15, 15, 0)):
        board.name = "Omdöpt nämnd"
        db.session.commit()
    transaction = _last_transaction()
    with app.test_request_context():
        note = services.restore_note(transaction)
    assert note == f"Återställd till version från 2020-06-15 17:00 (transaktion {transaction.id})"


def test_restore_with_a_stale_lock_version_is_a_conflict(client, make):
    make.user("admin", username="chefen")
    follow_up = make.follow_up(outcome="Först")
    original = _last_transaction()
    follow_up.outcome = "Sedan"
    db.session.commit()
    client.login("chefen")
    response = client.post_form(
        f"/history/follow_up/{follow_up.id}/restore/{original.id}", {"lock_version": 1}
    )
    assert response.status_code == 409
    assert "Någon annan har ändrat posten" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, follow_up.id).outcome == "Sedan"


def test_restore_brings_back_the_responsible_boards_and_tags(app, make):
    admin = make.user("admin")
    first, second = make.board(), make.board()
    sub_goal = make.sub_goal(boards=[first])
    original = _last_transaction()
    sub_goal.set_boards([second])
    sub_goal.title = "Annan titel"
    db.session.commit()

    with app.test_request_context(), acting_as(admin.id):
        assert restore_version(admin, "sub_goal", sub_goal, original.id)
    db.session.commit()
    db.session.expire_all()
    sub_goal = db.session.get(SubGoal, sub_goal.id)
    assert sub_goal.board_ids == {first.id}
    assert sub_goal.title == "Delmål"


def test_restoring_to_before_the_record_existed_is_refused(app, make):
    before = make.board()
    transaction = _last_transaction()
    follow_up = make.follow_up()
    from intranet.core.errors import RuleViolation

    with pytest.raises(RuleViolation):
        restore_version(make.user("admin"), "follow_up", follow_up, transaction.id)
    assert before


def test_archive_round_trip(client, make):
    make.user("admin", username="chefen")
    activity = make.activity(title="Läxhjälp")
    sub_goal_id = activity.sub_goal_id
    client.login("chefen")
    assert "Läxhjälp" in client.get(f"/sub-goals/{sub_goal_id}").get_data(as_text=True)

    response = client.post_form(f"/archive/activity/{activity.id}", {"note": "Dubblett"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sub-goals/{sub_goal_id}")
    assert _last_transaction().note == "Dubblett"
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).is_archived
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Läxhjälp arkiverades" in flashed
    assert "Läxhjälp" not in client.get(f"/sub-goals/{sub_goal_id}").get_data(as_text=True)
    history = client.get(f"/history/activity/{activity.id}").get_data(as_text=True)
    assert "Arkiverad" in history and "Ta tillbaka från arkivet" in history

    response = client.post_form(f"/archive/activity/{activity.id}/undo")
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Activity, activity.id).is_archived
    assert "Läxhjälp" in client.get(f"/sub-goals/{sub_goal_id}").get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Transaction)
            .where(Transaction.note == "Tillbaka från arkivet")
        )
        == 1
    )


def test_archived_plan_vanishes_from_the_plan_list(client, make):
    make.user("admin", username="chefen")
    plan = make.plan(title="Gammal plan")
    client.login("chefen")
    assert "Gammal plan" in client.get("/plans").get_data(as_text=True)
    client.post_form(f"/archive/plan/{plan.id}", follow_redirects=True)
    assert "Gammal plan" not in client.get("/plans").get_data(as_text=True)
    assert client.get(f"/plans/{plan.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).is_archived


def test_who_may_restore_and_archive(make):
    board, other = make.board(), make.board()
    officer = make.user("officer", boards=[board])
    admin, auditor, viewer = make.user("admin"), make.user("auditor"), make.user("viewer")
    own = make.follow_up(sub_goal=make.sub_goal(boards=[board]))
    foreign = make.follow_up(sub_goal=make.sub_goal(boards=[other]))
    assert can_restore(officer, "follow_up", own) and can_archive(officer, "follow_up", own)
    assert not can_restore(officer, "follow_up", foreign)
    assert not can_archive(officer, "follow_up", foreign)
    assert can_restore(officer, "sub_goal", own.sub_goal)
    assert not can_archive(officer, "sub_goal", own.sub_goal)
    assert not can_restore(officer, "plan", own.sub_goal.plan)
    assert can_archive(admin, "plan", own.sub_goal.plan) and can_restore(
        admin, "sub_goal", own.sub_goal
    )
    assert not can_restore(admin, "user", officer)
    for reader in (auditor, viewer):
        assert not can_restore(reader, "follow_up", own)
        assert not can_archive(reader, "follow_up", own)


def test_officer_archives_own_follow_up_but_not_others(client, make):
    board, other = make.board(), make.board()
    make.user("officer", username="handläggaren", boards=[board])
    own = make.follow_up(sub_goal=make.sub_goal(boards=[board]))
    foreign = make.follow_up(sub_goal=make.sub_goal(boards=[other]))
    client.login("handläggaren")
    assert client.post_form(f"/archive/follow_up/{own.id}").status_code == 302
    assert client.post_form(f"/archive/follow_up/{foreign.id}").status_code == 403
    assert client.post_form(f"/archive/sub_goal/{own.sub_goal_id}").status_code == 403


def test_auditors_can_change_nothing(client, make):
    make.user("auditor", username="revisorn")
    follow_up = make.follow_up()
    activity = make.activity(sub_goal=follow_up.sub_goal)
    sub_goal = follow_up.sub_goal
    focus_area = sub_goal.focus_area
    plan = focus_area.plan
    transaction = _last_transaction()
    before = db.session.scalar(select(func.count(Transaction.id)))
    client.login("revisorn")
    targets = {
        "plan": plan.id,
        "focus_area": focus_area.id,
        "sub_goal": sub_goal.id,
        "follow_up": follow_up.id,
        "activity": activity.id,
    }
    urls = []
    for kind, record_id in targets.items():
        urls += [
            f"/history/{kind}/{record_id}/restore/{transaction.id}",
            f"/archive/{kind}/{record_id}",
            f"/archive/{kind}/{record_id}/undo",
        ]
    for url in urls:
        assert client.post_form(url).status_code == 403, url
        assert client.post_form(url, htmx=True).status_code == 403, url
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Transaction.id))) == before


def test_write_routes_need_the_csrf_token(client, make):
    make.user("admin", username="chefen")
    follow_up = make.follow_up()
    client.login("chefen")
    response = client.post(f"/archive/follow_up/{follow_up.id}")
    assert response.status_code == 400
    db.session.expire_all()
    assert not db.session.get(FollowUp, follow_up.id).is_archived


def test_a_closed_round_locks_restore_and_archive_for_officers(make):
    from datetime import date

    from intranet.models import ReportingRound

    board = make.board()
    officer, admin = make.user("officer", boards=[board]), make.user("admin")
    follow_up = make.follow_up(sub_goal=make.sub_goal(boards=[board]))
    with acting_as(None, "test data"):
        db.session.add(
            ReportingRound(
                plan_id=follow_up.sub_goal.plan.id,
                year=follow_up.year,
                deadline=date(follow_up.year + 1, 2, 15),
                is_open=False,
            )
        )
        db.session.commit()
    assert not can_restore(officer, "follow_up", follow_up)
    assert not can_archive(officer, "follow_up", follow_up)
    assert can_restore(admin, "follow_up", follow_up) and can_archive(admin, "follow_up", follow_up)
