"""The report can show a continued sub-goal's earlier years."""

import io

from docx import Document
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import FocusArea, Plan, SubGoal
from intranet.reports.queries import build_report
from tests.conftest import DEMO_PASSWORD


def _plan_2018() -> Plan:
    return db.session.scalar(select(Plan).where(Plan.start_year == 2018))


def test_report_shows_earlier_years_only_when_asked(demo):
    plan = _plan_2018()
    report = build_report(plan.id, earlier=True)
    by_code = {sub_goal.code: sub_goal for sub_goal in report.sub_goals}
    bridge = by_code["5.5"]
    assert [earlier.code for earlier in bridge.earlier] == ["1.2"]
    assert bridge.earlier[0].plan_title == "Pilotkommun för romsk inkludering 2012–2015"
    assert by_code["4.1"].earlier == []
    assert all(sub_goal.earlier == [] for sub_goal in build_report(plan.id).sub_goals)


def test_earlier_years_carry_the_earlier_plans_statuses(demo, make):
    pilot_goal = db.session.scalar(
        select(SubGoal)
        .join(FocusArea)
        .join(Plan)
        .where(Plan.start_year == 2012, SubGoal.code == "1.2")
    )
    make.follow_up(sub_goal=pilot_goal, year=2013, status="done")
    make.follow_up(sub_goal=pilot_goal, year=2014, status="ongoing")
    report = build_report(_plan_2018().id, earlier=True)
    bridge = next(sub_goal for sub_goal in report.sub_goals if sub_goal.code == "5.5")
    assert bridge.earlier[0].years == [(2013, "Genomförd"), (2014, "Pågår")]
    assert bridge.earlier[0].text == (
        "1.2 (Pilotkommun för romsk inkludering 2012–2015): 2013 Genomförd, 2014 Pågår"
    )


def test_report_page_and_docx_show_the_earlier_years(client, demo, make):
    plan = _plan_2018()
    client.login("officer", DEMO_PASSWORD)
    page = client.get(f"/plans/{plan.id}/report?earlier=y").get_data(as_text=True)
    assert "Tidigare år" in page
    assert "1.2 (Pilotkommun för romsk inkludering 2012–2015): ingen uppföljning" in page
    assert '<input id="filter-earlier" name="earlier" type="checkbox" value="y" checked>' in page
    assert "earlier=y" in page  # the file links keep the option
    assert "Tidigare år" not in client.get(f"/plans/{plan.id}/report").get_data(as_text=True)
    docx = client.get(f"/plans/{plan.id}/report.docx?earlier=y")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Tidigare år: 1.2 (Pilotkommun för romsk inkludering 2012–2015)" in text
    chosen = client.get(f"/reports?plan_id={plan.id}&earlier=y")
    assert chosen.status_code == 302 and "earlier=y" in chosen.location
