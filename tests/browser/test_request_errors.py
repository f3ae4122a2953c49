"""A failed htmx request is never silent: refused for the write rate (429), for a lost
permission (403), for a too-large upload (413) or lost on the way (network), the form
that sent it says why inside itself, announced (role=alert), keeps what the user typed,
and the next successful request from it takes the message away."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, delete, select

from intranet.models import User, WriteCount
from tests.browser.support import axe_violations, screenshot

BOARD = "Social- och omsorgsnämnden"
PLAN_OPTION = "Handlingsplan för romsk inkludering 2018–2021 (2018–2021)"
TYPED = "Text som inte får försvinna"


def _open_editor(page: Page, code: str, year: int):
    page.goto("/matrix")
    page.get_by_label("Ansvarig nämnd").select_option(label=BOARD)
    expect(page).to_have_url(re.compile(r"[?&]board=\d+"))
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader").filter(has_text=re.compile(rf"^{re.escape(code)} "))
    )
    cell = row.locator(f'td[id$="-{year}"]')
    cell.get_by_role("button").click()
    cell.get_by_role("link", name=f"Redigera {code} {year}").click()
    editor = page.get_by_role("complementary", name="Redigering")
    expect(
        editor.get_by_role("heading", name=f"Uppföljning {year} för delmål {code}")
    ).to_be_visible()
    editor.get_by_label("Ändringsanteckning (valfri)").fill(TYPED)
    return editor


def _error_in_form(editor, text):
    alert = editor.locator("form").get_by_role("alert").filter(has_text=text)
    expect(alert).to_be_visible()
    expect(editor.get_by_label("Ändringsanteckning (valfri)")).to_have_value(TYPED)
    return alert


def _saved(page: Page, editor, code: str, year: int) -> None:
    editor.get_by_role("button", name="Spara").click()
    expect(page.locator("#live-region")).to_have_text(f"Uppföljningen {code} {year} sparades.")
    expect(page.locator("[data-request-error]")).to_have_count(0)


def test_a_network_error_and_the_write_limit_are_said_in_the_form(page_as, live_server, axe):
    page = page_as("officer")
    editor = _open_editor(page, "4.1", 2020)

    # The network is down: nothing reaches the server.
    page.route(
        "**/follow-ups/**",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    editor.get_by_role("button", name="Spara").click()
    _error_in_form(editor, "Det gick inte att spara. Försök igen.")
    screenshot(page, "request-error-network")
    assert axe_violations(axe, page) == []
    page.unroute("**/follow-ups/**")

    # More writes than WRITE_RATE_LIMIT (120 a minute) allows: refused, and says how long to wait.
    token = editor.locator("input[name=csrf_token]").input_value()
    for _ in range(121):
        page.request.post(
            "/language",
            form={"language": "sv", "next": "/"},
            headers={"X-CSRFToken": token},
            max_redirects=0,
        )
    try:
        editor.get_by_role("button", name="Spara").click()
        alert = _error_in_form(editor, re.compile(r"Vänta \d+ sekunder och spara sedan igen"))
        expect(alert).to_contain_text("det du skrev finns kvar")
        expect(editor.locator("[data-request-error]")).to_have_count(1)  # replaced, not added
        screenshot(page, "request-error-rate-limit")
    finally:
        engine = create_engine(live_server.database_url)
        with engine.begin() as connection:
            officer = connection.scalar(select(User.id).where(User.username == "officer"))
            connection.execute(delete(WriteCount).where(WriteCount.user_id == officer))
        engine.dispose()

    _saved(page, editor, "4.1", 2020)


def _set_officer_boards(admin: Page, keep: bool) -> None:
    admin.goto("/admin/users")
    admin.get_by_role("link", name="Ändra officer").click()
    box = admin.get_by_role("checkbox", name=BOARD)
    box.check() if keep else box.uncheck()
    admin.get_by_role("button", name="Spara").click()
    expect(admin.locator(".flash")).to_be_visible()


def test_a_lost_permission_is_said_in_the_form(page_as):
    page = page_as("officer")
    editor = _open_editor(page, "4.1", 2021)
    admin = page_as("admin")
    _set_officer_boards(admin, keep=False)
    try:
        editor.get_by_role("button", name="Spara").click()
        _error_in_form(editor, "Du har inte längre behörighet")
    finally:
        _set_officer_boards(admin, keep=True)
    _saved(page, editor, "4.1", 2021)


def test_a_too_large_upload_is_said_in_both_import_forms(page_as, live_server):
    page = page_as("admin")
    too_large = {
        "name": "stor.xlsx",
        "mimeType": "application/octet-stream",
        "buffer": b"x" * (6 * 1024 * 1024),
    }
    # A round open for import (its own year: the rounds test opens 2021).
    page.goto("/rounds")
    page.get_by_label("Plan", exact=True).select_option(label=PLAN_OPTION)
    page.get_by_label("År som ska följas upp").fill("2020")
    page.get_by_label("Sista dag att rapportera").fill(
        (live_server.today() + timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Öppna omgången").click()
    page.get_by_role("link", name="Läs in en ifylld Excelfil").click()
    round_import = page.url
    for url in ("/plans/import", round_import):
        page.goto(url)
        form = page.locator("#import-area form")
        form.locator("input[type=file]").set_input_files(too_large)
        form.get_by_role("button", name="Förhandsgranska").click()
        expect(form.get_by_role("alert")).to_contain_text("för stort")
        screenshot(page, "request-error-too-large")
        # A small file gets its answer (here: not a spreadsheet) and the message goes.
        form.locator("input[type=file]").set_input_files(
            {"name": "liten.xlsx", "mimeType": "application/octet-stream", "buffer": b"x"}
        )
        form.get_by_role("button", name="Förhandsgranska").click()
        expect(page.locator("[data-request-error]")).to_have_count(0)
        expect(page.locator("#import-area")).to_be_visible()
