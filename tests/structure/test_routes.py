"""The structure pages: who may use them, what bad input and stale saves get back, and the
lifecycle buttons on the plan page."""

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import FocusArea, Plan, ReportingRound, Strategy, SubGoal, Transaction


@pytest.fixture
def world(make):
    owner_board, other_board = make.board(name="Ägarnämnden"), make.board(name="Andra")
    strategy = make.strategy(start_year=2012, end_year=2032)
    plan = make.plan(strategy=strategy, status="draft", owner_board_id=owner_board.id)
    area = make.focus_area(plan=plan, number="5")
    for code in ("5.1", "5.9", "5.11"):
        make.sub_goal(focus_area=area, code=code, boards=[owner_board])
    return {
        "strategy": strategy,
        "plan": plan,
        "area": area,
        "owner_board": owner_board,
        "other_board": other_board,
        "admin": make.user("admin"),
        "owner": make.user("officer", boards=[owner_board]),
        "officer": make.user("officer", boards=[other_board]),
        "viewer": make.user("viewer"),
    }


def _fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def test_admin_creates_a_strategy_and_a_plan_that_starts_as_a_draft(client, world):
    client.login(world["admin"].username)
    response = client.post_form(
        "/strategies/new", {"title": "Ny strategi", "start_year": "2020", "end_year": "2030"}
    )
    assert response.status_code == 302
    strategy = db.session.scalar(select(Strategy).where(Strategy.title == "Ny strategi"))
    response = client.post_form(
        "/plans/new",
        {
            "title": "Plan 2024–2026",
            "strategy_id": str(strategy.id),
            "start_year": "2024",
            "end_year": "2026",
            "owner_board_id": str(world["owner_board"].id),
            "note": "Ny plan från nämndens beslut",
        },
    )
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan).where(Plan.title == "Plan 2024–2026"))
    assert response.location.endswith(f"/plans/{plan.id}/structure")
    assert (plan.status, plan.owner_board_id) == ("draft", world["owner_board"].id)
    newest = db.session.scalar(select(Transaction).order_by(Transaction.id.desc()).limit(1))
    assert newest.note == "Ny plan från nämndens beslut"
    assert newest.user_id == world["admin"].id


