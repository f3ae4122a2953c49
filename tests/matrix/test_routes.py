import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FocusArea, Plan, SubGoal, Tag
from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES

CELL = re.compile(r'id="cell-(\d+)-(\d{4})"><button class="s-(\w+)')


def _codes(page: str) -> list[str]:
    return re.findall(r'<span class="code">([^<]+)</span>', page)


def _cells(page: str) -> dict[tuple[int, int], str | None]:
    return {(int(sg), int(year)): status for sg, year, status in CELL.findall(page)}


@pytest.fixture
def officer_client(client, demo):
    client.login("officer", DEMO_PASSWORD)
    return client


def _plan_2018() -> Plan:
    return db.session.scalar(select(Plan).where(Plan.start_year == 2018))


def _sub_goal(code: str) -> SubGoal:
    return db.session.scalar(
        select(SubGoal)
        .join(FocusArea)
        .join(Plan)
        .where(Plan.start_year == 2018, SubGoal.code == code)
    )


def test_demo_matrix_has_16_sub_goals_by_4_years_with_statuses(officer_client):
    page = officer_client.get("/matrix").get_data(as_text=True)
    assert _codes(page) == SEED_CODES
    cells = _cells(page)
    assert len(cells) == 16 * 4
    assert {year for _, year in cells} == {2018, 2019, 2020, 2021}
    assert cells[(_sub_goal("5.6").id, 2020)] == "cancelled"
    assert cells[(_sub_goal("5.1").id, 2018)] == "done"
    assert cells[(_sub_goal("4.5").id, 2021)] == "not_done"
    assert cells[(_sub_goal("5.8").id, 2021)] == "not_done"
    assert "Fokusområde 4. Rätten till jämlika villkor" in page
    assert "Samverkanspart saknas eller har slutat" in page  # 5.8's deviation category
    assert (
        page.count(
            '<strong class="board-main">Social- och omsorgsnämnden</strong> (huvudansvarig)</td>'
        )
        == 16
    )


def test_status_is_shown_with_text_not_colour_alone(officer_client):
    page = officer_client.get("/matrix").get_data(as_text=True)
    assert re.search(r'<button class="s-cancelled d" data-d="\w+">Avbruten</button>', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=cancelled", ["5.6"]),
        ("deviation=partner", ["5.8"]),
        ("q=familjecentral", ["5.8"]),
        ("q=5.1", ["5.1", "5.11"]),
        ("q=brukarmedverkan", ["4.5"]),
        ("status=done&from_year=2021&to_year=2021", ["4.3", "5.5"]),
    ],
)
def test_filters_select_rows(officer_client, query, expected):
    page = officer_client.get(f"/matrix?{query}").get_data(as_text=True)
    assert _codes(page) == expected


def test_year_span_changes_columns(officer_client):
    page = officer_client.get("/matrix?from_year=2019&to_year=2020").get_data(as_text=True)
    assert {year for _, year in _cells(page)} == {2019, 2020}
    wide = officer_client.get("/matrix?from_year=2016&to_year=2023").get_data(as_text=True)
    years = re.findall(r'<th scope="col" class="col-year">(\d{4})</th>', wide)
    assert years == [str(year) for year in range(2016, 2024)]
    assert {year for _, year in _cells(wide)} == {2018, 2019, 2020, 2021}
    assert wide.count('<td class="o"></td>') == 16 * 4  # outside the plan period


def test_focus_area_board_and_tag_filters(officer_client):
    plan = _plan_2018()
    area = next(a for a in plan.focus_areas if a.number == "5")
    page = officer_client.get(f"/matrix?focus_area={area.id}").get_data(as_text=True)
    assert _codes(page) == SEED_CODES[6:]
    lambohov = db.session.scalar(select(Tag).where(Tag.name == "Lambohov"))
    page = officer_client.get(f"/matrix?district={lambohov.id}").get_data(as_text=True)
    assert _codes(page) == ["5.11"]
    women = db.session.scalar(select(Tag).where(Tag.name == "Romska kvinnor"))
    page = officer_client.get(f"/matrix?target_group={women.id}").get_data(as_text=True)
    assert _codes(page) == ["4.1", "5.1", "5.2", "5.6"]
    board = _sub_goal("4.1").boards[0]
    page = officer_client.get(f"/matrix?board={board.id}").get_data(as_text=True)
    assert len(_codes(page)) == 16


def test_all_plans_are_grouped_by_plan(officer_client):
    page = officer_client.get("/matrix?plan=all&from_year=2012&to_year=2021").get_data(as_text=True)
    assert "Pilotkommun för romsk inkludering 2012–2015" in page
    assert len(_codes(page)) == 16 + 8


def test_bad_filter_values_are_explained_in_swedish(officer_client):
    response = officer_client.get("/matrix?status=finished&from_year=1899&board=abc")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("Välj ett värde i listan.") == 2
    assert "Ange ett år mellan 2012 och 2032." in page
    assert len(_codes(page)) == 16  # bad values are dropped, the rest still works
    page = officer_client.get("/matrix?q=" + "x" * 300).get_data(as_text=True)
    assert "Söktexten får vara högst 200 tecken." in page
    page = officer_client.get("/matrix?from_year=2021&to_year=2019").get_data(as_text=True)
    assert "Slutåret kan inte ligga före startåret." in page
    page = officer_client.get("/matrix?as_of=igår").get_data(as_text=True)
    assert "Ange datum som ÅÅÅÅ-MM-DD" in page


def test_htmx_request_gets_the_matrix_block_only(officer_client):
    response = officer_client.htmx_get("/matrix?status=cancelled")
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<div id="matrix-page">')
    assert "<html" not in page
    assert _codes(page) == ["5.6"]
    assert "HX-Request" in response.headers.get("Vary", "")


