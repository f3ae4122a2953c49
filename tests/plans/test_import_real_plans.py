"""Imports that fit real plans: blank codes, new boards, several boards, undated and
multi-year activities, tags, ignored columns; a plan's export reads back as an equal plan,
and the template's own example row imports as it is."""

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import TAG_KINDS, Activity, Board, Plan, SubGoal, Tag
from tests.reports.helpers import transactions


def _template(client):
    response = client.get("/plans/import/template.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _upload(client, workbook, strategy_id=None):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return client.post_form(
        "/plans/import",
        {"file": (buffer, "plan.xlsx"), "strategy_id": str(strategy_id)},
        content_type="multipart/form-data",
    )


def _payload(page: str) -> str:
    return page.split('name="payload" type="hidden" value="')[1].split('"')[0]


def _confirm(client, page, create_boards=False):
    data = {"payload": _payload(page)}
    if create_boards:
        data["create_boards"] = "y"
    return client.post_form("/plans/import/confirm", data)


def _plan(title) -> Plan:
    return db.session.scalar(select(Plan).where(Plan.title == title))


def _boards(*names) -> list[Board]:
    return db.session.scalars(select(Board).where(Board.name.in_(names))).all()


def _workbook(plan_row, areas, goals, activities, goal_headers=None, activity_headers=None):
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {
        "Plan": (["Titel", "Startår", "Slutår", "Beskrivning"], [plan_row]),
        "Fokusområden": (["Nummer", "Titel"], areas),
        "Delmål": (
            goal_headers or ["Fokusområde", "Delmål", "Titel", "Beskrivning", "Ansvariga nämnder"],
            goals,
        ),
        "Aktiviteter": (
            activity_headers or ["Delmål", "Aktivitet", "Från år", "Till år"],
            activities,
        ),
    }
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    return workbook


def test_the_template_example_row_imports_as_it_is_once_its_boards_are_confirmed(client, make):
    client.login(make.user("admin").username)
    before = transactions()
    response = _upload(client, _template(client))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "1 fokusområden, 1 delmål, 1 aktiviteter." in page
    assert 'Utbildningsnämnden <span class="new-mark">(ny)</span>' in page
    assert 'name="create_boards"' in page

    # Without the confirmation nothing is written, and the message stays, with the file.
    response = _confirm(client, page)
    refused = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Okänd nämnd: Utbildningsnämnden, Kulturnämnden." in refused
    assert _payload(refused) == _payload(page)
    assert transactions() == before and _boards("Utbildningsnämnden") == []

    response = _confirm(client, refused, create_boards=True)
    assert response.status_code == 302
    assert transactions() == before + 1
    plan = _plan("Handlingsplan för ... 2026–2029")
    (sub_goal,) = plan.focus_areas[0].sub_goals
    assert {board.name for board in sub_goal.boards} == {"Utbildningsnämnden", "Kulturnämnden"}
    assert {tag.name for tag in sub_goal.tags("target_group")} == {"Barn och unga", "Föräldrar"}
    assert [(a.planned_from_year, a.planned_to_year) for a in sub_goal.activities] == [(2026, 2027)]


def test_several_boards_main_first_and_blank_codes(client, make):
    make.board(name="Kulturnämnden")
    make.board(name="Utbildningsnämnden")
    client.login(make.user("admin").username)
    workbook = _workbook(
        ["Plan med luckor", 2026, 2029, None],
        [["4", "Rätten till jämlika villkor"], ["5", "Bostad"]],
        [
            ["4", None, "Utan nummer först", None, "Utbildningsnämnden; Kulturnämnden"],
            ["4", "4.2", "Givet nummer", None, "Kulturnämnden"],
            ["4", "", "Utan nummer sedan", None, "kulturnämnden ;  Utbildningsnämnden"],
            ["5", None, "Ensamt i sitt område", None, "Kulturnämnden"],
        ],
        [["Utan nummer sedan", "Kopplad med titel", None, None]],
    )
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    # Proposals come after every code the file gives: 4.2 is taken, so 4.3 and 4.4.
    assert '4.3 <span class="muted">(föreslaget nummer)</span> Utan nummer först' in page
    assert '4.4 <span class="muted">(föreslaget nummer)</span> Utan nummer sedan' in page
    assert '5.1 <span class="muted">(föreslaget nummer)</span> Ensamt' in page
    # The order of the cell is kept: the first board is the main one.
    main = '<strong class="board-main">{}</strong> (huvudansvarig), {}'
    assert main.format("Utbildningsnämnden", "Kulturnämnden") in page
    assert main.format("Kulturnämnden", "Utbildningsnämnden") in page
    assert 'name="create_boards"' not in page  # no new boards: nothing to confirm

    assert _confirm(client, page).status_code == 302
    plan = _plan("Plan med luckor")
    codes = [goal.code for area in plan.focus_areas for goal in area.sub_goals]
    assert codes == ["4.2", "4.3", "4.4", "5.1"]
    later = db.session.scalar(select(SubGoal).where(SubGoal.title == "Utan nummer sedan"))
    assert [b.name for b in later.boards] == ["Kulturnämnden", "Utbildningsnämnden"]
    first = db.session.scalar(select(SubGoal).where(SubGoal.title == "Utan nummer först"))
    assert [b.name for b in first.boards] == ["Utbildningsnämnden", "Kulturnämnden"]
    assert first.main_board.name == "Utbildningsnämnden"
    assert [a.title for a in later.activities] == ["Kopplad med titel"]
    assert later.activities[0].planned_from_year is None  # no years: undated


