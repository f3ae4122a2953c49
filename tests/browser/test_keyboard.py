"""Keyboard use: sign in and reach the content with Tab and Enter only."""

import re

from playwright.sync_api import Page, expect

from tests.browser.support import DEMO_PASSWORD


def test_sign_in_and_skip_to_the_content_with_the_keyboard(page: Page):
    page.goto("/login")
    # The username field has autofocus: typing starts right away.
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategier och handlingsplaner")

    # On every page the first Tab reaches the skip link, which takes focus past the header.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main a").first).to_be_focused()


FOCUS_INDICATOR = """() => {
  const style = getComputedStyle(document.activeElement);
  return {
    tag: document.activeElement.tagName,
    text: document.activeElement.textContent.trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
  };
}"""


def test_every_focused_control_shows_a_focus_indicator(page_as):
    """WCAG 2.4.7: walk the sub-goal page with Tab; each stop is visibly focused."""
    page = page_as("officer")
    page.goto("/plans")
    page.get_by_role("link", name="Handlingsplan för romsk inkludering 2018–2021").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("romsk inkludering")
    page.get_by_role("row").get_by_role("link").first.click()
    # Tab only once the sub-goal page is there: pressed during the navigation, focus stays
    # on the old page's body and the walk finds no stops.
    expect(page).to_have_url(re.compile(r"/sub-goals/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delmål")
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_INDICATOR)
        if stop["tag"] == "BODY":
            break  # past the last control: focus went to the browser
        stops.append(stop)
    missing = [stop for stop in stops if not (stop["outline"] or stop["shadow"])]
    assert not missing, missing
    assert len({stop["text"] for stop in stops}) > 5, "Tab did not move through the page"
