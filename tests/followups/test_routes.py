import re

import pytest
from sqlalchemy import func, select
from sqlalchemy_continuum import version_class

from intranet.extensions import db
from intranet.models import FollowUp, Transaction

FIELDS = {
    "status": "ongoing",
    "outcome": "Grupperna har träffats varje vecka.",
    "deviation_reason": "",
    "deviation_text": "",
    "next_steps": "",
    "note": "",
}


@pytest.fixture
def world(make):
    board = make.board(name="Social- och omsorgsnämnden")
    other_board = make.board(name="Kultur- och fritidsnämnden")
    sub_goal = make.sub_goal(boards=[board], code="5.1", title="Kvinnogrupper")
    return {
        "sub_goal": sub_goal,
        "officer": make.user("officer", boards=[board]),
        "other_officer": make.user("officer", boards=[other_board]),
        "admin": make.user("admin"),
        "auditor": make.user("auditor"),
        "viewer": make.user("viewer"),
    }


def _url(sub_goal, year=2019, edit=True):
    return f"/sub-goals/{sub_goal.id}/follow-ups/{year}" + ("/edit" if edit else "")


def _follow_up(sub_goal, year=2019):
    db.session.expire_all()
    return db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == sub_goal.id, FollowUp.year == year)
    )


def _save(client, sub_goal, lock_version=0, htmx=False, year=2019, next_url=None, **changes):
    data = FIELDS | {"lock_version": str(lock_version)} | changes
    url = _url(sub_goal, year) + (f"?next={next_url}" if next_url else "")
    return client.post_form(url, data, htmx=htmx)


