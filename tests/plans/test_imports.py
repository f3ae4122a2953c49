import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Activity, Plan, SubGoal
from tests.reports.helpers import transactions
from tests.rounds.test_routes import switch_user


def _template(client):
    response = client.get("/plans/import/template.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _fill(workbook, board_names):
    workbook["Plan"]["A2"] = "Handlingsplan för test 2026–2029"
    workbook["Plan"]["B2"], workbook["Plan"]["C2"] = 2026, 2029
    areas = workbook["Fokusområden"]
    areas.append(["2", "Rätten till hälsa"])
    goals = workbook["Delmål"]
    goals["E2"] = board_names[0]
    goals.append(["2", "2.1", "Hälsoträffar", "", ", ".join(board_names)])
    goals.append(["2", "2.10", "Tio", "", board_names[0]])
    activities = workbook["Aktiviteter"]
    activities["D2"], activities["E2"] = 2026, 2027
    activities.append(["2.1", "Träffar varje månad", "", 2027, 2029, "Enhet"])


def _upload(client, workbook, url="/plans/import"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return client.post_form(
        url,
        {"file": (buffer, "plan.xlsx"), "strategy_id": "None"},
        content_type="multipart/form-data",
    )


def _plans() -> int:
    return db.session.scalar(select(func.count(Plan.id)))


def test_admin_imports_a_plan_in_one_transaction(client, make):
    first, second = make.board(name="Utbildningsnämnden"), make.board(name="Kulturnämnden")
    client.login(make.user("admin").username)
    workbook = _template(client)
    _fill(workbook, [first.name, second.name])
    before, plans = transactions(), _plans()
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "2 fokusområden, 3 delmål, 2 aktiviteter." in page
    assert (transactions(), _plans()) == (before, plans)

    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    response = client.post_form("/plans/import/confirm", {"payload": payload})
    assert response.status_code == 302
    assert transactions() == before + 1
    plan = db.session.scalar(select(Plan).where(Plan.title == "Handlingsplan för test 2026–2029"))
    codes = db.session.scalars(
        select(SubGoal.code).join(SubGoal.focus_area).where_criteria
        if False
        else select(SubGoal.code).order_by(SubGoal.sort_key)
    ).all()
    assert codes == ["1.1", "2.1", "2.10"]
    goal = db.session.scalar(select(SubGoal).where(SubGoal.code == "2.1"))
    assert {b.name for b in goal.boards} == {"Utbildningsnämnden", "Kulturnämnden"}
    assert goal.plan.id == plan.id
    assert db.session.scalar(select(func.count(Activity.id))) == 2


def test_plan_import_with_errors_writes_nothing(client, make):
    board = make.board(name="Utbildningsnämnden")
    client.login(make.user("admin").username)
    workbook = _template(client)
    _fill(workbook, [board.name])
    workbook["Delmål"]["E3"] = ""
    workbook["Aktiviteter"].append(["9.9", "Saknar delmål", "", 2026, 2026, ""])
    workbook["Aktiviteter"].append(["1.1", "Fel år", "", 2030, 2031, ""])
    workbook["Delmål"].append(["2", "2.10", "Dubblett", "", board.name])
    before = transactions()
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rad 3, kolumn E (Ansvariga nämnder): Delmål: Ange minst en ansvarig nämnd." in page
    assert "Rad 4, kolumn A (Delmål): Aktiviteter: Delmålet finns inte" in page
    assert "Rad 5, kolumn D (Från år)" in page
    assert "Delmålet 2.10 finns redan." in page
    assert 'name="payload"' not in page
    assert transactions() == before
    assert _plans() == 0


def test_only_admins_import_plans(client, make):
    client.login(make.user("officer", boards=[make.board()]).username)
    assert client.get("/plans/import").status_code == 403
    assert client.post_form("/plans/import").status_code == 403
    switch_user(client, make.user("auditor").username)
    assert client.post_form("/plans/import/confirm", {"payload": "x"}).status_code == 403


def test_oversized_upload_is_refused_with_a_message(client, make):
    client.login(make.user("admin").username)
    response = client.post_form(
        "/plans/import",
        {"file": (io.BytesIO(b"PK" + b"0" * 400_000), "plan.xlsx"), "strategy_id": "None"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Filen är för stor (högst 350 kB)" in response.get_data(as_text=True)


def test_preview_refuses_what_the_database_would_by_row_and_column(client, make):
    """Every length the columns declare is checked in the preview, as the model checks it:
    otherwise the preview says OK and the confirmation fails in PostgreSQL."""
    board = make.board(name="Utbildningsnämnden")
    client.login(make.user("admin").username)
    workbook = _template(client)
    _fill(workbook, [board.name])
    workbook["Plan"]["A2"] = "P" * 301
    workbook["Fokusområden"].append(["3" * 21, "För långt nummer"])
    workbook["Delmål"].append(["2", "2." + "1" * 19, "För lång kod", "", board.name])
    workbook["Delmål"].append(["2", "2.2", "T" * 501, "", board.name])
    workbook["Aktiviteter"].append(["2.1", "Aktivitet", "", 2027, 2028, "E" * 201])
    before = transactions()
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rad 2, kolumn A (Titel): Plan: Texten får vara högst 300 tecken." in page

    workbook["Plan"]["A2"] = "Handlingsplan för test 2026–2029"
    page = _upload(client, workbook).get_data(as_text=True)
    assert "Rad 4, kolumn A (Nummer): Fokusområden: Texten får vara högst 20 tecken." in page
    assert "Rad 5, kolumn B (Delmål): Delmål: Texten får vara högst 20 tecken." in page
    assert "Rad 6, kolumn C (Titel): Delmål: Texten får vara högst 500 tecken." in page
    assert "Rad 4, kolumn F (Ansvarig enhet): Aktiviteter: Texten får vara högst 200" in page
    assert 'name="payload"' not in page
    assert transactions() == before and _plans() == 0


def test_imported_cells_are_guarded_like_any_stored_text(client, make):
    board = make.board(name="Utbildningsnämnden")
    client.login(make.user("admin").username)
    workbook = _template(client)
    _fill(workbook, [board.name])
    # An identity number with an en dash and no-break spaces, in a description.
    workbook["Delmål"].append(["2", "2.2", "Stöd", "Elev 811228\u00a0\u2013\u00a09874", board.name])
    response = _upload(client, workbook)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Rad 5, kolumn D (Beskrivning): Delmål: Texten innehåller ett personnummer" in page

    # A line break (Alt+Enter in Excel) in a single-line title becomes a space, DEL and C1
    # controls go; a code of 20 characters whose sort key would be longer than its column is
    # stored.
    workbook["Delmål"].delete_rows(5)
    workbook["Delmål"].append(["2", "1.2.3.4.5.6.7.8.9.10", "Djup\nkod\x7f\x85", "", board.name])
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-2000:]
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    assert client.post_form("/plans/import/confirm", {"payload": payload}).status_code == 302
    deep = db.session.scalar(select(SubGoal).where(SubGoal.code == "1.2.3.4.5.6.7.8.9.10"))
    assert deep.title == "Djup kod"
    assert len(deep.sort_key) == SubGoal.__table__.c.sort_key.type.length
