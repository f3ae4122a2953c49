"""Every page type passes axe-core's WCAG 2.1 A and AA rules, in Swedish and in English."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import axe_violations, screenshot


def _plan(page: Page) -> None:
    page.goto("/plans")
    page.get_by_role("link", name="Handlingsplan för romsk inkludering 2018–2021").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("romsk inkludering")


def _sub_goal(page: Page) -> None:
    _plan(page)
    page.get_by_role("row").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delmål")


def _plans(page: Page) -> None:
    page.goto("/plans")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategier och handlingsplaner")


def _sub_goal_as_of(page: Page) -> None:
    """The sub-goal page as it stood: the same template, read-only, with its banner."""
    _sub_goal(page)
    page.goto(page.url + "?as_of=2020-12-31")
    expect(page.locator(".as-of-banner")).to_contain_text("Visar läget per 2020-12-31")


def _not_found(page: Page) -> None:
    response = page.goto("/plans/987654")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")


def _matrix(page: Page) -> None:
    page.goto("/matrix")
    expect(page.get_by_role("heading", level=1)).to_have_text("Målmatris")


def _matrix_meeting(page: Page) -> None:
    _matrix(page)
    page.get_by_role("link", name="Mötesläge").click()
    expect(page.get_by_role("link", name="Lämna mötesläget")).to_be_visible()


def _open_cell(page: Page, code: str, year: int) -> None:
    """A matrix cell's details, where its links are."""
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader").filter(has_text=re.compile(rf"^{re.escape(code)} "))
    )
    row.locator(f'td[id$="-{year}"] > button').click()


def _matrix_cell_details(page: Page) -> None:
    _matrix(page)
    _open_cell(page, "5.6", 2020)
    expect(page.locator("#cell-details")).to_contain_text("Orsak:")


def _matrix_changes_since(page: Page) -> None:
    page.goto("/matrix?meeting=1&since=2020-06-01")
    expect(page.get_by_role("heading", name="Ändringar sedan 2020-06-01")).to_be_visible()
    page.locator("table.matrix td > button.c").first.focus()
    expect(page.locator("#cell-details")).to_contain_text("Ändrad av")


def _follow_up(page: Page) -> None:
    _matrix(page)
    _open_cell(page, "4.2", 2020)
    page.get_by_role("link", name="Visa uppföljningen 4.2 2020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2020 för delmål 4.2")


def _follow_up_edit(page: Page) -> None:
    """The edit form as a page of its own (no JavaScript needed)."""
    _matrix(page)
    _open_cell(page, "4.2", 2018)
    href = page.get_by_role("link", name="Redigera 4.2 2018").get_attribute("href")
    page.goto(href)
    expect(page.get_by_role("button", name="Spara")).to_be_visible()


def _start(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Dina nämnders delmål")).to_be_visible()


def _sub_goal_line(page: Page) -> None:
    """A sub-goal that continues the pilot plan's bridge-builder work: its line."""
    _plan(page)
    page.get_by_role("link", name=re.compile(r"^5\.5 ")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Delmålets linje 2012–2021"))
    ).to_be_visible()


def _matrix_lines(page: Page) -> None:
    page.goto("/matrix?plan=all")
    page.get_by_label("En rad per linje").check()
    expect(page.get_by_text("(tidigare 1.2)").first).to_be_visible()


def _report_earlier(page: Page) -> None:
    _plan(page)
    page.goto(page.url + "/report?earlier=y")
    expect(page.get_by_text("Tidigare år:").first).to_be_visible()


SIGNED_IN_PAGES = {
    "start": _start,
    "plans": _plans,
    "plan": _plan,
    "sub-goal": _sub_goal,
    "sub-goal-as-of": _sub_goal_as_of,
    "not-found": _not_found,
    "matrix": _matrix,
    "matrix-meeting": _matrix_meeting,
    "matrix-cell-details": _matrix_cell_details,
    "matrix-changes-since": _matrix_changes_since,
    "follow-up": _follow_up,
    "follow-up-edit": _follow_up_edit,
    "sub-goal-line": _sub_goal_line,
    "matrix-lines": _matrix_lines,
    "report-earlier": _report_earlier,
}


def _structure(page: Page) -> None:
    _plan(page)
    page.get_by_role("link", name="Redigera planens struktur").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Struktur:")


def _plan_new_with_errors(page: Page) -> None:
    page.goto("/plans")
    page.get_by_role("link", name="Ny handlingsplan").click()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()


def _focus_area_new(page: Page) -> None:
    _structure(page)
    page.get_by_role("link", name="Nytt fokusområde").click()
    expect(page.get_by_label("Nummer", exact=True)).to_have_attribute(
        "placeholder", re.compile(".")
    )


def _structure_inline_editor(page: Page) -> None:
    """The sub-goal editor opened inside the structure page (htmx), with its messages."""
    _structure(page)
    page.get_by_role("link", name=re.compile("^Nytt delmål")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Nytt delmål i"))).to_be_focused()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#structure-editor [aria-invalid=true]").first).to_be_visible()


def _sub_goal_edit(page: Page) -> None:
    _sub_goal(page)
    page.get_by_role("link", name="Ändra delmålet").click()
    expect(page.get_by_role("group", name="Involverade nämnder")).to_be_visible()


