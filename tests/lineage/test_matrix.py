"""The matrix with all plans can follow a line as one row."""

import re

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.lineage.services import Continued, NextPlan, start_next_plan
from intranet.matrix.filters import MatrixFilters
from intranet.matrix.queries import build_matrix
from intranet.reading.snapshot import Snapshot
from tests.conftest import PASSWORD


def _three_plans(make):
    """1.2 (2012–2015) → 5.5 (2018–2021) → 3.1 (2022–2025), and 1.1 that does not go on."""
    strategy = make.strategy(start_year=2012, end_year=2032)
    pilot = make.plan(strategy=strategy, start_year=2012, end_year=2015, status="closed")
    area = make.focus_area(plan=pilot, number="1", title="Modellen")
    board = make.board()
    left = make.sub_goal(focus_area=area, code="1.1", title="Avslutat", boards=[board])
    bridge = make.sub_goal(focus_area=area, code="1.2", title="Brobyggare", boards=[board])
    make.follow_up(sub_goal=bridge, year=2013, status="done")
    admin = make.user("admin")
    with acting_as(admin.id):
        second = start_next_plan(
            admin,
            pilot,
            NextPlan(
                "Plan 2018–2021",
                2018,
                2021,
                [Continued(area.id, "5")],
                [Continued(bridge.id, "5.5")],
            ),
        )
        second.status = "active"
        db.session.commit()
        middle = second.focus_areas[0].sub_goals[0]
        third = start_next_plan(
            admin,
            second,
            NextPlan(
                "Plan 2022–2025",
                2022,
                2025,
                [Continued(second.focus_areas[0].id, "3")],
                [Continued(middle.id, "3.1")],
            ),
        )
        db.session.commit()
    latest = third.focus_areas[0].sub_goals[0]
    make.follow_up(
        sub_goal=middle,
        year=2019,
        status="partly_done",
        deviation_reason="external",
        deviation_text="Pandemin",
    )
    make.follow_up(sub_goal=latest, year=2022, status="ongoing")
    return admin, board, left, bridge, middle, latest


def _filters(**values) -> MatrixFilters:
    return MatrixFilters(plan_id=None, from_year=2012, to_year=2025, **values)


def test_one_row_per_line_takes_earlier_years_from_the_line(make):
    _admin, _board, left, bridge, middle, latest = _three_plans(make)
    every_row = build_matrix(_filters(), Snapshot.current())
    assert [row.code for row in every_row.rows] == ["1.1", "1.2", "5.5", "3.1"]
    lines = build_matrix(_filters(lines=True), Snapshot.current())
    assert [row.code for row in lines.rows] == ["1.1", "3.1"]
    row = lines.rows[1]
    assert row.sub_goal_id == latest.id and row.earlier_codes == ["1.2", "5.5"]
    by_year = {cell.year: cell for cell in row.cells}
    assert (by_year[2013].sub_goal_id, by_year[2013].status) == (bridge.id, "done")
    assert (by_year[2019].sub_goal_id, by_year[2019].status) == (middle.id, "partly_done")
    assert (by_year[2022].sub_goal_id, by_year[2022].status) == (latest.id, "ongoing")
    assert not by_year[2016].in_plan and not by_year[2017].in_plan
    # The summary still counts each sub-goal's own years once.
    assert lines.status_counts == every_row.status_counts
    assert lines.not_reported == every_row.not_reported


def test_matrix_page_follows_a_line_and_keys_its_validator_on_it(client, make):
    admin, _board, _left, bridge, middle, latest = _three_plans(make)
    client.login(admin.username, PASSWORD)
    plain = client.get("/matrix?plan=all")
    lines = client.get("/matrix?plan=all&lines=1")
    assert plain.status_code == lines.status_code == 200
    assert plain.headers["ETag"] != lines.headers["ETag"]
    page = lines.get_data(as_text=True)
    assert "3 delmål visas." not in page
    assert len(re.findall(r'<tr data-sg="', page)) == 2
    assert "(tidigare 1.2, 5.5)" in page
    assert f'data-sg="{bridge.id}"' in page and f'data-sg="{middle.id}"' in page
    # Only the row's own years are offered for editing.
    row = re.search(rf'<tr data-sg="{latest.id}"[^>]*>', page).group(0)
    assert 'data-edit="2022 2023 2024 2025 "' in row
    assert 'id="filter-lines"' in page and "checked" in page.split('id="filter-lines"')[1][:60]
    # The option is kept by the links that keep the filters.
    assert "lines=1" in page.split('id="matrix-region"')[1]
    assert len(re.findall(r'<tr data-sg="', plain.get_data(as_text=True))) == 4
