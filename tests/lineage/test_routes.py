"""The next-plan page, the link page and the line on the sub-goal page."""

from sqlalchemy import func, select

from intranet.core import clock
from intranet.extensions import db
from intranet.models import Plan, SubGoal, SubGoalLineage, Transaction
from tests.conftest import PASSWORD


def _world(make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    pilot = make.plan(strategy=strategy, title="Pilot 2012–2015", start_year=2012, end_year=2015)
    area = make.focus_area(plan=pilot, number="1", title="Modellen")
    goal = make.sub_goal(focus_area=area, code="1.2", title="Brobyggare")
    make.follow_up(sub_goal=goal, year=2013, status="done")
    admin = make.user("admin")
    return pilot, area, goal, admin


def test_admin_starts_the_next_plan_in_one_history_entry(client, make):
    pilot, area, goal, admin = _world(make)
    client.login(admin.username, PASSWORD)
    page = client.get(f"/plans/{pilot.id}/next").get_data(as_text=True)
    assert f'name="goal_{goal.id}_number"' in page and 'value="1.2"' in page
    assert 'value="2016"' in page  # the year after the plan's end
    assert 'value="Pilot 2016–2019"' in page  # the title names the next period
    before = db.session.scalar(select(func.count(Transaction.id)))
    response = client.post_form(
        f"/plans/{pilot.id}/next",
        {
            "title": "Handlingsplan 2018–2021",
            "start_year": "2018",
            "end_year": "2021",
            f"area_{area.id}": "y",
            f"area_{area.id}_number": "5",
            f"goal_{goal.id}": "y",
            f"goal_{goal.id}_number": "5.5",
            "note": "Nästa period",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    new_plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    assert response.location.endswith(f"/plans/{new_plan.id}")
    assert new_plan.status == "draft"
    assert db.session.scalar(select(func.count(Transaction.id))) == before + 1
    entry = db.session.scalar(select(Transaction).order_by(Transaction.id.desc()))
    assert entry.user_id == admin.id and entry.note == "Nästa period"
    new_goal = new_plan.focus_areas[0].sub_goals[0]
    assert new_goal.code == "5.5"
    page = client.get(f"/sub-goals/{new_goal.id}").get_data(as_text=True)
    assert "Delmålets linje 2012–2021" in page
    assert "Pilot 2012–2015" in page and "1.2 Brobyggare" in page


def test_refused_next_plan_keeps_what_was_typed(client, make):
    pilot, area, goal, admin = _world(make)
    client.login(admin.username, PASSWORD)
    response = client.post_form(
        f"/plans/{pilot.id}/next",
        {
            "title": "Min nya plan",
            "start_year": "2018",
            "end_year": "2021",
            f"goal_{goal.id}": "y",
            f"goal_{goal.id}_number": "7.7",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Välj också delmålets fokusområde" in page
    assert 'value="Min nya plan"' in page and 'value="7.7"' in page
    assert db.session.scalar(select(func.count(Plan.id))) == 1


def test_admin_links_and_unlinks_a_separately_imported_plan(client, make):
    pilot, _area, goal, admin = _world(make)
    later_plan = make.plan(strategy=pilot.strategy, start_year=2018, end_year=2021)
    later = make.sub_goal(focus_area=make.focus_area(plan=later_plan), code="5.5", title="Tillit")
    client.login(admin.username, PASSWORD)
    page = client.get(f"/sub-goals/{later.id}/lineage").get_data(as_text=True)
    assert f'<option value="{goal.id}">Pilot 2012–2015: 1.2 Brobyggare</option>' in page
    assert "/lineage" in client.get(f"/sub-goals/{later.id}").get_data(as_text=True)
    refused = client.post_form(f"/sub-goals/{later.id}/lineage", {"continues_id": str(later.id)})
    assert refused.status_code == 422
    assert "plan som började tidigare" in refused.get_data(as_text=True)
    response = client.post_form(f"/sub-goals/{later.id}/lineage", {"continues_id": str(goal.id)})
    assert response.status_code == 302
    assert db.session.get(SubGoalLineage, (later.id, goal.id)) is not None
    page = client.get(f"/sub-goals/{goal.id}").get_data(as_text=True)
    assert "5.5 Tillit" in page
    response = client.post_form(
        f"/sub-goals/{later.id}/lineage/unlink", {"continues_id": str(goal.id)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SubGoalLineage)) == 0
    assert "Delmålets linje" not in client.get(f"/sub-goals/{goal.id}").get_data(as_text=True)


def test_the_line_on_the_as_of_page(client, make):
    pilot, _area, goal, admin = _world(make)
    later_plan = make.plan(strategy=pilot.strategy, start_year=2018, end_year=2021)
    later = make.sub_goal(focus_area=make.focus_area(plan=later_plan), code="5.5", title="Tillit")
    client.login(admin.username, PASSWORD)
    client.post_form(f"/sub-goals/{later.id}/lineage", {"continues_id": str(goal.id)})
    # The as-of page reads the line through the snapshot, without the admin link.
    today = clock.now().strftime("%Y-%m-%dT%H:%M")
    past = client.get(f"/sub-goals/{later.id}?as_of={today}").get_data(as_text=True)
    assert "Delmålets linje" in past and "1.2 Brobyggare" in past
    assert "/lineage" not in past.split("Delmålets linje")[1].split("</section>")[0]


def test_no_buttons_for_those_who_may_not(client, make):
    pilot, _area, goal, _admin = _world(make)
    officer = make.user("officer", boards=goal.boards)
    client.login(officer.username, PASSWORD)
    assert f"/plans/{pilot.id}/next" not in client.get(f"/plans/{pilot.id}").get_data(as_text=True)
    assert "/lineage" not in client.get(f"/sub-goals/{goal.id}").get_data(as_text=True)
    assert client.get(f"/plans/{pilot.id}/next").status_code == 403
    assert db.session.scalar(select(func.count(SubGoal.id))) == 1


def test_links_are_in_the_sub_goals_history_and_the_audit_log(client, make):
    pilot, _area, goal, admin = _world(make)
    later_plan = make.plan(strategy=pilot.strategy, start_year=2018, end_year=2021)
    later = make.sub_goal(focus_area=make.focus_area(plan=later_plan), code="5.5", title="Tillit")
    client.login(admin.username, PASSWORD)
    client.post_form(
        f"/sub-goals/{later.id}/lineage", {"continues_id": str(goal.id), "note": "Samma arbete"}
    )
    client.post_form(f"/sub-goals/{later.id}/lineage/unlink", {"continues_id": str(goal.id)})
    page = client.get(f"/history/sub_goal/{later.id}").get_data(as_text=True)
    assert page.count("Fortsätter delmål") == 2  # linked, then unlinked
    assert "1.2 Brobyggare (Pilot 2012–2015)" in page and "Samma arbete" in page
    audit = client.get("/audit?kind=sub_goal&q=Samma+arbete").get_data(as_text=True)
    assert "Samma arbete" in audit and "Tillit" in audit
