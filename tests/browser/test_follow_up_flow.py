"""The officer's yearly follow-up, end to end: filter the matrix, edit a cell inline with htmx
(a refused save, then its correction), see the cell change; the auditor then sees the matrix
as it was the day before.

These tests change the demo data of the shared server: each uses its own matrix cell.
"""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.support import axe_violations, screenshot, tab_to

BOARD = "Social- och omsorgsnämnden"
NOT_SAVED = "Uppföljningen sparades inte."
NOTE = "Beslut i nämnden att avbryta insatsen"


def _cell(page: Page, code: str, year: int):
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader").filter(has_text=re.compile(rf"^{re.escape(code)} "))
    )
    return row.locator(f'td[id$="-{year}"]')


def _filter_by_board(page: Page) -> None:
    page.goto("/matrix")
    expect(page.get_by_role("heading", level=1)).to_have_text("Målmatris")
    page.get_by_label("Ansvarig nämnd").select_option(label=BOARD)
    # The filter form is swapped in by htmx and pushed to the address bar.
    expect(page).to_have_url(re.compile(r"[?&]board=\d+"))
    boards = page.locator("tbody td.col-board")
    expect(boards.first).to_be_visible()
    for text in boards.all_inner_texts():
        assert BOARD in text


def test_officer_reports_a_follow_up_in_the_matrix(page_as, browser, axe, live_server):
    page = page_as("officer")
    _filter_by_board(page)
    cell = _cell(page, "4.1", 2019)
    expect(cell).to_contain_text("Pågår")

    cell.get_by_role("button").click()  # the cell's details, with its links
    expect(cell.get_by_role("button")).to_have_attribute("aria-expanded", "true")
    cell.get_by_role("link", name="Redigera 4.1 2019").click()
    editor = page.get_by_role("complementary", name="Redigering")
    expect(editor.get_by_role("heading", name="Uppföljning 2019 för delmål 4.1")).to_be_focused()

    # Cancelled without a reason for the deviation: refused, and said so.
    editor.get_by_label("Status").select_option(label="Avbruten")
    editor.get_by_label("Orsak till avvikelse").select_option(label="– Ingen avvikelse –")
    editor.get_by_role("button", name="Spara").click()
    summary = editor.get_by_role("alert").filter(has_text="Uppföljningen sparades inte")
    expect(summary).to_be_focused()
    expect(page.locator("#live-region")).to_have_text(NOT_SAVED)
    reason = editor.get_by_label("Orsak till avvikelse")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile("Ange orsak till avvikelsen"))
    expect(cell).to_contain_text("Pågår")
    screenshot(page, "follow-up-edit-error")
    assert axe_violations(axe, page) == []

    # Corrected: saved, the cell shows the new status and keeps the focus.
    reason.select_option(label="Förskjuten tidsplan")
    editor.get_by_label("Beskrivning av avvikelsen").fill("Insatsen flyttas till nästa plan.")
    editor.get_by_label("Ändringsanteckning (valfri)").fill(NOTE)
    editor.get_by_role("button", name="Spara").click()
    expect(page.locator("#live-region")).to_have_text("Uppföljningen 4.1 2019 sparades.")
    expect(cell).to_contain_text("Avbruten")
    expect(cell.get_by_role("button")).to_be_focused()
    expect(cell).to_contain_text("Förskjuten tidsplan")  # the details of the focused cell
    expect(editor).to_be_hidden()
    screenshot(page, "matrix-after-save")

    # The auditor finds the change in the audit log, with who and why, and its diff.
    auditor = page_as("auditor")
    auditor.goto("/audit")
    expect(auditor.get_by_role("heading", level=1)).to_have_text("Granskningslogg")
    change = auditor.get_by_role("row").filter(has_text=NOTE)
    expect(change).to_contain_text("Demo Tjänsteperson")
    screenshot(auditor, "audit-log")
    assert axe_violations(axe, auditor) == []
    change.get_by_role("link", name="Delmål 4.1, 2019").click()
    expect(auditor.get_by_role("heading", level=1)).to_contain_text("Historik")
    latest = auditor.locator("li.version").first
    expect(latest).to_contain_text(NOTE)
    expect(latest.locator("del").filter(has_text="Pågår")).to_be_visible()
    expect(latest.locator("ins").filter(has_text="Avbruten")).to_be_visible()
    expect(latest.locator("ins").filter(has_text="Förskjuten tidsplan")).to_be_visible()
    screenshot(auditor, "history")
    assert axe_violations(axe, auditor) == []

    # The version before, on the page as it looked then.
    auditor.locator("li.version").nth(1).get_by_role(
        "link", name="Visa sidan som den såg ut då"
    ).click()
    expect(auditor.get_by_text("Sidan är skrivskyddad.")).to_be_visible()
    screenshot(auditor, "sub-goal-as-of")
    assert axe_violations(axe, auditor) == []

    # The matrix as it stood yesterday: the change is not there yet.
    yesterday = live_server.today() - timedelta(days=1)
    auditor.goto(f"/matrix?as_of={yesterday.isoformat()}")
    expect(auditor.get_by_role("note")).to_contain_text("Historiskt läge")
    expect(_cell(auditor, "4.1", 2019)).to_contain_text("Pågår")
    expect(
        _cell(auditor, "4.1", 2019).get_by_role("link", name=re.compile("Redigera"))
    ).to_have_count(0)
    screenshot(auditor, "matrix-as-of")
    assert axe_violations(axe, auditor) == []
    auditor.goto("/matrix")
    expect(_cell(auditor, "4.1", 2019)).to_contain_text("Avbruten")


