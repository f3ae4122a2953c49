"""A hostile officer stores markup with htmx attributes in every text field an officer can
write; an administrator then opens every page, flash, history and report that shows it. No
element of that markup reaches the DOM, no request leaves for its URLs, and the officer is
still an officer.

The test changes the demo data of the shared server: it uses its own sub-goal and adds its
own activity.
"""

import re

from playwright.sync_api import Page, expect

USED_ELSEWHERE = {"4.1", "4.2", "4.3", "4.4", "5.2", "5.6"}


def _gadget(target: str, marker: str) -> str:
    """At most 200 characters, the shortest limit of the fields it goes into."""
    gadget = (
        f'<i data-hx-post="{target}" data-hx-trigger="load" '
        f"""data-hx-vals='{{"role":"admin"}}'>{marker}</i>"""
        f"<img src=x onerror=alert(1)><b hx-get={target} hx-trigger=load>b</b>"
    )
    assert len(gadget) <= 200
    return gadget


def _csrf(page: Page) -> str:
    headers = page.locator("body").get_attribute("data-hx-headers")
    return re.search(r'"X-CSRFToken": "([^"]+)"', headers).group(1)


def _user_id(admin: Page, username: str) -> str:
    admin.goto("/admin/users")
    href = admin.get_by_role("link", name=f"Ändra {username}").get_attribute("href")
    return re.search(r"/admin/users/(\d+)/edit", href).group(1)


def _officers_sub_goal(officer: Page) -> tuple[str, str, str]:
    """A sub-goal the officer may report on (no other test's), with an editable year."""
    officer.goto("/matrix")
    for row in officer.locator("tr[data-edit]").all():
        code = row.locator(".col-goal .code").inner_text().strip()
        years = (row.get_attribute("data-edit") or "").split()
        if years and code not in USED_ELSEWHERE:
            return row.get_attribute("data-sg"), years[-1], code
    raise AssertionError("the demo officer has no sub-goal to report on")


def _post(page: Page, url: str, form: dict) -> None:
    response = page.request.post(url, form=form | {"csrf_token": _csrf(page)}, max_redirects=0)
    errors = re.findall(r'class="field-error" id="([^"]*)">([^<]*)', response.text())
    assert response.status in (200, 204, 302, 303), (url, response.status, errors)


def _store_gadgets(officer: Page, target: str) -> tuple[str, str]:
    sub_goal, year, _code = _officers_sub_goal(officer)
    edit = f"/sub-goals/{sub_goal}/follow-ups/{year}/edit"
    officer.goto(edit)
    lock = officer.locator("input[name=lock_version]").first.get_attribute("value")
    _post(
        officer,
        edit,
        {
            "status": "not_done",
            "outcome": _gadget(target, "outcome"),
            "deviation_reason": "resources",
            "deviation_text": _gadget(target, "deviation"),
            "next_steps": _gadget(target, "next"),
            "lock_version": lock,
            "note": _gadget(target, "follow-up note"),
        },
    )
    officer.goto(f"/sub-goals/{sub_goal}")
    _post(
        officer,
        f"/sub-goals/{sub_goal}/activities/new",
        {
            "title": _gadget(target, "activity"),
            "description": _gadget(target, "description"),
            "responsible_unit": _gadget(target, "unit"),
            "planned_from_year": "",
            "planned_to_year": "",
            "status": "planned",
            "lock_version": "0",
            "note": _gadget(target, "activity note"),
        },
    )
    return sub_goal, year


def _assert_inert(page: Page, where: str, shown: bool = True) -> None:
    for selector in ("i[data-hx-post]", "[hx-get]", "img[src=x]", "img[onerror]", "b[hx-trigger]"):
        assert page.locator(selector).count() == 0, (where, selector)
    # The text is there, shown as text.
    assert not shown or "data-hx-post=" in page.locator("body").inner_text(), where


def test_stored_markup_stays_text_on_an_administrators_pages(page_as):
    admin = page_as("admin")
    officer_id = _user_id(admin, "officer")
    target = f"/admin/users/{officer_id}/edit"
    officer = page_as("officer")
    sub_goal, year = _store_gadgets(officer, target)

    requests = []
    admin.on("request", lambda request: requests.append(request.url))
    admin.on("dialog", lambda dialog: requests.append("dialog " + dialog.message))

    admin.goto(f"/sub-goals/{sub_goal}")
    _assert_inert(admin, "sub-goal page")
    plan_url = admin.locator("nav.breadcrumbs a").nth(1).get_attribute("href")
    activity_history = admin.get_by_role("link", name=re.compile("^Historik.*activity")).first
    activity_url = activity_history.get_attribute("href")
    follow_up_history = admin.locator(f"#follow-up-card-{sub_goal}-{year}").get_by_role(
        "link", name=re.compile("^Historik")
    )
    follow_up_url = follow_up_history.get_attribute("href")

    for url, where, shown in (
        ("/matrix", "matrix", False),  # statuses only
        (plan_url, "plan", False),
        (f"/sub-goals/{sub_goal}/follow-ups/{year}", "follow-up", True),
        (f"{plan_url}/report", "report", True),
        (activity_url, "activity history", True),
        (follow_up_url, "follow-up history", True),
        ("/audit", "audit log", True),
    ):
        assert admin.goto(url).status == 200, where
        _assert_inert(admin, where, shown)

    # Archive the activity from its history: the flash names it, as text.
    admin.goto(activity_url)
    admin.get_by_role("button", name="Arkivera").click()
    expect(admin.locator(".flashes")).to_contain_text("arkiverades")
    _assert_inert(admin, "archive flash")
    admin.goto(activity_url)
    admin.get_by_role("button", name="Ta tillbaka från arkivet").click()
    expect(admin.locator(".flashes")).to_contain_text("är tillbaka från arkivet")
    _assert_inert(admin, "unarchive flash")
    admin.wait_for_timeout(500)  # any `load` trigger would have fired by now

    assert [url for url in requests if target in url or url.endswith("/x")] == []
    assert [url for url in requests if url.startswith("dialog")] == []
    admin.goto(target)
    expect(admin.get_by_label("Roll")).to_have_value("officer")


def test_htmx_sends_no_change_without_a_gesture_even_if_markup_got_through(page_as):
    """Defence in depth, should escaping ever fail: an htmx element placed in the page
    (here by script, outside any region that disables htmx) sends no change request on
    `load`, and the server refuses an htmx request to change an account anyway."""
    admin = page_as("admin")
    officer_id = _user_id(admin, "officer")
    target = f"/admin/users/{officer_id}/edit"
    requests = []
    admin.on("request", lambda request: requests.append((request.method, request.url)))
    admin.goto("/admin/users")
    admin.evaluate(
        """target => {
            const gadget = document.createElement("i");
            gadget.setAttribute("data-hx-post", target);
            gadget.setAttribute("data-hx-trigger", "load");
            gadget.setAttribute("data-hx-vals", '{"display_name": "x", "role": "admin"}');
            document.querySelector("main").appendChild(gadget);
            window.htmx.process(gadget);
        }""",
        target,
    )
    admin.wait_for_timeout(500)
    assert [url for method, url in requests if method == "POST"] == []
    status = admin.evaluate(
        """([target, token]) => fetch(target, {
            method: "POST",
            headers: {"HX-Request": "true", "X-CSRFToken": token,
                      "Content-Type": "application/x-www-form-urlencoded"},
            body: "display_name=x&role=admin",
        }).then(response => response.status)""",
        [target, _csrf(admin)],
    )
    assert status == 400
    admin.goto(target)
    expect(admin.get_by_label("Roll")).to_have_value("officer")
