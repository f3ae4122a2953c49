"""Keeps the benchmark from rotting: the generator at a tiny scale, the bulk writer against
the ORM, and one iteration of each in-process measurement. No timing is asserted."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy_continuum import versioning_manager

from bench import generate, measure
from bench.databases import make_app, migrate
from intranet.extensions import db
from intranet.integrity.verify import verify_history
from intranet.models import FollowUp

# The generator builds a municipality (over 3 s) before the first test.
pytestmark = pytest.mark.slow

SCALE = 0.01  # 4 sub-goals
EDITS = 120


def _build(url: str, writer) -> dict:
    app = make_app(url, WTF_CSRF_ENABLED=False)
    migrate(app)
    with app.app_context():
        town = generate.build_structure(SCALE)
        steps = generate.plan_history(town, SCALE, edits=EDITS)
        writer(steps)
        verified = verify_history(db.session.connection())
        tables = {"hash chain verifies": verified.ok}
        for table in db.metadata.sorted_tables:
            columns = [c.name for c in table.columns if c.name not in _VOLATILE]
            quoted = ", ".join(f'"{name}"' for name in columns)
            rows = db.session.execute(text(f'SELECT {quoted} FROM "{table.name}"')).all()
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return app, town, steps, tables


# Salted password hashes and the moment a password was set differ between two runs.
_VOLATILE = {"password_hash", "password_changed_at"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    orm = _build(f"sqlite:///{folder / 'orm.sqlite'}", generate.write_steps_orm)
    bulk = _build(f"sqlite:///{folder / 'bulk.sqlite'}", generate.write_steps_bulk)
    return orm, bulk


def test_generator_is_deterministic_and_shaped_like_a_municipality(built):
    (_, town, steps, tables), (_, other_town, other_steps, _) = built
    assert [s.ops for s in steps] == [s.ops for s in other_steps]
    assert len(town.sub_goals) == 4
    assert len(tables["board"]) == generate.BOARDS
    assert len(tables["user"]) == generate.USERS
    assert len(tables["plan"]) == len(generate.PLANS)
    years = sum(end - start + 1 for start, end, _ in generate.PLANS)
    assert len(tables["follow_up"]) == years  # one plan year per sub-goal, 4 plans
    assert len(tables["activity"]) == 4 * generate.ACTIVITIES_PER_SUB_GOAL
    edits = sum(len(step.ops) for step in steps[len(generate.PLANS) :])
    assert edits == EDITS
    issued = [step.issued_at for step in steps]
    assert issued == sorted(issued)


def test_bulk_writer_writes_exactly_what_the_orm_and_continuum_write(built):
    (_, _, _, orm_tables), (_, _, _, bulk_tables) = built
    assert orm_tables["hash chain verifies"] and bulk_tables["hash chain verifies"]
    assert orm_tables.keys() == bulk_tables.keys()
    for name in orm_tables:
        assert orm_tables[name] == bulk_tables[name], name
    assert len(orm_tables["follow_up_version"]) > len(orm_tables["follow_up"])
    assert any(row for row in orm_tables["transaction"])


def test_the_generated_history_verifies_with_a_checkpoint_of_its_head(built):
    """Before the measurements: their unversioned saves change rows without a history."""
    (_, _, _, _), (app, _, _, _) = built
    from intranet.integrity import checkpoints
    from intranet.integrity.service import run_verification

    with app.app_context():
        checkpoints.write_head(app)
        report, _ = run_verification()
        db.session.remove()
        db.engine.dispose()
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.checkpoints >= 1 and report.current_rows > 0


def test_one_iteration_of_each_measurement(built):
    (_, _, _, _), (app, _, _, _) = built
    reader = measure.Visitor(app, "auditor06")
    matrix = measure.matrix_figures(app, reader, repeats=1)
    assert matrix["matrix_rows"] == 4
    assert matrix["matrix_queries"] > 0
    depth = measure.as_of_depth(reader, reader, repeats=1)
    assert depth["as_of_deep_vs_shallow"] > 0
    verified = measure.verify_figures(app, repeats=1)
    assert verified["verify_vs_select"] > 0
    assert verified["verify_version_rows"] > verified["verify_transactions"] > 0
    saves = measure.save_figures(app, measure.Visitor(app, "admin01"), repeats=1)
    assert saves["save_versioned_vs_unversioned"] > 0
    audit = measure.audit_figures(app, measure.Visitor(app, "auditor05"), repeats=1)
    assert "audit_skipped" in audit or audit["audit_deep_vs_first"] > 0
    assert versioning_manager.options["versioning"] is True  # switched back on after saves
    with app.app_context():
        assert db.session.scalar(select(func.max(FollowUp.lock_version))) > 1
        db.session.remove()
        db.engine.dispose()


def test_collapsed_history_ends_in_the_same_state_with_one_version_per_record(built):
    (_, _, steps, _), _ = built

    def replay(steps):
        state: dict = {}
        for step in steps:
            for kind, key, values in step.ops:
                state.setdefault((kind, key), {}).update(values)
        return state

    collapsed = generate.collapse_history(steps)
    assert replay(collapsed) == replay(steps)
    ops = [(kind, key) for step in collapsed for kind, key, _ in step.ops]
    assert len(ops) == len(set(ops)) == len(replay(steps))