def test_follow_up_edit_with_the_keyboard_only(page_as):
    """Tab, Enter, Space and typing: no mouse. Focus follows each htmx swap, and the outcome
    is announced in the live region."""
    page = page_as("officer")
    _filter_by_board(page)
    cell = _cell(page, "4.1", 2018)
    expect(cell).to_contain_text("Pågår")
    page.locator("body").focus()

    tab_to(page, cell.get_by_role("button"))
    page.keyboard.press("Enter")  # opens the cell's details
    tab_to(page, cell.get_by_role("link", name="Redigera 4.1 2018"))
    page.keyboard.press("Enter")
    editor = page.get_by_role("complementary", name="Redigering")
    expect(editor.get_by_role("heading", name="Uppföljning 2018 för delmål 4.1")).to_be_focused()

    status = editor.get_by_label("Status")
    tab_to(page, status)
    page.keyboard.type("Avbruten")  # a closed select picks the option typed
    expect(status).to_have_value("cancelled")
    tab_to(page, editor.get_by_label("Orsak till avvikelse"))
    page.keyboard.type("– Ingen")
    tab_to(page, editor.get_by_role("button", name="Spara"))
    page.keyboard.press("Enter")

    summary = editor.get_by_role("alert").filter(has_text="Uppföljningen sparades inte")
    expect(summary).to_be_focused()
    expect(page.locator("#live-region")).to_have_text(NOT_SAVED)

    reason = editor.get_by_label("Orsak till avvikelse")
    tab_to(page, reason)
    page.keyboard.type("Resurs")
    expect(reason).to_have_value("resources")
    tab_to(page, editor.get_by_label("Beskrivning av avvikelsen"))
    page.keyboard.type("Ingen personal under året.")
    tab_to(page, editor.get_by_role("button", name="Spara"))
    page.keyboard.press("Space")

    expect(page.locator("#live-region")).to_have_text("Uppföljningen 4.1 2018 sparades.")
    expect(cell).to_contain_text("Avbruten")
    expect(cell.get_by_role("button")).to_be_focused()
    page.keyboard.press("Escape")
    expect(cell.locator("#cell-details")).to_have_count(0)
