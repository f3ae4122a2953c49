"""Strategies, plans, focus areas, sub-goals with their links, and planned activities."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from intranet.errors import RuleViolation
from intranet.extensions import db
from intranet.models.accounts import Board
from intranet.models.base import NOT_FREE_TEXT, Archivable, RuleChecked, related
from intranet.naturalsort import KEY_LENGTH, natural_key

FIRST_YEAR, LAST_YEAR = 1990, 2100

PLAN_STATUSES = {"draft": _l("Utkast"), "active": _l("Aktiv"), "closed": _l("Avslutad")}
# The lifecycle's moves (intranet.plans.lifecycle) and what their buttons say.
PLAN_TRANSITIONS = {
    ("draft", "active"): _l("Aktivera planen"),
    ("active", "closed"): _l("Avsluta planen"),
    ("closed", "active"): _l("Öppna planen igen"),
}

TAG_KINDS = {
    "unit": _l("Utförande enhet"),
    "target_group": _l("Målgrupp"),
    "partner": _l("Samverkanspart"),
    "district": _l("Stadsdel"),
}

ACTIVITY_STATUSES = {
    "planned": _l("Planerad"),
    "ongoing": _l("Pågår"),
    "done": _l("Genomförd"),
    "cancelled": _l("Avbruten"),
}


def check_year_span(start: int | None, end: int | None, fields=("start_year", "end_year")):
    for field, year in zip(fields, (start, end), strict=True):
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise RuleViolation(
                field, _l("Ange ett år mellan %(a)s och %(b)s.", a=FIRST_YEAR, b=LAST_YEAR)
            )
    if start > end:
        raise RuleViolation(fields[1], _l("Slutåret kan inte ligga före startåret."))


def check_within(field: str, start: int, end: int, bound_start: int, bound_end: int, what):
    if start < bound_start or end > bound_end:
        raise RuleViolation(
            field,
            _l(
                "Åren måste ligga inom %(what)s (%(a)s–%(b)s).",
                what=what,
                a=bound_start,
                b=bound_end,
            ),
        )


def reading_order(table) -> tuple:
    """ORDER BY terms for focus areas or sub-goals (`table` a model or its version class):
    the explicit position, then the natural order of the number. Records without a position
    count as 0, so a group nobody has reordered reads in number order."""
    return (func.coalesce(table.position, 0), table.sort_key, table.id)


def row_order(row) -> tuple:
    """The same order for rows already read (plain rows of a snapshot)."""
    return (row.position or 0, natural_key(row.number if hasattr(row, "number") else row.code))


def check_required(field: str, value: str | None, message) -> None:
    if not (value or "").strip():
        raise RuleViolation(field, message)


class Strategy(Archivable, RuleChecked, db.Model):
    __tablename__ = "strategy"
    __versioned__ = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)

    plans: Mapped[list["Plan"]] = relationship(
        back_populates="strategy", order_by="Plan.start_year"
    )

    def check_rules(self) -> None:
        super().check_rules()
        check_required("title", self.title, _l("Ange strategins titel."))
        check_year_span(self.start_year, self.end_year)


class Plan(Archivable, RuleChecked, db.Model):
    __tablename__ = "plan"
    __versioned__ = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int | None] = mapped_column(ForeignKey("strategy.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    description: Mapped[str | None] = mapped_column(Text)
    # The digest of the workbook a plan was imported from: unique, so that confirming the
    # same import twice (a double click, a resent form, two app servers) creates one plan.
    import_digest: Mapped[str | None] = mapped_column(String(64), info=NOT_FREE_TEXT)
    # The board whose officers may set up and maintain this plan's structure beside the
    # admins (intranet.permissions.can_edit_structure); None: admins only.
    owner_board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"))

    __table_args__ = (Index("ix_plan_import_digest", "import_digest", unique=True),)

    strategy: Mapped[Strategy | None] = relationship(back_populates="plans")
    owner_board: Mapped[Board | None] = relationship()
    focus_areas: Mapped[list["FocusArea"]] = relationship(
        back_populates="plan", order_by=lambda: FocusArea.reading_order()
    )

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUSES.get(self.status, self.status))

    @property
    def status_actions(self) -> list[tuple[str, object]]:
        """The statuses the plan may move to, each with its button's text."""
        return [(to, label) for (at, to), label in PLAN_TRANSITIONS.items() if at == self.status]

    def check_rules(self) -> None:
        super().check_rules()
        check_required("title", self.title, _l("Ange planens titel."))
        if self.status not in PLAN_STATUSES:
            raise RuleViolation("status", _l("Okänd planstatus."))
        check_year_span(self.start_year, self.end_year)
        strategy = related(self, "strategy", Strategy, "strategy_id")
        if strategy is not None:
            check_within(
                "start_year",
                self.start_year,
                self.end_year,
                strategy.start_year,
                strategy.end_year,
                _l("strategins period"),
            )


