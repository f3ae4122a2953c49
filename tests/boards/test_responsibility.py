"""Main and involved boards in order, and reorganisations seen live and as of a moment."""

from datetime import timedelta

import pytest
import sqlalchemy_continuum
from sqlalchemy import func, select

from intranet.auth.policies import can_edit_sub_goal, can_read_record_history
from intranet.boards import services
from intranet.core.clock import local_day, utc_now
from intranet.core.errors import RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity.verify import verify_history
from intranet.models import Membership, SubGoal, Transaction, User
from intranet.reading.plan_tree import load_plan, load_sub_goal
from intranet.reading.responsibility import responsible_boards
from intranet.reading.snapshot import Snapshot


def _names(sub_goal_node) -> list[tuple[str, bool]]:
    return [(board.name, board.main) for board in sub_goal_node.boards]


def _last_transaction() -> int:
    return db.session.scalar(select(func.max(Transaction.id)))


@pytest.fixture
def world(make):
    a, b, c = make.board(name="Nämnd A"), make.board(name="Nämnd B"), make.board(name="Bolaget")
    area = make.focus_area()
    s1 = make.sub_goal(focus_area=area, code="1.1", boards=[a, c])
    s2 = make.sub_goal(focus_area=area, code="1.2", boards=[c, a])
    s3 = make.sub_goal(focus_area=area, code="1.3", boards=[a])
    officer = make.user("officer", boards=[a])
    admin = make.user("admin")
    return dict(a=a, b=b, c=c, s1=s1, s2=s2, s3=s3, officer=officer, admin=admin, plan=area.plan)


def _reorganise(world, moves, day, memberships="move", **kwargs):
    with acting_as(world["admin"].id, kwargs.pop("note", "Beslut KF 2026-01-01 §12")):
        result = services.reorganise(
            world["admin"],
            world["a"],
            moves,
            day,
            memberships,
            note="Beslut KF 2026-01-01 §12",
            **kwargs,
        )
        db.session.commit()
    db.session.expire_all()
    return result


def test_boards_are_listed_main_first_in_the_given_order(world):
    s2 = world["s2"]
    assert [b.name for b in s2.boards] == ["Bolaget", "Nämnd A"]
    assert s2.main_board == world["c"] and s2.involved_boards == [world["a"]]
    with acting_as(None, "test"):
        s2.set_boards([world["a"], world["b"], world["c"]])
        db.session.commit()
    db.session.expire_all()
    assert [b.name for b in s2.boards] == ["Nämnd A", "Nämnd B", "Bolaget"]
    node = load_sub_goal(Snapshot.current(), s2.id)
    assert _names(node) == [("Nämnd A", True), ("Nämnd B", False), ("Bolaget", False)]


def test_only_the_main_board_reports_involved_boards_read(world, make):
    involved = make.user("officer", boards=[world["c"]])
    s1 = world["s1"]
    assert can_edit_sub_goal(world["officer"], s1)
    assert not can_edit_sub_goal(involved, s1)
    assert can_read_record_history(involved, "sub_goal", s1)
    assert can_edit_sub_goal(involved, world["s2"])


def test_a_merger_is_seen_live_and_as_of_a_moment_before_it(world):
    before_tx, before_moment = _last_transaction(), utc_now()
    day = local_day() - timedelta(days=30)
    transactions = db.session.scalar(select(func.count()).select_from(Transaction))
    _reorganise(
        world,
        {world["s1"].id: world["b"], world["s2"].id: world["b"], world["s3"].id: world["b"]},
        day,
    )

    # One history entry, with the note, for the whole reorganisation.
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == transactions + 1
    assert db.session.get(Transaction, _last_transaction()).note == "Beslut KF 2026-01-01 §12"

    now = load_plan(Snapshot.current(), world["plan"].id)
    assert [_names(s) for s in now.sub_goals] == [
        [("Nämnd B", True), ("Bolaget", False)],
        [("Bolaget", True), ("Nämnd B", False)],
        [("Nämnd B", True)],
    ]
    then = load_plan(Snapshot.at(before_tx, before_moment), world["plan"].id)
    assert [_names(s) for s in then.sub_goals] == [
        [("Nämnd A", True), ("Bolaget", False)],
        [("Bolaget", True), ("Nämnd A", False)],
        [("Nämnd A", True)],
    ]
    # Today's records, read for a day before the merger: the old board was responsible.
    ids = [world["s1"].id, world["s3"].id]
    on_the_eve = responsible_boards(Snapshot.current(), ids, day - timedelta(days=1))
    assert [[b.name for b in on_the_eve[i]] for i in ids] == [["Nämnd A", "Bolaget"], ["Nämnd A"]]
    assert verify_history(db.session.connection()).ok


