from sqlalchemy import func, select
from sqlalchemy_continuum import version_class

from intranet.demo.loader import load_demo
from intranet.extensions import db
from intranet.models import FollowUp, Plan, SubGoal, Transaction, User
from tests.conftest import DEMO_PASSWORD

SEED_CODES = [
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
    "5.5",
    "5.6",
    "5.7",
    "5.8",
    "5.9",
    "5.11",
]


def _counts():
    tables = [table for table in db.metadata.sorted_tables]
    with db.engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar() for t in tables
        }


def test_demo_loader_is_idempotent(demo):
    before = _counts()
    report = load_demo(DEMO_PASSWORD)
    assert report.created == 0
    assert _counts() == before


def test_demo_has_every_sub_goal_of_the_seed_in_natural_order(demo):
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    codes = [sub_goal.code for area in plan.focus_areas for sub_goal in area.sub_goals]
    assert codes == SEED_CODES
    titles = {s.code: s.title for area in plan.focus_areas for s in area.sub_goals}
    assert titles["4.5"] == "Utveckla brukarmedverkan."
    assert titles["5.7"] == "De romska brobyggarna ska finnas tillgängliga på BVC vid behov"
    assert all(
        s.boards[0].name == "Social- och omsorgsnämnden"
        for area in plan.focus_areas
        for s in area.sub_goals
    )
    assert all(
        "Vårt Nygård (Leanlink Råd och stöd)" in [t.name for t in s.tags("unit")]
        for area in plan.focus_areas
        for s in area.sub_goals
    )


def test_demo_follow_ups_tell_the_covid_story(demo):
    follow_ups = db.session.scalars(select(FollowUp).join(SubGoal)).all()
    by_key = {
        (f.sub_goal.code, f.year): f for f in follow_ups if f.sub_goal.plan.start_year == 2018
    }
    assert len(by_key) == 64
    assert by_key[("5.6", 2020)].status == "cancelled"
    assert "pandemin" in by_key[("5.6", 2020)].deviation_text
    assert by_key[("5.8", 2021)].deviation_reason == "partner"
    assert by_key[("4.5", 2021)].status == "not_done"
    covid = [f for f in by_key.values() if f.deviation_reason == "external"]
    assert covid and all(f.year in (2020, 2021) for f in covid)


def test_demo_history_names_demo_users_and_keeps_revisions(demo):
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    notes = db.session.scalars(
        select(Transaction.note).where(Transaction.user_id == officer.id)
    ).all()
    assert "Demo: uppföljning 2018" in notes
    FollowUpVersion = version_class(FollowUp)
    revised = db.session.scalar(
        select(func.count())
        .select_from(FollowUpVersion)
        .join(SubGoal, SubGoal.id == FollowUpVersion.sub_goal_id)
        .where(SubGoal.code == "5.1", FollowUpVersion.year == 2020)
    )
    assert revised == 2


def test_demo_accounts_sign_in(client, demo):
    client.login("officer", DEMO_PASSWORD)
    page = client.get("/plans").get_data(as_text=True)
    assert "Handlingsplan för romsk inkludering 2018–2021" in page