class FocusArea(Archivable, RuleChecked, db.Model):
    __tablename__ = "focus_area"
    __versioned__ = {}
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    sort_key: Mapped[str] = mapped_column(String(KEY_LENGTH), default="", info=NOT_FREE_TEXT)
    # The explicit place among the plan's focus areas once someone has reordered them; None
    # (imported and older plans): in the order of the numbers. See reading_order.
    position: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    # The focus area's own introduction, printed under its heading in the report.
    description: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="focus_areas")
    sub_goals: Mapped[list["SubGoal"]] = relationship(
        back_populates="focus_area", order_by=lambda: SubGoal.reading_order()
    )

    @classmethod
    def reading_order(cls, table=None) -> tuple:
        return reading_order(table if table is not None else cls)

    @validates("number")
    def _keep_sort_key(self, key, number):
        self.sort_key = natural_key(number)
        return (number or "").strip()

    def check_rules(self) -> None:
        super().check_rules()
        check_required("number", self.number, _l("Ange fokusområdets nummer."))
        check_required("title", self.title, _l("Ange fokusområdets titel."))


class Tag(Archivable, RuleChecked, db.Model):
    """A named target group, partner, city district or executing unit."""

    __tablename__ = "tag"
    __versioned__ = {}
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))

    def check_rules(self) -> None:
        super().check_rules()
        if self.kind not in TAG_KINDS:
            raise RuleViolation("kind", _l("Okänd typ av etikett."))
        check_required("name", self.name, _l("Ange ett namn."))


class SubGoalBoard(db.Model):
    """A board responsible for a sub-goal."""

    __tablename__ = "sub_goal_board"
    __versioned__ = {}

    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True, index=True)

    board: Mapped[Board] = relationship()


class SubGoalTag(db.Model):
    __tablename__ = "sub_goal_tag"
    __versioned__ = {}

    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id"), primary_key=True, index=True)

    tag: Mapped[Tag] = relationship()


class SubGoal(Archivable, RuleChecked, db.Model):
    __tablename__ = "sub_goal"
    __versioned__ = {}
    __table_args__ = (UniqueConstraint("focus_area_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(ForeignKey("focus_area.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    sort_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), default="", index=True, info=NOT_FREE_TEXT
    )
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    cross_references: Mapped[str | None] = mapped_column(String(300))
    # As FocusArea.position: explicit once reordered, else the order of the codes.
    position: Mapped[int | None] = mapped_column(Integer)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    focus_area: Mapped[FocusArea] = relationship(back_populates="sub_goals")
    board_links: Mapped[list[SubGoalBoard]] = relationship(
        cascade="all, delete-orphan", order_by=SubGoalBoard.board_id
    )
    tag_links: Mapped[list[SubGoalTag]] = relationship(
        cascade="all, delete-orphan", order_by=SubGoalTag.tag_id
    )
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="sub_goal", order_by="Activity.planned_from_year, Activity.id"
    )
    follow_ups: Mapped[list["FollowUp"]] = relationship(  # noqa: F821
        back_populates="sub_goal", order_by="FollowUp.year"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @validates("code")
    def _keep_sort_key(self, key, code):
        self.sort_key = natural_key(code)
        return (code or "").strip()

    @classmethod
    def reading_order(cls, table=None) -> tuple:
        return reading_order(table if table is not None else cls)

    @property
    def plan(self) -> Plan:
        return self.focus_area.plan

    @property
    def boards(self) -> list[Board]:
        return [link.board for link in self.board_links]

    @property
    def board_ids(self) -> set[int]:
        return {link.board_id for link in self.board_links}

    def follow_ups_by_year(self) -> dict:
        return {
            follow_up.year: follow_up for follow_up in self.follow_ups if not follow_up.is_archived
        }

    def tags(self, kind: str) -> list[Tag]:
        return [link.tag for link in self.tag_links if link.tag.kind == kind]

    def set_boards(self, boards: list[Board]) -> None:
        wanted = {board.id for board in boards}
        current = self.board_ids
        self.board_links = [link for link in self.board_links if link.board_id in wanted] + [
            SubGoalBoard(board=board) for board in boards if board.id not in current
        ]

    def set_tags(self, kind: str, tags: list[Tag]) -> None:
        wanted = {tag.id for tag in tags}
        kept = [link for link in self.tag_links if link.tag.kind != kind or link.tag_id in wanted]
        present = {link.tag_id for link in kept}
        self.tag_links = kept + [SubGoalTag(tag=tag) for tag in tags if tag.id not in present]

    def check_rules(self) -> None:
        super().check_rules()
        check_required("code", self.code, _l("Ange delmålets nummer."))
        check_required("title", self.title, _l("Ange delmålets titel."))


class Activity(Archivable, RuleChecked, db.Model):
    """A planned activity under a sub-goal."""

    __tablename__ = "activity"
    __versioned__ = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    planned_from_year: Mapped[int] = mapped_column(Integer)
    planned_to_year: Mapped[int] = mapped_column(Integer)
    responsible_unit: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    sub_goal: Mapped[SubGoal] = relationship(back_populates="activities")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def status_label(self) -> str:
        return str(ACTIVITY_STATUSES.get(self.status, self.status))

    def check_rules(self) -> None:
        super().check_rules()
        check_required("title", self.title, _l("Ange aktivitetens namn."))
        if self.status not in ACTIVITY_STATUSES:
            raise RuleViolation("status", _l("Okänd status."))
        check_year_span(
            self.planned_from_year,
            self.planned_to_year,
            fields=("planned_from_year", "planned_to_year"),
        )
        plan = related(self, "sub_goal", SubGoal, "sub_goal_id").plan
        check_within(
            "planned_from_year",
            self.planned_from_year,
            self.planned_to_year,
            plan.start_year,
            plan.end_year,
            _l("planens period"),
        )
