"""Strategies, plans, focus areas, sub-goals with their links, and planned activities."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from intranet.core.clock import local_day
from intranet.core.errors import RuleViolation
from intranet.core.fields import UserField, check_fields
from intranet.core.naturalsort import KEY_LENGTH, natural_key
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models.accounts import Board
from intranet.models.base import NOT_FREE_TEXT, Archivable, RuleChecked, related

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


YEAR_OUT_OF_BOUNDS = _l("Ange ett år mellan %(a)s och %(b)s.", a=FIRST_YEAR, b=LAST_YEAR)


def check_year_span(start: int | None, end: int | None, fields=("start_year", "end_year")):
    for field, year in zip(fields, (start, end), strict=True):
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise RuleViolation(field, YEAR_OUT_OF_BOUNDS)
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


def activity_years_label(start: int | None, end: int | None) -> str:
    """How an activity's planned years read everywhere: "2020", "2020–2022", or that it
    has no years."""
    if start is None and end is None:
        return str(_l("Ej daterad"))
    if start is None or end is None or start == end:
        return str(start if start is not None else end)
    return f"{start}–{end}"


def activity_sort_key(start: int | None, end: int | None, ident: int | None) -> tuple:
    """Dated activities by their years, undated ones last."""
    return (start is None, start or 0, end or 0, ident or 0)


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


# Each model's fields as users edit them, in the order the history lists them: the forms,
# the models' checks, the history's labels and (where the headers are the same) the plan
# workbook's columns come from here. A new field: its column, a migration, an entry here,
# and the template where the form does not list its fields itself.
MAX_DESCRIPTION_LENGTH = 5000


def _year(name: str, label, **options) -> UserField:
    return UserField(
        name,
        label,
        integer=True,
        required=True,
        missing=_l("Ange ett årtal, till exempel 2024."),
        bounds=(FIRST_YEAR, LAST_YEAR),
        out_of_bounds=YEAR_OUT_OF_BOUNDS,
        **options,
    )


def _description(limit: int = MAX_DESCRIPTION_LENGTH) -> UserField:
    return UserField(
        "description", _l("Beskrivning"), max_length=limit, multiline=True, input_limit=True
    )


def _title(missing, limit: int = 300, label=None, **options) -> UserField:
    return UserField(
        "title", label or _l("Titel"), required=True, missing=missing, max_length=limit, **options
    )


STRATEGY_FIELDS = (
    _title(_l("Ange strategins titel.")),
    _year("start_year", _l("Startår")),
    _year("end_year", _l("Slutår")),
    _description(),
)
PLAN_FIELDS = (
    _title(_l("Ange planens titel.")),
    _year("start_year", _l("Startår")),
    _year("end_year", _l("Slutår")),
    # Changed by the plan's lifecycle (intranet.plans.lifecycle), not in its form.
    UserField(
        "status",
        _l("Status"),
        choices=PLAN_STATUSES,
        required=True,
        invalid=_l("Okänd planstatus."),
    ),
    _description(),
)
FOCUS_AREA_FIELDS = (
    UserField("number", _l("Nummer"), missing=_l("Ange fokusområdets nummer."), max_length=20),
    _title(_l("Ange fokusområdets titel.")),
    _description(),
)
SUB_GOAL_FIELDS = (
    UserField("code", _l("Nummer"), missing=_l("Ange delmålets nummer."), max_length=20),
    _title(_l("Ange delmålets titel."), limit=500, multiline=True),
    _description(limit=10_000),
    UserField(
        "cross_references",
        _l("Hänvisning"),
        max_length=300,
        description=_l("Till exempel ”se punkt 2.4”."),
    ),
)
ACTIVITY_FIELDS = (
    _title(_l("Ange aktivitetens namn."), label=_l("Aktivitet")),
    _description(),
    UserField(
        "planned_from_year",
        _l("Planerad från år"),
        integer=True,
        description=_l("Lämna båda åren tomma för en aktivitet utan år (ej daterad)."),
    ),
    UserField(
        "planned_to_year",
        _l("Planerad till år"),
        integer=True,
        description=_l("Tomt: samma år som från-året. Får gå förbi planens slut, inom strategin."),
    ),
    UserField("responsible_unit", _l("Ansvarig enhet"), max_length=200),
    UserField(
        "status",
        _l("Status"),
        choices=ACTIVITY_STATUSES,
        required=True,
        invalid=_l("Okänd status."),
    ),
)


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
        check_fields(self, STRATEGY_FIELDS)
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
    # admins (intranet.auth.policies.can_edit_structure); None: admins only.
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
        check_fields(self, PLAN_FIELDS)
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
        check_fields(self, FOCUS_AREA_FIELDS)


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
    """A board responsible for a sub-goal, in a place and for a period.

    The link with the lowest `position` among those in force on a day is the main
    responsible board, the others are involved boards in that order (a link written before
    positions existed has none, and comes after, by board name). `valid_from` (inclusive) and
    `valid_to` (exclusive) are the days the responsibility holds, either open: a
    reorganisation ends one board's link and starts another's on the same day. They are
    valid time, the history's transactions the time of recording; `responsible_links` (and
    intranet.reading.responsibility for the readers of a snapshot) is the one rule joining them.
    """

    __tablename__ = "sub_goal_board"
    __versioned__ = {}

    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True, index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    board: Mapped[Board] = relationship()
    sub_goal: Mapped["SubGoal"] = relationship(back_populates="board_links")

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def sort_key(self) -> tuple:
        return link_order(self.position, self.board.name if self.board else "")


def link_order(position: int | None, board_name: str) -> tuple:
    """Main first, then involved boards in their order; unplaced links last by name."""
    return (position is None, position or 0, natural_key(board_name or ""))


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
    # Every link, ended and future ones too: `boards` and the readers choose by day.
    board_links: Mapped[list[SubGoalBoard]] = relationship(
        cascade="all, delete-orphan", order_by=SubGoalBoard.board_id, back_populates="sub_goal"
    )
    tag_links: Mapped[list[SubGoalTag]] = relationship(
        cascade="all, delete-orphan", order_by=SubGoalTag.tag_id
    )
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="sub_goal",
        # Undated activities (no years) last, on every database.
        order_by=lambda: (
            Activity.planned_from_year.is_(None),
            Activity.planned_from_year,
            Activity.planned_to_year,
            Activity.id,
        ),
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

    def responsible_links(self, day: date | None = None) -> list[SubGoalBoard]:
        """The links in force on `day` (today), main board first."""
        day = day or local_day()
        return sorted(
            (link for link in self.board_links if link.in_force_on(day)),
            key=SubGoalBoard.sort_key,
        )

    @property
    def boards(self) -> list[Board]:
        """The boards responsible today: the main board first, then the involved ones."""
        return [link.board for link in self.responsible_links()]

    @property
    def main_board(self) -> Board | None:
        boards = self.boards
        return boards[0] if boards else None

    @property
    def involved_boards(self) -> list[Board]:
        return self.boards[1:]

    @property
    def board_ids(self) -> set[int]:
        """Today's responsible boards, main and involved: who may read its history."""
        return {link.board_id for link in self.responsible_links()}

    @property
    def main_board_ids(self) -> set[int]:
        """The main board (a set, as permissions compare with a user's boards)."""
        links = self.responsible_links()
        return {links[0].board_id} if links else set()

    def follow_ups_by_year(self) -> dict:
        return {
            follow_up.year: follow_up for follow_up in self.follow_ups if not follow_up.is_archived
        }

    def tags(self, kind: str) -> list[Tag]:
        return [link.tag for link in self.tag_links if link.tag.kind == kind]

    def set_boards(self, boards: list[Board]) -> None:
        """Today's responsibility becomes `boards`: the first the main board, the rest
        involved, in this order. Links that ended before today stay as the record of who
        was responsible then; a board listed again whose link had ended is responsible
        again from today; a listed board whose link starts later (a reorganisation not yet
        in force) keeps its day, and links due to start later that are not listed go."""
        today = local_day()
        # By id for stored boards; a board made in the same change (a plan import's new
        # board) has no id yet and is new here by definition.
        stored = {board.id: position for position, board in enumerate(boards) if board.id}
        linked = {link.board_id for link in self.board_links}
        kept = []
        for link in self.board_links:
            ended = link.valid_to is not None and link.valid_to <= today
            if link.board_id in stored:
                link.position = stored[link.board_id]
                if ended:
                    link.valid_from, link.valid_to = today, None
                kept.append(link)
            elif ended:
                kept.append(link)
        kept += [
            SubGoalBoard(board=board, board_id=board.id, position=position)
            for position, board in enumerate(boards)
            if board.id is None or board.id not in linked
        ]
        self.board_links = kept

    def set_tags(self, kind: str, tags: list[Tag]) -> None:
        # By object, not id: a tag made in the same change has no id yet (the session's
        # identity map keeps one object per stored tag).
        kept = [link for link in self.tag_links if link.tag.kind != kind or link.tag in tags]
        present = [link.tag for link in kept]
        self.tag_links = kept + [SubGoalTag(tag=tag) for tag in tags if tag not in present]

    def check_rules(self) -> None:
        super().check_rules()
        check_fields(self, SUB_GOAL_FIELDS)