def test_bad_input_is_explained_next_to_the_field_and_kept(client, world):
    client.login(world["admin"].username)
    response = client.post_form(
        "/plans/new",
        {
            "title": "Min plan",
            "strategy_id": str(world["strategy"].id),
            "start_year": "2030",
            "end_year": "2040",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Åren måste ligga inom strategins period (2012–2032)." in page
    assert 'value="Min plan"' in page and 'value="2040"' in page
    response = client.post_form(
        f"/focus-areas/{world['area'].id}/sub-goals/new", {"code": "5.1", "lock_version": "0"}
    )
    assert response.status_code == 422
    assert "Ange delmålets titel." in response.get_data(as_text=True)
    response = client.post_form(
        f"/focus-areas/{world['area'].id}/sub-goals/new",
        {"code": "5.1", "title": "Dubblett", "lock_version": "0"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fokusområdet har redan ett delmål med det numret." in page and "Dubblett" in page


def test_the_code_field_proposes_the_next_code_and_a_blank_one_gets_it(client, world):
    client.login(world["owner"].username)
    url = f"/focus-areas/{world['area'].id}/sub-goals/new"
    page = client.get(url).get_data(as_text=True)
    assert 'placeholder="5.12"' in page and "nummer 5.12" in page
    response = client.post_form(
        url,
        {
            "title": "Nytt delmål",
            "lock_version": "0",
            "main_board_id": str(world["owner_board"].id),
            "involved_board_ids": [str(world["other_board"].id)],
            "tags_target_group": "Barn; Unga",
            "cross_references": "se punkt 2.4",
        },
    )
    assert response.status_code == 302
    sub_goal = db.session.scalar(select(SubGoal).where(SubGoal.title == "Nytt delmål"))
    assert sub_goal.code == "5.12"
    assert [board.id for board in sub_goal.boards][0] == world["owner_board"].id
    assert {board.id for board in sub_goal.boards} == {
        world["owner_board"].id,
        world["other_board"].id,
    }
    assert response.location.endswith(f"/sub-goals/{sub_goal.id}")
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert "Barn, Unga" in page and "Ändra delmålet" in page and "Lägg till aktivitet" in page


def test_a_stale_sub_goal_save_is_a_conflict_that_keeps_the_text(client, world):
    client.login(world["admin"].username)
    sub_goal = world["area"].sub_goals[0]
    url = f"/sub-goals/{sub_goal.id}/edit"
    assert client.get(url).status_code == 200
    fields = {"code": sub_goal.code, "title": "Första", "lock_version": "1"}
    assert client.post_form(url, fields).status_code == 302
    stale = client.post_form(url, fields | {"title": "Min gamla vy"}, htmx=True)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Min gamla vy" in page and "Någon annan har sparat delmålet" in page
    assert 'value="2"' in page  # saving again replaces their version deliberately
    assert _fresh(SubGoal, sub_goal.id).title == "Första"


def test_moving_changes_the_order_and_not_the_codes(client, world):
    client.login(world["admin"].username)
    last = next(s for s in world["area"].sub_goals if s.code == "5.11")
    response = client.post_form(f"/sub-goals/{last.id}/move", {"direction": "up"})
    assert response.status_code == 302
    area = _fresh(FocusArea, world["area"].id)
    assert [s.code for s in area.sub_goals] == ["5.1", "5.11", "5.9"]
    page = client.get(f"/plans/{world['plan'].id}").get_data(as_text=True)
    assert page.index("5.11 Delmål") < page.index("5.9 Delmål")
    assert client.post_form(f"/sub-goals/{last.id}/move", {"direction": "x"}).status_code == 422


def test_who_may_edit_the_structure(client, world):
    plan = world["plan"]
    urls = [
        f"/plans/{plan.id}/structure",
        f"/plans/{plan.id}/edit",
        f"/plans/{plan.id}/focus-areas/new",
        f"/focus-areas/{world['area'].id}/edit",
    ]
    for role, expected in (("owner", 200), ("officer", 403), ("viewer", 403), ("admin", 200)):
        client.login(world[role].username)
        assert [client.get(url).status_code for url in urls] == [expected] * 4, role
        page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
        assert ("Redigera planens struktur" in page) == (expected == 200), role
        client.post_form("/logout")
    client.login(world["owner"].username)
    assert client.get("/plans/new").status_code == 403


def test_plan_owners_cannot_change_the_owner_or_the_strategy(client, world):
    client.login(world["owner"].username)
    plan = world["plan"]
    response = client.post_form(
        f"/plans/{plan.id}/edit",
        {
            "title": "Omdöpt",
            "strategy_id": str(world["strategy"].id),
            "start_year": "2018",
            "end_year": "2021",
            "owner_board_id": str(world["other_board"].id),
        },
    )
    assert response.status_code == 302
    plan = _fresh(Plan, plan.id)
    assert (plan.title, plan.owner_board_id) == ("Omdöpt", world["owner_board"].id)


def test_lifecycle_buttons_and_their_effects(client, world):
    plan = world["plan"]
    client.login(world["owner"].username)
    assert "Aktivera planen" not in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert client.post_form(f"/plans/{plan.id}/status", {"status": "active"}).status_code == 403
    client.post_form("/logout")
    client.login(world["admin"].username)
    round_form = {"plan_id": str(plan.id), "year": "2019", "deadline": "2020-02-15"}
    refused = client.post_form("/rounds", round_form)
    assert refused.status_code == 422
    assert "Planen är ett utkast." in refused.get_data(as_text=True)
    assert "Aktivera planen" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    response = client.post_form(f"/plans/{plan.id}/status", {"status": "active"})
    assert response.status_code == 302
    assert _fresh(Plan, plan.id).status == "active"
    assert client.post_form("/rounds", round_form).status_code == 302
    assert client.post_form(f"/plans/{plan.id}/status", {"status": "closed"}).status_code == 302
    assert _fresh(Plan, plan.id).status == "closed"
    no_reason = client.post_form(f"/plans/{plan.id}/status", {"status": "active"})
    assert no_reason.status_code == 422
    assert "Ange varför planen öppnas igen." in no_reason.get_data(as_text=True)
    wrong = client.post_form(f"/plans/{plan.id}/status", {"status": "draft", "note": "x"})
    assert wrong.status_code == 422
    reopened = client.post_form(f"/plans/{plan.id}/status", {"status": "active", "note": "Fel"})
    assert reopened.status_code == 302
    assert db.session.scalar(select(ReportingRound.plan_id)) == plan.id


def test_a_closed_plan_hides_the_officers_buttons(client, world, make):
    plan = world["plan"]
    sub_goal = world["area"].sub_goals[0]
    client.login(world["admin"].username)
    client.post_form(f"/plans/{plan.id}/status", {"status": "active"})
    client.post_form(f"/plans/{plan.id}/status", {"status": "closed"})
    client.post_form("/logout")
    client.login(world["owner"].username)
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert "Lägg till aktivitet" not in page and "Ändra delmålet" not in page
    assert client.get(f"/sub-goals/{sub_goal.id}/activities/new").status_code == 403
    assert client.get(f"/plans/{plan.id}/structure").status_code == 403
    assert client.get(f"/sub-goals/{sub_goal.id}/follow-ups/2019/edit").status_code == 403


def test_structure_forms_refuse_posts_without_csrf(client, world):
    client.login(world["admin"].username)
    response = client.post(f"/plans/{world['plan'].id}/focus-areas/new", data={"title": "x"})
    assert response.status_code == 400


def test_htmx_gets_the_editor_block_back_with_its_messages(client, world):
    client.login(world["admin"].username)
    url = f"/plans/{world['plan'].id}/focus-areas/new"
    response = client.post_form(url, {"number": "9", "title": ""}, htmx=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.lstrip().startswith('<section class="editor"')
    assert "Ange fokusområdets titel." in page and 'value="9"' in page
    saved = client.post_form(url, {"title": "Bostad"}, htmx=True)
    assert saved.status_code == 204
    assert saved.headers["HX-Redirect"].endswith(f"/plans/{world['plan'].id}/structure")
    area = db.session.scalar(select(FocusArea).where(FocusArea.title == "Bostad"))
    assert area.number == "6"


def test_strategies_and_sub_goals_are_archived_through_the_history_routes(client, world):
    client.login(world["admin"].username)
    strategy = world["strategy"]
    page = client.get(f"/strategies/{strategy.id}/edit").get_data(as_text=True)
    assert f'action="/archive/strategy/{strategy.id}"' in page
    response = client.post_form(f"/archive/strategy/{strategy.id}", {"note": "Ersatt"})
    assert response.status_code == 302
    assert _fresh(Strategy, strategy.id).is_archived
    history = client.get(f"/history/strategy/{strategy.id}").get_data(as_text=True)
    assert "Ersatt" in history and "Ta tillbaka från arkivet" in history
    sub_goal = world["area"].sub_goals[0]
    structure = client.get(f"/plans/{world['plan'].id}/structure").get_data(as_text=True)
    assert f'action="/archive/sub_goal/{sub_goal.id}"' in structure
    assert client.post_form(f"/archive/sub_goal/{sub_goal.id}").status_code == 302
    structure = client.get(f"/plans/{world['plan'].id}/structure").get_data(as_text=True)
    assert f'id="sub-goal-{sub_goal.id}"' not in structure


def test_plan_owners_archive_their_sub_goals_but_not_the_plan(client, world):
    client.login(world["owner"].username)
    sub_goal = world["area"].sub_goals[0]
    assert client.post_form(f"/archive/sub_goal/{sub_goal.id}").status_code == 302
    assert client.post_form(f"/archive/plan/{world['plan'].id}").status_code == 403
