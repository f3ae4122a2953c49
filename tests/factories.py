"""Factories that build valid records through the versioned path, with overrides."""

import itertools
from datetime import date

from intranet.accounts.services import create_user
from intranet.auth.actors import SYSTEM
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import (
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Meeting,
    Plan,
    ReportingRound,
    Strategy,
    SubGoal,
)

_sequence = itertools.count(1)


class Factory:
    def __init__(self, password: str):
        self.password = password

    def _save(self, obj):
        with acting_as(None, "test data"):
            db.session.add(obj)
            db.session.commit()
        return obj

    def board(self, **overrides) -> Board:
        values = {"name": f"Nämnd {next(_sequence)}", "administration": "Förvaltning"}
        return self._save(Board(**(values | overrides)))

    def user(self, role: str = "officer", boards=(), **overrides):
        number = next(_sequence)
        values = {"username": f"user{number}", "display_name": f"Användare {number}"}
        values |= overrides
        with acting_as(None, "test data"):
            user = create_user(
                SYSTEM,
                values["username"],
                values["display_name"],
                role,
                self.password,
                list(boards),
            )
            db.session.commit()
        return user

    def strategy(self, **overrides) -> Strategy:
        values = {"title": "Strategi", "start_year": 2012, "end_year": 2032}
        return self._save(Strategy(**(values | overrides)))

    def plan(self, **overrides) -> Plan:
        if "strategy" not in overrides:
            overrides["strategy"] = self.strategy()
        values = {
            "title": f"Plan {next(_sequence)}",
            "start_year": 2018,
            "end_year": 2021,
            "status": "active",
        }
        return self._save(Plan(**(values | overrides)))

    def focus_area(self, **overrides) -> FocusArea:
        if "plan" not in overrides:
            overrides["plan"] = self.plan()
        values = {"number": str(next(_sequence)), "title": "Fokusområde"}
        return self._save(FocusArea(**(values | overrides)))

    def sub_goal(self, boards=None, **overrides) -> SubGoal:
        if "focus_area" not in overrides:
            overrides["focus_area"] = self.focus_area()
        values = {"code": f"{next(_sequence)}.1", "title": "Delmål"}
        boards = list(boards if boards is not None else [self.board()])
        with acting_as(None, "test data"):
            sub_goal = SubGoal(**(values | overrides))
            db.session.add(sub_goal)
            sub_goal.set_boards(boards)
            db.session.commit()
        return sub_goal

    def follow_up(self, **overrides) -> FollowUp:
        if "sub_goal" not in overrides:
            overrides["sub_goal"] = self.sub_goal()
        values = {"year": overrides["sub_goal"].plan.start_year, "status": "ongoing"}
        return self._save(FollowUp(**(values | overrides)))

    def reporting_round(self, **overrides) -> ReportingRound:
        if "plan" not in overrides:
            overrides["plan"] = self.plan()
        values = {"year": overrides["plan"].start_year, "deadline": date(2030, 1, 31)}
        return self._save(ReportingRound(**(values | overrides)))

    def activity(self, **overrides) -> Activity:
        if "sub_goal" not in overrides:
            overrides["sub_goal"] = self.sub_goal()
        plan = overrides["sub_goal"].plan
        values = {
            "title": "Aktivitet",
            "planned_from_year": plan.start_year,
            "planned_to_year": plan.start_year,
        }
        return self._save(Activity(**(values | overrides)))

    def meeting(self, **overrides) -> Meeting:
        if "started_by_id" not in overrides:
            overrides["started_by_id"] = self.user("viewer").id
        return self._save(Meeting(**overrides))