def _strategy_edit(page: Page) -> None:
    page.goto("/plans")
    page.get_by_role("link", name=re.compile("^Ändra strategin")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra strategi")


def _next_plan(page: Page) -> None:
    _plan(page)
    page.get_by_role("link", name="Starta nästa plan från den här").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Starta nästa plan")
    expect(page.get_by_label("Nummer i nya planen (delmål 5.11)")).to_have_value("5.11")
    expect(page.get_by_label("Den nya planens titel")).to_have_value(
        "Handlingsplan för romsk inkludering 2022–2025"
    )


def _next_plan_refused(page: Page) -> None:
    """Sent back with the messages: a blank title, and a sub-goal without its focus area."""
    _next_plan(page)
    page.get_by_label("Den nya planens titel").fill("")
    page.get_by_label("Fokusområde 4. Rätten till jämlika villkor").uncheck()
    page.get_by_role("button", name="Skapa den nya planen").click()
    expect(page.get_by_text("Ange planens titel.")).to_be_visible()


def _lineage_links(page: Page) -> None:
    _sub_goal_line(page)
    page.get_by_role("link", name="Koppla till tidigare delmål").click()
    expect(page.get_by_role("button", name="Ta bort kopplingen 1.2")).to_be_visible()


def _boards(page: Page) -> None:
    page.goto("/boards")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nämnder och bolag")


def _board_new_with_errors(page: Page) -> None:
    page.goto("/boards/new")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".field-error").first).to_contain_text("Ange nämndens namn.")


def _board_edit(page: Page) -> None:
    _boards(page)
    page.get_by_role("link", name="Ändra Social- och omsorgsnämnden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ändra Social")


def _board_reorganise_with_errors(page: Page) -> None:
    _boards(page)
    page.get_by_role("link", name="Omorganisera Social- och omsorgsnämnden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Omorganisera")
    page.get_by_role("button", name="Flytta ansvaret").click()
    expect(page.locator(".field-error").first).to_be_visible()


# The pages only administrators reach (the plan page with its lifecycle buttons among
# them): setting up plans, boards and reorganisations, lineage.
ADMIN_PAGES = {
    "plans-admin": _plans,
    "plan-admin": _plan,
    "plan-structure": _structure,
    "plan-structure-inline-editor": _structure_inline_editor,
    "plan-new-errors": _plan_new_with_errors,
    "focus-area-new": _focus_area_new,
    "sub-goal-edit": _sub_goal_edit,
    "strategy-edit": _strategy_edit,
    "next-plan": _next_plan,
    "next-plan-refused": _next_plan_refused,
    "lineage-links": _lineage_links,
    "boards": _boards,
    "board-new-errors": _board_new_with_errors,
    "board-edit": _board_edit,
    "board-reorganise-errors": _board_reorganise_with_errors,
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page(page_as, axe, name):
    page = page_as("admin")
    ADMIN_PAGES[name](page)
    screenshot(page, name)
    assert axe_violations(axe, page) == []


def test_sign_in_page(page: Page, axe):
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    screenshot(page, "sign-in")
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page(page_as, axe, name):
    page = page_as("officer")
    SIGNED_IN_PAGES[name](page)
    screenshot(page, name)
    assert axe_violations(axe, page) == []


def test_pages_in_english(page_as, axe):
    page = page_as("viewer", locale="en-GB")
    page.goto("/plans")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies and action plans")
    screenshot(page, "plans-en")
    assert axe_violations(axe, page) == []

    page.goto("/matrix")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goal matrix")
    expect(page.get_by_label("Responsible board")).to_be_visible()
    screenshot(page, "matrix-en")
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("name", ["plans", "sub-goal", "follow-up-edit"])
def test_pages_reflow_on_a_narrow_screen(page_as, name):
    """WCAG 1.4.10: at 320 CSS pixels (400 % zoom) nothing needs scrolling sideways."""
    page = page_as("officer", viewport={"width": 320, "height": 640})
    SIGNED_IN_PAGES[name](page)
    screenshot(page, f"{name}-narrow")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_integrity_page_and_verify_now(page_as, axe):
    page = page_as("auditor")
    page.goto("/audit")
    page.get_by_role(
        "link", name="Historikens integritet: senaste verifiering och kontrollpunkt"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Historikens integritet")
    expect(page.get_by_text("✓ Ja")).to_be_visible()
    assert axe_violations(axe, page) == []
    page.get_by_role("button", name="Verifiera nu").click()
    # The request returns at once: the page shows the running verification (or, on data
    # this small, already its result) and polls while it runs.
    started = page.get_by_text(re.compile("Verifiering pågår|Godkänd: inga avvikelser"))
    expect(started.first).to_be_visible()
    expect(page.get_by_text("Godkänd: inga avvikelser")).to_be_visible(timeout=30_000)
    screenshot(page, "integrity")
    assert axe_violations(axe, page) == []


def test_plan_import_preview_and_its_refused_confirmation(page_as, axe, tmp_path):
    """The admin's import preview with a new board and an ignored column, and the
    confirmation sent without confirming the board (nothing is written: the demo data stay
    as the tests that follow expect)."""
    page = page_as("admin")
    page.goto("/plans/import")
    template = tmp_path / "mall.xlsx"
    template.write_bytes(page.request.get("/plans/import/template.xlsx").body())
    page.get_by_label("Excelfil").set_input_files(str(template))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Nya nämnder")).to_be_visible()
    screenshot(page, "plan-import-preview")
    assert axe_violations(axe, page) == []

    page.get_by_role("button", name="Spara planen").click()
    expect(page.locator("#confirm-create_boards-error")).to_contain_text(
        "Okänd nämnd: Kulturnämnden."
    )
    screenshot(page, "plan-import-refused")
    assert axe_violations(axe, page) == []
