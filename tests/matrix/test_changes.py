"""\"Changes since\": the matrix marks exactly the cells changed after the chosen moment."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.matrix.changes import changes_since
from intranet.models import FollowUp, Transaction, User
from tests.conftest import DEMO_PASSWORD
from tests.matrix.test_routes import _sub_goal, count_queries

CHANGED = re.compile(
    r'id="cell-(\d+)-(\d{4})"><button class="[^"]*\bc\b[^"]*" data-changed="([^"]+)"'
)


@pytest.fixture
def officer_client(client, demo):
    client.login("officer", DEMO_PASSWORD)
    return client


def _follow_up(code: str, year: int) -> FollowUp:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == _sub_goal(code).id, FollowUp.year == year)
    )


def _change(code: str, year: int, **values) -> None:
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    with acting_as(officer.id, "test"):
        follow_up = _follow_up(code, year)
        for name, value in values.items():
            setattr(follow_up, name, value)
        db.session.commit()


def _head() -> int:
    return db.session.scalar(select(Transaction.id).order_by(Transaction.id.desc()).limit(1))


def test_marks_exactly_the_cells_changed_after_the_moment(officer_client):
    _change("4.1", 2019, next_steps="Före")  # not compared: never marked
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    page = officer_client.get(f"/matrix?since={yesterday}").get_data(as_text=True)
    assert CHANGED.findall(page) == []  # the demo's history is years old; next_steps no mark
    _change("5.1", 2020, status="done", outcome="Klart till slut.")
    _change("4.5", 2021, outcome="En ny redovisning.")
    page = officer_client.get(f"/matrix?since={yesterday}").get_data(as_text=True)
    marked = {(int(sg), int(year)) for sg, year, _ in CHANGED.findall(page)}
    assert marked == {(_sub_goal("5.1").id, 2020), (_sub_goal("4.5").id, 2021)}
    assert all("Demo Tjänsteperson" in who for _, _, who in CHANGED.findall(page))
    assert "Ändringar sedan " + yesterday in page
    listed = page[page.index('class="changes-list"') :]
    assert "Ej genomförd" in listed and "Genomförd" in listed and "Redovisning" in listed


@pytest.mark.parametrize("username", ["viewer", "auditor", "officer"])
def test_changes_are_read_in_a_constant_few_queries_however_many(app_context, demo, username):
    """Three queries, and for who may read some history four more to know whose (the
    follow-ups with their boards today) however many changed."""
    reader = db.session.scalar(select(User).where(User.username == username))
    then = _head()
    ids = [_sub_goal(code).id for code in ("5.1", "4.5", "4.1")]
    _change("5.1", 2020, status="done")
    assert reader.role and reader.board_ids is not None  # loaded, as the signed-in user is
    with count_queries() as few:
        assert set(changes_since(then, ids, range(2018, 2022), reader)) == {(ids[0], 2020)}
    for code, year in (("4.5", 2021), ("4.1", 2019), ("4.1", 2018)):
        _change(code, year, deviation_text="Ändrad text")
    assert reader.role and reader.board_ids is not None
    with count_queries() as many:
        found = changes_since(then, ids, range(2018, 2022), reader)
    expected = 2 if username == "viewer" else 7
    assert len(found) == 4 and len(many) == len(few) == expected
    assert found[(ids[1], 2021)].fields == ("deviation_text",)


def test_a_bad_since_is_explained_next_to_its_field(officer_client):
    response = officer_client.get("/matrix?since=igår")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="filter-since-error"' in page and "ÅÅÅÅ-MM-DD" in page
    assert 'value="igår"' in page
