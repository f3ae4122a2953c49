import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Activity

FIELDS = {
    "title": "Mammagrupp varannan vecka",
    "description": "",
    "planned_from_year": "2019",
    "planned_to_year": "2020",
    "responsible_unit": "Vårt Nygård",
    "status": "planned",
    "note": "",
    "lock_version": "0",
}


@pytest.fixture
def world(make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    return {
        "sub_goal": sub_goal,
        "officer": make.user("officer", boards=[board]),
        "other_officer": make.user("officer", boards=[make.board()]),
        "auditor": make.user("auditor"),
        "viewer": make.user("viewer"),
    }


def _activities(sub_goal):
    db.session.expire_all()
    return db.session.scalars(select(Activity).where(Activity.sub_goal_id == sub_goal.id)).all()


def test_officer_adds_an_activity_inline(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = client.post_form(f"/sub-goals/{sub_goal.id}/activities/new", FIELDS, htmx=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section class="card" id="activities"')
    # The form sits in #activity-editor inside that section: the saved section replaces the
    # section itself, not the editor (which would nest the section in itself).
    assert response.headers["HX-Retarget"] == "#activities"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "Mammagrupp varannan vecka" in page and "2019–2020" in page
    assert [a.title for a in _activities(sub_goal)] == ["Mammagrupp varannan vecka"]


def test_officer_edits_an_activity_and_conflicts_are_caught(client, app, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    client.post_form(f"/sub-goals/{sub_goal.id}/activities/new", FIELDS)
    activity = _activities(sub_goal)[0]
    url = f"/activities/{activity.id}/edit"
    assert client.get(url).status_code == 200
    response = client.post_form(url, FIELDS | {"status": "done", "lock_version": "1"})
    assert response.status_code == 302
    assert _activities(sub_goal)[0].status == "done"
    stale = client.post_form(url, FIELDS | {"title": "Gammal vy", "lock_version": "1"}, htmx=True)
    assert stale.status_code == 409
    assert "Gammal vy" in stale.get_data(as_text=True)
    assert _activities(sub_goal)[0].title == "Mammagrupp varannan vecka"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"planned_from_year": "2017"}, "planned_from_year", "inom planens period"),
        (
            {"planned_from_year": "2021", "planned_to_year": "2019"},
            "planned_to_year",
            "Slutåret kan inte ligga före startåret",
        ),
        ({"planned_from_year": "tjugo"}, "planned_from_year", "Inte ett giltigt heltal"),
        ({"title": ""}, "title", "Ange aktivitetens namn."),
        ({"status": "maybe"}, "status", "Välj ett värde i listan."),
    ],
)
def test_activity_validation(client, world, changes, field, message):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = client.post_form(f"/sub-goals/{sub_goal.id}/activities/new", FIELDS | changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert _activities(sub_goal) == []


@pytest.mark.parametrize("role", ["other_officer", "auditor", "viewer"])
def test_others_cannot_add_or_edit_activities(client, world, make, role):
    sub_goal = world["sub_goal"]
    activity = make.activity(sub_goal=sub_goal)
    client.login(world[role].username)
    assert client.get(f"/sub-goals/{sub_goal.id}/activities/new").status_code == 403
    assert client.post_form(f"/sub-goals/{sub_goal.id}/activities/new", FIELDS).status_code == 403
    assert (
        client.post_form(
            f"/activities/{activity.id}/edit", FIELDS | {"lock_version": "1"}
        ).status_code
        == 403
    )
    assert [a.title for a in _activities(sub_goal)] == ["Aktivitet"]
