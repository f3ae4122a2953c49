"""Load the demo data set through the same versioned write path as a user's edits.

Every record is created only when missing, so loading twice changes nothing. On a fresh
database the transactions are dated in the years the seeds describe, so that the history
and the "as of" views tell the story of 2012–2022.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from intranet.accounts.services import create_user, find_user
from intranet.auth.actors import SYSTEM
from intranet.db.versioning import acting_as
from intranet.demo import data
from intranet.extensions import db
from intranet.models import (
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    ReportComment,
    Strategy,
    SubGoal,
    SubGoalLineage,
    Tag,
    Transaction,
)
from intranet.models.followups import FOLLOW_UP_FIELD_NAMES


@dataclass
class LoadReport:
    created: int = 0


def _get_or_create(report: LoadReport, model, lookup: dict, **values):
    obj = db.session.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        db.session.add(obj)
        db.session.flush()
        report.created += 1
    return obj


class _Loader:
    def __init__(self, password: str):
        self.password = password
        self.report = LoadReport()
        self.fresh = db.session.scalar(select(func.count(Transaction.id))) == 0
        # Follow-ups made by this run may be revised by its later steps; others never are.
        self.follow_ups_made: set[tuple[int, int]] = set()

    @contextmanager
    def step(self, when: str, username: str | None, note: str) -> Iterator[None]:
        user = find_user(username) if username else None
        issued_at = datetime.fromisoformat(when) if self.fresh else None
        with acting_as(user.id if user else None, f"Demo: {note}", "demo", issued_at):
            yield
            db.session.commit()

    def boards(self) -> dict[str, Board]:
        return {
            name: _get_or_create(self.report, Board, {"name": name}, administration=admin)
            for name, admin in data.BOARDS
        }

    def tag(self, kind: str, name: str) -> Tag:
        return _get_or_create(self.report, Tag, {"kind": kind, "name": name})

    def accounts(self, boards: dict[str, Board]) -> None:
        for username, display_name, role, board_names in data.USERS:
            if find_user(username) is None:
                create_user(
                    SYSTEM,
                    username,
                    display_name,
                    role,
                    self.password,
                    [boards[name] for name in board_names],
                )
                self.report.created += 1

    def plan(self, strategy: Strategy, facts: dict) -> Plan:
        values = {key: value for key, value in facts.items() if key != "title"}
        return _get_or_create(
            self.report, Plan, {"title": facts["title"]}, strategy=strategy, **values
        )

    def sub_goals(self, plan: Plan, focus_areas, sub_goals, boards_of) -> dict[str, SubGoal]:
        areas = {
            number: _get_or_create(
                self.report,
                FocusArea,
                {"plan_id": plan.id, "number": number},
                title=title,
                description=description[0] if description else None,
            )
            for number, title, *description in focus_areas
        }
        result = {}
        for area_number, code, title, board_name, tags, *rest in sub_goals:
            sub_goal = db.session.scalar(
                select(SubGoal).filter_by(focus_area_id=areas[area_number].id, code=code)
            )
            if sub_goal is None:
                sub_goal = SubGoal(focus_area=areas[area_number], code=code, title=title)
                if rest:
                    sub_goal.cross_references = rest[0]
                db.session.add(sub_goal)
                sub_goal.set_boards([boards_of[board_name]])
                for kind, names in tags.items():
                    sub_goal.set_tags(kind, [self.tag(kind, name) for name in names])
                db.session.flush()
                self.report.created += 1
            result[code] = sub_goal
        return result

    def follow_up(self, sub_goal: SubGoal, year: int, values: tuple) -> None:
        # The seeds give the declared fields in their order (status, outcome, reason, …).
        fields = dict(zip(FOLLOW_UP_FIELD_NAMES, values, strict=False))
        existing = db.session.scalar(select(FollowUp).filter_by(sub_goal_id=sub_goal.id, year=year))
        if existing is None:
            db.session.add(FollowUp(sub_goal=sub_goal, year=year, **fields))
            db.session.flush()
            self.report.created += 1
            self.follow_ups_made.add((sub_goal.id, year))
        elif (sub_goal.id, year) in self.follow_ups_made:
            for key, value in fields.items():
                setattr(existing, key, value)


def load_demo(password: str) -> LoadReport:
    """Create whatever of the demo data set is missing; commits one transaction per step."""
    loader = _Loader(password)
    with loader.step("2012-01-16T08:00:00", None, "nämnder och konton"):
        boards = loader.boards()
        loader.accounts(boards)

    with loader.step("2012-03-05T09:30:00", "admin", "strategi och pilotplan 2012–2015"):
        strategy = _get_or_create(
            loader.report,
            Strategy,
            {"title": data.STRATEGY["title"]},
            start_year=data.STRATEGY["start_year"],
            end_year=data.STRATEGY["end_year"],
            description=data.STRATEGY["description"],
        )
        pilot = loader.plan(strategy, data.PLAN_2012)
        pilot_goals = loader.sub_goals(
            pilot,
            data.FOCUS_AREAS_2012,
            [
                (code[0], code, title, board, tags)
                for _, code, title, board, tags in data.SUB_GOALS_2012
            ],
            boards,
        )
        unit = data.UNIT
        for code, title, start, end in data.ACTIVITIES_2012:
            _get_or_create(
                loader.report,
                Activity,
                {"sub_goal_id": pilot_goals[code].id, "title": title},
                planned_from_year=start,
                planned_to_year=end,
                responsible_unit=unit,
                status="done",
            )

    with loader.step("2018-02-12T10:00:00", "admin", "handlingsplan 2018–2021"):
        plan = loader.plan(strategy, data.PLAN_2018)
        unit_tag = [("unit", [data.UNIT]), ("district", ["Skäggetorp"])]
        goals = loader.sub_goals(
            plan,
            data.FOCUS_AREAS_2018,
            [
                (area, code, title, data.SOCIAL_BOARD, dict(unit_tag) | tags, reference)
                for area, code, title, reference, tags in data.SUB_GOALS_2018
            ],
            boards,
        )

    with loader.step("2018-02-12T10:30:00", "admin", "fortsättning av pilotplanens delmål"):
        for code, pilot_code in data.LINEAGE:
            _get_or_create(
                loader.report,
                SubGoalLineage,
                {"sub_goal_id": goals[code].id, "continues_id": pilot_goals[pilot_code].id},
            )

    interim = {(code, year): rest for code, year, *rest in data.INTERIM_FOLLOW_UPS_2018}
    reports = {
        2018: "2019-02-14T13:20:00",
        2019: "2020-02-13T14:05:00",
        2020: "2021-02-11T10:40:00",
        2021: "2022-02-10T11:15:00",
    }
    interim_dates = {2020: "2020-06-15T15:00:00", 2021: "2021-06-09T09:10:00"}
    for year, when in reports.items():
        if year in interim_dates:
            with loader.step(interim_dates[year], "officer", f"delrapport {year}"):
                for (code, interim_year), (status, outcome, reason, text) in interim.items():
                    if interim_year == year:
                        loader.follow_up(goals[code], year, (status, outcome, reason, text, None))
        with loader.step(when, "officer", f"uppföljning {year}"):
            for code, per_year in data.FOLLOW_UPS_2018.items():
                loader.follow_up(goals[code], year, per_year[year])
    with loader.step("2022-02-24T09:00:00", "officer", "avslutande kommentarer 2018–2021"):
        _get_or_create(
            loader.report,
            ReportComment,
            {"plan_id": plan.id, "board_id": boards[data.SOCIAL_BOARD].id, "year": None},
            text=data.CLOSING_COMMENTS_2018,
        )
    return loader.report
