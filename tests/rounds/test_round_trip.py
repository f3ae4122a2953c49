"""An exported round file read back unchanged shows no changes, whatever the texts hold;
the same plan import confirmed twice creates one plan."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Plan
from intranet.web.spreadsheets import safe_cell, unescape_cell
from tests.followups.test_concurrent_first_save import Interleave
from tests.reports.helpers import transactions
from tests.rounds.test_services import _round

AWKWARD_TEXTS = [
    "'citat' i början",
    "''två apostrofer",
    "'",
    "=SUMMA(A1:A3)",
    "'=redan skyddad",
    "+46 13 20 00 00",
    "-minus först",
    "@nämnd",
    "rad ett\nrad två",
    "rad ett\r\nrad två",
    "  inledande och avslutande blanksteg  ",
    "\ttabb först",
    "123",
    "2021-03-04",
    "TRUE",
    "1e5",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_reading_a_cell_back_is_the_exact_inverse_of_writing_it(text):
    assert unescape_cell(safe_cell(text)) == text


def _upload(client, url, content):
    return client.post_form(
        url, {"file": (io.BytesIO(content), "fil.xlsx")}, content_type="multipart/form-data"
    )


def test_an_unchanged_exported_round_file_shows_no_changes(client, make):
    board = make.board()
    plan = make.plan()
    area = make.focus_area(plan=plan)
    texts = iter(AWKWARD_TEXTS * 2)
    for _index in range(len(AWKWARD_TEXTS) // 2):
        sub_goal = make.sub_goal(boards=[board], focus_area=area)
        make.follow_up(
            sub_goal=sub_goal,
            year=2019,
            status="not_done",
            outcome=next(texts),
            deviation_reason="other",
            deviation_text=next(texts),
            next_steps=next(texts),
        )
    reporting_round = _round(plan, 2019)
    client.login(make.user("officer", boards=[board]).username)
    exported = client.get(f"/rounds/{reporting_round.id}/export.xlsx")
    assert exported.status_code == 200
    response = _upload(client, f"/rounds/{reporting_round.id}/import", exported.data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "0 delmål ändras" in page, page[page.find("import-area") :][:4000]

    # Saved again by a spreadsheet program (openpyxl here), still nothing changes.
    workbook = load_workbook(io.BytesIO(exported.data))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, f"/rounds/{reporting_round.id}/import", buffer.getvalue())
    assert "0 delmål ändras" in response.get_data(as_text=True)


def _plan_workbook(client, board_name: str) -> bytes:
    workbook = load_workbook(io.BytesIO(client.get("/plans/import/template.xlsx").data))
    workbook["Plan"]["A2"] = "Plan som läses in två gånger 2026–2029"
    workbook["Delmål"]["E2"] = board_name
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plans() -> int:
    return db.session.scalar(select(func.count(Plan.id)))


def test_confirming_the_same_plan_import_twice_creates_one_plan(client, make):
    board = make.board()
    client.login(make.user("admin").username)
    response = _upload(client, "/plans/import", _plan_workbook(client, board.name))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    before, plans = transactions(), _plans()

    first = client.post_form("/plans/import/confirm", {"payload": payload})
    assert first.status_code == 302
    assert (transactions(), _plans()) == (before + 1, plans + 1)

    second = client.post_form("/plans/import/confirm", {"payload": payload})
    assert second.status_code == 302
    assert second.location == first.location
    assert (transactions(), _plans()) == (before + 1, plans + 1)
    page = client.get(second.location).get_data(as_text=True)
    assert "Filen är redan inläst; ingenting nytt har skapats." in page


def test_two_confirmations_at_the_same_moment_create_one_plan(app, client, make):
    """The second request runs to its commit while the first's flush is paused: the first
    then meets the unique digest and answers as for a repeated confirmation."""
    board = make.board()
    admin = make.user("admin")
    client.login(admin.username)
    other = app.test_client()
    other.login(admin.username)
    page = _upload(client, "/plans/import", _plan_workbook(client, board.name))
    payload = page.get_data(as_text=True).split('name="payload" type="hidden" value="')[1]
    payload = payload.split('"')[0]
    plans = _plans()

    confirm = lambda: other.post_form("/plans/import/confirm", {"payload": payload})  # noqa: E731
    with Interleave(Plan, confirm) as race:
        response = client.post_form("/plans/import/confirm", {"payload": payload})
    assert race.done and race.result.status_code == 302
    assert response.status_code == 302
    assert response.location == race.result.location
    assert _plans() == plans + 1
    page = client.get(response.location).get_data(as_text=True)
    assert "Filen är redan inläst; ingenting nytt har skapats." in page