def test_officer_creates_and_updates_a_follow_up(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = _save(client, sub_goal, note="Första rapporten")
    assert response.status_code == 302
    follow_up = _follow_up(sub_goal)
    assert follow_up.status == "ongoing"
    assert follow_up.lock_version == 1
    response = _save(client, sub_goal, lock_version=1, status="done")
    assert response.status_code == 302
    assert _follow_up(sub_goal).status == "done"
    notes = db.session.scalars(select(Transaction.note).order_by(Transaction.id)).all()
    assert "Första rapporten" in notes


def test_htmx_save_returns_the_updated_cell_out_of_band(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = _save(
        client,
        sub_goal,
        htmx=True,
        status="cancelled",
        next_url="/matrix?plan=1",
        deviation_reason="external",
        deviation_text="Pandemin.",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f' data-hx-swap-oob="innerHTML:#cell-{sub_goal.id}-2019"' in page
    assert '<button class="s-cancelled d" data-d="external"' in page and "Avbruten" in page
    assert "data-announce" in page and "sparades" in page
    assert "<html" not in page


def test_htmx_save_from_the_sub_goal_page_updates_its_card(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = _save(client, sub_goal, htmx=True, next_url=f"/sub-goals/{sub_goal.id}")
    page = response.get_data(as_text=True)
    assert f' data-hx-swap-oob="innerHTML:#follow-up-card-{sub_goal.id}-2019"' in page
    assert "Grupperna har träffats varje vecka." in page


def test_edit_form_as_htmx_block_and_full_page(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    block = client.htmx_get(_url(sub_goal)).get_data(as_text=True)
    assert "<html" not in block and 'name="status"' in block
    page = client.get(_url(sub_goal)).get_data(as_text=True)
    assert "<html" in page and 'id="editor"' in page and 'name="status"' in page


def test_deviation_rule_errors_are_shown_next_to_both_fields(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    response = _save(
        client,
        sub_goal,
        htmx=True,
        status="not_done",
        outcome="Det här skrev jag och vill inte förlora.",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="deviation_reason-error"' in page
    assert "Ange orsak till avvikelsen" in page
    assert 'id="deviation_text-error"' in page
    assert "Det här skrev jag och vill inte förlora." in page
    assert re.search(r'<option selected value="not_done">|<option value="not_done" selected', page)
    assert _follow_up(sub_goal) is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": "finished"}, "status", "Välj ett värde i listan."),
        ({"deviation_reason": "weather"}, "deviation_reason", "Välj ett värde i listan."),
        ({"outcome": "x" * 10_001}, "outcome", "högst 10000 tecken"),
        ({"note": "n" * 501}, "note", "högst 500 tecken"),
        ({"outcome": "Samtal med 811228-9874"}, "outcome", "personnummer"),
    ],
)
def test_invalid_values_are_refused_with_swedish_messages(client, world, changes, field, message):
    client.login(world["officer"].username)
    response = _save(client, world["sub_goal"], **changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert _follow_up(world["sub_goal"]) is None


def test_year_outside_the_plan_is_not_found(client, world):
    client.login(world["officer"].username)
    assert client.get(_url(world["sub_goal"], year=2025)).status_code == 404
    assert _save(client, world["sub_goal"], year=2017).status_code == 404


@pytest.mark.parametrize("role", ["other_officer", "auditor", "viewer"])
def test_others_cannot_edit_by_url(client, world, role):
    client.login(world[role].username)
    sub_goal = world["sub_goal"]
    assert client.get(_url(sub_goal)).status_code == 403
    assert _save(client, sub_goal).status_code == 403
    assert _save(client, sub_goal, htmx=True).status_code == 403
    assert _follow_up(sub_goal) is None


def test_admin_edits_everything(client, world):
    client.login(world["admin"].username)
    assert _save(client, world["sub_goal"]).status_code == 302
    assert _follow_up(world["sub_goal"]).status == "ongoing"


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.post(_url(world["sub_goal"]), data=FIELDS)
    assert response.status_code in (302, 400)
    assert _follow_up(world["sub_goal"]) is None


def test_everyone_signed_in_may_read_the_card(client, world):
    client.login(world["viewer"].username)
    assert client.get(_url(world["sub_goal"], edit=False)).status_code == 200


def test_csrf_is_required_for_htmx_posts_too(client, world):
    client.login(world["officer"].username)
    url = _url(world["sub_goal"])
    data = FIELDS | {"lock_version": "0"}
    response = client.post(url, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    token = client.csrf_token()
    response = client.post(url, data=data, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    assert _follow_up(world["sub_goal"]) is not None


def test_second_save_does_not_silently_overwrite_the_first(client, app, world, make):
    second_officer = make.user("officer", boards=world["sub_goal"].boards)
    sub_goal = world["sub_goal"]
    client.login(world["officer"].username)
    _save(client, sub_goal, outcome="Ursprunglig text")  # version 1
    # Both open the form at version 1; the first saves.
    _save(client, sub_goal, lock_version=1, outcome="Första personens text", status="done")
    other = app.test_client()
    other.login(second_officer.username)
    response = _save(other, sub_goal, lock_version=1, htmx=True, outcome="Andra personens text")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Någon annan har sparat uppföljningen" in page
    assert "Första personens text" in page  # what changed meanwhile
    assert "Ursprunglig text" in page  # what it was when they opened it
    assert "Andra personens text" in page  # nothing the second person typed is lost
    assert 'name="lock_version" type="hidden" value="2"' in page
    assert _follow_up(sub_goal).outcome == "Första personens text"
    # Saving again after seeing the conflict is a deliberate overwrite.
    response = _save(other, sub_goal, lock_version=2, outcome="Andra personens text")
    assert response.status_code == 302
    assert _follow_up(sub_goal).outcome == "Andra personens text"


def test_unchanged_save_adds_no_history(client, world):
    client.login(world["officer"].username)
    sub_goal = world["sub_goal"]
    _save(client, sub_goal)
    before = db.session.scalar(select(func.count(Transaction.id)))
    assert _save(client, sub_goal, lock_version=1).status_code == 302
    assert db.session.scalar(select(func.count(Transaction.id))) == before


def test_one_save_is_one_transaction_naming_the_officer(client, world):
    client.login(world["officer"].username)
    before = db.session.scalar(select(func.count(Transaction.id)))
    _save(client, world["sub_goal"], note="Årsrapport 2019")
    transactions = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).all()
    assert len(transactions) == before + 1
    newest = transactions[0]
    assert newest.user_id == world["officer"].id
    assert newest.note == "Årsrapport 2019"
    FollowUpVersion = version_class(FollowUp)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(FollowUpVersion)
            .where(FollowUpVersion.transaction_id == newest.id)
        )
        == 1
    )
