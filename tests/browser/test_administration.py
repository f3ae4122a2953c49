"""Account administration pages pass axe-core's WCAG 2.1 AA rules."""

from playwright.sync_api import expect

from tests.browser.support import axe_violations, screenshot


def test_user_administration_pages(page_as, axe):
    page = page_as("admin")
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Användare")
    screenshot(page, "admin-users")
    assert axe_violations(axe, page) == []

    page.get_by_role("link", name="Ändra viewer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ändra konto")
    screenshot(page, "admin-user-edit")
    assert axe_violations(axe, page) == []

    page.get_by_role("link", name="Användare").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Användare")
    page.get_by_role("link", name="Nytt konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt konto")
    page.get_by_role("button").filter(has_text="Spara").first.click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    screenshot(page, "admin-user-new-errors")
    assert axe_violations(axe, page) == []
