"""The meeting overview on a projector: the whole plan on one screen, cell details on demand,
and a poll that costs a 304 while nothing changed."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.support import axe_violations, screenshot


def test_overview_of_plan_2018_2021_fits_on_one_1440_by_900_screen(page_as, axe):
    page = page_as("viewer", viewport={"width": 1440, "height": 900})
    page.goto("/matrix?meeting=1")
    expect(page.get_by_role("link", name="Lämna mötesläget")).to_be_visible()
    rows = page.locator("table.matrix tbody tr[data-sg]")
    expect(rows).to_have_count(16)
    assert page.evaluate("window.scrollY") == 0
    bottom = rows.last.evaluate("row => row.getBoundingClientRect().bottom")
    assert bottom <= 900, bottom
    # Each year's cell shows a glyph (shape) besides its colour; the status is its name.
    first = rows.first.locator("td > button").first
    glyph = first.evaluate("b => getComputedStyle(b, '::before').content")
    assert glyph not in ("none", "normal", '""')
    expect(first).to_have_accessible_name(re.compile(r"\w"))
    screenshot(page, "matrix-overview-1440x900")
    assert axe_violations(axe, page) == []


def test_cell_details_on_focus_and_click(page_as, axe):
    page = page_as("officer", viewport={"width": 1440, "height": 900})
    page.goto("/matrix?meeting=1")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader").filter(has_text=re.compile(r"^5\.6 "))
    )
    button = row.locator('td[id$="-2020"] > button')
    button.focus()
    details = page.locator("#cell-details")
    expect(details).to_be_visible()
    expect(details).to_contain_text("2020")
    expect(details).to_contain_text("Avbruten")
    expect(details).to_contain_text("Orsak:")
    expect(button).to_have_accessible_description(re.compile("Avbruten"))
    button.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    link = details.get_by_role("link", name="Visa uppföljningen 5.6 2020")
    expect(link).to_be_visible()
    assert axe_violations(axe, page) == []
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(details).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")


def _poll(page) -> int:
    """Let the 30 s of the meeting poll pass; the status of the request it made.

    The response reaches the test before htmx has handled it, and htmx schedules the swap and
    the next poll on the page's (fake) clock: wait until htmx is done with this request, or the
    next call advances the clock before the next poll is scheduled.
    """
    done = page.evaluate("window.__pollsDone || 0")
    with page.expect_response(
        lambda response: "/matrix" in response.url and response.request.headers.get("hx-request")
    ) as answer:
        page.clock.run_for(31_000)
    page.wait_for_function("done => window.__pollsDone > done", arg=done)
    return answer.value.status


_COUNT_POLLS = """
document.addEventListener("htmx:afterRequest", () => {
  window.__pollsDone = (window.__pollsDone || 0) + 1;
});
"""


def test_meeting_poll_is_answered_304_and_not_swapped(page_as):
    page = page_as("viewer")
    page.clock.install()
    page.add_init_script(_COUNT_POLLS)
    page.goto("/matrix?meeting=1&refresh=30")
    expect(page.locator("#matrix-region[data-poll]")).to_have_count(1)
    assert _poll(page) == 200  # the first poll: the fragment and its validator
    page.evaluate("document.getElementById('matrix-region').dataset.marker = 'kept'")
    assert _poll(page) == 304  # unchanged: not modified, and not swapped
    assert _poll(page) == 304
    expect(page.locator("#matrix-region")).to_have_attribute("data-marker", "kept")
    expect(page.locator("table.matrix tbody tr[data-sg]")).to_have_count(16)


def _sub_goal_id(page, code: str) -> str:
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader").filter(has_text=re.compile(rf"^{re.escape(code)} "))
    )
    return row.get_attribute("data-sg")


def _save_outcome(page, sub_goal_id: str, year: int, outcome: str) -> None:
    """The edit form as a page of its own (no JavaScript needed)."""
    page.goto(f"/sub-goals/{sub_goal_id}/follow-ups/{year}/edit")
    page.get_by_label("Redovisning").fill(outcome)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("sparades").first).to_be_visible()


def test_changes_since_mark_exactly_the_cells_changed_after_the_moment(page_as, axe, live_server):
    page = page_as("officer", viewport={"width": 1440, "height": 900})
    page.goto("/matrix")
    first, second = _sub_goal_id(page, "4.3"), _sub_goal_id(page, "4.4")
    _save_outcome(page, first, 2018, "Före ögonblicket.")  # at the chosen moment: not after it
    moment = live_server.now().strftime("%Y-%m-%dT%H:%M")
    # "since" counts from the end of that minute: the server's clock moves a minute on
    # rather than the test waiting for the wall clock to pass it.
    live_server.clock.advance(timedelta(minutes=1))
    _save_outcome(page, second, 2019, "Efter ögonblicket.")
    page.goto(f"/matrix?meeting=1&since={moment}")
    marked = page.locator("table.matrix td > button.c")
    expect(marked).to_have_count(1)
    expect(page.locator(f"#cell-{second}-2019 > button.c")).to_have_count(1)
    expect(page.locator(f"#cell-{first}-2018 > button.c")).to_have_count(0)
    marked.focus()
    expect(page.locator("#cell-details")).to_contain_text("Ändrad av Demo Tjänsteperson")
    changes = page.locator("table.changes-list tbody tr")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("4.4")
    expect(changes).to_contain_text("Redovisning")
    screenshot(page, "matrix-changes-since")
    assert axe_violations(axe, page) == []


def test_officer_start_page_shows_their_16_sub_goals_with_status(page_as, axe):
    page = page_as("officer")
    page.goto("/")
    expect(page.get_by_role("heading", name="Dina nämnders delmål")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Delmål som dina nämnder ansvarar för"))
    expect(table.locator("tbody tr")).to_have_count(16)
    expect(table.locator("tbody tr .status")).to_have_count(16)
    expect(table).to_contain_text("Avbruten")
    expect(page.get_by_role("heading", name=re.compile("^Ändrat av andra"))).to_be_visible()
    screenshot(page, "start-page-officer")
    assert axe_violations(axe, page) == []


def test_a_meeting_marks_what_changed_during_it_at_the_next_one(page_as, axe):
    """Start a meeting, save a change while it runs, end it: the next meeting's view marks
    exactly that change, without anyone choosing a moment."""
    chair = page_as("viewer", viewport={"width": 1440, "height": 900})
    officer = page_as("officer")
    chair.goto("/matrix?meeting=1")
    end = chair.get_by_role("button", name="Avsluta mötet")
    if end.count():  # left running by an earlier page test
        end.click()
    chair.get_by_role("button", name="Starta möte").click()
    expect(chair.get_by_text("Mötet är startat.")).to_be_visible()
    # The projector's account sees when, not who: that is the history's (names_people).
    expect(chair.get_by_text(re.compile(r"^Mötet pågår sedan [-0-9: ]+\.$"))).to_be_visible()
    expect(chair.get_by_text(re.compile("startat av"))).to_have_count(0)
    screenshot(chair, "matrix-meeting-running")
    assert axe_violations(axe, chair) == []

    officer.goto("/matrix")
    changed = _sub_goal_id(officer, "5.2")
    _save_outcome(officer, changed, 2021, "Sparat under mötet.")
    chair.get_by_role("button", name="Avsluta mötet").click()
    expect(chair.get_by_text("Mötet är avslutat.")).to_be_visible()

    chair.goto("/matrix?meeting=1")  # the next meeting
    expect(
        chair.get_by_role("heading", name=re.compile("Ändringar sedan förra mötet"))
    ).to_be_visible()
    marked = chair.locator("table.matrix td > button.c")
    expect(marked).to_have_count(1)
    expect(chair.locator(f"#cell-{changed}-2021 > button.c")).to_have_count(1)
    expect(chair.locator("table.changes-list tbody tr")).to_have_count(1)
    expect(chair.locator("table.changes-list")).not_to_contain_text("Demo Tjänsteperson")
    marked.focus()
    expect(chair.locator("#cell-details")).to_contain_text("Ändrad sedan dess")
    expect(chair.get_by_text("Visar ändringar sedan förra mötet.")).to_be_attached()
    screenshot(chair, "matrix-since-last-meeting")
    assert axe_violations(axe, chair) == []
