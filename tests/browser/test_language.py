"""Language in a real browser: Accept-Language, and a per-user choice that outlives the session."""

from playwright.sync_api import Page, expect

from tests.browser.support import DEMO_PASSWORD, sign_in


def test_an_english_browser_gets_english(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "locale": "en-US"})
    page = context.new_page()
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Username")).to_be_visible()
    context.close()


def test_the_user_chooses_english_and_keeps_it(page: Page, browser, browser_context_args):
    sign_in(page, "admin")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # The choice is the user's: a new browser session, still Swedish-speaking, gets English.
    other = browser.new_context(**browser_context_args)
    other_page = other.new_page()
    other_page.goto("/login")
    other_page.get_by_label("Användarnamn").fill("admin")
    other_page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    other_page.get_by_role("button", name="Logga in").click()
    expect(other_page.get_by_role("button", name="Sign out")).to_be_visible()
    other.close()

    # Back to Swedish: the demo users are shared by the whole browser session.
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
