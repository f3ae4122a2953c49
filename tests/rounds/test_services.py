from datetime import date

import pytest

from intranet.auth.policies import can_edit_follow_up
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import ReportingRound
from intranet.rounds import services


def _round(plan, year=2019, is_open=True):
    with acting_as(None, "test data"):
        reporting_round = ReportingRound(
            plan=plan, year=year, deadline=date(year + 1, 2, 15), is_open=is_open
        )
        db.session.add(reporting_round)
        db.session.commit()
    return reporting_round


@pytest.fixture
def setting(make):
    """Two boards; A has two sub-goals (one reported), B is involved in one of them (A is its
    main board) and main board of one more."""
    board_a, board_b = make.board(name="Nämnd A"), make.board(name="Nämnd B")
    area = make.focus_area()
    shared = make.sub_goal(focus_area=area, code="1.1", boards=[board_a, board_b])
    only_a = make.sub_goal(focus_area=area, code="1.2", boards=[board_a])
    only_b = make.sub_goal(focus_area=area, code="1.3", boards=[board_b])
    make.follow_up(sub_goal=shared, year=2019, status="done")
    make.follow_up(sub_goal=only_a, year=2019, status="not_started")
    make.follow_up(sub_goal=only_b, year=2018, status="done")
    reporting_round = _round(area.plan, 2019)
    return dict(
        board_a=board_a,
        board_b=board_b,
        shared=shared,
        only_a=only_a,
        only_b=only_b,
        round=reporting_round,
        plan=area.plan,
    )


def test_completeness_counts_reported_sub_goals_per_board(setting):
    figures = {
        c.board_name: (c.reported, c.total, c.percent, c.missing)
        for c in services.completeness(setting["round"])
    }
    # The main board reports: the shared sub-goal counts for A only.
    assert figures == {"Nämnd A": (1, 2, 50, ["1.2"]), "Nämnd B": (0, 1, 0, ["1.3"])}


def test_pending_lists_unreported_sub_goals_of_the_officers_boards(setting, make):
    officer = make.user("officer", boards=[setting["board_a"]])
    pending = services.pending_for(officer)
    assert len(pending) == 1
    assert [s.code for s in pending[0].sub_goals] == ["1.2"]
    assert services.pending_for(make.user("viewer")) == []


def test_closing_a_round_locks_follow_ups_for_officers_not_admins(setting, make):
    officer = make.user("officer", boards=[setting["board_a"]])
    admin = make.user("admin")
    follow_up = setting["shared"].follow_ups[0]
    assert not ReportingRound.locks(setting["plan"].id, 2019)
    assert can_edit_follow_up(officer, follow_up)

    with acting_as(admin.id):
        services.set_round_open(admin, setting["round"], False, None)
        db.session.commit()
    assert ReportingRound.locks(setting["plan"].id, 2019)
    assert not ReportingRound.locks(setting["plan"].id, 2018)
    assert not can_edit_follow_up(officer, follow_up)
    assert can_edit_follow_up(admin, follow_up)


def test_reopening_needs_a_reason_and_an_admin(setting, make):
    admin, officer = make.user("admin"), make.user("officer", boards=[setting["board_a"]])
    setting["round"].is_open = False
    with acting_as(admin.id):
        db.session.commit()
    with pytest.raises(NotAllowed):
        services.set_round_open(officer, setting["round"], True, "Rättelse")
    with pytest.raises(RuleViolation) as raised:
        services.set_round_open(admin, setting["round"], True, "  ")
    assert raised.value.field == "note"


def test_one_round_per_plan_and_year(setting, make):
    admin = make.user("admin")
    with pytest.raises(RuleViolation) as raised:
        services.open_round(admin, setting["plan"], 2019, date(2020, 2, 1))
    assert raised.value.field == "year"
    with pytest.raises(RuleViolation):
        services.open_round(admin, setting["plan"], 2030, date(2031, 2, 1))
