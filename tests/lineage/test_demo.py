"""The demo's pilot plan 2012–2015 and plan 2018–2021 are linked where the later continues
the earlier, and the line is on the sub-goal page, now and as of a date."""

from sqlalchemy import select

from intranet.demo import data
from intranet.extensions import db
from intranet.models import FocusArea, Plan, SubGoal, SubGoalLineage
from tests.conftest import DEMO_PASSWORD


def _goal(start_year: int, code: str) -> SubGoal:
    return db.session.scalar(
        select(SubGoal)
        .join(FocusArea)
        .join(Plan)
        .where(Plan.start_year == start_year, SubGoal.code == code)
    )


def test_demo_links_the_plans_where_the_later_continues_the_earlier(demo):
    links = {
        (
            link.sub_goal.plan.start_year,
            link.sub_goal.code,
            link.continues.plan.start_year,
            link.continues.code,
        )
        for link in db.session.scalars(select(SubGoalLineage))
    }
    assert links == {(2018, code, 2012, pilot) for code, pilot in data.LINEAGE}
    # The bridge-builders' work of the pilot carries on in the 2018–2021 plan.
    assert "brobyggar" in _goal(2012, "1.2").title.lower()
    assert ("5.5", "1.2") in data.LINEAGE


def test_demo_sub_goal_page_shows_the_line_now_and_as_of(client, demo):
    client.login("officer", DEMO_PASSWORD)
    bridge = _goal(2018, "5.5")
    page = client.get(f"/sub-goals/{bridge.id}").get_data(as_text=True)
    assert "Delmålets linje 2012–2021" in page
    assert "Pilotkommun för romsk inkludering 2012–2015" in page
    assert "1.2 Utveckla brobyggarnas arbete tillsammans med skola och familjecentral" in page
    # The pilot was followed up by its activities, all recorded as done.
    assert "Aktiviteter: 4 av 4 genomförda" in page
    pilot = _goal(2012, "1.2")
    page = client.get(f"/sub-goals/{pilot.id}").get_data(as_text=True)
    assert "5.5 Utveckla arbetet med tillitsskapande" in page and "5.8 Etablera samarbete" in page
    # Before the 2018 plan was set up, the pilot goal had no continuation.
    before = client.get(f"/sub-goals/{pilot.id}?as_of=2017-12-31").get_data(as_text=True)
    assert "Delmålets linje" not in before
    after = client.get(f"/sub-goals/{pilot.id}?as_of=2018-03-01").get_data(as_text=True)
    assert "Delmålets linje 2012–2021" in after


def test_loading_the_demo_again_adds_no_links(demo):
    from intranet.demo.loader import load_demo

    count = len(db.session.scalars(select(SubGoalLineage)).all())
    assert load_demo(DEMO_PASSWORD).created == 0
    assert len(db.session.scalars(select(SubGoalLineage)).all()) == count == len(data.LINEAGE)
