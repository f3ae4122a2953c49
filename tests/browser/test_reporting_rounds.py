"""Reporting rounds and reports: the administrator opens a round, the officer sees it on the
start page; every page on the way passes axe-core's WCAG 2.1 AA rules."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.support import axe_violations, screenshot

PLAN = "Handlingsplan för romsk inkludering 2018–2021"
PLAN_OPTION = f"{PLAN} (2018–2021)"


def test_admin_opens_a_round_and_the_officer_sees_it(page_as, axe, live_server):
    admin = page_as("admin")
    admin.goto("/rounds")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Uppföljningsomgångar")
    screenshot(admin, "rounds")
    assert axe_violations(axe, admin) == []

    admin.get_by_label("Plan", exact=True).select_option(label=PLAN_OPTION)
    admin.get_by_label("År som ska följas upp").fill("2021")
    deadline = live_server.today() + timedelta(days=30)
    admin.get_by_label("Sista dag att rapportera").fill(deadline.isoformat())
    admin.get_by_role("button", name="Öppna omgången").click()
    expect(admin.get_by_text("Uppföljningsomgången är öppnad.")).to_be_visible()
    screenshot(admin, "round")
    assert axe_violations(axe, admin) == []

    officer = page_as("officer")
    officer.goto("/")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(officer.get_by_text(PLAN).first).to_be_visible()
    screenshot(officer, "start")
    assert axe_violations(axe, officer) == []


def test_report_pages(page_as, axe):
    page = page_as("auditor")
    page.goto("/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redovisningar")
    page.get_by_label("Plan", exact=True).select_option(label=PLAN_OPTION)
    page.get_by_role("button", name="Välj plan").click()
    # The second step of the form, with the plan's boards and years, once it has loaded.
    expect(page).to_have_url(re.compile(r"[?&]plan_id=\d+"))
    expect(page.get_by_role("button", name="Visa redovisningen")).to_be_visible()
    screenshot(page, "reports")
    assert axe_violations(axe, page) == []

    page.get_by_role("button", name="Visa redovisningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN)
    screenshot(page, "report")
    assert axe_violations(axe, page) == []
