"""Setting up a plan with the keyboard only: Tab to reach a control, typing, and Enter."""

import re

from playwright.sync_api import Page, expect

from tests.browser.support import tab_to


def _tab_and_type(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    tab_to(page, field)
    page.keyboard.type(text)


def _follow(page: Page, name: str) -> None:
    link = page.get_by_role("link", name=name, exact=True)
    tab_to(page, link)
    page.keyboard.press("Enter")


def _new_sub_goal(page: Page, title: str) -> None:
    _follow(page, "Nytt delmål i fokusområde 1")
    # The editor opens in the structure page, with the focus on its heading.
    expect(page.get_by_role("heading", name="Nytt delmål i fokusområde 1")).to_be_focused()
    _tab_and_type(page, "Titel", title)
    # A closed select takes typed letters as the option to choose.
    _tab_and_type(page, "Ansvarig nämnd", "Utbildning")
    _tab_and_type(page, "Målgrupp", "Barn; Unga")
    # Enter in a one-line field sends the form (in the title, a text area, it is a new line).
    _tab_and_type(page, "Ändringsanteckning (valfri)", "Nytt delmål")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_an_admin_sets_up_a_plan_by_keyboard(page_as):
    page = page_as("admin")
    page.goto("/plans")
    _follow(page, "Ny handlingsplan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny handlingsplan")
    _tab_and_type(page, "Titel", "Tangentbordsplanen 2024–2026")
    _tab_and_type(page, "Strategi", "En samordnad")
    _tab_and_type(page, "Startår", "2024")
    _tab_and_type(page, "Slutår", "2026")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Struktur: Tangentbordsplanen 2024–2026"
    )
    expect(page.get_by_text("Utkast", exact=False).first).to_be_visible()
    _follow(page, "Nytt fokusområde")
    expect(
        page.get_by_role("heading", name="Nytt fokusområde i Tangentbordsplanen 2024–2026")
    ).to_be_focused()
    # The number may be left blank: the field proposes the next one.
    expect(page.get_by_label("Nummer", exact=True)).to_have_attribute("placeholder", "1")
    _tab_and_type(page, "Titel", "Utbildning")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Fokusområde 1. Utbildning")).to_be_visible()

    _new_sub_goal(page, "Fler barn går i förskola")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delmål 1.1: Fler barn går i förskola"
    )
    _follow(page, "Tangentbordsplanen 2024–2026")
    _follow(page, "Redigera planens struktur")
    _new_sub_goal(page, "Fler unga fullföljer gymnasiet")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delmål 1.2: Fler unga fullföljer gymnasiet"
    )
    expect(page.locator(".facts")).to_contain_text("Barn, Unga")

    _follow(page, "Lägg till aktivitet")
    expect(page.get_by_role("heading", name="Ny aktivitet för delmål 1.2")).to_be_focused()
    _tab_and_type(page, "Aktivitet", "Läxhjälp två kvällar i veckan")
    _tab_and_type(page, "Ansvarig enhet", "Vårt Nygård")
    page.keyboard.press("Enter")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Läxhjälp två kvällar i veckan")
    )
    expect(row).to_contain_text("2024–2026")
    expect(row).to_contain_text("Vårt Nygård")
    expect(page).to_have_url(re.compile(r"/sub-goals/\d+$"))
