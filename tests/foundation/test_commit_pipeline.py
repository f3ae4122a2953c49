"""The commit pipeline lives on the app's own session class, and only there: a session
without it cannot write versioned records (it would write unchained history), and no
module waits on a timer thread."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy_continuum import version_class, versioning_manager

import intranet
from intranet import integrity
from intranet.core.clock import utc_now
from intranet.db.versioning import PipelineMissing, acting_as
from intranet.extensions import AppSession, db
from intranet.integrity import chain
from intranet.models import Board, LoginFailures, Transaction


class _OtherSession(Session):
    pass


def _plain_sessions():
    return {
        "Session(bind=engine)": lambda: Session(bind=db.engine),
        "sessionmaker()": lambda: sessionmaker(bind=db.engine)(),
        "a subclass": lambda: _OtherSession(bind=db.engine),
    }


def _counts() -> tuple[int, int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Board.id))),
        db.session.scalar(select(func.count()).select_from(version_class(Board).__table__)),
        db.session.scalar(select(func.count(Transaction.id))),
    )


@pytest.mark.parametrize("kind", sorted(_plain_sessions()))
def test_a_session_without_the_pipeline_cannot_add_a_versioned_record(app_context, kind):
    before = _counts()
    with _plain_sessions()[kind]() as session:
        session.add(Board(name="Skriptets nämnd", administration="Förvaltning"))
        with pytest.raises(PipelineMissing, match="Board is versioned"):
            session.commit()
    assert _counts() == before


@pytest.mark.parametrize("kind", sorted(_plain_sessions()))
def test_a_session_without_the_pipeline_cannot_change_or_delete_one(make, kind):
    board = make.board(name="Före")
    before = _counts()
    with _plain_sessions()[kind]() as session:
        loaded = session.get(Board, board.id)
        loaded.name = "Efter"
        with pytest.raises(PipelineMissing):
            session.flush()
        session.rollback()
        session.delete(session.get(Board, board.id))
        with pytest.raises(PipelineMissing):
            session.commit()
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Board, board.id).name == "Före"


def _bulk_writes(board_id: int):
    return {
        "update(model)": update(Board).where(Board.id == board_id).values(name="Efter"),
        "delete(model)": delete(Board).where(Board.id == board_id),
        "insert(model)": insert(Board).values(name="Ny", administration="Förvaltning"),
        "update(table)": update(Board.__table__).values(name="Efter"),
        "delete(table)": delete(Board.__table__),
    }


@pytest.mark.parametrize("session_kind", ["the app's session", *sorted(_plain_sessions())])
@pytest.mark.parametrize("statement", sorted(_bulk_writes(0)))
def test_no_session_runs_a_bulk_write_of_a_versioned_model(make, session_kind, statement):
    """A bulk statement never reaches a flush, so nothing would version it: refused on
    every session, the app's included, before it runs."""
    board = make.board(name="Före")
    db.session.commit()
    before = _counts()
    plain = _plain_sessions().get(session_kind)
    session = plain() if plain else db.session
    with pytest.raises(PipelineMissing, match="Board, a versioned model"):
        session.execute(_bulk_writes(board.id)[statement])
    session.rollback()
    if plain:
        session.close()
    assert _counts() == before
    assert db.session.get(Board, board.id).name == "Före"


def test_a_plain_session_still_reads_and_writes_unversioned_rows(make):
    board = make.board()
    with Session(bind=db.engine) as session:
        assert session.get(Board, board.id).name == board.name
        session.add(LoginFailures(key="skript", failures=1, window_start=utc_now()))
        session.commit()
    db.session.rollback()
    assert db.session.scalar(select(LoginFailures.failures).where(LoginFailures.key == "skript"))


def test_the_apps_session_chains_what_it_writes(make):
    with acting_as(None, "pipeline"):
        board = make.board()
        board.name = "Ändrad"
        db.session.commit()
    newest = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert newest.chain_hash and newest.chain_hash != chain.GENESIS


def test_every_step_is_on_the_apps_session_class_and_none_on_the_global_one(app):
    own = db.session.session_factory.class_
    assert issubclass(own, AppSession) and own is not AppSession
    assert integrity.install(db) is own  # idempotent: create_app runs once per app
    steps = integrity._steps()
    for name, listener in steps:
        assert event.contains(own, name, listener), (name, listener)
        for shared in (Session, AppSession):
            assert not event.contains(shared, name, listener), (name, shared)
    # Every session listener Continuum has is one of the steps.
    for name, listener in versioning_manager.session_listeners.items():
        assert (name, listener) in steps
    assert event.contains(Transaction, "before_insert", chain.serialise_chain)


@pytest.mark.parametrize("shared", [Session, AppSession])
def test_install_refuses_a_session_class_other_sessions_share(shared):
    fake_db = SimpleNamespace(session=scoped_session(sessionmaker()))
    fake_db.session.session_factory.class_ = shared
    with pytest.raises(TypeError, match="not the session class of db alone"):
        integrity.install(fake_db)


def test_a_hand_made_app_session_has_no_pipeline(app_context):
    with AppSession(db=db, bind=db.engine) as session:
        session.add(Board(name="Handgjord", administration="Förvaltning"))
        with pytest.raises(PipelineMissing):
            session.flush()


def _timer_uses(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "Timer":
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "threading":
            lines.extend(node.lineno for alias in node.names if alias.name == "Timer")
    return lines


def test_no_module_waits_on_a_timer_thread():
    package = Path(intranet.__file__).parent
    found = {
        str(path.relative_to(package)): lines
        for path in sorted(package.rglob("*.py"))
        if (lines := _timer_uses(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}
    assert _timer_uses(ast.parse("import threading\nthreading.Timer(1, print).start()")) == [2]
    assert _timer_uses(ast.parse("from threading import Timer")) == [1]