def test_a_future_merger_holds_from_its_day(world):
    day = local_day() + timedelta(days=10)
    _reorganise(world, {world["s3"].id: world["b"]}, day, memberships="add")
    s3 = db.session.get(SubGoal, world["s3"].id)
    assert [b.name for b in s3.boards] == ["Nämnd A"]
    later = responsible_boards(Snapshot.current(), [s3.id], day)
    assert [(b.name, b.main) for b in later[s3.id]] == [("Nämnd B", True)]
    officer = db.session.get(User, world["officer"].id)
    assert sorted(b.name for b in officer.boards) == ["Nämnd A", "Nämnd B"]
    # Archiving the old board before the day would hide who is responsible until then.
    with pytest.raises(RuleViolation):
        services.archive_board(world["admin"], world["a"])
    db.session.rollback()


def test_memberships_follow_with_history(world):
    _reorganise(world, {world["s3"].id: world["b"]}, local_day())
    officer = db.session.get(User, world["officer"].id)
    assert [b.name for b in officer.boards] == ["Nämnd B"]
    versions = sqlalchemy_continuum.version_class(Membership)
    rows = db.session.scalars(
        select(versions).where(versions.user_id == officer.id).order_by(versions.transaction_id)
    ).all()
    assert {(row.board_id, row.operation_type) for row in rows} >= {
        (world["a"].id, 2),
        (world["b"].id, 0),
    }


def test_a_split_moves_chosen_sub_goals_to_several_boards_and_may_archive(world, make):
    d = make.board(name="Nämnd D")
    _reorganise(
        world,
        {world["s1"].id: world["b"], world["s2"].id: d, world["s3"].id: d},
        local_day(),
        archive_source=True,
    )
    s1, s2, s3 = (db.session.get(SubGoal, world[k].id) for k in ("s1", "s2", "s3"))
    assert [b.name for b in s1.boards] == ["Nämnd B", "Bolaget"]
    assert [b.name for b in s2.boards] == ["Bolaget", "Nämnd D"]
    assert [b.name for b in s3.boards] == ["Nämnd D"]
    assert world["a"].is_archived
    officer = db.session.get(User, world["officer"].id)
    assert sorted(b.name for b in officer.boards) == ["Nämnd B", "Nämnd D"]


def test_an_involved_receiving_board_takes_the_main_place(world):
    with acting_as(None, "test"):
        world["s1"].set_boards([world["a"], world["c"], world["b"]])
        db.session.commit()
    day = local_day() - timedelta(days=1)
    _reorganise(world, {world["s1"].id: world["b"]}, day, memberships="none")
    s1 = db.session.get(SubGoal, world["s1"].id)
    assert [b.name for b in s1.boards] == ["Nämnd B", "Bolaget"]
    before = responsible_boards(Snapshot.current(), [s1.id], day - timedelta(days=1))[s1.id]
    assert [(b.name, b.main) for b in before] == [
        ("Nämnd A", True),
        ("Nämnd B", False),
        ("Bolaget", False),
    ]


def test_a_reorganisation_needs_a_note_a_day_and_a_choice(world):
    with pytest.raises(RuleViolation) as raised:
        services.reorganise(
            world["admin"], world["a"], {world["s1"].id: world["b"]}, local_day(), "move", note=""
        )
    assert raised.value.field == "note"
    with pytest.raises(RuleViolation) as raised:
        services.reorganise(world["admin"], world["a"], {}, local_day(), "move", note="Beslut")
    assert raised.value.field == "target"
    with pytest.raises(RuleViolation) as raised:
        services.reorganise(
            world["admin"], world["b"], {world["s1"].id: world["c"]}, local_day(), "move", note="x"
        )
    assert raised.value.field == "valid_from"
    db.session.rollback()


def test_a_renamed_board_keeps_its_history(world):
    with acting_as(world["admin"].id, "Nytt namn"):
        services.update_board(world["admin"], world["a"], "Nämnd Alfa", "Förvaltningen", "board")
        db.session.commit()
    versions = sqlalchemy_continuum.version_class(type(world["a"]))
    names = db.session.scalars(
        select(versions.name).where(versions.id == world["a"].id).order_by(versions.transaction_id)
    ).all()
    assert names == ["Nämnd A", "Nämnd Alfa"]
    with pytest.raises(RuleViolation):
        services.create_board(world["admin"], "Nämnd B", None, "board")


def test_restoring_a_sub_goal_brings_back_its_boards_with_order_and_days(world):
    from intranet.history.restoring import restore_version

    with acting_as(None, "test"):
        world["s1"].set_boards([world["c"], world["a"]])
        db.session.commit()
    ordered = _last_transaction()
    _reorganise(world, {world["s1"].id: world["b"]}, local_day() + timedelta(days=5))
    with acting_as(world["admin"].id, "Ångra"):
        assert restore_version(
            world["admin"], "sub_goal", db.session.get(SubGoal, world["s1"].id), ordered
        )
        db.session.commit()
    db.session.expire_all()
    s1 = db.session.get(SubGoal, world["s1"].id)
    assert [b.name for b in s1.boards] == ["Bolaget", "Nämnd A"]
    assert all(link.valid_to is None and link.valid_from is None for link in s1.board_links)
    assert {link.board_id for link in s1.board_links} == {world["a"].id, world["c"].id}