def test_undated_and_multi_year_activities(client, make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    make.board(name="Kulturnämnden")
    client.login(make.user("admin").username)
    goals = [["1", "1.1", "Mål", None, "Kulturnämnden"]]
    activities = [
        ["1.1", "Löpande", None, None],
        ["1.1", "Bortom planen", 2027, 2031],
        ["1.1", "Ett år", 2026, None],
        ["1.1", "Bortom strategin", 2028, 2033],
        ["1.1", "Före planen", 2025, 2026],
        ["1.1", "Text som år", "snart", None],
    ]
    workbook = _workbook(["Flerårig", 2026, 2029, None], [["1", "Område"]], goals, activities)
    page = _upload(client, workbook, strategy.id).get_data(as_text=True)
    assert "Rad 5, kolumn D (Till år): Aktiviteter: Åren måste ligga inom strategins period" in page
    assert "Rad 6, kolumn C (Från år): Aktiviteter: Åren måste ligga inom planens period" in page
    assert "Rad 7, kolumn C (Från år): Aktiviteter: Ange ett årtal, till exempel 2020." in page

    for _ in range(3):
        workbook["Aktiviteter"].delete_rows(5)
    response = _upload(client, workbook, strategy.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Löpande (Ej daterad)" in page and "Bortom planen (2027–2031)" in page
    assert _confirm(client, page).status_code == 302
    sub_goal = db.session.scalar(select(SubGoal).where(SubGoal.title == "Mål"))
    # Dated by their years, undated last.
    assert [(a.title, a.planned_from_year, a.planned_to_year) for a in sub_goal.activities] == [
        ("Ett år", 2026, 2026),
        ("Bortom planen", 2027, 2031),
        ("Löpande", None, None),
    ]
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert page.index("2027–2031") < page.index("Ej daterad")


def test_tags_are_carried_and_ignored_columns_named(client, make):
    make.board(name="Kulturnämnden")
    with acting_as(None, "test data"):
        db.session.add(Tag(kind="district", name="Skäggetorp"))
        db.session.commit()
    client.login(make.user("admin").username)
    headers = [
        "Fokusområde",
        "Delmål",
        "Titel",
        "Ansvariga nämnder",
        "Målgrupp",
        "Stadsdel",
        "Utförande enhet",
        "Samverkanspart",
        "Kommentar",
    ]
    goals = [
        [
            "1",
            "1.1",
            "Mål",
            "Kulturnämnden",
            "Barn, unga och familjer; Äldre",
            "skäggetorp",
            "Fritidsgårdar",
            "Romska föreningar",
            "intern anteckning",
        ]
    ]
    workbook = _workbook(
        ["Med etiketter", 2026, 2029, None], [["1", "Område"]], goals, [], goal_headers=headers
    )
    workbook["Plan"]["E1"] = "Ägare"
    workbook["Plan"]["E2"] = "Någon"
    workbook.create_sheet("Anteckningar").append(["Fritt"])
    response = _upload(client, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Delmål: kolumn I (Kommentar)" in page
    assert "Plan: kolumn E (Ägare)" in page
    assert "Bladet Anteckningar" in page
    assert _confirm(client, page).status_code == 302
    sub_goal = db.session.scalar(select(SubGoal).where(SubGoal.title == "Mål"))
    assert [t.name for t in sub_goal.tags("target_group")] == ["Barn, unga och familjer", "Äldre"]
    assert [t.name for t in sub_goal.tags("district")] == ["Skäggetorp"]  # the existing tag
    assert [t.name for t in sub_goal.tags("unit")] == ["Fritidsgårdar"]
    assert [t.name for t in sub_goal.tags("partner")] == ["Romska föreningar"]
    assert db.session.scalar(select(func.count(Tag.id)).where(Tag.kind == "district")) == 1


def _structure(plan: Plan) -> dict:
    return {
        "plan": (plan.title, plan.start_year, plan.end_year, plan.description),
        "areas": [
            (
                area.number,
                area.title,
                area.description,
                [
                    (
                        goal.code,
                        goal.title,
                        goal.description,
                        goal.cross_references,
                        [board.name for board in goal.boards],
                        {kind: sorted(t.name for t in goal.tags(kind)) for kind in TAG_KINDS},
                        [
                            (
                                a.title,
                                a.description,
                                a.planned_from_year,
                                a.planned_to_year,
                                a.responsible_unit,
                                a.status,
                            )
                            for a in goal.activities
                        ],
                    )
                    for goal in area.sub_goals
                ],
            )
            for area in plan.focus_areas
        ],
    }


def test_a_plan_exported_imports_as_an_equal_plan(client, make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    first, second = make.board(name="Socialnämnden"), make.board(name="Kulturnämnden")
    with acting_as(None, "test data"):
        tags = [Tag(kind="target_group", name="Kvinnor"), Tag(kind="district", name="Ryd")]
        db.session.add_all(tags)
        db.session.commit()
    plan = make.plan(
        title="Original 2018–2021", strategy=strategy, description="Två rader\n  indrag"
    )
    area = make.focus_area(plan=plan, number="5", title="Bostad", description="Inledning")
    goal = make.sub_goal(
        focus_area=area,
        code="5.10",
        title="Tio",
        cross_references="se punkt 2.4",
        boards=[second, first],
    )
    make.sub_goal(focus_area=area, code="5.9", title="Nio", boards=[first])
    with acting_as(None, "test data"):
        goal.set_tags("target_group", [tags[0]])
        goal.set_tags("district", [tags[1]])
        goal.set_tags("unit", [Tag(kind="unit", name="=Fältgruppen")])
        db.session.commit()
    make.activity(sub_goal=goal, title="Odaterad", planned_from_year=None, planned_to_year=None)
    make.activity(
        sub_goal=goal,
        title="Lång",
        planned_from_year=2019,
        planned_to_year=2024,
        responsible_unit="Enheten",
        status="ongoing",
        description="'Citat",
    )
    client.login(make.user("admin").username)
    export = client.get(f"/plans/{plan.id}/export.xlsx")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.data))
    workbook["Plan"]["A2"] = "Kopia 2018–2021"
    response = _upload(client, workbook, strategy.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    # What a copy does not take is named: the plan's status, the follow-ups.
    assert "Plan: kolumn E (Status)" in page and "Bladet Uppföljningar" in page
    assert _confirm(client, page).status_code == 302
    db.session.expire_all()
    copy = _plan("Kopia 2018–2021")
    assert copy.id != plan.id and copy.status == "draft"
    original = _structure(db.session.get(Plan, plan.id))
    original["plan"] = ("Kopia 2018–2021", *original["plan"][1:])
    assert _structure(copy) == original
    assert db.session.scalar(select(func.count(Activity.id))) == 4


def test_an_english_export_imports_for_a_swedish_user(client, make):
    board = make.board(name="Socialnämnden")
    plan = make.plan(title="Engelsk")
    make.sub_goal(focus_area=make.focus_area(plan=plan, number="1"), code="1.1", boards=[board])
    client.login(make.user("admin").username)
    client.post_form("/language", {"language": "en", "next": "/plans"})
    workbook = load_workbook(io.BytesIO(client.get(f"/plans/{plan.id}/export.xlsx").data))
    client.post_form("/language", {"language": "sv", "next": "/plans"})
    workbook.worksheets[0]["A2"] = "Engelsk kopia"
    response = _upload(client, workbook, plan.strategy_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "1 fokusområden, 1 delmål, 0 aktiviteter." in page


def test_an_export_of_the_past_imports_below_its_note(client, make):
    board = make.board(name="Socialnämnden")
    plan = make.plan(title="Historisk")
    make.sub_goal(focus_area=make.focus_area(plan=plan, number="1"), code="1.1", boards=[board])
    client.login(make.user("admin").username)
    now = clock.now().strftime("%Y-%m-%dT%H:%M")
    response = client.get(f"/plans/{plan.id}/export.xlsx?as_of={now}")
    assert response.status_code == 200, response.text[-2000:]
    workbook = load_workbook(io.BytesIO(response.data))
    assert str(workbook["Plan"]["A1"].value).startswith("Historiska uppgifter")
    workbook["Plan"]["A3"] = "Historisk kopia"
    response = _upload(client, workbook, plan.strategy_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Historisk kopia" in page and "1 fokusområden, 1 delmål, 0 aktiviteter." in page


def test_a_refused_file_keeps_the_chosen_strategy(client, make):
    strategy = make.strategy(title="Vald strategi")
    client.login(make.user("admin").username)
    workbook = _template(client)
    workbook["Plan"]["B2"] = "tjugo"
    response = _upload(client, workbook, strategy.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rad 2, kolumn B (Startår): Plan: Ange ett årtal, till exempel 2020." in page
    assert f'<option selected value="{strategy.id}">' in page