class Activity(Archivable, RuleChecked, db.Model):
    """A planned activity under a sub-goal."""

    __tablename__ = "activity"
    __versioned__ = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Both empty: an undated activity ("Ej daterad").
    planned_from_year: Mapped[int | None] = mapped_column(Integer)
    planned_to_year: Mapped[int | None] = mapped_column(Integer)
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
        check_fields(self, ACTIVITY_FIELDS)
        self._check_years()

    @property
    def years_label(self) -> str:
        return activity_years_label(self.planned_from_year, self.planned_to_year)

    def _check_years(self) -> None:
        """No years at all (undated), or a start and an end: the start within the plan's
        years, the end within the strategy's (an activity may run past its plan), or within
        the plan's when the plan belongs to no strategy."""
        start, end = self.planned_from_year, self.planned_to_year
        if start is None and end is None:
            return
        if start is None or end is None:
            missing = "planned_from_year" if start is None else "planned_to_year"
            raise RuleViolation(missing, _l("Ange både från- och till år, eller lämna båda tomma."))
        fields = ("planned_from_year", "planned_to_year")
        check_year_span(start, end, fields=fields)
        plan = related(self, "sub_goal", SubGoal, "sub_goal_id").plan
        check_within(
            "planned_from_year", start, start, plan.start_year, plan.end_year, _l("planens period")
        )
        strategy = related(plan, "strategy", Strategy, "strategy_id")
        if strategy is None:
            check_within(
                "planned_to_year", start, end, plan.start_year, plan.end_year, _l("planens period")
            )
        else:
            check_within(
                "planned_to_year",
                start,
                end,
                strategy.start_year,
                strategy.end_year,
                _l("strategins period"),
            )