def test_back_button_restore_gets_the_whole_page(officer_client):
    response = officer_client.get(
        "/matrix?status=cancelled",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.get_data(as_text=True)


def test_summary_counts_follow_the_filters(officer_client):
    page = officer_client.get("/matrix").get_data(as_text=True)
    counts = dict(
        re.findall(
            r'status-(\w+)"><span class="status-icon" aria-hidden="true">'
            r"</span>[^<]+</span> <strong>(\d+)</strong>",
            page,
        )
    )
    assert counts == {
        "not_started": "4",
        "ongoing": "22",
        "done": "12",
        "partly_done": "12",
        "not_done": "12",
        "cancelled": "2",
        "none": "0",
    }
    assert "Rapporterat för 2021 per nämnd" in page
    assert "Social- och omsorgsnämnden: <strong>16 av 16</strong>" in page
    page = officer_client.get("/matrix?from_year=2018&to_year=2018").get_data(as_text=True)
    assert "Social- och omsorgsnämnden: <strong>14 av 16</strong>" in page  # 4.5, 4.6 not started


def test_meeting_mode_has_large_type_and_no_edit_controls(officer_client):
    page = officer_client.get("/matrix?meeting=1&refresh=30").get_data(as_text=True)
    assert 'class="meeting"' in page
    assert "data-edit=" not in page
    assert 'hx-trigger="every 30s"' in page
    assert "matrix-print.css" in page


def test_officer_sees_edit_links_only_for_own_boards(client, demo, make):
    other = make.user("officer", boards=[make.board(name="Kultur- och fritidsnämnden")])
    client.login(other.username)
    page = client.get("/matrix").get_data(as_text=True)
    assert "data-edit=" not in page
    assert len(_codes(page)) == 16


@contextmanager
def count_queries():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _add_sub_goals(plan: Plan, count: int) -> None:
    area = plan.focus_areas[0]
    board = area.sub_goals[0].boards[0]
    with acting_as(None, "test"):
        for number in range(count):
            sub_goal = SubGoal(focus_area=area, code=f"9.{number}", title=f"Extra {number}")
            db.session.add(sub_goal)
            sub_goal.set_boards([board])
        db.session.commit()


def test_matrix_query_count_does_not_grow_with_rows(officer_client, app):
    plan = _plan_2018()
    app.extensions["matrix_cache"].clear()  # both requests render
    with count_queries() as small:
        assert officer_client.get("/matrix").status_code == 200
    _add_sub_goals(plan, 40)
    with count_queries() as large:
        page = officer_client.get("/matrix").get_data(as_text=True)
    assert len(_codes(page)) == 56
    assert len(large) == len(small)
    assert len(large) <= 12


def test_matrix_as_of_a_past_date_shows_the_status_then(officer_client):
    five_one = _sub_goal("5.1").id
    now = _cells(officer_client.get("/matrix").get_data(as_text=True))
    assert now[(five_one, 2020)] == "not_done"
    page = officer_client.get("/matrix?as_of=2020-12-31").get_data(as_text=True)
    then = _cells(page)
    assert then[(five_one, 2020)] == "ongoing"  # the interim report of June 2020
    assert then[(five_one, 2021)] == "none"  # not yet reported
    assert then[(_sub_goal("5.6").id, 2019)] == "done"
    assert "Historiskt läge:" in page and "2020-12-31" in page
    assert "data-edit=" not in page  # the past is read-only
    before_anything = officer_client.get("/matrix?as_of=2015-01-01").get_data(as_text=True)
    assert _codes(before_anything) == []


def test_matrix_as_of_uses_a_constant_number_of_queries(officer_client, app):
    app.extensions["matrix_cache"].clear()  # both requests render
    with count_queries() as small:
        officer_client.get("/matrix?as_of=2021-06-30")
    _add_sub_goals(_plan_2018(), 20)
    with count_queries() as large:
        officer_client.get("/matrix?as_of=2022-12-31T23:00")
    assert len(large) == len(small)


def test_closed_round_locks_cells_for_officers(officer_client, make):
    from datetime import date

    from intranet.models import ReportingRound

    with acting_as(None, "test"):
        db.session.add(
            ReportingRound(plan=_plan_2018(), year=2021, deadline=date(2022, 2, 28), is_open=False)
        )
        db.session.commit()
    page = officer_client.get("/matrix").get_data(as_text=True)
    five_one = _sub_goal("5.1").id
    editable = re.search(f'<tr data-sg="{five_one}" data-edit="([^"]*)" data-locked="2021">', page)
    assert editable and editable.group(1).split() == ["2018", "2019", "2020"]
    assert page.count(' data-locked="2021"') == 16


def test_filtered_matrix_exports_to_xlsx_and_csv(officer_client):
    import io

    from openpyxl import load_workbook

    response = officer_client.get("/matrix.xlsx?status=cancelled")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Plan", "Fokusområde", "Delmål", "Titel", "Ansvarig nämnd")
    assert "Status 2020" in rows[0] and "Avvikelseorsak 2020" in rows[0]
    assert [row[2] for row in rows[1:]] == ["5.6"]
    status_2020 = rows[0].index("Status 2020")
    assert rows[1][status_2020] == "Avbruten"
    assert rows[1][status_2020 + 1] == "Yttre omständigheter (t.ex. pandemi)"
    every = officer_client.get("/matrix.csv").data.decode("utf-8-sig").splitlines()
    assert len(every) == 17
    assert every[0].startswith("Plan;Fokusområde;Delmål")
