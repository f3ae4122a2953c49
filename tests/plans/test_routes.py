import re

from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES


def test_plan_page_lists_sub_goals_in_natural_order(client, demo):
    client.login("officer", DEMO_PASSWORD)
    page = client.get("/plans").get_data(as_text=True)
    plan_url = re.search(r'href="(/plans/\d+)">Handlingsplan för romsk inkludering', page).group(1)
    page = client.get(plan_url).get_data(as_text=True)
    assert re.findall(r">(\d+\.\d+) ", page) == SEED_CODES
    assert "Rätten till jämlika villkor" in page
    assert "Social- och omsorgsnämnden" in page


def test_sub_goal_page_shows_follow_ups_and_tags(client, make):
    follow_up = make.follow_up(
        status="cancelled",
        deviation_reason="external",
        deviation_text="Pandemin stoppade grupperna.",
        outcome="Inget",
    )
    viewer = make.user("viewer")
    client.login(viewer.username)
    page = client.get(f"/sub-goals/{follow_up.sub_goal_id}").get_data(as_text=True)
    assert "Avbruten" in page
    assert "Pandemin stoppade grupperna." in page


def test_unknown_plan_is_404(client, make):
    client.login(make.user("viewer").username)
    assert client.get("/plans/999").status_code == 404
    assert "Sidan finns inte" in client.get("/plans/999").get_data(as_text=True)
